// Presentation attacks the default matcher refuses before it scores, the matcher registry, and
// the benchmark's capture variants.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/face/face.hpp"
#include "core/image/image.hpp"

using namespace gosdoki;
using namespace gosdoki::face;

namespace {

image::Image via_jpeg(const image::Image& img, int quality) { return *image::decode(*image::encode_jpeg(img, quality), 3); }

// A screen's pixel matrix as a camera sees it: every `pitch`-th row and column darker.
image::Image with_pixel_grid(image::Image img, int pitch, double depth) {
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      if (x % pitch != 0 && y % pitch != 0) continue;
      std::uint8_t* p = img.row(y) + 3 * x;
      for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(p[c] * (1 - depth));
    }
  }
  return img;
}

}  // namespace

TEST(FaceAttack, TheReferenceSentBackIsRefusedEvenReencoded) {
  const auto params = random_face(501);
  const auto pics = render_variants(params, standard_variants(501));
  const auto matcher = make_descriptor_matcher();
  const image::Image reference = via_jpeg(pics[0], 90);
  for (int q : {90, 75, 50}) {
    const Comparison c = matcher->compare(via_jpeg(reference, q), reference);
    EXPECT_EQ(c.verdict, Verdict::presentation_attack) << "JPEG quality " << q << ": difference " << c.replay_difference;
    EXPECT_LT(c.replay_difference, kReplayMaxDifference);
    EXPECT_NE(c.reason.find("reference photo itself"), std::string::npos) << c.reason;
  }
  // Rescaled to another size it is still the same picture.
  const Comparison big = matcher->compare(image::resize(reference, 600, 800), reference);
  EXPECT_EQ(big.verdict, Verdict::presentation_attack) << big.replay_difference;
  // Every live capture variant differs by much more and matches.
  for (std::size_t v = 1; v < pics.size(); ++v) {
    const Comparison c = matcher->compare(via_jpeg(pics[v], 90), reference);
    EXPECT_EQ(c.verdict, Verdict::match) << standard_variants(501)[v].name << " " << c.reason;
    EXPECT_GT(c.replay_difference, 2 * kReplayMaxDifference) << standard_variants(501)[v].name;
  }
}

TEST(FaceAttack, APixelGridIsAScreenAndAFaceIsNot) {
  const auto pics = render_variants(random_face(502), standard_variants(502));
  const auto matcher = make_descriptor_matcher();
  const image::Image reference = via_jpeg(pics[0], 90);
  const image::Image live = via_jpeg(pics[1], 90);
  const Comparison plain = matcher->compare(live, reference);
  EXPECT_EQ(plain.verdict, Verdict::match);
  EXPECT_LT(plain.screen_grid, kScreenGridMin) << "a face has no period of a few pixels";
  // Pitch 4 is one of JPEG's own periods (u/16 cycles per pixel), which the measure leaves out.
  for (int pitch : {3, 5, 6}) {
    const Comparison c = matcher->compare(via_jpeg(with_pixel_grid(pics[1], pitch, 0.35), 90), reference);
    EXPECT_EQ(c.verdict, Verdict::presentation_attack) << "pitch " << pitch << ": grid " << c.screen_grid;
    EXPECT_GE(c.screen_grid, kScreenGridMin);
  }
}

TEST(FaceAttack, MatchersByNameAndAPluggedInOne) {
  auto d = make_matcher("descriptor");
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)->name(), "descriptor");
  auto none = make_matcher("neural-net-9000");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "face.matcher");
  EXPECT_NE(none.error().message.find("descriptor"), std::string::npos) << "the message lists the known names";
  // A plugged-in matcher: here one that accepts everything, as a stand-in for a real SDK.
  class AcceptAll final : public FaceMatcher {
   public:
    explicit AcceptAll(double t) : t_(t) {}
    std::string name() const override { return "accept-all"; }
    double threshold() const override { return t_; }
    Comparison compare(const image::Image&, const image::Image&) const override { return {Verdict::match, 1, t_, "", -1, 0}; }

   private:
    double t_;
  };
  register_matcher("accept-all", [](double t) { return std::make_unique<AcceptAll>(t > 0 ? t : 0.5); });
  auto plugged = make_matcher("accept-all", 0.7);
  ASSERT_TRUE(plugged);
  EXPECT_EQ((*plugged)->threshold(), 0.7);
  auto names = matcher_names();
  EXPECT_TRUE(std::find(names.begin(), names.end(), "accept-all") != names.end());
}

TEST(FaceAttack, BenchmarkVariantsAreTenDistinctCaptures) {
  const auto v = benchmark_variants(9);
  ASSERT_EQ(v.size(), 10u);
  std::set<std::string> names;
  for (const auto& c : v) names.insert(c.name);
  EXPECT_EQ(names.size(), 10u);
  // Deterministic per seed, different across seeds.
  EXPECT_EQ(benchmark_variants(9)[7].scale, v[7].scale);
  EXPECT_NE(benchmark_variants(10)[7].scale, v[7].scale);
  // Nearer draws the face larger: the same person's picture differs from the reference pose.
  const auto params = random_face(9);
  CaptureVariant ref, near = v[7];
  ASSERT_EQ(near.name, "nearer");
  near.noise_sigma = 0;
  const auto a = render_face(params, ref), b = render_face(params, near);
  EXPECT_NE(a.pixels, b.pixels);
  EXPECT_EQ(v[9].jpeg_quality, 40);
}
