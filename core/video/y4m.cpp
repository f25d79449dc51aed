// YUV4MPEG2: a header line of space-separated tags (W H F I A C X), then per frame a "FRAME"
// line and the raw planes. The frame size follows from the header alone, so it is checked
// against the limits before anything is allocated.
#include <cstring>
#include <functional>

#include "core/video/detail.hpp"

namespace gosdoki::video {
namespace {

using detail::Chroma;
using detail::Reader;
using detail::SourceBase;
using detail::YuvLayout;

constexpr std::size_t kMaxLine = 1024;  // header and FRAME lines

Error header_error(const std::string& code, const std::string& file, const std::string& field, const std::string& what) {
  return make_error(code, file + ": header: " + (field.empty() ? "" : "field " + field + ": ") + what);
}

bool parse_uint(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoull(s);
  return true;
}

bool parse_ratio(const std::string& s, bool allow_zero) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) return false;
  std::uint64_t n = 0, d = 0;
  if (!parse_uint(s.substr(0, colon), n) || !parse_uint(s.substr(colon + 1), d)) return false;
  return allow_zero ? (n == 0) == (d == 0) : n > 0 && d > 0;
}

// Reads up to '\n' (not kept). False at the end of the file before any byte.
Result<bool> read_line(Reader& in, std::string& line, const std::function<Error(const std::string&)>& err) {
  line.clear();
  for (;;) {
    const int c = in.get();
    if (c < 0) {
      if (in.failed()) return err("read error at offset " + std::to_string(in.offset()));
      if (line.empty()) return false;
      return make_error("video.truncated", "");  // the caller words it
    }
    if (c == '\n') return true;
    if (line.size() >= kMaxLine) return err("a line longer than " + std::to_string(kMaxLine) + " bytes");
    line.push_back(static_cast<char>(c));
  }
}

Result<YuvLayout> parse_header(const std::string& file, const std::string& line, const Limits& limits) {
  YuvLayout l;
  if (line.rfind("YUV4MPEG2", 0) != 0) return header_error("video.bad_header", file, "", "does not start with YUV4MPEG2");
  std::uint64_t w = 0, h = 0;
  bool has_w = false, has_h = false;
  std::size_t pos = 9;
  while (pos < line.size()) {
    if (line[pos] != ' ') return header_error("video.bad_header", file, "", "tags must be separated by one space");
    const std::size_t end = std::min(line.find(' ', pos + 1), line.size());
    const std::string tag = line.substr(pos + 1, end - pos - 1);
    pos = end;
    if (tag.empty()) return header_error("video.bad_header", file, "", "an empty tag");
    const std::string field(1, tag[0]), v = tag.substr(1);
    switch (tag[0]) {
      case 'W':
      case 'H': {
        std::uint64_t n = 0;
        if (!parse_uint(v, n) || n == 0) {
          return header_error("video.bad_header", file, field, "'" + v + "' is not a positive whole number");
        }
        (tag[0] == 'W' ? w : h) = n;
        (tag[0] == 'W' ? has_w : has_h) = true;
        break;
      }
      case 'F':
        if (!parse_ratio(v, false)) return header_error("video.bad_header", file, field, "'" + v + "' is not a frame rate n:d");
        break;
      case 'A':
        if (!parse_ratio(v, true)) return header_error("video.bad_header", file, field, "'" + v + "' is not an aspect n:d");
        break;
      case 'I':
        if (v != "p" && v != "t" && v != "b" && v != "m" && v != "?") {
          return header_error("video.bad_header", file, field, "'" + v + "' is not p, t, b, m or ?");
        }
        break;
      case 'C':
        if (v == "420jpeg" || v == "420" || v == "420mpeg2" || v == "420paldv") l.chroma = Chroma::c420;
        else if (v == "422") l.chroma = Chroma::c422;
        else if (v == "444") l.chroma = Chroma::c444;
        else if (v == "mono") l.chroma = Chroma::mono;
        else {
          return header_error("video.unsupported", file, field, "colour space '" + v +
                                                                    "' is not supported (420jpeg, 420, 420mpeg2, "
                                                                    "420paldv, 422, 444, mono; 8 bits)");
        }
        break;
      case 'X':
        if (v == "COLORRANGE=FULL") l.full_range = true;
        else if (v == "COLORRANGE=LIMITED") l.full_range = false;
        break;  // other extensions carry nothing we need
      default:
        return header_error("video.bad_header", file, field, "unknown tag '" + tag + "'");
    }
  }
  if (!has_w) return header_error("video.bad_header", file, "W", "missing (the frame width)");
  if (!has_h) return header_error("video.bad_header", file, "H", "missing (the frame height)");
  if (w > static_cast<std::uint64_t>(limits.max_width) || h > static_cast<std::uint64_t>(limits.max_height) ||
      w * h > limits.max_pixels) {
    return header_error("video.too_large", file, w > static_cast<std::uint64_t>(limits.max_width) ? "W" : "H",
                        std::to_string(w) + "x" + std::to_string(h) + " is beyond the limit " +
                            std::to_string(limits.max_width) + "x" + std::to_string(limits.max_height) + " and " +
                            std::to_string(limits.max_pixels) + " pixels");
  }
  l.width = static_cast<int>(w);
  l.height = static_cast<int>(h);
  if (l.frame_bytes() > limits.max_frame_bytes) {
    return header_error("video.frame_too_large", file, "", "a frame of " + std::to_string(l.frame_bytes()) +
                                                               " bytes is beyond the limit " +
                                                               std::to_string(limits.max_frame_bytes));
  }
  return l;
}

