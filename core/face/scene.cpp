#include "core/face/scene.hpp"

#include <cmath>

namespace gosdoki::face::detail {
namespace {

Rgb rgb(const std::uint8_t c[3]) { return {double(c[0]), double(c[1]), double(c[2])}; }

// Uniform [0, 1) per integer lattice point.
double hash01(std::uint64_t ix, std::uint64_t iy, std::uint64_t seed) {
  const std::uint64_t h = mix64(seed ^ mix64(ix * 0x9E3779B97F4A7C15ull + iy * 0xC2B2AE3D27D4EB4Full));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

// An integral coordinate onto the 256-lattice, negative ones too (two's complement masking is
// the modulo). Coordinates come from pixel positions of at most 8192×8192 pictures.
std::uint32_t wrap(double f) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(static_cast<std::int64_t>(f)) & 255u);
}

// Coverage of a pixel by a shape whose signed distance (negative inside) is d pixels.
double cover(double d) { return d <= -0.5 ? 1.0 : d >= 0.5 ? 0.0 : 0.5 - d; }
// Smooth bump: 1 at r2 = 0, 0 from r2 = 1 on.
double bump(double r2) { return r2 < 1 ? (1 - r2) * (1 - r2) : 0; }
double sq(double v) { return v * v; }

// Approximate signed distance to an axis-aligned ellipse, good near the edge (f / |grad f|).
double ellipse_d(double x, double y, double cx, double cy, double a, double b) {
  const double u = (x - cx) / a, v = (y - cy) / b;
  const double f = u * u + v * v - 1;
  const double gx = 2 * u / a, gy = 2 * v / b;
  const double g = std::sqrt(gx * gx + gy * gy);
  return g > 1e-9 ? f / g : -std::min(a, b);
}

// Signed distance to a rounded rectangle centred at the origin (half sizes a, b, radius r).
double rounded_rect_d(double x, double y, double a, double b, double r) {
  const double qx = std::abs(x) - a + r, qy = std::abs(y) - b + r;
  const double ox = std::max(qx, 0.0), oy = std::max(qy, 0.0);
  return std::sqrt(ox * ox + oy * oy) + std::min(std::max(qx, qy), 0.0) - r;
}

}  // namespace

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Noise::Noise(std::uint64_t seed) : v_(kN * kN), d_(v_.data()) {
  for (std::size_t i = 0; i < v_.size(); ++i) v_[i] = static_cast<float>(hash01(i, 0, seed));
}

double Noise::smooth(double x, double y, int layer) const {
  const double fx = std::floor(x), fy = std::floor(y);
  double tx = x - fx, ty = y - fy;
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  const std::uint32_t ix = wrap(fx) + 97u * static_cast<std::uint32_t>(layer);
  const std::uint32_t iy = wrap(fy) + 61u * static_cast<std::uint32_t>(layer);
  const double a = at(ix, iy), b = at(ix + 1, iy), c = at(ix, iy + 1), d = at(ix + 1, iy + 1);
  const double top = a + (b - a) * tx;
  return top + ((c + (d - c) * tx) - top) * ty;
}

double Noise::grain(double x, double y, int layer) const {
  return 2 * at(wrap(std::floor(x)) + 131u * static_cast<std::uint32_t>(layer),
                wrap(std::floor(y)) + 37u * static_cast<std::uint32_t>(layer)) - 1;
}

