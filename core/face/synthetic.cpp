// Synthetic frontal faces for fixtures: parameters drawn from a seed, the picture drawn by our
// own analytic shapes (scene.cpp; no photo, no drawing library), then the capture variant
// applied: pose (shift, rotation), light (gain, contrast, colour temperature) and sensor noise.
#include <array>
#include <cmath>
#include <random>

#include "core/face/face.hpp"
#include "core/face/scene.hpp"

namespace gosdoki::face {
namespace {

using detail::mix64;

constexpr double kPi = 3.14159265358979323846;

// std::mt19937_64's output sequence is fixed by the standard; the distributions are not, so
// doubles are made from the raw 64-bit outputs here and fixtures are the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double range(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int below(int n) { return static_cast<int>(uniform() * n); }
  std::uint64_t bits() { return g_(); }
  double gaussian() {  // Marsaglia's polar method: two normal deviates per accepted point
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double k = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * k;
    has_spare_ = true;
    return u * k;
  }

 private:
  std::mt19937_64 g_;
  double spare_ = 0;
  bool has_spare_ = false;
};

std::uint8_t jitter(double base, double spread, Rng& rng) {
  return static_cast<std::uint8_t>(std::clamp(base + rng.range(-spread, spread), 0.0, 255.0));
}
void pick(std::uint8_t out[3], const std::array<double, 3>& base, double spread, Rng& rng) {
  for (int i = 0; i < 3; ++i) out[i] = jitter(base[i], spread, rng);
}

}  // namespace

FaceParams random_face(std::uint64_t seed) {
  Rng rng(mix64(seed ^ 0x5EED0F1ACEull));
  FaceParams p{};
  p.face_width = rng.range(0.38, 0.52);
  p.face_height = rng.range(0.38, 0.48);
  p.face_cx = rng.range(0.47, 0.53);
  p.face_cy = rng.range(0.44, 0.50);
  p.eye_dx = rng.range(0.18, 0.25);
  p.eye_y = rng.range(-0.09, -0.02);
  p.eye_size = rng.range(0.08, 0.12);
  p.eye_tilt = rng.range(-0.12, 0.12);
  p.brow_y = rng.range(0.075, 0.12);
  p.brow_thickness = rng.range(0.016, 0.038);
  p.brow_angle = rng.range(-0.2, 0.2);
  p.nose_length = rng.range(0.18, 0.26);
  p.nose_width = rng.range(0.08, 0.13);
  p.mouth_y = rng.range(0.24, 0.31);
  p.mouth_width = rng.range(0.15, 0.24);
  p.mouth_curve = rng.range(-0.3, 0.6);
  // 0 short, 1 long, 2 receding, 3 fringe swept to one side, 4 curly volume.
  p.hair_style = rng.below(5);
  p.hair_line = p.hair_style == 2 ? rng.range(0.40, 0.46) : rng.range(0.30, 0.40);
  p.hair_volume = p.hair_style == 2   ? rng.range(0.0, 0.03)
                  : p.hair_style == 4 ? rng.range(0.08, 0.15)
                                      : rng.range(0.02, 0.11);
  p.ear_size = rng.range(0.12, 0.18);
  p.chin = rng.range(0.0, 1.0);
  const double facial_hair = rng.uniform();
  p.beard = facial_hair < 0.6 ? 0 : facial_hair < 0.75 ? 1 : 2;
  p.glasses = rng.uniform() < 0.25;
  // Skin from light to dark along one line, with a little jitter of hue.
  const double tone = rng.uniform();
  pick(p.skin, {236 - 120 * tone, 202 - 125 * tone, 178 - 125 * tone}, 8, rng);
  static const std::array<std::array<double, 3>, 6> hairs = {
      {{30, 24, 20}, {70, 45, 28}, {120, 80, 45}, {200, 165, 105}, {150, 65, 30}, {150, 148, 145}}};
  pick(p.hair, hairs[static_cast<std::size_t>(rng.below(6))], 12, rng);
  static const std::array<std::array<double, 3>, 5> irises = {
      {{95, 60, 30}, {70, 110, 160}, {85, 120, 70}, {120, 125, 130}, {130, 100, 50}}};
  pick(p.iris, irises[static_cast<std::size_t>(rng.below(5))], 15, rng);
  static const std::array<std::array<double, 3>, 5> backgrounds = {
      {{215, 220, 228}, {226, 221, 210}, {205, 212, 205}, {232, 232, 232}, {190, 205, 225}}};
  pick(p.background, backgrounds[static_cast<std::size_t>(rng.below(5))], 10, rng);
  pick(p.clothing, {rng.range(20, 200), rng.range(20, 200), rng.range(20, 200)}, 0, rng);
  p.texture_seed = rng.bits();
  return p;
}

std::vector<CaptureVariant> standard_variants(std::uint64_t seed) {
  Rng rng(mix64(seed ^ 0xCA97u));
  std::vector<CaptureVariant> v;
  v.push_back({"reference", 1.0, 1.0, 0, 0, 0, 0, 0, 0, 1.0, 0});
  v.push_back({"office-light", 1.1, 1.05, 3, 0, 0, 0, rng.bits(), 0.05, 1.0, 0});
  v.push_back({"dim-light", 0.6, 0.9, 6, 0, 0, 0, rng.bits(), -0.02, 1.0, 0});
  v.push_back({"noisy", 1.0, 1.0, 12, 0, 0, 0, rng.bits(), 0, 1.0, 0});
  const int sx = (rng.uniform() < 0.5 ? -1 : 1) * (10 + rng.below(11));
  const int sy = (rng.uniform() < 0.5 ? -1 : 1) * (10 + rng.below(11));
  const double rot = (rng.uniform() < 0.5 ? -1 : 1) * rng.range(1.5, 3.0);
  v.push_back({"shifted", 1.0, 1.0, 2, sx, sy, rot, rng.bits(), 0, 1.0, 0});
  return v;
}

