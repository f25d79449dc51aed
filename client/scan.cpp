#include "client/scan.hpp"

#include "core/image/image.hpp"
#include "core/qr/qr.hpp"

namespace gosdoki::client {

Result<Bytes> scan_qr_bytes(const Bytes& bytes, const std::string& what) {
  auto fmt = image::sniff(bytes);
  if (fmt == image::Format::unknown) {
    return make_error("scan.not_image", what + ": not a PNG or JPEG image");
  }
  auto img = image::decode(bytes, 1);
  if (!img) return make_error(img.error().code, what + ": " + img.error().message);
  auto text = qr::decode(*img);
  if (!text) return make_error(text.error().code, what + ": " + text.error().message);
  return Bytes(text->begin(), text->end());
}

Result<Bytes> scan_qr_file(const std::filesystem::path& path) {
  auto data = read_file(path, 64u << 20);
  if (!data) return data.error();
  return scan_qr_bytes(Bytes(data->begin(), data->end()), path.string());
}

Result<Bytes> read_face_file(const std::filesystem::path& path) {
  auto data = read_file(path, 64u << 20);
  if (!data) return data.error();
  Bytes b(data->begin(), data->end());
  if (image::sniff(b) == image::Format::unknown) {
    return make_error("scan.not_image", path.string() + ": not a PNG or JPEG image");
  }
  auto info = image::probe(b);
  if (!info) return make_error(info.error().code, path.string() + ": " + info.error().message);
  return b;
}

}  // namespace gosdoki::client