Scene::Scene(const FaceParams& params, int width, int height)
    : p(params), W(width), H(height), noise(params.texture_seed) {
  fcx = p.face_cx * W;
  fcy = p.face_cy * H;
  fa = p.face_width * W / 2;
  fb = p.face_height * H / 2;
  for (int i = 0; i < 2; ++i) {
    const double s = i == 0 ? -1 : 1;  // -1: left in the picture
    Eye& e = eye[i];
    e.side = s;
    e.cx = fcx + s * p.eye_dx * 2 * fa;
    e.cy = fcy + p.eye_y * 2 * fb;
    e.a = p.eye_size * 2 * fa;
    e.b = e.a * 0.42;
    e.cs = std::cos(s * p.eye_tilt);
    e.sn = std::sin(s * p.eye_tilt);
  }
  brow_len = eye[0].a * 1.35;
  brow_th = p.brow_thickness * 2 * fb;
  nose_top = eye[0].cy;
  nose_bot = eye[0].cy + p.nose_length * 2 * fb;
  nose_w = p.nose_width * 2 * fa;
  mouth_x = fcx;
  mouth_y = fcy + p.mouth_y * 2 * fb;
  mouth_w = p.mouth_width * 2 * fa;
  ear_a = p.ear_size * 2 * fb * 0.33;
  ear_b = p.ear_size * 2 * fb * 0.5;
  ear_y = eye[0].cy + 0.12 * fb;
  ear_dx = face_half_width(ear_y) + ear_a * 0.05;
  const double vol = p.hair_volume * W;
  hair_cx = fcx;
  hair_cy = fcy - (p.hair_style == 2 ? 0.05 : 0.1) * fb;
  hair_a = fa + vol;
  hair_b = fb * (p.hair_style == 2 ? 0.92 : 0.98) + vol;
  hairline_y = fcy - p.hair_line * 2 * fb;
  sweep = (p.texture_seed & 1) ? 1.0 : -1.0;  // side of a swept fringe
  neck_w = fa * 0.52;
  shoulder_y = fcy + fb * 1.22;
  shoulder_a = fa * 2.7;
  shoulder_b = H * 0.4;
  vneck_w = fa * 0.45;
  vneck_d = fb * 0.45;
  frame_a = eye[0].a * 1.5;
  frame_b = eye[0].a * 1.05;
  frame_r = eye[0].a * 0.5;
  frame_t = std::max(2.0, eye[0].a * 0.09);
  skin = rgb(p.skin);
  hair = rgb(p.hair);
  iris = rgb(p.iris);
  bg = rgb(p.background);
  cloth = rgb(p.clothing);
  lip = lerp(skin, Rgb{185, 85, 90}, 0.5) * 0.92;
  frame = (p.texture_seed & 2) ? Rgb{28, 26, 30} : Rgb{110, 70, 40};
}

// Half width of the face at height y: an ellipse narrowed towards the chin.
double Scene::face_half_width(double y) const {
  const double v = std::clamp((y - fcy) / fb, -1.0, 1.0);
  const double narrow = v > 0 ? 1 - p.chin * 0.35 * v * v : 1.0;
  return fa * std::sqrt(std::max(0.0, 1 - v * v)) * narrow;
}

double Scene::face_d(double x, double y) const {
  const double v = (y - fcy) / fb;
  const double narrow = v > 0 ? 1 - p.chin * 0.35 * std::min(v * v, 1.0) : 1.0;
  return ellipse_d(x, y, fcx, fcy, fa * narrow, fb);
}

Rgb Scene::background(double x, double y) const {
  Rgb c = bg * (1.06 - 0.14 * y / H);
  c = c * (1 - 0.18 * (sq((x - W * 0.5) / W) + sq((y - H * 0.45) / H)));  // vignette
  c = plus(c, 7 * (noise.smooth(x / 45, y / 45, 0x11) - 0.5) + 3 * (noise.smooth(x / 9, y / 9, 0x12) - 0.5));
  // A soft shadow of the head on the wall, as under a light slightly left of the camera.
  const double sx = (x - hair_cx - 0.12 * fa) / (hair_a * 1.25), sy = (y - hair_cy) / (hair_b * 1.25);
  c = c * (1 - 0.12 * bump(sx * sx + sy * sy));
  return plus(c, 4 * noise.grain(x, y, 0x13));
}

