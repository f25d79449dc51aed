#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/image/image.hpp"
#include "tests/support/bad_images.hpp"

using namespace gosdoki;
using namespace gosdoki::image;

namespace {

using testkit::ihdr;
using testkit::png_signature;
using testkit::put_be32;
using testkit::put_chunk;

Image pattern(int w, int h, int channels) {
  Image img = make(w, h, channels);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        img.row(y)[x * channels + c] = static_cast<std::uint8_t>((x * 37 + y * 11 + c * 80) % 256);
  return img;
}

Image smooth(int w, int h) {  // gentle gradients, which JPEG keeps well
  Image img = make(w, h, 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = img.row(y) + 3 * x;
      p[0] = static_cast<std::uint8_t>(40 + 150 * x / w);
      p[1] = static_cast<std::uint8_t>(60 + 120 * y / h);
      p[2] = 128;
    }
  return img;
}

// JPEG with APP1 Exif inserted right after SOI, orientation tag 0x0112 = `orientation`.
Bytes with_exif_orientation(const Bytes& jpeg, int orientation, bool little_endian) {
  Bytes tiff;
  auto u16 = [&](std::uint16_t v) {
    const std::uint8_t hi = static_cast<std::uint8_t>(v >> 8), lo = static_cast<std::uint8_t>(v);
    if (little_endian) tiff.insert(tiff.end(), {lo, hi}); else tiff.insert(tiff.end(), {hi, lo});
  };
  auto u32 = [&](std::uint32_t v) {
    if (little_endian) u16(static_cast<std::uint16_t>(v)), u16(static_cast<std::uint16_t>(v >> 16));
    else u16(static_cast<std::uint16_t>(v >> 16)), u16(static_cast<std::uint16_t>(v));
  };
  tiff.insert(tiff.end(), little_endian ? std::initializer_list<std::uint8_t>{'I', 'I'}
                                        : std::initializer_list<std::uint8_t>{'M', 'M'});
  u16(42);
  u32(8);       // IFD0 right after the header
  u16(1);       // one entry
  u16(0x0112);  // Orientation
  u16(3);       // SHORT
  u32(1);       // count
  u16(static_cast<std::uint16_t>(orientation));  // the value sits in the first half of the field
  u16(0);
  u32(0);  // no next IFD
  Bytes seg = {'E', 'x', 'i', 'f', 0, 0};
  seg.insert(seg.end(), tiff.begin(), tiff.end());
  const std::size_t len = seg.size() + 2;
  Bytes out = {0xFF, 0xD8, 0xFF, 0xE1, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
  out.insert(out.end(), seg.begin(), seg.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

double mean_abs_diff(const Image& a, const Image& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / static_cast<double>(a.pixels.size());
}

}  // namespace

TEST(Image, SniffsByMagicBytes) {
  const Bytes png = png_signature();
  const Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xE0};
  const std::string gif = "GIF89a....";
  EXPECT_EQ(sniff(png), Format::png);
  EXPECT_EQ(sniff(jpeg), Format::jpeg);
  EXPECT_EQ(sniff(as_bytes(gif)), Format::unknown);
  EXPECT_EQ(sniff({}), Format::unknown);
  EXPECT_EQ(sniff(Bytes{0xFF, 0xD8}), Format::unknown);  // too short to be sure
  EXPECT_STREQ(format_name(Format::png), "PNG");
  EXPECT_STREQ(format_name(Format::jpeg), "JPEG");
  EXPECT_STREQ(format_name(Format::unknown), "unknown");
}

TEST(Image, PngRoundTripIsExact) {
  for (int channels : {1, 3}) {
    const Image src = pattern(37, 23, channels);
    auto png = encode_png(src);
    ASSERT_TRUE(png) << png.error().message;
    EXPECT_EQ(sniff(*png), Format::png);
    auto info = probe(*png);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->format, Format::png);
    EXPECT_EQ(info->width, 37);
    EXPECT_EQ(info->height, 23);
    auto back = decode(*png, channels);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->width, 37);
    EXPECT_EQ(back->height, 23);
    EXPECT_EQ(back->channels, channels);
    EXPECT_EQ(back->pixels, src.pixels);
  }
}

