// core/video: readers round-trip with the writers; every bad input gives its own error code and
// names the file, the frame (and for Y4M the header field); the limits hold.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "core/util/bytes.hpp"
#include "core/video/video.hpp"

using namespace gosdoki;
using namespace gosdoki::video;

namespace {

std::filesystem::path tmp(const std::string& name) {
  static const auto dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("gosdoki-video-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir / name;
}

image::Image smooth(int w, int h, int k) {  // gentle gradients that JPEG and 4:2:0 keep well
  image::Image img = image::make(w, h, 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = img.row(y) + 3 * x;
      p[0] = static_cast<std::uint8_t>(40 + (x * 150) / w + k * 5);
      p[1] = static_cast<std::uint8_t>(60 + (y * 120) / h);
      p[2] = static_cast<std::uint8_t>(200 - (x + y) * 100 / (w + h));
    }
  return img;
}

double mean_abs_diff(const image::Image& a, const image::Image& b) {
  if (a.pixels.size() != b.pixels.size()) return 1e9;
  double s = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) s += std::abs(int{a.pixels[i]} - int{b.pixels[i]});
  return s / static_cast<double>(a.pixels.size());
}

void write_bytes(const std::filesystem::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

std::vector<Frame> read_all(FrameSource& src, Error* error = nullptr) {
  std::vector<Frame> out;
  for (;;) {
    auto f = src.next();
    if (!f) {
      if (error) *error = f.error();
      return out;
    }
    if (!*f) return out;
    out.push_back(std::move(**f));
  }
}

std::filesystem::path write_mjpeg(const std::string& name, int n, int w = 64, int h = 48) {
  auto path = tmp(name);
  auto wr = create_mjpeg(path, 90);
  EXPECT_TRUE(wr) << wr.error().message;
  for (int i = 0; i < n; ++i) EXPECT_TRUE((*wr)->write(smooth(w, h, i)));
  EXPECT_TRUE((*wr)->close());
  return path;
}

std::string y4m_frame_header(int w, int h, const std::string& extra = " C444") {
  return "YUV4MPEG2 W" + std::to_string(w) + " H" + std::to_string(h) + " F30:1 Ip A1:1" + extra + "\n";
}

TEST(VideoMjpeg, RoundTripsFramesAsTheirJpegDecodes) {
  auto path = write_mjpeg("round.mjpeg", 5);
  auto src = open_source(path, 3);
  ASSERT_TRUE(src) << src.error().message;
  auto frames = read_all(**src);
  ASSERT_EQ(frames.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    // The reader must give back exactly what decoding that frame's JPEG alone gives.
    auto jpeg = image::encode_jpeg(smooth(64, 48, i), 90);
    auto expect = image::decode(*jpeg, 3);
    EXPECT_EQ(frames[static_cast<std::size_t>(i)].index, i);
    EXPECT_EQ(frames[static_cast<std::size_t>(i)].image.pixels, expect->pixels) << "frame " << i;
  }
  EXPECT_EQ((*src)->frames_read(), 5);
}

TEST(VideoMjpeg, ReadsTheMultipartFormAndSkipsAThumbnailsEndMarker) {
  auto jpeg = *image::encode_jpeg(smooth(32, 32, 1), 90);
  // An APP1 segment whose payload holds FF D8 … FF D9, as an EXIF thumbnail does.
  Bytes with_thumb = {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x0E, 'E', 'x', 'i', 'f', 0, 0, 0xFF, 0xD8, 0x01, 0x02, 0xFF, 0xD9};
  with_thumb.insert(with_thumb.end(), jpeg.begin() + 2, jpeg.end());
  std::string body;
  for (const Bytes* b : {&jpeg, &with_thumb}) {
    body += "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(b->size()) + "\r\n\r\n";
    body += std::string(as_view(*b)) + "\r\n";
  }
  body += "--frame--\r\n";
  auto path = tmp("multipart.mjpeg");
  write_bytes(path, body);
  auto src = open_source(path, 1);
  ASSERT_TRUE(src) << src.error().message;
  Error err;
  auto frames = read_all(**src, &err);
  ASSERT_EQ(frames.size(), 2u) << err.message;
  EXPECT_EQ(frames[1].image.pixels, frames[0].image.pixels);
}

TEST(VideoMjpeg, TruncatedLastFrameNamesFileAndFrame) {
  auto path = write_mjpeg("trunc.mjpeg", 3);
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 200);
  auto src = open_mjpeg(path, 3);
  ASSERT_TRUE(src);
  Error err;
  auto frames = read_all(**src, &err);
  EXPECT_EQ(frames.size(), 2u);
  EXPECT_EQ(err.code, "video.truncated");
  EXPECT_NE(err.message.find(path.string() + ": frame 2: truncated"), std::string::npos) << err.message;
  // The error sticks: the source is finished.
  auto again = (*src)->next();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "video.truncated");
}

