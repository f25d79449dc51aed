#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/face/face.hpp"
#include "core/image/image.hpp"

using namespace gosdoki;
using namespace gosdoki::face;

namespace {

constexpr int kPersons = 10;

// Pictures of person i (seed i + 1) in the standard variants, index 0 the reference; each
// person is rendered once per test process, on first use.
const std::vector<image::Image>& person(int i) {
  static std::map<int, std::vector<image::Image>> cache;
  auto it = cache.find(i);
  if (it == cache.end()) {
    const auto seed = static_cast<std::uint64_t>(i + 1);
    it = cache.emplace(i, render_variants(random_face(seed), standard_variants(seed))).first;
  }
  return it->second;
}

double mean_luma(const image::Image& img) {
  double s = 0;
  const std::size_t n = img.pixels.size() / 3;
  for (std::size_t i = 0; i < n; ++i)
    s += 0.299 * img.pixels[3 * i] + 0.587 * img.pixels[3 * i + 1] + 0.114 * img.pixels[3 * i + 2];
  return s / static_cast<double>(n);
}

}  // namespace

TEST(Face, RandomFaceIsDeterministicAndInRange) {
  const FaceParams a = random_face(42), b = random_face(42), c = random_face(43);
  EXPECT_EQ(a.face_width, b.face_width);
  EXPECT_EQ(a.mouth_curve, b.mouth_curve);
  EXPECT_EQ(a.texture_seed, b.texture_seed);
  EXPECT_EQ(a.hair_style, b.hair_style);
  EXPECT_NE(a.texture_seed, c.texture_seed);
  EXPECT_NE(a.face_width, c.face_width);
  for (std::uint64_t s = 0; s < 200; ++s) {
    const FaceParams p = random_face(s);
    ASSERT_GE(p.face_width, 0.38);
    ASSERT_LT(p.face_width, 0.52);
    ASSERT_GE(p.face_cx, 0.47);
    ASSERT_LT(p.face_cx, 0.53);
    ASSERT_GE(p.hair_style, 0);
    ASSERT_LE(p.hair_style, 4);
    ASSERT_GE(p.beard, 0);
    ASSERT_LE(p.beard, 2);
  }
}

TEST(Face, RenderIsDeterministic) {
  const FaceParams p = random_face(1);
  const auto variants = standard_variants(1);
  ASSERT_EQ(variants.size(), 5u);
  ASSERT_EQ(person(0).size(), 5u);
  // render_face and render_variants give the same pixels, call after call.
  for (std::size_t v : {std::size_t{0}, std::size_t{3}, std::size_t{4}}) {
    const image::Image again = render_face(p, variants[v]);
    EXPECT_EQ(again.pixels, person(0)[v].pixels) << variants[v].name;
  }
  const image::Image& ref = person(0)[0];
  EXPECT_EQ(ref.width, 480);
  EXPECT_EQ(ref.height, 640);
  EXPECT_EQ(ref.channels, 3);
  EXPECT_NE(ref.pixels, person(1)[0].pixels);
  // Another noise seed changes the noise only.
  CaptureVariant other = variants[3];
  other.noise_seed ^= 1;
  EXPECT_NE(render_face(p, other).pixels, person(0)[3].pixels);
  EXPECT_TRUE(render_face(p, variants[0], 0, 640).empty());
  EXPECT_TRUE(render_variants(p, variants, 480, -1).at(2).empty());
}

TEST(Face, StandardVariants) {
  const auto v = standard_variants(5);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].name, "reference");
  EXPECT_EQ(v[1].name, "office-light");
  EXPECT_EQ(v[2].name, "dim-light");
  EXPECT_EQ(v[3].name, "noisy");
  EXPECT_EQ(v[4].name, "shifted");
  EXPECT_EQ(v[0].brightness, 1.0);
  EXPECT_EQ(v[0].noise_sigma, 0.0);
  EXPECT_EQ(v[0].shift_x, 0);
  EXPECT_GT(v[1].brightness, 1.0);
  EXPECT_GT(v[1].warmth, 0.0);
  EXPECT_NEAR(v[2].brightness, 0.6, 0.05);
  EXPECT_NEAR(v[3].noise_sigma, 12, 0.5);
  for (int s : {v[4].shift_x, v[4].shift_y}) {
    EXPECT_GE(std::abs(s), 10);
    EXPECT_LE(std::abs(s), 20);
  }
  EXPECT_GT(std::abs(v[4].rotate_deg), 0.0);
  EXPECT_LE(std::abs(v[4].rotate_deg), 3.0);
  EXPECT_EQ(standard_variants(5)[4].shift_x, v[4].shift_x);
  EXPECT_EQ(standard_variants(5)[3].noise_seed, v[3].noise_seed);
}