Rgb Scene::hair_colour(double x, double y) const {
  double k;
  if (p.hair_style == 4) {  // curls: round blobs instead of strands
    k = 0.65 + 0.6 * noise.smooth(x / 3.5, y / 3.5, 0x27);
  } else {
    k = 0.72 + 0.5 * (noise.smooth(x / 1.7, y / 16, 0x21) * 0.6 + noise.smooth(x / 5, y / 40, 0x22) * 0.4);
  }
  // Sheen on the crown.
  const double sx = (x - hair_cx + 0.25 * hair_a) / (hair_a * 0.5), sy = (y - hair_cy + hair_b * 0.7) / (hair_b * 0.25);
  k += 0.25 * bump(sx * sx + sy * sy);
  return plus(hair * k, 6 * noise.grain(x, y, 0x23));
}

double Scene::hair_outline_d(double x, double y) const {
  const double d = ellipse_d(x, y, hair_cx, hair_cy, hair_a, hair_b);
  return p.hair_style == 4 ? d - 16 * (noise.smooth(x / 14, y / 14, 0x26) - 0.5) : d;
}

double Scene::hair_back_alpha(double x, double y) const {
  const double tip = p.hair_style == 1 ? fcy + fb * 1.25 : ear_y + (p.hair_style == 2 ? 0.0 : 0.15 * fb);
  if (std::abs(x - hair_cx) > hair_a + 10 || y < hair_cy - hair_b - 10 || y > tip + 8) return 0;
  double a = cover(hair_outline_d(x, y));
  if (p.hair_style == 1 && y > hair_cy) {  // long hair: straight falls down to the shoulders
    a = std::max(a, cover(std::abs(x - hair_cx) - hair_a * 0.97) * cover(hair_cy - y));
  }
  const double jag = 6 * noise.smooth(x / 4, 0.5, 0x24);
  return a * cover(y - tip - jag);
}

Rgb Scene::skin_colour(double x, double y, double base_shade) const {
  Rgb c = skin * base_shade;
  const double blotch = noise.smooth(x / 7, y / 7, 0x31) - 0.5;
  c = c + Rgb{6 * blotch, 3 * blotch, 2 * blotch};
  return plus(c, 4.5 * noise.grain(x, y, 0x32));
}

Rgb Scene::face_colour(double x, double y) const {
  const double u = (x - fcx) / fa, v = (y - fcy) / fb;
  const double r2 = u * u + v * v;
  double shade = (1 - 0.2 * r2 * r2) * (1 - 0.05 * u);  // rounder at the edges, light from the left
  for (const Eye& e : eye) {                             // eye sockets
    shade *= 1 - 0.09 * bump(sq((x - e.cx) / (e.a * 1.7)) + sq((y - e.cy + 0.2 * e.b) / (e.a * 1.1)));
  }
  Rgb c = skin_colour(x, y, shade);
  for (int s = -1; s <= 1; s += 2) {  // cheeks
    const double k = bump(sq((x - fcx - s * fa * 0.5) / (fa * 0.3)) + sq((y - fcy - fb * 0.15) / (fb * 0.2)));
    c = c + Rgb{10 * k, -3 * k, -3 * k};
  }
  return c;
}

