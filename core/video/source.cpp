// What every source shares, the folder source and writer, and open_source's sniffing.
#include <algorithm>
#include <cstring>
#include <system_error>

#include "core/util/bytes.hpp"
#include "core/video/detail.hpp"

namespace gosdoki::video {
namespace detail {

bool Reader::fill() {
  if (failed_ || !f_) return false;
  len_ = std::fread(buf_, 1, sizeof buf_, f_.get());
  pos_ = 0;
  if (len_ == 0 && std::ferror(f_.get())) failed_ = true;
  return len_ > 0;
}

int Reader::get() {
  if (pos_ == len_ && !fill()) return -1;
  ++offset_;
  return buf_[pos_++];
}

int Reader::peek() {
  if (pos_ == len_ && !fill()) return -1;
  return buf_[pos_];
}

std::size_t Reader::read(std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    if (pos_ == len_ && !fill()) break;
    const std::size_t k = std::min(n - done, len_ - pos_);
    std::memcpy(out + done, buf_ + pos_, k);
    pos_ += k;
    done += k;
  }
  offset_ += done;
  return done;
}

Result<FilePtr> open_file(const std::filesystem::path& path, const Limits& limits, std::uint64_t* size) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) return make_error("video.not_found", path.string() + ": no such file");
  if (!std::filesystem::is_regular_file(st)) return make_error("video.not_found", path.string() + ": not a regular file");
  const std::uint64_t n = std::filesystem::file_size(path, ec);
  if (ec) return make_error("video.not_found", path.string() + ": cannot read its size: " + ec.message());
  if (n > limits.max_file_bytes) {
    return make_error("video.file_too_large", path.string() + ": " + std::to_string(n) + " bytes; the limit is " +
                                                  std::to_string(limits.max_file_bytes));
  }
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) return make_error("video.not_found", path.string() + ": cannot open: " + std::strerror(errno));
  if (size) *size = n;
  return f;
}

Result<FilePtr> open_container(const std::filesystem::path& path, int channels, const Limits& limits) {
  if (channels != 1 && channels != 3) return make_error("video.invalid", "channels must be 1 or 3");
  std::uint64_t size = 0;
  auto f = open_file(path, limits, &size);
  if (!f) return f.error();
  if (size == 0) return make_error("video.empty", path.string() + ": the file is empty");
  return f;
}

Result<std::optional<Frame>> SourceBase::next() {
  if (failed_) return *failed_;
  if (done_) return std::optional<Frame>{};
  if (read_ >= limits_.max_frames) {
    // Only an error if there is another frame: a file of exactly max_frames frames is fine.
    auto more = read_frame(read_);
    if (more && !*more) {
      done_ = true;
      return std::optional<Frame>{};
    }
    failed_ = make_error("video.too_many_frames", name_ + ": more than " + std::to_string(limits_.max_frames) +
                                                      " frames (the limit)");
    return *failed_;
  }
  auto r = read_frame(read_);
  if (!r) {
    failed_ = r.error();
    return r;
  }
  if (!*r) {
    done_ = true;
    return r;
  }
  ++read_;
  return r;
}

Error SourceBase::frame_error(const std::string& code, int index, const std::string& what) const {
  return make_error(code, name_ + ": frame " + std::to_string(index) + ": " + what);
}

Result<image::Image> SourceBase::decode_image(const std::uint8_t* data, std::size_t n, int index,
                                             const std::string& label) const {
  const image::DecodeLimits dl{limits_.max_width, limits_.max_height, limits_.max_pixels};
  auto img = image::decode(std::span<const std::uint8_t>(data, n), channels_, dl);
  if (img) return img;
  const std::string code = img.error().code == "image.too_large" ? "video.too_large" : "video.corrupt";
  return frame_error(code, index, label + img.error().message);
}

}  // namespace detail