TEST(Image, PngDecodesToTheOtherChannelCount) {
  const Image rgb = pattern(16, 9, 3);
  auto grey = decode(*encode_png(rgb), 1);
  ASSERT_TRUE(grey);
  EXPECT_EQ(grey->pixels, to_grey(rgb).pixels);
  const Image g = pattern(5, 4, 1);
  auto expanded = decode(*encode_png(g), 3);
  ASSERT_TRUE(expanded);
  ASSERT_EQ(expanded->channels, 3);
  for (std::size_t i = 0; i < g.pixels.size(); ++i) {
    EXPECT_EQ(expanded->pixels[3 * i], g.pixels[i]);
    EXPECT_EQ(expanded->pixels[3 * i + 2], g.pixels[i]);
  }
}

TEST(Image, JpegRoundTripWithinTolerance) {
  const Image src = smooth(64, 48);
  auto jpeg = encode_jpeg(src, 95);
  ASSERT_TRUE(jpeg) << jpeg.error().message;
  EXPECT_EQ(sniff(*jpeg), Format::jpeg);
  auto back = decode(*jpeg, 3);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->width, 64);
  EXPECT_EQ(back->height, 48);
  EXPECT_LT(mean_abs_diff(*back, src), 3.0);
  auto grey = decode(*jpeg, 1);
  ASSERT_TRUE(grey);
  EXPECT_EQ(grey->channels, 1);
  EXPECT_LT(mean_abs_diff(*grey, to_grey(src)), 3.0);
  // Lower quality gives a smaller file.
  EXPECT_LT(encode_jpeg(src, 30)->size(), jpeg->size());
}

TEST(Image, OnePixelImagesDecode) {
  Image one = make(1, 1, 3);
  one.pixels = {200, 100, 50};
  auto png = decode(*encode_png(one), 3);
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(png->pixels, one.pixels);
  auto jpeg = decode(*encode_jpeg(one, 100), 3);
  ASSERT_TRUE(jpeg) << jpeg.error().message;
  EXPECT_EQ(jpeg->width, 1);
  EXPECT_EQ(jpeg->height, 1);
  EXPECT_NEAR(jpeg->pixels[0], 200, 12);
  EXPECT_NEAR(jpeg->pixels[2], 50, 12);
}

TEST(Image, HugePngHeaderIsRefusedFromTheHeader) {
  // Signature + IHDR claiming 20000×20000 (1.2 GB of RGB), then IDAT-less end: a decoder that
  // allocated first or read on would fail differently (or run out of memory).
  Bytes png = png_signature();
  put_chunk(png, "IHDR", ihdr(20000, 20000));
  auto info = probe(png);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, "image.too_large");
  EXPECT_NE(info.error().message.find("20000x20000"), std::string::npos) << info.error().message;
  put_chunk(png, "IDAT", Bytes{0x78, 0x9C});
  auto img = decode(png, 3);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code, "image.too_large");
  // The same header within raised limits is probed fine.
  DecodeLimits big;
  big.max_width = big.max_height = 30000;
  big.max_pixels = 500'000'000;
  auto ok = probe(png, big);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->width, 20000);
  // And a small custom limit applies to a small picture.
  DecodeLimits tiny;
  tiny.max_pixels = 100;
  auto refused = decode(*encode_png(pattern(11, 10, 3)), 3, tiny);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "image.too_large");
}

