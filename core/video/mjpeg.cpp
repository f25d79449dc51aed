// MJPEG: JPEG images back to back. A frame is found by walking its markers from SOI to EOI
// (segment lengths, then the entropy-coded data up to the next real marker), so an EOI inside
// an EXIF thumbnail does not end the frame early. Bytes between frames (the boundary lines and
// headers of a multipart/x-mixed-replace stream) are skipped, up to kMaxGap of them.
#include <cstring>

#include "core/video/detail.hpp"

namespace gosdoki::video {
namespace {

using detail::Reader;
using detail::SourceBase;

constexpr std::size_t kMaxGap = 64 * 1024;  // multipart headers are a few hundred bytes

class MjpegSource final : public SourceBase {
 public:
  MjpegSource(std::string name, detail::FilePtr f, int channels, const Limits& limits)
      : SourceBase(std::move(name), channels, limits), in_(std::move(f)) {}

 protected:
  Result<std::optional<Frame>> read_frame(int index) override {
    auto found = find_soi(index);
    if (!found) return found.error();
    if (!*found) return std::optional<Frame>{};
    auto st = read_to_eoi(index);
    if (!st) return st.error();
    auto img = decode_image(buf_.data(), buf_.size(), index);
    if (!img) return img.error();
    return std::optional<Frame>{Frame{index, "", std::move(*img)}};
  }

 private:
  // Skips to the next FF D8; false at a clean end of the file.
  Result<bool> find_soi(int index) {
    const std::uint64_t start = in_.offset();
    int prev = -1;
    for (;;) {
      const int c = in_.get();
      if (c < 0) {
        if (in_.failed()) return frame_error("video.io", index, "read error at offset " + std::to_string(in_.offset()));
        if (index == 0) return frame_error("video.corrupt", index, "no JPEG image in the file (no start-of-image marker)");
        return false;
      }
      if (prev == 0xFF && c == 0xD8) break;
      prev = c;
      if (in_.offset() - start > kMaxGap) {
        return frame_error("video.corrupt", index, std::to_string(kMaxGap) + " bytes from offset " +
                                                       std::to_string(start) + " without a JPEG start-of-image marker");
      }
    }
    buf_.assign({0xFF, 0xD8});
    return true;
  }

  Status put(int c, int index) {
    if (buf_.size() >= limits_.max_frame_bytes) {
      return frame_error("video.frame_too_large", index, "more than " + std::to_string(limits_.max_frame_bytes) +
                                                              " bytes without an end-of-image marker (the limit)");
    }
    buf_.push_back(static_cast<std::uint8_t>(c));
    return {};
  }

  Error truncated(int index) const {
    return frame_error("video.truncated", index, "truncated (the file ends after " + std::to_string(buf_.size()) +
                                                     " bytes of the frame, before its end-of-image marker)");
  }

  // Copies the frame from after SOI up to and including EOI into buf_.
  Status read_to_eoi(int index) {
    int pending = -1;  // a marker byte already read by the entropy-data scan
    for (;;) {
      int m = pending;
      pending = -1;
      if (m < 0) {
        int c = in_.get();
        if (c < 0) return truncated(index);
        if (c != 0xFF) {
          return frame_error("video.corrupt", index, "expected a JPEG marker at offset " + std::to_string(in_.offset() - 1));
        }
        if (auto st = put(c, index); !st) return st;
        do {
          m = in_.get();
        } while (m == 0xFF);  // fill bytes
        if (m < 0) return truncated(index);
      }
      if (auto st = put(m, index); !st) return st;
      if (m == 0xD9) return {};
      if (m == 0xD8) return frame_error("video.corrupt", index, "a start-of-image marker inside the frame");
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;  // no length
      const int hi = in_.get(), lo = in_.get();
      if (hi < 0 || lo < 0) return truncated(index);
      const std::size_t len = (static_cast<std::size_t>(hi) << 8) | static_cast<std::size_t>(lo);
      if (len < 2) return frame_error("video.corrupt", index, "a JPEG segment with length " + std::to_string(len));
      if (buf_.size() + len > limits_.max_frame_bytes) {
        return frame_error("video.frame_too_large", index, "more than " + std::to_string(limits_.max_frame_bytes) +
                                                                " bytes (the limit)");
      }
      const std::size_t at = buf_.size();
      buf_.resize(at + len);
      buf_[at] = static_cast<std::uint8_t>(hi);
      buf_[at + 1] = static_cast<std::uint8_t>(lo);
      if (in_.read(buf_.data() + at + 2, len - 2) != len - 2) {
        buf_.resize(at + 2);
        return truncated(index);
      }
      if (m != 0xDA) continue;
      // Entropy-coded data: FF 00 is a data byte, FF D0..D7 a restart marker; another FF xx ends it.
      for (;;) {
        int c = in_.get();
        if (c < 0) return truncated(index);
        if (c != 0xFF) {
          if (auto st = put(c, index); !st) return st;
          continue;
        }
        int n = in_.get();
        while (n == 0xFF) n = in_.get();
        if (n < 0) return truncated(index);
        if (n == 0x00 || (n >= 0xD0 && n <= 0xD7)) {
          if (auto st = put(0xFF, index); !st) return st;
          if (auto st = put(n, index); !st) return st;
          continue;
        }
        if (auto st = put(0xFF, index); !st) return st;
        pending = n;
        break;
      }
    }
  }

  Reader in_;
  Bytes buf_;
};

class MjpegWriter final : public FrameWriter {
 public:
  MjpegWriter(std::string name, detail::FilePtr f, int quality) : name_(std::move(name)), f_(std::move(f)), q_(quality) {}
  ~MjpegWriter() override { (void)close(); }
  Status write(const image::Image& frame) override {
    if (!f_) return make_error("video.io", name_ + ": already closed");
    auto jpeg = image::encode_jpeg(frame, q_);
    if (!jpeg) return make_error("video.invalid", name_ + ": frame " + std::to_string(n_) + ": " + jpeg.error().message);
    if (std::fwrite(jpeg->data(), 1, jpeg->size(), f_.get()) != jpeg->size()) {
      return make_error("video.io", name_ + ": frame " + std::to_string(n_) + ": write failed: " + std::strerror(errno));
    }
    ++n_;
    return {};
  }
  Status close() override {
    if (!f_) return {};
    const bool ok = std::fflush(f_.get()) == 0 && !std::ferror(f_.get());
    f_.reset();
    if (!ok) return make_error("video.io", name_ + ": write failed: " + std::strerror(errno));
    return {};
  }
  int frames_written() const override { return n_; }

 private:
  std::string name_;
  detail::FilePtr f_;
  int q_;
  int n_ = 0;
};

}  // namespace

Result<std::unique_ptr<FrameSource>> open_mjpeg(const std::filesystem::path& file, int channels, const Limits& limits) {
  auto f = detail::open_container(file, channels, limits);
  if (!f) return f.error();
  return std::unique_ptr<FrameSource>(std::make_unique<MjpegSource>(file.string(), std::move(*f), channels, limits));
}

Result<std::unique_ptr<FrameWriter>> create_mjpeg(const std::filesystem::path& file, int quality) {
  detail::FilePtr f(std::fopen(file.c_str(), "wb"));
  if (!f) return make_error("video.io", file.string() + ": cannot create: " + std::strerror(errno));
  return std::unique_ptr<FrameWriter>(std::make_unique<MjpegWriter>(file.string(), std::move(f), quality));
}

}  // namespace gosdoki::video
