// The webcam generator: its geometry against hand-derived corners, its readable frames decode to
// the exact payload, frames without a code or unreadable by design decode to nothing, the
// pixels depend only on the seed; and the photographed-screen capture carries its artefacts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "client/camera.hpp"
#include "core/face/face.hpp"
#include "core/qr/qr.hpp"
#include "harness/fixtures/screen_photo.hpp"
#include "harness/fixtures/webcam.hpp"

using namespace gosdoki;
namespace wc = gosdoki::harness::webcam;

namespace {

const std::string kPayload = "GQR1.M.aG9ou1-9RSJO-hgjUJLrIg.KM4M9a01XD7LAio_VB87zhuZ3D_FhdX2HTbIp_JP-ew";

const wc::Generator& generator() {
  static const wc::Generator g = [] {
    wc::Scene sc;
    sc.seed = 11;
    sc.face = face::render_face(face::random_face(42), face::standard_variants(42).front());
    return *wc::Generator::create(sc, kPayload);
  }();
  return g;
}

TEST(WebcamGenerator, FrontalAndTurnedCornersAreWhereThePoseSays) {
  wc::FramePlan p;
  p.kind = wc::Kind::qr_readable;
  p.phone = true;
  p.screen_shows_code = true;
  p.cx = 600, p.cy = 380, p.code_px = 150;
  p.noise_sigma = 0, p.jpeg_quality = 0;
  wc::FrameTruth t;
  (void)generator().render(p, &t);
  ASSERT_TRUE(t.has_corners);
  // Face-on, the code is an axis-aligned square of code_px around (cx, cy).
  const double want[4][2] = {{525, 305}, {675, 305}, {675, 455}, {525, 455}};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(t.corners[i].x, want[i][0], 1e-6) << i;
    EXPECT_NEAR(t.corners[i].y, want[i][1], 1e-6) << i;
  }
  EXPECT_NEAR(t.module_px, 150.0 / generator().modules(), 1e-9);
  // Rolled by 90 degrees clockwise (image y points down): the code's top-left goes top-right.
  p.roll = 90;
  (void)generator().render(p, &t);
  EXPECT_NEAR(t.corners[0].x, 675, 1e-6);
  EXPECT_NEAR(t.corners[0].y, 305, 1e-6);
  // Turned away about the vertical axis: the far side is shorter, never longer.
  p.roll = 0, p.yaw = 35;
  (void)generator().render(p, &t);
  const double left = t.corners[3].y - t.corners[0].y, right = t.corners[2].y - t.corners[1].y;
  EXPECT_NE(std::lround(left), std::lround(right));
  EXPECT_LT(t.module_px, 150.0 / generator().modules());
}

TEST(WebcamGenerator, ReadableFramesOfEveryDistortionDecodeToThePayload) {
  std::uint64_t seed = 300;
  for (auto d : wc::kAllDistortions) {
    const auto plan = wc::readable_plan(generator(), d, seed++);
    wc::FrameTruth t;
    const auto frame = generator().render(plan, &t);
    ASSERT_EQ(frame.width, 1280);
    ASSERT_EQ(frame.height, 720);
    EXPECT_EQ(t.plan.kind, wc::Kind::qr_readable);
    EXPECT_GE(t.module_px, 2.0) << wc::distortion_name(d);
    auto r = client::decode_frame(frame, true);
    ASSERT_TRUE(r) << wc::distortion_name(d) << ": " << r.error().message;
    EXPECT_EQ(r->text, kPayload) << wc::distortion_name(d);
  }
}

TEST(WebcamGenerator, FramesWithoutACodeOrUnreadableByDesignDecodeToNothing) {
  std::uint64_t seed = 700;
  for (auto a : {wc::Absence::no_phone, wc::Absence::phone_lowered, wc::Absence::hand_over, wc::Absence::blank_screen}) {
    const auto frame = generator().render(wc::no_qr_plan(generator(), a, seed++));
    auto r = client::decode_frame(frame, true);
    EXPECT_FALSE(r) << wc::absence_name(a) << " decoded to " << (r ? r->text : "");
  }
  for (auto a : {wc::Absence::too_small, wc::Absence::too_blurred, wc::Absence::cut_off}) {
    wc::FrameTruth t;
    const auto frame = generator().render(wc::unreadable_plan(generator(), a, seed++), &t);
    EXPECT_EQ(t.plan.kind, wc::Kind::qr_unreadable);
    EXPECT_EQ(t.payload, kPayload);  // the code is there, only not readable
    auto r = client::decode_frame(frame, true);
    EXPECT_FALSE(r) << wc::absence_name(a) << " decoded to " << (r ? r->text : "");
  }
}