TEST(Image, HugeJpegHeaderIsRefused) {
  Bytes jpeg = *encode_jpeg(smooth(16, 16), 90);
  // Patch the baseline SOF0 frame header: FF C0, length(2), precision(1), height(2), width(2).
  std::size_t sof = 0;
  for (std::size_t i = 2; i + 9 < jpeg.size(); ++i)
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) { sof = i; break; }
  ASSERT_NE(sof, 0u);
  const std::uint16_t n = 20000;
  jpeg[sof + 5] = jpeg[sof + 7] = static_cast<std::uint8_t>(n >> 8);
  jpeg[sof + 6] = jpeg[sof + 8] = static_cast<std::uint8_t>(n & 0xFF);
  auto info = probe(jpeg);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, "image.too_large");
  auto img = decode(jpeg, 3);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code, "image.too_large");
}

TEST(Image, TruncatedDataIsCorruptNotACrash) {
  const Bytes jpeg = *encode_jpeg(smooth(64, 64), 90);
  for (std::size_t keep : {jpeg.size() / 2, jpeg.size() - 20, std::size_t{40}, std::size_t{4}}) {
    Bytes cut(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep));
    auto img = decode(cut, 3);
    ASSERT_FALSE(img) << "kept " << keep;
    EXPECT_EQ(img.error().code, "image.corrupt") << img.error().message;
  }
  const Bytes png = *encode_png(pattern(64, 64, 3));
  for (std::size_t keep : {png.size() / 2, png.size() - 13, std::size_t{20}, std::size_t{8}}) {
    Bytes cut(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(keep));
    auto img = decode(cut, 3);
    ASSERT_FALSE(img) << "kept " << keep;
    EXPECT_EQ(img.error().code, "image.corrupt") << img.error().message;
  }
  // A flipped byte in the IHDR is caught by its CRC.
  Bytes bad = png;
  bad[18] ^= 0x01;
  auto broken = probe(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "image.corrupt");
}

TEST(Image, NonImageBytesAreUnknownFormat) {
  const std::string text = "<?xml version=\"1.0\"?><not-an-image/>";
  auto info = probe(as_bytes(text));
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, "image.unknown_format");
  auto img = decode(as_bytes(text), 3);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code, "image.unknown_format");
  EXPECT_EQ(decode({}, 1).error().code, "image.unknown_format");
}

TEST(Image, AnimatedPngIsUnsupported) {
  const Bytes still = *encode_png(pattern(8, 8, 3));
  // Insert acTL (num_frames 2, num_plays 0) right after the 33-byte signature + IHDR.
  Bytes actl;
  put_be32(actl, 2);
  put_be32(actl, 0);
  Bytes apng(still.begin(), still.begin() + 33);
  put_chunk(apng, "acTL", actl);
  apng.insert(apng.end(), still.begin() + 33, still.end());
  ASSERT_TRUE(probe(apng));  // the header itself is fine
  auto img = decode(apng, 3);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code, "image.unsupported");
}