// Neck with the shadow of the chin, clothes with a V-neck, ears.
void Scene::draw_body(Rgb& c, double x, double y) const {
  if (y > fcy) {
    const double a = cover(std::max(std::abs(x - fcx) - neck_w, fcy + fb * 0.3 - y));
    if (a > 0) over(c, skin_colour(x, y, 0.78 - 0.12 * bump(sq((y - fcy - fb) / (fb * 0.25)))), a);
  }
  if (y > shoulder_y - 4) {
    double d = ellipse_d(x, y, fcx, shoulder_y + shoulder_b, shoulder_a, shoulder_b);
    const double depth = (y - shoulder_y) / vneck_d;
    if (depth < 1) d = std::max(d, vneck_w * (1 - depth) - std::abs(x - fcx));
    const double a = cover(d);
    if (a > 0) {
      const double folds = noise.smooth(x / 30, y / 60, 0x61) - 0.5;
      const Rgb cl = cloth * (1 + 0.25 * folds - 0.15 * sq((x - fcx) / shoulder_a));
      over(c, plus(cl, 7 * noise.grain(x, y, 0x62)), a);
    }
  }
  if (std::abs(y - ear_y) > ear_b * 1.5) return;
  for (int s = -1; s <= 1; s += 2) {
    const double ex = fcx + s * ear_dx;
    if (std::abs(x - ex) > ear_a * 2) continue;
    const double a = cover(ellipse_d(x, y, ex, ear_y, ear_a, ear_b));
    if (a > 0) {
      const double inner = bump(sq((x - ex - s * ear_a * 0.1) / (ear_a * 0.55)) + sq((y - ear_y) / (ear_b * 0.6)));
      over(c, skin_colour(x, y, 0.9) * (1 - 0.3 * inner), a);
    }
  }
}

void Scene::draw_eye(Rgb& c, const Eye& e, double x, double y) const {
  const double dx = x - e.cx, dy = y - e.cy;
  if (std::abs(dx) > e.a * 1.8 || std::abs(dy) > e.a * 1.4) return;
  const double u = dx * e.cs + dy * e.sn, v = -dx * e.sn + dy * e.cs;
  const double t = u / e.a;
  const double hb = e.b * (1 - t * t);  // almond: lids meet at the corners
  if (std::abs(t) < 1) {  // crease above the upper lid
    over(c, c * 0.8, 0.5 * cover(std::abs(v + hb * 1.55 + e.b * 0.35) - 1.0) * (1 - t * t));
  }
  const double in_eye = cover(std::max(std::abs(v) - hb, std::abs(u) - e.a));
  if (in_eye > 0) {
    Rgb sclera = Rgb{238, 236, 230} * (0.82 + 0.18 * (1 - t * t));
    const double ri = e.b * 1.05, iv = v - 0.08 * e.b;
    const double rr = std::sqrt(u * u + iv * iv);
    // Radial fibres: noise sampled around a circle, so the pattern closes on itself.
    const double k = (8 + 1.5 * rr / ri) / std::max(rr, 1e-6);
    Rgb ir = iris * (0.7 + 0.55 * noise.smooth(100 + u * k, 100 + iv * k, 0x41));
    ir = ir * (1 - 0.45 * std::clamp((rr / ri - 0.8) / 0.2, 0.0, 1.0));  // limbal ring
    over(sclera, ir, cover(rr - ri));
    over(sclera, Rgb{14, 12, 12}, cover(rr - ri * 0.42));
    over(sclera, Rgb{250, 250, 250}, 0.9 * cover(std::sqrt(sq(u + ri * 0.35) + sq(iv + ri * 0.35)) - ri * 0.16));
    sclera = sclera * (1 - 0.25 * cover(v + hb - e.b * 0.25));  // shadow of the upper lid
    over(c, sclera, in_eye);
  }
  // Lash line along the upper lid, a thinner one along the lower lid.
  const double lt = std::max(1.6, e.b * 0.14);
  if (std::abs(t) < 1.08) {
    const double hb2 = e.b * std::max(0.0, 1 - t * t);
    over(c, hair * 0.3, cover(std::abs(v + hb2 + lt * 0.2) - lt * 0.6));
    over(c, c * 0.7, 0.6 * cover(std::abs(v - hb2) - lt * 0.25));
  }
}

