// The six bad inputs of issue 5 at the two places that take images from outside: the ИС's QR
// scanner and ЕПГУ's face check. Each gives its own clear error; none crashes or allocates the
// 20000×20000 picture its header claims.
#include <gtest/gtest.h>

#include "client/scan.hpp"
#include "core/image/image.hpp"
#include "core/qr/qr.hpp"
#include "core/time/datetime.hpp"
#include "emulator/emulator.hpp"
#include "emulator/epgu/provider.hpp"
#include "tests/support/bad_images.hpp"
#include "tests/support/fixtures.hpp"

namespace gosdoki {
namespace {

Bytes qr_png(const std::string& text) { return *image::encode_png(*qr::render(text)); }

Bytes qr_jpeg(const std::string& text) { return *image::encode_jpeg(image::to_grey(*qr::render(text)), 90); }

Bytes two_codes() {
  auto a = *qr::render("GQR1.M.first.code");
  auto b = *qr::render("GQR1.M.second.code");
  image::Image both = image::make(a.width + b.width, std::max(a.height, b.height), 1, 255);
  for (int y = 0; y < a.height; ++y) std::copy(a.row(y), a.row(y) + a.width, both.row(y));
  for (int y = 0; y < b.height; ++y) std::copy(b.row(y), b.row(y) + b.width, both.row(y) + a.width);
  return *image::encode_png(both);
}

struct BadInput {
  std::string what;
  Bytes bytes;
  std::string scan_code;  // what the scanner says
};

std::vector<BadInput> bad_inputs() {
  const Bytes jpeg = qr_jpeg("GQR1.M.some.token");
  std::string text = "name,qr\npetrov,GQR1.M.x.y\n";
  return {
      {"a text file", Bytes(text.begin(), text.end()), "scan.not_image"},
      {"a truncated JPEG", Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2)), "image.corrupt"},
      {"a 1x1 image", *image::encode_png(image::make(1, 1, 1, 255)), "qr.not_found"},
      {"a 20000x20000 header", testkit::huge_png_header(20000, 20000), "image.too_large"},
      {"an animated PNG", testkit::animated_png(qr_png("GQR1.M.some.token")), "image.unsupported"},
      {"two QR codes", two_codes(), "qr.several"},
  };
}

TEST(BadInputs, TheScannerNamesWhatIsWrongWithEachImage) {
  for (const auto& b : bad_inputs()) {
    auto r = client::scan_qr_bytes(b.bytes, "camera.png");
    ASSERT_FALSE(r) << b.what;
    EXPECT_EQ(r.error().code, b.scan_code) << b.what << ": " << r.error().message;
    EXPECT_EQ(r.error().message.rfind("camera.png: ", 0), 0u) << "the message names the file: " << r.error().message;
  }
  // And the good one still reads.
  auto ok = client::scan_qr_bytes(qr_png("GQR1.M.some.token"), "camera.png");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(std::string(ok->begin(), ok->end()), "GQR1.M.some.token");
}

TEST(BadInputs, EpguRefusesEachAsFaceImageInvalidAndKeepsTheQr) {
  auto emu = emulator::Emulator::start(testkit::fixtures().world, {});
  ASSERT_TRUE(emu) << emu.error().message;
  auto issued = (*emu)->issue_qr("petrov-p");
  ASSERT_TRUE(issued);
  const auto* org = testkit::fixtures().organisation("hotel-sever");
  ASSERT_NE(org, nullptr);
  auto request = [&](Bytes face) {
    gosqr::CheckRequest r;
    r.timestamp = format_datetime((*emu)->clock().now());
    r.qr_code = Bytes(issued->first.token.begin(), issued->first.token.end());
    r.face_image = std::move(face);
    r.face_image_captured_at = r.timestamp;
    r.purpose = "HOTEL";
    r.organization = gosqr::Organization{org->org.ogrn, org->org.inn, std::nullopt, org->org.name};
    r.point_of_service = org->point_of_service;
    return r;
  };
  const emulator::CheckContext ctx{org->org.mnemonic, "smev3", false, std::nullopt};
  // Padded past the 20 KB floor, so the image checks are what refuse them, not the size.
  struct Face {
    std::string what;
    Bytes bytes;
    std::string says;
  };
  const Bytes face = *harness::load_face(testkit::fixture_source(), testkit::fixtures(), "petrov-p", "office-light");
  std::string text(30000, 'x');
  const std::vector<Face> faces{
      {"a text file", Bytes(text.begin(), text.end()), "формат unknown"},
      {"a truncated JPEG", Bytes(face.begin(), face.begin() + static_cast<std::ptrdiff_t>(face.size() * 6 / 10)), "не декодируется"},
      {"a 1x1 image", testkit::padded_png(*image::encode_png(image::make(1, 1, 3, 200)), 25000), "1×1 меньше 480×640"},
      {"a 20000x20000 header", testkit::huge_png_header(20000, 20000, 25000), "20000x20000"},
      {"an animated PNG", testkit::animated_png(testkit::padded_png(*image::encode_png(image::make(480, 640, 3, 90)), 25000)),
       "не декодируется"},
  };
  for (const auto& f : faces) {
    ASSERT_GE(f.bytes.size(), 20000u) << f.what;
    auto o = (*emu)->provider().check(request(f.bytes), ctx);
    EXPECT_EQ(o.result_code, "FACE_IMAGE_INVALID") << f.what << ": " << o.detail;
    EXPECT_NE(o.detail.find(f.says), std::string::npos) << f.what << ": " << o.detail;
  }
  // None of them used the QR up: the real photo still gets through.
  auto good = (*emu)->provider().check(request(face), ctx);
  EXPECT_EQ(good.result_code, "OK") << good.detail;
}

}  // namespace
}  // namespace gosdoki
