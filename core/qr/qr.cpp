#include "core/qr/qr.hpp"

#include <qrencode.h>

// ZXing stays inside this file: 2.x renamed DecodeHints to ReaderOptions, so this is the one
// place to adapt.
#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace gosdoki::qr {
namespace {

constexpr int kMaxRenderSide = 16384;  // keeps width * module_px far from int overflow

struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

std::string describe(const ZXing::Result& r) {  // where a code is, for messages
  const auto c = ZXing::Center(r.position());
  return "at (" + std::to_string(c.x) + "," + std::to_string(c.y) + ")";
}

}  // namespace

Result<image::Image> render(std::string_view payload, const RenderOptions& options) {
  QRecLevel level;
  switch (options.ec_level) {
    case 'L': case 'l': level = QR_ECLEVEL_L; break;
    case 'M': case 'm': level = QR_ECLEVEL_M; break;
    case 'Q': case 'q': level = QR_ECLEVEL_Q; break;
    case 'H': case 'h': level = QR_ECLEVEL_H; break;
    default:
      return make_error("qr.invalid_argument",
                        std::string("render: error correction level must be L, M, Q or H, got '") +
                            options.ec_level + "'");
  }
  if (options.module_px < 1 || options.module_px > 64 || options.quiet_modules < 0 || options.quiet_modules > 64) {
    return make_error("qr.invalid_argument", "render: module_px must be 1..64 and quiet_modules 0..64, got " +
                                                 std::to_string(options.module_px) + " and " +
                                                 std::to_string(options.quiet_modules));
  }
  if (payload.empty()) return make_error("qr.invalid_argument", "render: the payload is empty");
  if (payload.size() > 7089) {
    return make_error("qr.too_long", "render: payload of " + std::to_string(payload.size()) +
                                         " bytes does not fit in any QR version");
  }
  errno = 0;
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeData(static_cast<int>(payload.size()),
                                                         reinterpret_cast<const unsigned char*>(payload.data()),
                                                         0 /* smallest version that fits */, level));
  if (!code) {
    const int err = errno;
    if (err == ERANGE) {
      return make_error("qr.too_long", "render: payload of " + std::to_string(payload.size()) +
                                           " bytes does not fit in a QR code at EC level " + options.ec_level);
    }
    return make_error("qr.encode", std::string("render: libqrencode failed: ") + std::strerror(err));
  }
  const int modules = code->width;
  const int side_modules = modules + 2 * options.quiet_modules;
  if (side_modules > kMaxRenderSide / options.module_px) {
    return make_error("qr.invalid_argument", "render: image would be larger than " + std::to_string(kMaxRenderSide) +
                                                 " pixels per side; lower module_px");
  }
  const int px = options.module_px;
  const int side = side_modules * px;
  image::Image img = image::make(side, side, 1, 255);
  const int offset = options.quiet_modules * px;
  for (int my = 0; my < modules; ++my) {
    for (int mx = 0; mx < modules; ++mx) {
      if ((code->data[my * modules + mx] & 1) == 0) continue;
      for (int y = 0; y < px; ++y) {
        std::uint8_t* row = img.row(offset + my * px + y) + offset + mx * px;
        std::memset(row, 0, static_cast<std::size_t>(px));
      }
    }
  }
  return img;
}

namespace {
Result<std::string> decode_once(const image::Image& img, const DecodeOptions& options);
}  // namespace

Result<std::string> decode(const image::Image& img, const DecodeOptions& options) {
  auto r = decode_once(img, options);
  if (r || r.error().code != "qr.not_found" || img.empty()) return r;
  // Some screens show the code light-on-dark; ZXing 1.4 looks for dark-on-light only.
  image::Image inverted = img;
  for (auto& p : inverted.pixels) p = static_cast<std::uint8_t>(255 - p);
  auto again = decode_once(inverted, options);
  return again ? again : r;
}

namespace {
Result<std::string> decode_once(const image::Image& img, const DecodeOptions& options) {
  if (img.empty() || (img.channels != 1 && img.channels != 3) ||
      img.pixels.size() != static_cast<std::size_t>(img.width) * img.height * img.channels) {
    return make_error("qr.not_found", "decode: the image is empty or its pixel buffer is inconsistent (" +
                                          std::to_string(img.width) + "x" + std::to_string(img.height) + "x" +
                                          std::to_string(img.channels) + ")");
  }
  ZXing::ImageView view(img.pixels.data(), img.width, img.height,
                        img.channels == 1 ? ZXing::ImageFormat::Lum : ZXing::ImageFormat::RGB);
  auto hints = ZXing::DecodeHints()
                   .setFormats(ZXing::BarcodeFormat::QRCode)
                   .setTryHarder(options.try_harder)
                   .setTryRotate(options.try_rotate)
                   .setReturnErrors(true);
  auto read = [&](const ZXing::DecodeHints& h, ZXing::Results& out) -> Status {
    try {
      out = ZXing::ReadBarcodes(view, h);
    } catch (const std::exception& e) {  // ZXing should not throw, but nothing may escape a module
      return make_error("qr.unreadable", std::string("decode: ZXing failed: ") + e.what());
    }
    return {};
  };
  ZXing::Results results;
  if (auto st = read(hints, results); !st) return st.error();
  std::vector<const ZXing::Result*> valid;
  const ZXing::Result* broken = nullptr;
  for (const auto& r : results) {
    if (r.isValid() && r.format() == ZXing::BarcodeFormat::QRCode) valid.push_back(&r);
    else if (r.error() && !broken) broken = &r;
  }
  // ZXing 1.4 returns decoding errors of located symbols only from its "pure" reader (a flat,
  // axis-aligned code such as a screenshot); ask it when the full search found nothing.
  ZXing::Results pure;
  if (valid.empty() && !broken) {
    if (auto st = read(ZXing::DecodeHints(hints).setIsPure(true), pure); !st) return st.error();
    for (const auto& r : pure) {
      if (r.isValid() && r.format() == ZXing::BarcodeFormat::QRCode) valid.push_back(&r);
      else if (r.error() && !broken) broken = &r;
    }
  }
  if (valid.size() > 1) {
    std::string where;
    for (const auto* r : valid) where += (where.empty() ? "" : ", ") + describe(*r);
    return make_error("qr.several", "decode: " + std::to_string(valid.size()) + " QR codes in the image (" + where +
                                        "); show exactly one");
  }
  if (valid.size() == 1) {
    const auto& bytes = valid.front()->bytes();  // raw content, no character set conversion
    return std::string(bytes.begin(), bytes.end());
  }
  if (broken) {
    return make_error("qr.unreadable", "decode: a QR code was found but could not be read (" +
                                           ZXing::ToString(broken->error()) +
                                           "); hold it flat, closer and in even light, or refresh it");
  }
  return make_error("qr.not_found", "decode: no QR code in the " + std::to_string(img.width) + "x" +
                                        std::to_string(img.height) + " image");
}
}  // namespace

}  // namespace gosdoki::qr