namespace {

using detail::SourceBase;

bool has_image_extension(const std::filesystem::path& p) {
  const std::string ext = ascii_lower(p.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// The frames are a list of files decided at open time; one file is read per frame.
class FolderSource final : public SourceBase {
 public:
  FolderSource(std::string name, std::vector<std::filesystem::path> files, int channels, const Limits& limits,
               std::vector<std::string> skipped)
      : SourceBase(std::move(name), channels, limits), files_(std::move(files)) {
    warnings_ = std::move(skipped);
  }

 protected:
  Result<std::optional<Frame>> read_frame(int index) override {
    if (static_cast<std::size_t>(index) >= files_.size()) return std::optional<Frame>{};
    const auto& path = files_[static_cast<std::size_t>(index)];
    const std::string file = path.filename().string();
    std::error_code ec;
    const std::uint64_t n = std::filesystem::file_size(path, ec);
    if (ec) return frame_error("video.not_found", index, file + ": cannot read its size: " + ec.message());
    if (n > limits_.max_frame_bytes || n > limits_.max_file_bytes) {
      return frame_error("video.frame_too_large", index, file + ": " + std::to_string(n) + " bytes; the limit is " +
                                                             std::to_string(std::min(limits_.max_frame_bytes,
                                                                                     limits_.max_file_bytes)));
    }
    auto data = read_file(path, n);
    if (!data) return frame_error("video.not_found", index, data.error().message);
    const auto* p = reinterpret_cast<const std::uint8_t*>(data->data());
    if (image::sniff(std::span<const std::uint8_t>(p, data->size())) == image::Format::unknown) {
      return frame_error("video.not_image", index, file + ": not a PNG or JPEG image (by its first bytes)");
    }
    auto img = decode_image(p, data->size(), index, file + ": ");
    if (!img) return img.error();
    return std::optional<Frame>{Frame{index, file, std::move(*img)}};
  }

 private:
  std::vector<std::filesystem::path> files_;
};

}  // namespace

Result<std::unique_ptr<FrameSource>> open_folder(const std::filesystem::path& dir, int channels, const Limits& limits) {
  if (channels != 1 && channels != 3) return make_error("video.invalid", "channels must be 1 or 3");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return make_error("video.not_found", dir.string() + ": no such folder");
  std::vector<std::filesystem::path> files;
  std::vector<std::string> skipped;
  std::filesystem::directory_iterator it(dir, ec), end;
  if (ec) return make_error("video.not_found", dir.string() + ": cannot list: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return make_error("video.not_found", dir.string() + ": cannot list: " + ec.message());
    const auto& p = it->path();
    const std::string fname = p.filename().string();
    std::error_code e2;
    if (it->is_directory(e2)) continue;
    if (fname.empty() || fname[0] == '.' || !has_image_extension(p)) {
      skipped.push_back(dir.string() + ": skipped " + fname + " (not a .png/.jpg/.jpeg file)");
      continue;
    }
    files.push_back(p);
    // Listing stops early: a folder with millions of files must not be listed into memory.
    if (files.size() > static_cast<std::size_t>(limits.max_frames)) {
      return make_error("video.too_many_frames", dir.string() + ": more than " + std::to_string(limits.max_frames) +
                                                     " image files (the limit)");
    }
  }
  if (files.empty()) {
    return make_error("video.empty", dir.string() + ": no PNG or JPEG files" +
                                         (skipped.empty() ? std::string() : " (" + std::to_string(skipped.size()) +
                                                                                " other files skipped)"));
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename().string() < b.filename().string(); });
  return std::unique_ptr<FrameSource>(
      std::make_unique<FolderSource>(dir.string(), std::move(files), channels, limits, std::move(skipped)));
}

Result<std::unique_ptr<FrameSource>> open_source(const std::filesystem::path& path, int channels, const Limits& limits) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return open_folder(path, channels, limits);
  std::uint64_t size = 0;
  auto f = detail::open_file(path, limits, &size);
  if (!f) return f.error();
  if (size == 0) return make_error("video.empty", path.string() + ": the file is empty");
  std::uint8_t head[10] = {};
  const std::size_t n = std::fread(head, 1, sizeof head, f->get());
  const std::span<const std::uint8_t> h(head, n);
  if (n == sizeof head && std::memcmp(head, "YUV4MPEG2 ", 10) == 0) return open_y4m(path, channels, limits);
  if (n >= 2 && head[0] == '-' && head[1] == '-') return open_mjpeg(path, channels, limits);
  if (image::sniff(h) == image::Format::jpeg) return open_mjpeg(path, channels, limits);
  if (image::sniff(h) == image::Format::png) {
    if (channels != 1 && channels != 3) return make_error("video.invalid", "channels must be 1 or 3");
    return std::unique_ptr<FrameSource>(std::make_unique<FolderSource>(
        path.string(), std::vector<std::filesystem::path>{path}, channels, limits, std::vector<std::string>{}));
  }
  return make_error("video.unknown_format", path.string() +
                                                ": not a frame source (a folder, an MJPEG, a Y4M file or a PNG/JPEG "
                                                "image by its first bytes)");
}

namespace {

class FolderWriter final : public FrameWriter {
 public:
  FolderWriter(std::filesystem::path dir, int quality) : dir_(std::move(dir)), quality_(quality) {}
  Status write(const image::Image& frame) override {
    auto bytes = quality_ <= 0 ? image::encode_png(frame) : image::encode_jpeg(frame, quality_);
    if (!bytes) return make_error("video.invalid", dir_.string() + ": frame " + std::to_string(n_) + ": " +
                                                       bytes.error().message);
    char name[32];
    std::snprintf(name, sizeof name, "frame-%05d.%s", n_, quality_ <= 0 ? "png" : "jpg");
    if (auto st = write_file(dir_ / name, as_view(*bytes)); !st) return make_error("video.io", st.error().message);
    ++n_;
    return {};
  }
  Status close() override { return {}; }
  int frames_written() const override { return n_; }

 private:
  std::filesystem::path dir_;
  int quality_;
  int n_ = 0;
};

}  // namespace

Result<std::unique_ptr<FrameWriter>> create_folder(const std::filesystem::path& dir, int quality) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return make_error("video.io", dir.string() + ": cannot create the folder: " + ec.message());
  }
  return std::unique_ptr<FrameWriter>(std::make_unique<FolderWriter>(dir, std::min(quality, 100)));
}

}  // namespace gosdoki::video
