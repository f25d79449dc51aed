// client/camera: over generated sequences, the QR comes from the first frame the ground truth
// calls readable and the face from the sharp face frame; the errors name the source and frame.
#include <gtest/gtest.h>

#include "client/camera.hpp"
#include "core/face/face.hpp"
#include "core/qr/qr.hpp"
#include "harness/fixtures/webcam.hpp"

using namespace gosdoki;
namespace wc = gosdoki::harness::webcam;

namespace {

const std::string kPayload = "GQR1.M.Zm9vYmFyYmF6cXV4cXV1eA.9b2E3vN9yqUfH1t5P2Ck0wY8rXn4sQdLm6aJzT7eK1o";

const wc::Generator& generator() {
  static const wc::Generator g = [] {
    wc::Scene sc;
    sc.seed = 4;
    sc.face = face::render_face(face::random_face(77), face::standard_variants(77).front());
    return *wc::Generator::create(sc, kPayload);
  }();
  return g;
}

// Frames given as images, for the cases a generator does not make.
class ImageSource final : public video::FrameSource {
 public:
  explicit ImageSource(std::vector<image::Image> frames) : frames_(std::move(frames)) {}
  Result<std::optional<video::Frame>> next() override {
    if (static_cast<std::size_t>(read_) >= frames_.size()) return std::optional<video::Frame>{};
    const int i = read_++;
    return std::optional<video::Frame>{video::Frame{i, "", frames_[static_cast<std::size_t>(i)]}};
  }
  const std::string& name() const override { return name_; }
  int frames_read() const override { return read_; }
  const std::vector<std::string>& warnings() const override { return warnings_; }

 private:
  std::vector<image::Image> frames_;
  std::string name_ = "desk.mjpeg";
  std::vector<std::string> warnings_;
  int read_ = 0;
};

TEST(Camera, PicksTheFirstReadableFrameAndTheSharpFaceFrame) {
  for (std::uint64_t seed : {3u, 8u}) {
    const auto plans = wc::sequence_plans(generator(), 16, seed);
    int first_readable = -1, sharp_face = -1;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      if (plans[i].kind == wc::Kind::qr_readable && first_readable < 0) first_readable = static_cast<int>(i);
      if (plans[i].kind == wc::Kind::face && plans[i].motion_px == 0) sharp_face = static_cast<int>(i);
    }
    auto src = wc::render_source(generator(), plans, "webcam.mjpeg");
    auto scan = client::scan_camera(*src);
    ASSERT_TRUE(scan) << scan.error().message;
    EXPECT_EQ(scan->qr_frame, first_readable) << "seed " << seed;
    EXPECT_EQ(std::string(scan->qr.begin(), scan->qr.end()), kPayload);
    EXPECT_EQ(scan->face_frame, sharp_face) << "seed " << seed;
    auto face = image::decode(scan->face_jpeg, 3);
    ASSERT_TRUE(face);
    EXPECT_EQ(face->width, 480);
    EXPECT_EQ(face->height, 640);
    EXPECT_EQ(scan->frames_read, 16);
  }
}

TEST(Camera, NoCodeInAnyFrame) {
  std::vector<wc::FramePlan> plans;
  for (int i = 0; i < 3; ++i) plans.push_back(wc::no_qr_plan(generator(), wc::Absence::blank_screen, 40 + i));
  auto src = wc::render_source(generator(), plans, "webcam.mjpeg");
  auto scan = client::scan_camera(*src);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().code, "camera.no_qr");
  EXPECT_EQ(scan.error().message, "no QR code in any of the 3 frames of webcam.mjpeg");
}

TEST(Camera, NoFaceWhenEveryFrameShowsTheCode) {
  std::vector<wc::FramePlan> plans;
  for (int i = 0; i < 3; ++i) plans.push_back(wc::readable_plan(generator(), wc::Distortion::none, 60 + i));
  auto src = wc::render_source(generator(), plans);
  auto scan = client::scan_camera(*src);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().code, "camera.no_face");
}

TEST(Camera, TwoDifferentCodesInOneFrameNameTheFrame) {
  image::Image frame = image::make(1280, 720, 3, 255);
  int x0 = 100;
  for (const char* text : {"first code", "second code"}) {
    auto code = *qr::render(text, {6, 4, 'M'});
    for (int y = 0; y < code.height; ++y)
      for (int x = 0; x < code.width; ++x)
        for (int c = 0; c < 3; ++c) frame.row(200 + y)[3 * (x0 + x) + c] = code.row(y)[x];
    x0 += 600;
  }
  ImageSource src({image::make(1280, 720, 3, 200), frame});
  auto scan = client::scan_camera(src);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().code, "camera.several");
  EXPECT_EQ(scan.error().message.rfind("desk.mjpeg: frame 1: ", 0), 0u) << scan.error().message;
}

TEST(Camera, CropAndSharpness) {
  image::Image img = image::make(1280, 720, 3, 0);
  for (int y = 0; y < 720; ++y)
    for (int x = 0; x < 1280; ++x) img.row(y)[3 * x] = static_cast<std::uint8_t>(x / 5);
  const auto crop = client::centre_crop(img, 3, 4);
  EXPECT_EQ(crop.width, 540);
  EXPECT_EQ(crop.height, 720);
  EXPECT_EQ(crop.row(0)[0], 370 / 5);  // starts at (1280 - 540) / 2
  // A checkerboard is sharper than the same checkerboard blurred by averaging 2x2.
  image::Image sharp = image::make(64, 64, 1), soft = image::make(64, 64, 1);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) sharp.row(y)[x] = ((x / 4 + y / 4) % 2) ? 255 : 0;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      int s = 0;
      for (int d = 0; d < 4; ++d) s += sharp.row(std::min(63, y + d / 2))[std::min(63, x + d % 2)];
      soft.row(y)[x] = static_cast<std::uint8_t>(s / 4);
    }
  EXPECT_GT(client::sharpness(sharp), client::sharpness(soft));
  EXPECT_EQ(client::sharpness(image::make(64, 64, 1, 90)), 0.0);
}

}  // namespace
