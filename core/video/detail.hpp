#pragma once
// Internal to core/video: a buffered file reader, the bookkeeping every source shares, and the
// BT.601 conversions of Y4M.
#include <cstdio>
#include <memory>
#include <string>

#include "core/video/video.hpp"

namespace gosdoki::video::detail {

struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileClose>;

// Reads a file through a fixed buffer; never more than asked for.
class Reader {
 public:
  explicit Reader(FilePtr f) : f_(std::move(f)) {}
  int get();  // the next byte, or -1 at the end (or on a read error, see failed())
  int peek();
  std::size_t read(std::uint8_t* out, std::size_t n);  // how many were read
  std::uint64_t offset() const { return offset_; }
  bool failed() const { return failed_; }

 private:
  bool fill();
  FilePtr f_;
  std::uint8_t buf_[1 << 16];
  std::size_t pos_ = 0, len_ = 0;
  std::uint64_t offset_ = 0;
  bool failed_ = false;
};

// Opens for reading, checks it is a regular file within max_file_bytes.
Result<FilePtr> open_file(const std::filesystem::path& path, const Limits& limits, std::uint64_t* size = nullptr);
// open_file for a sequence container (MJPEG, Y4M): also checks the channel count asked for and
// that the file is not empty.
Result<FilePtr> open_container(const std::filesystem::path& path, int channels, const Limits& limits);

// The shared part of every source: frame counting, the frame limit, and a sticky error.
class SourceBase : public FrameSource {
 public:
  SourceBase(std::string name, int channels, const Limits& limits)
      : name_(std::move(name)), channels_(channels), limits_(limits) {}
  Result<std::optional<Frame>> next() final;
  const std::string& name() const final { return name_; }
  int frames_read() const final { return read_; }
  const std::vector<std::string>& warnings() const final { return warnings_; }

 protected:
  // Reads frame `index` (the number of frames already returned), or nullopt at the end.
  virtual Result<std::optional<Frame>> read_frame(int index) = 0;
  Error frame_error(const std::string& code, int index, const std::string& what) const;
  // Decodes one PNG/JPEG frame with the limits; errors mapped to video.* naming the frame.
  Result<image::Image> decode_image(const std::uint8_t* data, std::size_t n, int index,
                                     const std::string& label = "") const;
  std::string name_;
  int channels_;
  Limits limits_;
  std::vector<std::string> warnings_;

 private:
  int read_ = 0;
  std::optional<Error> failed_;
  bool done_ = false;
};

enum class Chroma { c420, c422, c444, mono };
struct YuvLayout {
  int width = 0, height = 0;
  Chroma chroma = Chroma::c420;
  bool full_range = false;
  int chroma_width() const;
  int chroma_height() const;
  std::uint64_t frame_bytes() const;
};
// Planar Y, Cb, Cr (as laid out in a Y4M frame) to 1 or 3 channels.
image::Image yuv_to_image(const std::uint8_t* planes, const YuvLayout& l, int channels);
// The other way; `out` gets frame_bytes() bytes.
void image_to_yuv(const image::Image& img, const YuvLayout& l, std::uint8_t* out);

}  // namespace gosdoki::video::detail
