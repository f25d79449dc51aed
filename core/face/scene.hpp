#pragma once
// Internal to core/face: the analytic picture behind render_face. Every shape has a signed
// distance in pixels, so edges are anti-aliased by coverage; textures come from a hashed
// lattice, so the same parameters give the same pixels.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/face/face.hpp"

namespace gosdoki::face::detail {

std::uint64_t mix64(std::uint64_t z);  // splitmix64 finaliser

struct Rgb {
  double r = 0, g = 0, b = 0;
};
inline Rgb operator*(Rgb a, double k) { return {a.r * k, a.g * k, a.b * k}; }
inline Rgb operator+(Rgb a, Rgb b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
inline Rgb plus(Rgb a, double v) { return {a.r + v, a.g + v, a.b + v}; }
inline Rgb lerp(Rgb a, Rgb b, double t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
inline void over(Rgb& dst, Rgb src, double alpha) {
  if (alpha > 0) dst = lerp(dst, src, std::min(alpha, 1.0));
}

// Lattice of uniform values that tiles every 256 units, built once per picture; each texture
// layer reads it at its own offset, so one table serves them all.
class Noise {
 public:
  explicit Noise(std::uint64_t seed);
  Noise(const Noise&) = delete;  // d_ points into v_
  Noise& operator=(const Noise&) = delete;
  double smooth(double x, double y, int layer) const;  // value noise in [0, 1], one cell per unit
  double grain(double x, double y, int layer) const;   // per-pixel grain in [-1, 1)

 private:
  static constexpr std::uint32_t kN = 256;
  double at(std::uint32_t ix, std::uint32_t iy) const { return d_[(iy & (kN - 1)) * kN + (ix & (kN - 1))]; }
  std::vector<float> v_;
  const float* d_;  // v_.data(), read on every pixel
};

struct Eye {
  double cx, cy, a, b, cs, sn, side;
};

// Pixel geometry of one face for one picture size, computed once.
class Scene {
 public:
  Scene(const FaceParams& params, int width, int height);
  Rgb shade(double x, double y) const;  // colour at scene point (x, y), in pixels

 private:
  double face_half_width(double y) const;
  double face_d(double x, double y) const;
  Rgb background(double x, double y) const;
  Rgb hair_colour(double x, double y) const;
  double hair_outline_d(double x, double y) const;
  double hair_back_alpha(double x, double y) const;
  Rgb skin_colour(double x, double y, double base_shade) const;
  Rgb face_colour(double x, double y) const;
  void draw_body(Rgb& c, double x, double y) const;
  void draw_eye(Rgb& c, const Eye& e, double x, double y) const;
  void draw_brow(Rgb& c, const Eye& e, double x, double y) const;
  void draw_nose(Rgb& c, double x, double y) const;
  void draw_beard(Rgb& c, double x, double y, double fd) const;
  void draw_mouth(Rgb& c, double x, double y) const;
  void draw_glasses(Rgb& c, double x, double y) const;
  void draw_fringe(Rgb& c, double x, double y) const;

  const FaceParams& p;
  double W, H;
  double fcx, fcy, fa, fb;  // face centre and half axes
  Eye eye[2];
  double brow_len, brow_th;
  double nose_top, nose_bot, nose_w;
  double mouth_x, mouth_y, mouth_w;
  double ear_a, ear_b, ear_y, ear_dx;
  double hair_cx, hair_cy, hair_a, hair_b, hairline_y, sweep;
  double neck_w, shoulder_y, shoulder_a, shoulder_b, vneck_w, vneck_d;
  double frame_a, frame_b, frame_r, frame_t;
  Rgb skin, hair, iris, bg, cloth, lip, frame;
  Noise noise;
};

}  // namespace gosdoki::face::detail