TEST(WebcamGenerator, PixelsDependOnlyOnThePlan) {
  const auto plan = wc::readable_plan(generator(), wc::Distortion::noise, 5);
  EXPECT_EQ(generator().render(plan).pixels, generator().render(plan).pixels);
  auto other = plan;
  other.seed = plan.seed + 1;  // another draw of the sensor noise only
  EXPECT_NE(generator().render(other).pixels, generator().render(plan).pixels);
}

TEST(WebcamGenerator, NonsensePlansGiveAFrameWithoutAPhone) {
  wc::FramePlan p;
  p.phone = true;
  p.screen_shows_code = true;
  for (auto [code_px, pitch] : {std::pair{0.0, 0.0}, std::pair{-5.0, 0.0}, std::pair{200.0, 89.0}, std::pair{1e12, 0.0}}) {
    p.code_px = code_px, p.pitch = pitch;
    wc::FrameTruth t;
    const auto frame = generator().render(p, &t);
    EXPECT_EQ(frame.width, 1280);
    EXPECT_FALSE(t.has_corners) << code_px << " " << pitch;
  }
}

TEST(WebcamGenerator, SequenceOrderAndTruthJson) {
  const auto plans = wc::sequence_plans(generator(), 20, 9);
  ASSERT_EQ(plans.size(), 20u);
  EXPECT_TRUE(wc::sequence_plans(generator(), 7, 9).empty());
  int first_readable = -1, sharp_faces = 0;
  for (int i = 0; i < 20; ++i) {
    const auto& p = plans[static_cast<std::size_t>(i)];
    if (p.kind == wc::Kind::qr_readable && first_readable < 0) first_readable = i;
    if (p.kind == wc::Kind::face && p.motion_px == 0) ++sharp_faces;
  }
  EXPECT_EQ(first_readable, 4);  // 20 / 5 frames of the phone coming up first
  EXPECT_EQ(sharp_faces, 1);
  EXPECT_EQ(plans.back().kind, wc::Kind::face);
  wc::FrameTruth t;
  t.index = 3;
  t.plan = plans[4];
  t.payload = kPayload;
  const std::string json = wc::truth_json(generator().scene(), kPayload, {t});
  EXPECT_NE(json.find("\"kind\": \"qr-readable\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"index\": 3"), std::string::npos);
  EXPECT_NE(json.find(kPayload), std::string::npos);
}

TEST(PhotographedScreen, AddsGridCastBezelAndStaysDeterministic) {
  const image::Image flat = image::make(480, 640, 3, 128);
  const auto a = harness::photographed_screen(flat, 7);
  ASSERT_EQ(a.width, 480);
  ASSERT_EQ(a.height, 640);
  ASSERT_EQ(a.channels, 3);
  EXPECT_EQ(a.pixels, harness::photographed_screen(flat, 7).pixels);
  EXPECT_NE(a.pixels, harness::photographed_screen(flat, 8).pixels);
  // A flat picture comes back with structure: the pixel matrix. Sensor noise alone (sigma <= 4)
  // gives a Laplacian variance of about 20 sigma^2 <= 320 at full size, less at half size.
  EXPECT_GT(client::sharpness(a), 640.0);
  // The cool cast: a grey picture comes out bluer than red (blue gain >= 1.04, red <= 0.97;
  // the lifted black level and the glare, added to both, only bring the ratio towards 1).
  double r = 0, b = 0;
  for (int y = 200; y < 440; ++y)
    for (int x = 160; x < 320; ++x) r += a.row(y)[3 * x], b += a.row(y)[3 * x + 2];
  EXPECT_GT(b, r * 1.01);
  // The bezel: along some edge of the picture, a good part of a line 4 px in is dark.
  auto dark_share = [&](bool vertical, int at) {
    int n = 0, dark = 0;
    for (int k = 0; k < (vertical ? 640 : 480); k += 4, ++n) {
      const std::uint8_t* px = vertical ? a.row(k) + 3 * at : a.row(at) + 3 * k;
      dark += px[0] < 60 && px[1] < 60 && px[2] < 60;
    }
    return static_cast<double>(dark) / n;
  };
  const double best = std::max({dark_share(true, 4), dark_share(true, 475), dark_share(false, 4), dark_share(false, 635)});
  EXPECT_GT(best, 0.2);
  EXPECT_TRUE(harness::photographed_screen(image::Image{}, 1).empty());
}

}  // namespace