TEST(VideoMjpeg, GarbageIsRefused) {
  std::string junk(200000, '\0');
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919u + 13u) % 251u);
  auto path = tmp("garbage.bin");
  write_bytes(path, junk);
  auto any = open_source(path, 3);
  ASSERT_FALSE(any);
  EXPECT_EQ(any.error().code, "video.unknown_format");
  auto m = open_mjpeg(path, 3);
  ASSERT_TRUE(m);
  auto f = (*m)->next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "video.corrupt");
  EXPECT_NE(f.error().message.find("frame 0"), std::string::npos) << f.error().message;
}

TEST(VideoMjpeg, BrokenScanDataIsCorrupt) {
  auto jpeg = *image::encode_jpeg(smooth(64, 48, 0), 90);
  std::size_t sos = 0;
  for (std::size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA) sos = i;
  }
  ASSERT_GT(sos, 0u);
  jpeg.resize(sos + 20 + (jpeg.size() - sos) / 3);  // cut inside the scan, then end it as if complete
  if (jpeg.back() == 0xFF) jpeg.pop_back();
  jpeg.push_back(0xFF);
  jpeg.push_back(0xD9);
  auto path = tmp("halfscan.mjpeg");
  write_bytes(path, std::string(as_view(jpeg)));
  auto src = open_mjpeg(path, 3);
  ASSERT_TRUE(src);
  auto f = (*src)->next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "video.corrupt");
}

TEST(VideoLimits, FramesBytesPixelsAndFileSize) {
  auto path = write_mjpeg("limits.mjpeg", 4, 160, 120);
  Limits three;
  three.max_frames = 3;
  Error err;
  auto src = open_mjpeg(path, 3, three);
  EXPECT_EQ(read_all(**src, &err).size(), 3u);
  EXPECT_EQ(err.code, "video.too_many_frames");
  EXPECT_NE(err.message.find(path.string()), std::string::npos);

  Limits four;
  four.max_frames = 4;  // exactly the limit is fine
  err = {};
  src = open_mjpeg(path, 3, four);
  EXPECT_EQ(read_all(**src, &err).size(), 4u);
  EXPECT_TRUE(err.code.empty()) << err.message;

  Limits narrow;
  narrow.max_width = 100;
  src = open_mjpeg(path, 3, narrow);
  auto f = (*src)->next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "video.too_large");
  EXPECT_NE(f.error().message.find("frame 0"), std::string::npos);

  Limits small_frames;
  small_frames.max_frame_bytes = 300;
  src = open_mjpeg(path, 3, small_frames);
  f = (*src)->next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "video.frame_too_large");

  Limits small_file;
  small_file.max_file_bytes = 1000;
  auto big = open_source(path, 3, small_file);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "video.file_too_large");
}