TEST(Face, VariantsDoWhatTheySay) {
  const FaceParams p = random_face(2);
  const image::Image ref = render_face(p, {});
  // A pure shift moves every pixel by exactly (dx, dy).
  CaptureVariant shift;
  shift.shift_x = 12;
  shift.shift_y = 7;
  const image::Image moved = render_face(p, shift);
  for (int y = 7; y < 640; y += 37)
    for (int x = 12; x < 480; x += 29)
      for (int c = 0; c < 3; ++c) ASSERT_EQ(moved.row(y)[3 * x + c], ref.row(y - 7)[3 * (x - 12) + c]) << x << "," << y;
  // Noise of sigma 12: the difference from the clean picture has that deviation (unclipped pixels).
  CaptureVariant noisy;
  noisy.noise_sigma = 12;
  noisy.noise_seed = 99;
  const image::Image n = render_face(p, noisy);
  double s = 0, s2 = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < ref.pixels.size(); ++i) {
    if (ref.pixels[i] < 50 || ref.pixels[i] > 205) continue;
    const double d = double(n.pixels[i]) - ref.pixels[i];
    s += d;
    s2 += d * d;
    ++count;
  }
  ASSERT_GT(count, 100000u);
  const double mean = s / count, sd = std::sqrt(s2 / count - mean * mean);
  EXPECT_NEAR(mean, 0, 0.2);
  EXPECT_NEAR(sd, 12, 0.5);
  // Brightness 0.6 scales the mean luminance by 0.6 (no clipping darker).
  CaptureVariant dim;
  dim.brightness = 0.6;
  EXPECT_NEAR(mean_luma(render_face(p, dim)) / mean_luma(ref), 0.6, 0.01);
}

TEST(Face, FixturePhotosHaveAPlausibleJpegSize) {
  for (int i = 0; i < 3; ++i) {
    auto jpeg = image::encode_jpeg(person(i)[0], 90);
    ASSERT_TRUE(jpeg);
    EXPECT_GT(jpeg->size(), 30u * 1024) << "person " << i + 1;
    EXPECT_LT(jpeg->size(), 200u * 1024) << "person " << i + 1;
  }
}

TEST(Face, AssessMeasuresAndRefuses) {
  // Left half black, right half white: mean 127.5, deviation 127.5.
  image::Image half = image::make(480, 640, 3, 0);
  for (int y = 0; y < 640; ++y)
    for (int x = 240; x < 480; ++x)
      for (int c = 0; c < 3; ++c) half.row(y)[3 * x + c] = 255;
  const Quality q = assess(half);
  EXPECT_TRUE(q.usable) << q.reason;
  EXPECT_NEAR(q.mean, 127.5, 1e-9);
  EXPECT_NEAR(q.stddev, 127.5, 1e-9);

  const Quality black = assess(image::make(480, 640, 3, 0));
  EXPECT_FALSE(black.usable);
  EXPECT_NE(black.reason.find("dark"), std::string::npos) << black.reason;
  EXPECT_EQ(black.mean, 0);
  const Quality white = assess(image::make(480, 640, 1, 250));
  EXPECT_FALSE(white.usable);
  EXPECT_NE(white.reason.find("bright"), std::string::npos) << white.reason;
  const Quality flat = assess(image::make(480, 640, 3, 128));
  EXPECT_FALSE(flat.usable);
  EXPECT_NE(flat.reason.find("flat"), std::string::npos) << flat.reason;
  const Quality small = assess(render_face(random_face(1), {}, 240, 320));
  EXPECT_FALSE(small.usable);
  EXPECT_NE(small.reason.find("small"), std::string::npos) << small.reason;
  EXPECT_FALSE(assess(image::make(640, 480, 3, 100)).usable);  // landscape is too small in height
  EXPECT_FALSE(assess(image::Image{}).usable);
  for (int i = 0; i < 2; ++i)
    for (const auto& pic : person(i)) EXPECT_TRUE(assess(pic).usable) << assess(pic).reason;
}