void Scene::draw_brow(Rgb& c, const Eye& e, double x, double y) const {
  const double dx = x - (e.cx + e.side * e.a * 0.1), dy = y - (e.cy - p.brow_y * 2 * fb);
  if (std::abs(dx) > brow_len * 1.3 || std::abs(dy) > brow_len) return;
  const double cs = std::cos(e.side * p.brow_angle), sn = std::sin(e.side * p.brow_angle);
  const double u = dx * cs + dy * sn, v = -dx * sn + dy * cs;
  const double t = u / brow_len;
  const double centre = -0.16 * brow_len * (1 - t * t);
  const double inner = -e.side * t;  // 1 at the end near the nose
  const double th = brow_th * std::max(0.35, 0.75 + 0.35 * inner - 0.25 * t * t);
  const double a = cover(std::max(std::abs(v - centre) - th / 2, std::abs(u) - brow_len));
  if (a > 0) over(c, hair * (0.55 + 0.45 * noise.smooth(u / 1.5 + v / 4, v / 1.5, 0x51)), a * 0.92);
}

void Scene::draw_nose(Rgb& c, double x, double y) const {
  if (y < nose_top - 5 || y > nose_bot + nose_w || std::abs(x - fcx) > nose_w * 1.5) return;
  const double t = std::clamp((y - nose_top) / (nose_bot - nose_top), 0.0, 1.0);
  // Bridge highlight and side shadows widening towards the tip.
  c = c * (1 + 0.05 * bump(sq((x - fcx) / (nose_w * 0.25))) * t);
  for (int s = -1; s <= 1; s += 2) {
    const double sx = (x - (fcx + s * nose_w * (0.35 + 0.35 * t))) / (nose_w * 0.3);
    c = c * (1 - 0.13 * bump(sx * sx) * std::clamp(t * 1.6 - 0.3, 0.0, 1.0));
  }
  c = c * (1 + 0.07 * bump(sq((x - fcx) / (nose_w * 0.45)) + sq((y - (nose_bot - nose_w * 0.4)) / (nose_w * 0.4))));
  c = c * (1 - 0.14 * bump(sq((x - fcx) / nose_w) + sq((y - (nose_bot + nose_w * 0.15)) / (nose_w * 0.3))));
  for (int s = -1; s <= 1; s += 2) {
    const double d = ellipse_d(x, y, fcx + s * nose_w * 0.42, nose_bot - nose_w * 0.05, nose_w * 0.26, nose_w * 0.13);
    over(c, skin * 0.35, 0.9 * cover(d));
  }
}

// Facial hair: 1 = moustache, 2 = full beard (sideburns, jaw and chin, a little outside the face).
void Scene::draw_beard(Rgb& c, double x, double y, double fd) const {
  if (p.beard <= 0 || y < ear_y - 4) return;
  const double density = 0.8 + 0.2 * noise.smooth(x / 2, y / 2, 0x71);
  if (p.beard >= 2) {
    const double ux = std::min(std::abs(x - fcx) / fa, 1.0);
    const double top = ear_y + (nose_bot + 0.1 * fb - ear_y) * (1 - ux * ux * ux * ux);
    const double jag = 4 * noise.smooth(x / 3, y / 3, 0x72);
    const double outside = 0.08 * fb * std::clamp((y - fcy) / fb, 0.0, 1.0);
    const double a = cover(std::max(top - y + jag, fd - outside - jag));
    if (a > 0) over(c, hair_colour(x, y) * 0.9, a * density);
  }
  const double lip_gap = mouth_y - nose_bot;
  const double d = ellipse_d(x, y, fcx, nose_bot + lip_gap * 0.55, mouth_w * 1.05, lip_gap * 0.36);
  const double a = cover(d - 2 * noise.smooth(x / 2, 0.5, 0x73));
  if (a > 0) over(c, hair_colour(x, y) * 0.85, a * density);
}

