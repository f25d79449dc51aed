#pragma once
// The webcam at the operator's workstation: read frames until one shows exactly one QR code,
// then pick the face photo from the same sequence.
//
// QR: each frame is decoded (ZXing, try_harder + rotate, core/qr); when nothing is found, two
// cheap retries follow (CameraOptions::retries): the frame levelled against its local mean
// (takes out shadows and light gradients) and the frame at half size. The first
// frame that decodes to exactly one code wins; a frame with two codes is an error naming it.
// Face: among later frames without a code (after `settle_frames` more frames, while the phone
// goes down), within `face_window` frames, the sharpest by the variance of the Laplacian of the
// centred 3:4 crop; if there is none, the sharpest code-free frame before the QR. The crop
// (full height, centred) is resized to 480x640 and encoded as JPEG q90: the faceImage the ИС sends.
#include <chrono>
#include <string>

#include "core/result.hpp"
#include "core/util/bytes.hpp"
#include "core/video/video.hpp"

namespace gosdoki::client {

struct CameraOptions {
  int max_frames = 300;      // frames read looking for the QR before giving up
  bool retries = true;       // levelled and half-size versions when a frame gives nothing
  int settle_frames = 2;     // code-free frames skipped after the last frame with a code
  int face_window = 30;      // frames read after the QR for the face
  int face_width = 480, face_height = 640;
  int face_quality = 90;
};

struct CameraScan {
  Bytes qr;                 // the code's exact bytes
  int qr_frame = -1;        // frame index (from 0)
  std::string qr_pass;      // which attempt decoded it: "frame", "levelled", "half"
  int face_frame = -1;
  double face_sharpness = 0;
  Bytes face_jpeg;          // 480x640 JPEG
  int frames_read = 0;
  std::chrono::microseconds elapsed{0};
};

// Errors: camera.no_qr ("no QR code in any of the 40 frames of webcam.mjpeg"), camera.several
// (two codes in one frame, named), camera.no_face, and the source's own video.* errors.
Result<CameraScan> scan_camera(video::FrameSource& source, const CameraOptions& options = {});

// One frame's QR: the bytes and which attempt read them; errors as core/qr (qr.not_found,
// qr.several, qr.unreadable). For the benchmark and for callers with their own frame loop.
struct FrameDecode {
  std::string text;
  std::string pass;
};
Result<FrameDecode> decode_frame(const image::Image& frame, bool retries);

// Variance of the Laplacian of a grey version, a simple sharpness measure.
double sharpness(const image::Image& img);
// The centred crop of aspect w:h at full height (or full width if the frame is narrower).
image::Image centre_crop(const image::Image& img, int aspect_w, int aspect_h);

}  // namespace gosdoki::client
