#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/face/face.hpp"
#include "core/image/image.hpp"
#include "core/qr/qr.hpp"

using namespace gosdoki;

namespace {

// A token shaped like the wallet's: "GQR1.M." + 22 base64url chars (16 bytes) + "." + 43 chars
// (32 bytes).
std::string token() {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return "GQR1.M." + alphabet.substr(3, 22) + "." + alphabet.substr(17, 43);
}

// Deterministic noise in [-amp, amp] (a 32-bit LCG, independent of the library's generators).
void add_noise(image::Image& img, int amp, std::uint32_t seed) {
  for (auto& p : img.pixels) {
    seed = seed * 1664525u + 1013904223u;
    const int n = static_cast<int>((seed >> 16) % static_cast<std::uint32_t>(2 * amp + 1)) - amp;
    p = static_cast<std::uint8_t>(std::clamp(int(p) + n, 0, 255));
  }
}

void paste(image::Image& dst, const image::Image& src, int ox, int oy) {
  for (int y = 0; y < src.height; ++y)
    for (int x = 0; x < src.width; ++x) dst.row(oy + y)[ox + x] = src.row(y)[x];
}

}  // namespace

TEST(Qr, RenderDecodeRoundTrip) {
  const std::string t = token();
  ASSERT_EQ(t.size(), 7u + 22 + 1 + 43);
  auto img = qr::render(t);
  ASSERT_TRUE(img) << img.error().message;
  EXPECT_EQ(img->channels, 1);
  EXPECT_EQ(img->width, img->height);
  // Side = (modules + 2 · 4 quiet) · 8 px, and a QR symbol has 4·version + 17 modules.
  ASSERT_EQ(img->width % 8, 0);
  const int modules = img->width / 8 - 8;
  EXPECT_EQ((modules - 17) % 4, 0);
  EXPECT_GE(modules, 21);
  // The quiet zone is white and the top-left finder's corner module is black.
  for (int x = 0; x < img->width; ++x) ASSERT_EQ(img->row(0)[x], 255);
  for (int y = 0; y < 32; ++y) ASSERT_EQ(img->row(y)[5], 255);
  EXPECT_EQ(img->row(32)[32], 0);
  EXPECT_EQ(img->row(39)[39], 0);
  auto back = qr::decode(*img);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, t);
}

TEST(Qr, OptionsShapeTheImage) {
  const std::string t = token();
  auto small = qr::render(t, {2, 1, 'L'});
  auto big = qr::render(t, {8, 4, 'H'});
  ASSERT_TRUE(small && big);
  EXPECT_LT(small->width, big->width);
  for (char level : {'L', 'M', 'Q', 'H'}) {
    auto img = qr::render(t, {4, 4, level});
    ASSERT_TRUE(img) << level;
    auto back = qr::decode(*img);
    ASSERT_TRUE(back) << level << ": " << back.error().message;
    EXPECT_EQ(*back, t);
  }
  EXPECT_FALSE(qr::render(t, {8, 4, 'X'}));
  EXPECT_FALSE(qr::render(t, {0, 4, 'M'}));
  EXPECT_FALSE(qr::render(""));
  auto too_long = qr::render(std::string(3000, 'x'), {1, 4, 'H'});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, "qr.too_long");
}

TEST(Qr, BytesComeBackExactly) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string cyrillic = "Привет, ГосДоки — 2024";
  for (const std::string& payload : {all, cyrillic, std::string("a\0b", 3)}) {
    auto img = qr::render(payload);
    ASSERT_TRUE(img);
    auto back = qr::decode(*img);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, payload);
  }
}

TEST(Qr, SmallNoisyCodeInALargerFrameDecodes) {
  const std::string t = token();
  const image::Image code = *qr::render(t);
  // 40 %: modules of 3.2 px, resampled, inside a grey 600×600 frame, with noise, then JPEG.
  const image::Image scaled = image::resize(code, code.width * 2 / 5, code.height * 2 / 5);
  image::Image frame = image::make(600, 600, 1, 170);
  paste(frame, scaled, 130, 170);
  add_noise(frame, 30, 7);
  auto back = qr::decode(frame);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, t);
  auto jpeg = image::decode(*image::encode_jpeg(frame, 60), 1);
  ASSERT_TRUE(jpeg);
  auto again = qr::decode(*jpeg);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, t);
  // The same frame in colour.
  image::Image rgb = image::make(600, 600, 3);
  for (std::size_t i = 0; i < frame.pixels.size(); ++i)
    for (int c = 0; c < 3; ++c) rgb.pixels[3 * i + c] = frame.pixels[i];
  auto colour = qr::decode(rgb);
  ASSERT_TRUE(colour) << colour.error().message;
  EXPECT_EQ(*colour, t);
}

TEST(Qr, BlankAndNonQrImagesAreNotFound) {
  auto blank = qr::decode(image::make(400, 400, 1, 255));
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().code, "qr.not_found");
  image::Image noise = image::make(300, 300, 1, 128);
  add_noise(noise, 100, 3);
  auto n = qr::decode(noise);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, "qr.not_found");
  const auto face = face::render_face(face::random_face(3), face::standard_variants(3)[0]);
  auto f = qr::decode(face);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "qr.not_found");
  auto empty = qr::decode(image::Image{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "qr.not_found");
}

TEST(Qr, TwoCodesAreSeveral) {
  const image::Image a = *qr::render("GQR1.M.first");
  const image::Image b = *qr::render("GQR1.M.second-code");
  image::Image both = image::make(a.width + b.width + 40, std::max(a.height, b.height) + 40, 1, 255);
  paste(both, a, 20, 20);
  paste(both, b, a.width + 20, 20);
  auto r = qr::decode(both);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "qr.several");
}

TEST(Qr, DamagedCodeIsUnreadable) {
  // EC level L corrects about 7 % of codewords; flipping ~20 % of the data modules (finders,
  // timing and format areas kept) leaves a symbol that is found but cannot be corrected.
  image::Image img = *qr::render(token(), {8, 4, 'L'});
  const int modules = img.width / 8 - 8;
  std::uint32_t seed = 12345;
  for (int my = 9; my < modules - 9; ++my)
    for (int mx = 9; mx < modules - 9; ++mx) {
      seed = seed * 1664525u + 1013904223u;
      if ((seed >> 16) % 100 >= 20) continue;
      for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
          std::uint8_t& p = img.row((my + 4) * 8 + y)[(mx + 4) * 8 + x];
          p = static_cast<std::uint8_t>(255 - p);
        }
    }
  auto r = qr::decode(img);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "qr.unreadable") << r.error().message;
}

TEST(Qr, InvertedCodeIsReadToo) {
  auto img = gosdoki::qr::render("GQR1.M.inverted-light-on-dark");
  ASSERT_TRUE(img);
  for (auto& p : img->pixels) p = static_cast<std::uint8_t>(255 - p);
  auto text = gosdoki::qr::decode(*img);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "GQR1.M.inverted-light-on-dark");
}