std::vector<CaptureVariant> benchmark_variants(std::uint64_t seed) {
  Rng rng(mix64(seed ^ 0xBE7C4u));
  auto sign = [&] { return rng.uniform() < 0.5 ? -1 : 1; };
  std::vector<CaptureVariant> v;
  v.push_back({"office-light", rng.range(1.05, 1.15), 1.05, 3, 0, 0, 0, rng.bits(), 0.05, 1.0, 0});
  v.push_back({"dim-light", rng.range(0.55, 0.65), 0.9, 6, 0, 0, 0, rng.bits(), -0.02, 1.0, 0});
  v.push_back({"bright-light", rng.range(1.2, 1.3), 0.9, 3, 0, 0, 0, rng.bits(), 0, 1.0, 0});
  v.push_back({"warm-light", 0.95, 1.0, 4, 0, 0, 0, rng.bits(), rng.range(0.12, 0.18), 1.0, 0});
  v.push_back({"noisy", 1.0, 1.0, rng.range(10, 14), 0, 0, 0, rng.bits(), 0, 1.0, 0});
  const int sx = sign() * (10 + static_cast<int>(rng.below(11))), sy = sign() * (10 + static_cast<int>(rng.below(11)));
  v.push_back({"shifted", 1.0, 1.0, 2, sx, sy, sign() * rng.range(1.5, 3.0), rng.bits(), 0, 1.0, 0});
  v.push_back({"rotated", 1.0, 1.0, 2, 0, 0, sign() * rng.range(3.0, 4.0), rng.bits(), 0, 1.0, 0});
  v.push_back({"nearer", 1.0, 1.0, 2, 0, 0, 0, rng.bits(), 0, rng.range(1.04, 1.08), 0});
  v.push_back({"farther", 1.0, 1.0, 2, 0, 0, 0, rng.bits(), 0, rng.range(0.92, 0.96), 0});
  v.push_back({"low-jpeg", 1.05, 1.0, 3, 0, 0, 0, rng.bits(), 0, 1.0, 40});
  return v;
}

namespace {

bool valid_size(int width, int height) { return width > 0 && height > 0 && width <= 8192 && height <= 8192; }

// The scene for one pose (shift, rotation) before light and noise, as RGB floats.
std::vector<float> draw(const detail::Scene& scene, const CaptureVariant& pose, int width, int height) {
  std::vector<float> out(static_cast<std::size_t>(width) * height * 3);
  // Output pixel centre -> scene point: undo the shift, then rotate back about the image centre.
  const double ang = -pose.rotate_deg * kPi / 180, cs = std::cos(ang), sn = std::sin(ang);
  const double cx = width / 2.0, cy = height / 2.0;
  float* o = out.data();
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x, o += 3) {
      const double px = (x + 0.5 - pose.shift_x - cx) / pose.scale, py = (y + 0.5 - pose.shift_y - cy) / pose.scale;
      const detail::Rgb c = scene.shade(cx + px * cs - py * sn, cy + px * sn + py * cs);
      o[0] = static_cast<float>(c.r);
      o[1] = static_cast<float>(c.g);
      o[2] = static_cast<float>(c.b);
    }
  }
  return out;
}

// Light (contrast about mid-grey, gain, colour temperature) and sensor noise, then 8 bits.
image::Image expose(const std::vector<float>& scene, const CaptureVariant& v, int width, int height) {
  image::Image img = image::make(width, height, 3);
  Rng sensor(v.noise_seed);
  const double gain[3] = {v.brightness * (1 + v.warmth), v.brightness * (1 + 0.3 * v.warmth),
                          v.brightness * (1 - v.warmth)};
  const float* in = scene.data();
  std::uint8_t* out = img.pixels.data();
  for (std::size_t i = 0, n = img.pixels.size(); i < n; ++i) {
    double val = ((in[i] - 128) * v.contrast + 128) * gain[i % 3];
    if (v.noise_sigma > 0) val += v.noise_sigma * sensor.gaussian();
    out[i] = static_cast<std::uint8_t>(val <= 0 ? 0 : val >= 255 ? 255 : static_cast<int>(val + 0.5));
  }
  return img;
}

}  // namespace

image::Image render_face(const FaceParams& params, const CaptureVariant& variant, int width, int height) {
  if (!valid_size(width, height)) return {};
  const detail::Scene scene(params, width, height);
  return expose(draw(scene, variant, width, height), variant, width, height);
}

std::vector<image::Image> render_variants(const FaceParams& params, const std::vector<CaptureVariant>& variants,
                                          int width, int height) {
  std::vector<image::Image> out;
  if (!valid_size(width, height)) {
    out.resize(variants.size());
    return out;
  }
  const detail::Scene scene(params, width, height);
  std::vector<std::vector<float>> drawn(variants.size());
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const CaptureVariant& v = variants[i];
    const std::vector<float>* same = nullptr;
    for (std::size_t j = 0; j < i && !same; ++j) {
      const CaptureVariant& u = variants[j];
      if (u.shift_x == v.shift_x && u.shift_y == v.shift_y && u.rotate_deg == v.rotate_deg && u.scale == v.scale) {
        same = &drawn[j];
      }
    }
    if (same) {
      out.push_back(expose(*same, v, width, height));
    } else {
      drawn[i] = draw(scene, v, width, height);
      out.push_back(expose(drawn[i], v, width, height));
    }
  }
  return out;
}

}  // namespace gosdoki::face