TEST(Face, DefaultMatcherSeparatesTheFixturePersons) {
  const auto matcher = make_descriptor_matcher();
  EXPECT_EQ(matcher->name(), "descriptor");
  EXPECT_GT(matcher->threshold(), 0.5);
  EXPECT_LT(matcher->threshold(), 1.0);
  const auto names = standard_variants(1);
  double min_genuine = 2, max_impostor = -2;
  for (int i = 0; i < kPersons; ++i) {
    for (std::size_t v = 0; v < person(i).size(); ++v) {
      for (int j = 0; j < kPersons; ++j) {
        const Comparison c = matcher->compare(person(i)[v], person(j)[0]);
        EXPECT_EQ(c.threshold, matcher->threshold());
        if (i == j && v == 0) {
          // The reference sent back as the probe is not a capture: refused before any score.
          EXPECT_EQ(c.verdict, Verdict::presentation_attack) << "person " << i + 1;
          EXPECT_NEAR(c.replay_difference, 0.0, 1e-9);
        } else if (i == j) {
          EXPECT_EQ(c.verdict, Verdict::match) << "person " << i + 1 << " " << names[v].name << " score " << c.score;
          min_genuine = std::min(min_genuine, c.score);
        } else {
          EXPECT_EQ(c.verdict, Verdict::mismatch) << "person " << i + 1 << " " << names[v].name
                                                  << " vs reference of " << j + 1 << " score " << c.score;
          EXPECT_FALSE(c.reason.empty());
          max_impostor = std::max(max_impostor, c.score);
        }
      }
    }
  }
  // Impostors stay well clear of genuine captures.
  EXPECT_GT(min_genuine - max_impostor, 0.05) << min_genuine << " vs " << max_impostor;
}

TEST(Face, MatcherWorksThroughJpeg) {
  const auto matcher = make_descriptor_matcher();
  for (int i = 0; i < 2; ++i) {
    auto probe = image::decode(*image::encode_jpeg(person(i)[4], 85), 3);
    auto reference = image::decode(*image::encode_jpeg(person(i)[0], 90), 1);  // grey reference too
    ASSERT_TRUE(probe && reference);
    EXPECT_EQ(matcher->compare(*probe, *reference).verdict, Verdict::match);
    EXPECT_EQ(matcher->compare(*probe, person(1 - i)[0]).verdict, Verdict::mismatch);
  }
}

TEST(Face, LowQualityProbesAreNotCompared) {
  const auto matcher = make_descriptor_matcher();
  const auto& ref = person(0)[0];
  const Comparison black = matcher->compare(image::make(480, 640, 3, 0), ref);
  EXPECT_EQ(black.verdict, Verdict::low_quality);
  EXPECT_NE(black.reason.find("dark"), std::string::npos) << black.reason;
  const Comparison small = matcher->compare(image::resize(ref, 240, 320), ref);
  EXPECT_EQ(small.verdict, Verdict::low_quality);
  EXPECT_EQ(matcher->compare(ref, image::Image{}).verdict, Verdict::low_quality);
  EXPECT_STREQ(verdict_name(Verdict::match), "match");
  EXPECT_STREQ(verdict_name(Verdict::mismatch), "mismatch");
  EXPECT_STREQ(verdict_name(Verdict::low_quality), "low_quality");
}

TEST(Face, ExplicitThresholdIsUsed) {
  const auto strict = make_descriptor_matcher(0.9999);
  EXPECT_EQ(strict->threshold(), 0.9999);
  const Comparison c = strict->compare(person(0)[3], person(0)[0]);  // noisy vs reference
  EXPECT_EQ(c.verdict, Verdict::mismatch);
  EXPECT_EQ(c.threshold, 0.9999);
  EXPECT_EQ(make_descriptor_matcher(-1)->threshold(), make_descriptor_matcher()->threshold());
}