void Scene::draw_mouth(Rgb& c, double x, double y) const {
  const double dx = x - mouth_x;
  if (std::abs(dx) > mouth_w * 1.2 || std::abs(y - mouth_y) > mouth_w) return;
  const double t = dx / mouth_w;
  const double line = mouth_y + p.mouth_curve * mouth_w * 0.12 * (1 - 2 * t * t);
  const double w = std::max(0.0, 1 - t * t);
  const double up = mouth_w * 0.26 * std::sqrt(w) * (1 - 0.25 * bump(t * t * 16));  // Cupid's bow
  const double lo = mouth_w * 0.32 * w;
  const double side = std::abs(dx) - mouth_w;
  over(c, lip * (0.92 - 0.1 * (line - y) / std::max(up, 1.0)), cover(std::max({line - up - y, y - line, side})));
  over(c, lip * (1.05 - 0.12 * (y - line) / std::max(lo, 1.0)), cover(std::max({y - line - lo, line - y, side})));
  over(c, Rgb{80, 35, 40}, 0.9 * cover(std::max(std::abs(y - line) - 0.9, side + 1)));
  c = c * (1 - 0.08 * bump(sq(dx / (mouth_w * 0.6)) + sq((y - (line + lo + mouth_w * 0.12)) / (mouth_w * 0.12))));
}

// Rounded frames round the eyes, a bridge, and the arms running to the ears.
void Scene::draw_glasses(Rgb& c, double x, double y) const {
  if (!p.glasses) return;
  for (const Eye& e : eye) {
    const double ly = e.cy + 0.1 * e.b;
    if (std::abs(x - e.cx) > frame_a + 4 || std::abs(y - ly) > frame_b + 4) continue;
    const double d = rounded_rect_d(x - e.cx, y - ly, frame_a, frame_b, frame_r);
    if (d < 0) c = lerp(c, Rgb{235, 240, 245}, 0.07);  // lens
    over(c, frame, cover(std::abs(d) - frame_t / 2));
  }
  const double bar_y = eye[0].cy - 0.2 * eye[0].b;
  const double inner = eye[1].cx - frame_a - fcx;  // half gap between the frames
  over(c, frame, cover(std::max(std::abs(x - fcx) - inner - 1, std::abs(y - bar_y) - frame_t / 2)));
  const double outer = eye[1].cx + frame_a - fcx, reach = face_half_width(bar_y);
  const double ax = std::abs(x - fcx);
  const double arm = std::max({outer - 1 - ax, ax - reach, std::abs(y - bar_y + frame_b * 0.3) - frame_t / 2});
  over(c, frame, cover(arm));
}

// Hair over the forehead: inside the hair shape and above the hairline (swept to one side for
// style 3).
void Scene::draw_fringe(Rgb& c, double x, double y) const {
  if (y > hairline_y + fb * 0.55) return;
  const double in_hair = cover(hair_outline_d(x, y));
  if (in_hair <= 0) return;
  const double ux = (x - fcx) / fa;
  double line = hairline_y + fb * 0.35 * ux * ux + 4 * noise.smooth(x / 3, 0.5, 0x25);
  if (p.hair_style == 3) line += fb * 0.15 * std::clamp(0.5 + 0.7 * sweep * ux, 0.0, 1.0);
  const double a = in_hair * cover(y - line);
  if (a > 0) over(c, hair_colour(x, y), a);
}

Rgb Scene::shade(double x, double y) const {
  Rgb c = background(x, y);
  const double hb_alpha = hair_back_alpha(x, y);
  if (hb_alpha > 0) over(c, hair_colour(x, y), hb_alpha);
  draw_body(c, x, y);
  // The face, and what lies on it; the box test spares the distance for most of the picture.
  const double fd = std::abs(x - fcx) > fa + fb * 0.2 + 2 || std::abs(y - fcy) > fb * 1.2 + 2 ? fb : face_d(x, y);
  if (fd < fb * 0.2) {
    const double fa_alpha = cover(fd);
    if (fa_alpha > 0) over(c, face_colour(x, y), fa_alpha);
    draw_beard(c, x, y, fd);
    if (fd < 0) {
      for (const Eye& e : eye) draw_eye(c, e, x, y);
      for (const Eye& e : eye) draw_brow(c, e, x, y);
      draw_nose(c, x, y);
      draw_mouth(c, x, y);
      draw_glasses(c, x, y);
    }
  }
  draw_fringe(c, x, y);
  return c;
}

}  // namespace gosdoki::face::detail