TEST(VideoY4m, RoundTripsColourAndGrey) {
  auto path = tmp("round.y4m");
  auto wr = create_y4m(path, 25);
  ASSERT_TRUE(wr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*wr)->write(smooth(65, 47, i)));  // odd sizes: partial chroma blocks
  auto other = (*wr)->write(smooth(64, 48, 0));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "video.invalid");
  ASSERT_TRUE((*wr)->close());
  // Header + 3 x (FRAME line + Y + 2 chroma planes of 33x24).
  const std::string header = "YUV4MPEG2 W65 H47 F25:1 Ip A1:1 C420jpeg XCOLORRANGE=LIMITED\n";
  EXPECT_EQ(std::filesystem::file_size(path), header.size() + 3 * (6 + 65 * 47 + 2 * 33 * 24));
  auto src = open_source(path, 3);
  ASSERT_TRUE(src) << src.error().message;
  auto frames = read_all(**src);
  ASSERT_EQ(frames.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_LT(mean_abs_diff(frames[static_cast<std::size_t>(i)].image, smooth(65, 47, i)), 2.5);

  auto grey = image::to_grey(smooth(16, 16, 0));
  auto gpath = tmp("grey.y4m");
  auto gw = create_y4m(gpath);
  ASSERT_TRUE((*gw)->write(grey));
  ASSERT_TRUE((*gw)->close());
  auto gs = open_y4m(gpath, 1);
  auto g = read_all(**gs);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_LT(mean_abs_diff(g[0].image, grey), 1.01);  // limited range loses under one level
}

TEST(VideoY4m, Bt601LimitedFullAndMono) {
  // BT.601 red (255, 0, 0): limited Y 81 Cb 90 Cr 240; full Y 76 Cb 85 Cr 255 (from the matrix).
  struct Case {
    std::string extra;
    std::uint8_t y, cb, cr;
  };
  for (const Case& c : {Case{" C444", 81, 90, 240}, Case{" C444 XCOLORRANGE=FULL", 76, 85, 255}}) {
    auto path = tmp("red.y4m");
    write_bytes(path, y4m_frame_header(2, 2, c.extra) + "FRAME\n" + std::string(4, static_cast<char>(c.y)) +
                          std::string(4, static_cast<char>(c.cb)) + std::string(4, static_cast<char>(c.cr)));
    auto src = open_y4m(path, 3);
    ASSERT_TRUE(src) << src.error().message;
    auto f = read_all(**src);
    ASSERT_EQ(f.size(), 1u);
    const auto* p = f[0].image.pixels.data();
    EXPECT_GE(p[0], 252) << c.extra;
    EXPECT_LE(p[1], 3) << c.extra;
    EXPECT_LE(p[2], 3) << c.extra;
  }
  auto path = tmp("mono.y4m");
  write_bytes(path, y4m_frame_header(2, 1, " Cmono") + "FRAME\n" + std::string("\xEB\x10", 2));  // 235, 16
  auto src = open_y4m(path, 3);
  auto f = read_all(**src);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].image.pixels, (std::vector<std::uint8_t>{255, 255, 255, 0, 0, 0}));
}

TEST(VideoY4m, HugeHeaderIsRefusedBeforeAllocating) {
  auto path = tmp("huge.y4m");
  write_bytes(path, "YUV4MPEG2 W20000 H20000 F30:1 C420jpeg\nFRAME\n");
  auto src = open_source(path, 3);
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error().code, "video.too_large");
  EXPECT_EQ(src.error().message, path.string() + ": header: field W: 20000x20000 is beyond the limit 4096x4096 and "
                                                 "9437184 pixels");
  write_bytes(path, "YUV4MPEG2 W640 H9000 F30:1\n");
  src = open_y4m(path, 3);
  ASSERT_FALSE(src);
  EXPECT_NE(src.error().message.find("field H"), std::string::npos) << src.error().message;
}

TEST(VideoY4m, TruncatedFrameSaysExpectedAndGot) {
  auto path = tmp("webcam.y4m");
  const std::string frame(1280 * 720 * 3 / 2, '\x80');
  write_bytes(path, y4m_frame_header(1280, 720, " C420jpeg") + "FRAME\n" + frame + "FRAME\n" + frame.substr(0, 1000));
  auto src = open_y4m(path, 1);
  ASSERT_TRUE(src);
  Error err;
  EXPECT_EQ(read_all(**src, &err).size(), 1u);
  EXPECT_EQ(err.code, "video.truncated");
  EXPECT_EQ(err.message, path.string() + ": frame 1: truncated (expected 1382400 bytes, got 1000)");
}

