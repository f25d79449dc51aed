#pragma once
// Frame sequences from untrusted files, one frame at a time: a folder of PNG/JPEG images, an
// MJPEG file (concatenated JPEGs, also the multipart form an HTTP camera stream saves) and a
// Y4M file (YUV4MPEG2). Plus writers for MJPEG, Y4M and image folders.
//
// Nothing reads a whole file: a source keeps one frame's bytes at a time, and every size it
// allocates for is checked against Limits first (for Y4M from the header, for JPEG/PNG from the
// image header). Frame numbers count from 0 (as the generator's ground truth does); errors name
// the file and the frame, e.g. "webcam.y4m: frame 12: truncated (expected 1382400 bytes, got 1000)".
//
// Error codes: video.not_found, video.unknown_format, video.empty, video.bad_header (Y4M, names
// the field), video.unsupported, video.too_large (frame dimensions), video.file_too_large,
// video.frame_too_large (bytes of one frame), video.too_many_frames, video.truncated,
// video.corrupt (a frame that does not decode, garbage between frames), video.not_image (a
// folder file with an image extension that is not PNG/JPEG), video.io, video.invalid (writers).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/image/image.hpp"
#include "core/result.hpp"

namespace gosdoki::video {

struct Limits {
  int max_width = 4096;
  int max_height = 4096;
  std::uint64_t max_pixels = 4096ull * 2304;      // 4K UHD and a bit; checked before allocating
  int max_frames = 100000;                        // reading frame max_frames is video.too_many_frames
  std::uint64_t max_file_bytes = 16ull << 30;     // whole file (MJPEG, Y4M) or one folder file
  std::uint64_t max_frame_bytes = 64ull << 20;    // one encoded JPEG/PNG or one raw Y4M frame
};

struct Frame {
  int index = 0;          // from 0, in reading order
  std::string name;       // folder sources: the file name; otherwise empty
  image::Image image;     // 1 (grey) or 3 (RGB) channels, as asked when opening
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // The next frame, nullopt after the last one. After an error the source is finished: the
  // same error comes back on every further call.
  virtual Result<std::optional<Frame>> next() = 0;
  // What error messages call the source: the file or folder name as given.
  virtual const std::string& name() const = 0;
  // Frames returned so far.
  virtual int frames_read() const = 0;
  // Things skipped without failing (folder files that are not images), for the caller to show.
  virtual const std::vector<std::string>& warnings() const = 0;
};

// Y4M colour: BT.601 in both directions. Limited ("TV") range Y 16..235, Cb/Cr 16..240 unless
// the header says XCOLORRANGE=FULL (0..255, as yuvj420p). Chroma siting (420jpeg, 420mpeg2,
// 420paldv) is ignored: each chroma sample covers its 2x2 block, an error under half a pixel.
// Interlaced files (I t/b/m) are read as progressive frames.

// A folder: files ending in .png, .jpg or .jpeg (any case) are the frames, in byte order of
// their names; other files and hidden files are skipped with a warning (so a ground-truth JSON
// beside the frames does no harm); sub-folders are ignored. A file with an image extension
// that is not PNG/JPEG is an error naming it, not a skip: it was meant to be a frame.
Result<std::unique_ptr<FrameSource>> open_folder(const std::filesystem::path& dir, int channels,
                                                 const Limits& limits = {});
Result<std::unique_ptr<FrameSource>> open_mjpeg(const std::filesystem::path& file, int channels,
                                                const Limits& limits = {});
Result<std::unique_ptr<FrameSource>> open_y4m(const std::filesystem::path& file, int channels,
                                              const Limits& limits = {});
// By what is there: a folder, or a file by its first bytes ("YUV4MPEG2 ", a JPEG SOI, "--" of a
// multipart stream, or one PNG/JPEG image, read as a one-frame sequence).
Result<std::unique_ptr<FrameSource>> open_source(const std::filesystem::path& path, int channels,
                                                 const Limits& limits = {});

class FrameWriter {
 public:
  virtual ~FrameWriter() = default;
  virtual Status write(const image::Image& frame) = 0;
  // Flushes and closes; errors of the last writes show here. Called by the destructor if not.
  virtual Status close() = 0;
  virtual int frames_written() const = 0;
};

// JPEG frames back to back (ffmpeg -f mjpeg), each encoded at `quality`.
Result<std::unique_ptr<FrameWriter>> create_mjpeg(const std::filesystem::path& file, int quality = 90);
// C420jpeg, limited range (XCOLORRANGE=LIMITED), progressive, square pixels, `fps`:1. Every frame
// must have the first frame's size; grey frames are written with neutral chroma.
Result<std::unique_ptr<FrameWriter>> create_y4m(const std::filesystem::path& file, int fps = 30);
// frame-00000.jpg, frame-00001.jpg, … (or .png with quality 0: lossless) into `dir`, created.
Result<std::unique_ptr<FrameWriter>> create_folder(const std::filesystem::path& dir, int quality = 92);

}  // namespace gosdoki::video
