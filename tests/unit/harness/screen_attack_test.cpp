// The default matcher against the generator's photographed screens (harness/fixtures/screen_photo):
// every one is refused as a presentation attack; the same faces captured live are not.
#include <gtest/gtest.h>

#include "core/face/face.hpp"
#include "core/image/image.hpp"
#include "harness/fixtures/screen_photo.hpp"

using namespace gosdoki;

TEST(ScreenAttack, PhotographedScreensAreRefusedLiveCapturesAreNot) {
  const auto matcher = face::make_descriptor_matcher();
  int attacks = 0, live_matches = 0;
  const int n = 12;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t seed = 9100 + static_cast<std::uint64_t>(i);
    const auto pics = face::render_variants(face::random_face(seed), face::standard_variants(seed));
    const image::Image reference = *image::decode(*image::encode_jpeg(pics[0], 90), 3);
    const image::Image screen = *image::decode(*image::encode_jpeg(harness::photographed_screen(reference, seed), 92), 3);
    const face::Comparison c = matcher->compare(screen, reference);
    attacks += c.verdict == face::Verdict::presentation_attack;
    EXPECT_EQ(c.verdict, face::Verdict::presentation_attack) << "seed " << seed << ": grid " << c.screen_grid << " " << c.reason;
    EXPECT_GT(c.screen_grid, 1.3 * face::kScreenGridMin) << "seed " << seed << ": a margin, not a near miss";
    const face::Comparison live = matcher->compare(*image::decode(*image::encode_jpeg(pics[1], 90), 3), reference);
    live_matches += live.verdict == face::Verdict::match;
    EXPECT_LT(live.screen_grid, face::kScreenGridMin) << "seed " << seed;
  }
  EXPECT_EQ(attacks, n);
  EXPECT_EQ(live_matches, n);
}
