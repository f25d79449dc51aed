#include "client/camera.hpp"

#include <algorithm>
#include <optional>

#include "core/image/image.hpp"
#include "core/qr/qr.hpp"

namespace gosdoki::client {
namespace {

// Mean over a (2r+1)^2 box around each pixel, from an integral image (clamped at the borders).
std::vector<std::uint32_t> box_mean(const image::Image& g, int r) {
  const int W = g.width, H = g.height;
  std::vector<std::uint64_t> sum(static_cast<std::size_t>(W + 1) * (H + 1), 0);
  for (int y = 0; y < H; ++y) {
    std::uint64_t row = 0;
    for (int x = 0; x < W; ++x) {
      row += g.row(y)[x];
      sum[static_cast<std::size_t>(y + 1) * (W + 1) + x + 1] = sum[static_cast<std::size_t>(y) * (W + 1) + x + 1] + row;
    }
  }
  std::vector<std::uint32_t> out(static_cast<std::size_t>(W) * H);
  for (int y = 0; y < H; ++y) {
    const int y0 = std::max(0, y - r), y1 = std::min(H, y + r + 1);
    for (int x = 0; x < W; ++x) {
      const int x0 = std::max(0, x - r), x1 = std::min(W, x + r + 1);
      const auto at = [&](int yy, int xx) { return sum[static_cast<std::size_t>(yy) * (W + 1) + xx]; };
      const std::uint64_t s = at(y1, x1) - at(y0, x1) - at(y1, x0) + at(y0, x0);
      out[static_cast<std::size_t>(y) * W + x] = static_cast<std::uint32_t>(s / static_cast<std::uint64_t>((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

// Each pixel against the mean of its neighbourhood: a shadow's edge or a light gradient across
// the code is taken out, leaving the modules' local contrast (gain 2 around mid-grey).
image::Image levelled(const image::Image& grey) {
  const auto mean = box_mean(grey, 12);
  image::Image out = grey;
  for (std::size_t i = 0; i < out.pixels.size(); ++i) {
    out.pixels[i] = static_cast<std::uint8_t>(std::clamp(128 + 2 * (int{grey.pixels[i]} - static_cast<int>(mean[i])), 0, 255));
  }
  return out;
}

struct Candidate {
  int index = -1;
  double sharpness = -1;
  image::Image crop;
};

void consider(Candidate& best, int index, const image::Image& frame) {
  image::Image crop = centre_crop(frame, 3, 4);
  const double s = sharpness(crop);
  if (s > best.sharpness) best = {index, s, std::move(crop)};
}

}  // namespace

double sharpness(const image::Image& img) {
  if (img.empty()) return 0;
  // At half size: sensor noise weighs less, and it is four times cheaper.
  const image::Image g = image::resize(image::to_grey(img), std::max(1, img.width / 2), std::max(1, img.height / 2));
  if (g.width < 3 || g.height < 3) return 0;
  double sum = 0, sq = 0;
  std::size_t n = 0;
  for (int y = 1; y + 1 < g.height; ++y) {
    const std::uint8_t *up = g.row(y - 1), *row = g.row(y), *down = g.row(y + 1);
    for (int x = 1; x + 1 < g.width; ++x) {
      const double lap = up[x] + down[x] + row[x - 1] + row[x + 1] - 4.0 * row[x];
      sum += lap;
      sq += lap * lap;
      ++n;
    }
  }
  const double mean = sum / static_cast<double>(n);
  return sq / static_cast<double>(n) - mean * mean;
}

image::Image centre_crop(const image::Image& img, int aspect_w, int aspect_h) {
  if (img.empty() || aspect_w <= 0 || aspect_h <= 0) return {};
  int w = img.height * aspect_w / aspect_h, h = img.height;
  if (w > img.width) w = img.width, h = img.width * aspect_h / aspect_w;
  const int x0 = (img.width - w) / 2, y0 = (img.height - h) / 2;
  image::Image out = image::make(w, h, img.channels);
  for (int y = 0; y < h; ++y) {
    std::copy_n(img.row(y0 + y) + static_cast<std::size_t>(x0) * img.channels, static_cast<std::size_t>(w) * img.channels,
                out.row(y));
  }
  return out;
}

Result<FrameDecode> decode_frame(const image::Image& frame, bool retries) {
  const image::Image grey = image::to_grey(frame);
  auto first = qr::decode(grey);
  if (first) return FrameDecode{*first, "frame"};
  if (!retries || first.error().code == "qr.several") return first.error();
  std::optional<Error> unreadable;
  if (first.error().code == "qr.unreadable") unreadable = first.error();
  // Made one at a time: most frames are read by the first pass and need none of them. A
  // contrast stretch and a 3x3 unsharp mask were measured too and read no frame the others
  // missed (benchmarks/README.md), so they are not tried.
  const std::pair<const char*, image::Image (*)(const image::Image&)> attempts[] = {
      {"levelled", levelled},
      {"half", [](const image::Image& g) { return image::resize(g, std::max(1, g.width / 2), std::max(1, g.height / 2)); }}};
  for (const auto& [pass, make] : attempts) {
    const image::Image img = make(grey);
    if (img.empty()) continue;
    auto r = qr::decode(img);
    if (r) return FrameDecode{*r, pass};
    if (r.error().code == "qr.several") return r.error();
    if (r.error().code == "qr.unreadable" && !unreadable) unreadable = r.error();
  }
  return unreadable ? *unreadable : first.error();
}

Result<CameraScan> scan_camera(video::FrameSource& source, const CameraOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CameraScan out;
  Candidate before, after;
  const std::string& name = source.name();
  auto at = [&](int index) { return name + ": frame " + std::to_string(index); };

  // The QR: the first frame with exactly one code.
  while (out.qr_frame < 0 && out.frames_read < options.max_frames) {
    auto f = source.next();
    if (!f) return f.error();
    if (!*f) break;
    ++out.frames_read;
    const video::Frame& frame = **f;
    auto d = decode_frame(frame.image, options.retries);
    if (d) {
      out.qr.assign(d->text.begin(), d->text.end());
      out.qr_frame = frame.index;
      out.qr_pass = d->pass;
    } else if (d.error().code == "qr.several") {
      return make_error("camera.several", at(frame.index) + ": " + d.error().message);
    } else if (d.error().code == "qr.not_found") {
      consider(before, frame.index, frame.image);
    }
  }
  if (out.qr_frame < 0) {
    return make_error("camera.no_qr", "no QR code in any of the " + std::to_string(out.frames_read) + " frames of " + name);
  }

  // The face: code-free frames once the phone is down.
  int last_code = out.qr_frame;
  for (int n = 0; n < options.face_window; ++n) {
    auto f = source.next();
    if (!f) return f.error();
    if (!*f) break;
    ++out.frames_read;
    const video::Frame& frame = **f;
    auto d = decode_frame(frame.image, false);
    if (d || d.error().code != "qr.not_found") {
      last_code = frame.index;
      continue;
    }
    if (frame.index > last_code + options.settle_frames) consider(after, frame.index, frame.image);
  }
  Candidate& face = after.index >= 0 ? after : before;
  if (face.index < 0) {
    return make_error("camera.no_face", "no frame without a QR code to take the face from (" +
                                            std::to_string(out.frames_read) + " frames of " + name + " read)");
  }
  auto jpeg = image::encode_jpeg(image::resize(face.crop, options.face_width, options.face_height), options.face_quality);
  if (!jpeg) return make_error("camera.no_face", at(face.index) + ": " + jpeg.error().message);
  out.face_frame = face.index;
  out.face_sharpness = face.sharpness;
  out.face_jpeg = std::move(*jpeg);
  out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  return out;
}

}  // namespace gosdoki::client