TEST(VideoY4m, HeaderFieldsAreNamed) {
  struct Case {
    std::string header, code, field;
  };
  for (const auto& c : {Case{"YUV4MPEG2 H10 F30:1", "video.bad_header", "field W"},
                        Case{"YUV4MPEG2 W10 F30:1", "video.bad_header", "field H"},
                        Case{"YUV4MPEG2 W-3 H10", "video.bad_header", "field W"},
                        Case{"YUV4MPEG2 W10 H10 F30", "video.bad_header", "field F"},
                        Case{"YUV4MPEG2 W10 H10 Iz", "video.bad_header", "field I"},
                        Case{"YUV4MPEG2 W10 H10 C420p10", "video.unsupported", "field C"},
                        Case{"YUV4MPEG2 W10 H10 Q7", "video.bad_header", "field Q"}}) {
    auto path = tmp("hdr.y4m");
    write_bytes(path, c.header + "\nFRAME\n");
    auto src = open_y4m(path, 3);
    ASSERT_FALSE(src) << c.header;
    EXPECT_EQ(src.error().code, c.code) << c.header;
    EXPECT_NE(src.error().message.find(path.string() + ": header: " + c.field), std::string::npos)
        << src.error().message;
  }
  auto path = tmp("noframe.y4m");
  write_bytes(path, y4m_frame_header(2, 2) + "FRAMX\n" + std::string(12, 'a'));
  auto src = open_y4m(path, 3);
  ASSERT_TRUE(src);
  auto f = (*src)->next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "video.corrupt");
  EXPECT_NE(f.error().message.find("frame 0"), std::string::npos);
  write_bytes(path, "YUV4MPEG2 W2 H2" + std::string(5000, ' '));  // no newline: bounded line
  auto h = open_y4m(path, 3);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, "video.bad_header");
}

TEST(VideoFolder, SortedByNameSkipsOtherFilesRefusesBrokenImages) {
  auto dir = tmp("folder");
  std::filesystem::create_directories(dir);
  auto png = [](int k) { return std::string(as_view(*image::encode_png(smooth(8, 8, k)))); };
  write_bytes(dir / "b.png", png(2));
  write_bytes(dir / "10.png", png(0));
  write_bytes(dir / "a.PNG", png(1));
  write_bytes(dir / "truth.json", "{}");
  auto src = open_source(dir, 3);
  ASSERT_TRUE(src) << src.error().message;
  auto frames = read_all(**src);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].name, "10.png");
  EXPECT_EQ(frames[1].name, "a.PNG");
  EXPECT_EQ(frames[2].name, "b.png");
  for (int k = 0; k < 3; ++k) EXPECT_EQ(frames[static_cast<std::size_t>(k)].image.pixels, smooth(8, 8, k).pixels);
  ASSERT_EQ((*src)->warnings().size(), 1u);
  EXPECT_NE((*src)->warnings()[0].find("truth.json"), std::string::npos);

  write_bytes(dir / "c.jpg", "not an image at all");
  src = open_folder(dir, 3);
  Error err;
  EXPECT_EQ(read_all(**src, &err).size(), 3u);
  EXPECT_EQ(err.code, "video.not_image");
  EXPECT_NE(err.message.find("frame 3: c.jpg"), std::string::npos) << err.message;
}

TEST(VideoFolder, EmptyMissingAndWriterOrder) {
  auto empty = tmp("empty-folder");
  std::filesystem::create_directories(empty);
  auto e = open_source(empty, 3);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "video.empty");
  auto m = open_source(tmp("no-such"), 3);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, "video.not_found");
  write_bytes(tmp("empty.mjpeg"), "");
  auto z = open_source(tmp("empty.mjpeg"), 3);
  ASSERT_FALSE(z);
  EXPECT_EQ(z.error().code, "video.empty");

  auto out = tmp("written");
  auto wr = create_folder(out, 0);  // PNG: lossless
  ASSERT_TRUE(wr);
  for (int i = 0; i < 12; ++i) ASSERT_TRUE((*wr)->write(smooth(8, 8, i)));
  auto src = open_folder(out, 3);
  auto frames = read_all(**src);
  ASSERT_EQ(frames.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(frames[static_cast<std::size_t>(i)].image.pixels, smooth(8, 8, i).pixels);
}

}  // namespace