TEST(Image, ExifOrientationIsApplied) {
  // 32×16: left half black, right half white.
  Image src = make(32, 16, 3, 0);
  for (int y = 0; y < 16; ++y)
    for (int x = 16; x < 32; ++x) src.row(y)[3 * x] = src.row(y)[3 * x + 1] = src.row(y)[3 * x + 2] = 255;
  const Bytes jpeg = *encode_jpeg(src, 95);
  auto lum = [](const Image& img, int x, int y) { return int(img.row(y)[x * img.channels]); };
  for (bool le : {true, false}) {
    // 6: rotate 90° clockwise to display. The stored left edge becomes the top.
    const Bytes rot6 = with_exif_orientation(jpeg, 6, le);
    auto info = probe(rot6);
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->width, 16);
    EXPECT_EQ(info->height, 32);
    auto img = decode(rot6, 3);
    ASSERT_TRUE(img) << img.error().message;
    ASSERT_EQ(img->width, 16);
    ASSERT_EQ(img->height, 32);
    EXPECT_LT(lum(*img, 8, 4), 40) << (le ? "II" : "MM");
    EXPECT_GT(lum(*img, 8, 28), 215);
    // 8: rotate 90° counter-clockwise: the stored left edge becomes the bottom.
    auto img8 = decode(with_exif_orientation(jpeg, 8, le), 1);
    ASSERT_TRUE(img8);
    EXPECT_GT(lum(*img8, 8, 4), 215);
    EXPECT_LT(lum(*img8, 8, 28), 40);
    // 3: rotate 180°: black moves to the right; 2: mirror, the same here.
    for (int o : {2, 3}) {
      auto flipped = decode(with_exif_orientation(jpeg, o, le), 3);
      ASSERT_TRUE(flipped);
      EXPECT_EQ(flipped->width, 32);
      EXPECT_GT(lum(*flipped, 4, 8), 215) << o;
      EXPECT_LT(lum(*flipped, 28, 8), 40) << o;
    }
    // 1 and out-of-range values leave the picture as stored.
    for (int o : {1, 9}) {
      auto same = decode(with_exif_orientation(jpeg, o, le), 3);
      ASSERT_TRUE(same);
      EXPECT_LT(lum(*same, 4, 8), 40) << o;
    }
  }
  // Exif that points outside its segment is ignored (no out-of-bounds read). The TIFF header
  // starts at byte 12 (SOI, APP1 marker, length, "Exif\0\0"); fields are little-endian.
  Bytes far_ifd = with_exif_orientation(jpeg, 6, true);
  far_ifd[16] = far_ifd[17] = 0xFF;  // IFD0 offset past the end of the segment
  // An entry count larger than the segment holds, and the first entry is not the orientation:
  // the walk must stop at the end of the segment.
  Bytes many = with_exif_orientation(jpeg, 6, true);
  many[20] = many[21] = 0xFF;
  many[22] = 0x00, many[23] = 0x01;  // tag 0x0100 (ImageWidth)
  for (const Bytes* broken : {&far_ifd, &many}) {
    auto img = decode(*broken, 3);
    ASSERT_TRUE(img) << img.error().message;
    EXPECT_EQ(img->width, 32);
  }
}

TEST(Image, GreyUsesRec601Luma) {
  Image img = make(5, 1, 3);
  img.pixels = {0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 0, 10, 20, 200};
  const Image g = to_grey(img);
  ASSERT_EQ(g.channels, 1);
  ASSERT_EQ(g.pixels.size(), 5u);
  EXPECT_EQ(g.pixels[0], 0);
  EXPECT_EQ(g.pixels[1], 255);
  for (int i = 2; i < 5; ++i) {
    const std::uint8_t* p = &img.pixels[3 * i];
    const double y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    EXPECT_NEAR(g.pixels[i], y, 1.0) << i;
  }
  EXPECT_EQ(to_grey(g).pixels, g.pixels);
}

TEST(Image, BilinearResize) {
  Image two = make(2, 1, 1);
  two.pixels = {0, 255};
  // Pixel centres 0.5, 1.5, 2.5, 3.5 map to source x = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
  const Image four = resize(two, 4, 1);
  ASSERT_EQ(four.width, 4);
  EXPECT_EQ(four.pixels, (std::vector<std::uint8_t>{0, 64, 191, 255}));
  const Image flat = resize(make(10, 10, 3, 77), 3, 7);
  ASSERT_EQ(flat.pixels.size(), 3u * 7 * 3);
  for (auto v : flat.pixels) EXPECT_EQ(v, 77);
  EXPECT_TRUE(resize(Image{}, 4, 4).empty());
}

TEST(Image, EncodingRefusesInconsistentImages) {
  Image bad = make(4, 4, 3);
  bad.pixels.resize(10);
  EXPECT_FALSE(encode_png(bad));
  EXPECT_FALSE(encode_jpeg(bad));
  EXPECT_FALSE(encode_png(Image{}));
  EXPECT_TRUE(make(0, 5, 3).empty());
}