class Y4mSource final : public SourceBase {
 public:
  Y4mSource(std::string name, std::unique_ptr<Reader> in, YuvLayout l, int channels, const Limits& limits)
      : SourceBase(std::move(name), channels, limits), in_(std::move(in)), layout_(l) {}

 protected:
  Result<std::optional<Frame>> read_frame(int index) override {
    std::string line;
    auto got = read_line(*in_, line, [&](const std::string& w) { return frame_error("video.corrupt", index, w); });
    if (!got && got.error().code == "video.truncated") {
      return frame_error("video.truncated", index, "truncated inside the FRAME line ('" + line + "')");
    }
    if (!got) return got.error();
    if (!*got) return std::optional<Frame>{};
    if (line.rfind("FRAME", 0) != 0 || (line.size() > 5 && line[5] != ' ')) {
      return frame_error("video.corrupt", index, "expected a FRAME line at offset " +
                                                     std::to_string(in_->offset() - line.size() - 1));
    }
    const std::uint64_t need = layout_.frame_bytes();
    if (buf_.size() != need) buf_.resize(need);
    const std::size_t n = in_->read(buf_.data(), need);
    if (n != need) {
      return frame_error("video.truncated", index, "truncated (expected " + std::to_string(need) + " bytes, got " +
                                                       std::to_string(n) + ")");
    }
    return std::optional<Frame>{Frame{index, "", detail::yuv_to_image(buf_.data(), layout_, channels_)}};
  }

 private:
  std::unique_ptr<Reader> in_;  // already past the header
  YuvLayout layout_;
  Bytes buf_;
};

class Y4mWriter final : public FrameWriter {
 public:
  Y4mWriter(std::string name, detail::FilePtr f, int fps) : name_(std::move(name)), f_(std::move(f)), fps_(fps) {}
  ~Y4mWriter() override { (void)close(); }
  Status write(const image::Image& frame) override {
    if (!f_) return make_error("video.io", name_ + ": already closed");
    const std::string at = name_ + ": frame " + std::to_string(n_) + ": ";
    if (frame.empty() || (frame.channels != 1 && frame.channels != 3) ||
        frame.pixels.size() != static_cast<std::size_t>(frame.width) * frame.height * frame.channels) {
      return make_error("video.invalid", at + "empty or inconsistent image");
    }
    if (n_ == 0) {
      layout_.width = frame.width;
      layout_.height = frame.height;
      const std::string hdr = "YUV4MPEG2 W" + std::to_string(frame.width) + " H" + std::to_string(frame.height) + " F" +
                              std::to_string(fps_) + ":1 Ip A1:1 C420jpeg XCOLORRANGE=LIMITED\n";
      if (std::fwrite(hdr.data(), 1, hdr.size(), f_.get()) != hdr.size()) return io_error(at);
    } else if (frame.width != layout_.width || frame.height != layout_.height) {
      return make_error("video.invalid", at + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                                             " differs from the first frame's " + std::to_string(layout_.width) + "x" +
                                             std::to_string(layout_.height));
    }
    buf_.resize(layout_.frame_bytes());
    detail::image_to_yuv(frame, layout_, buf_.data());
    if (std::fwrite("FRAME\n", 1, 6, f_.get()) != 6 || std::fwrite(buf_.data(), 1, buf_.size(), f_.get()) != buf_.size()) {
      return io_error(at);
    }
    ++n_;
    return {};
  }
  Status close() override {
    if (!f_) return {};
    const bool ok = std::fflush(f_.get()) == 0 && !std::ferror(f_.get());
    f_.reset();
    if (!ok) return io_error(name_ + ": ");
    return {};
  }
  int frames_written() const override { return n_; }

 private:
  static Error io_error(const std::string& at) { return make_error("video.io", at + "write failed: " + std::strerror(errno)); }
  std::string name_;
  detail::FilePtr f_;
  int fps_;
  YuvLayout layout_;
  Bytes buf_;
  int n_ = 0;
};

}  // namespace

Result<std::unique_ptr<FrameSource>> open_y4m(const std::filesystem::path& file, int channels, const Limits& limits) {
  auto f = detail::open_container(file, channels, limits);
  if (!f) return f.error();
  auto in = std::make_unique<Reader>(std::move(*f));
  std::string line;
  auto got = read_line(*in, line, [&](const std::string& w) { return header_error("video.bad_header", file.string(), "", w); });
  if (!got && got.error().code == "video.truncated") {
    return header_error("video.truncated", file.string(), "", "the file ends inside the header line");
  }
  if (!got) return got.error();
  auto layout = parse_header(file.string(), line, limits);
  if (!layout) return layout.error();
  return std::unique_ptr<FrameSource>(
      std::make_unique<Y4mSource>(file.string(), std::move(in), *layout, channels, limits));
}

Result<std::unique_ptr<FrameWriter>> create_y4m(const std::filesystem::path& file, int fps) {
  if (fps < 1 || fps > 1000) return make_error("video.invalid", file.string() + ": fps must be 1..1000");
  detail::FilePtr f(std::fopen(file.c_str(), "wb"));
  if (!f) return make_error("video.io", file.string() + ": cannot create: " + std::strerror(errno));
  return std::unique_ptr<FrameWriter>(std::make_unique<Y4mWriter>(file.string(), std::move(f), fps));
}

}  // namespace gosdoki::video
