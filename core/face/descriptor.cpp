// The image descriptor behind the default face matcher.
//
// It works on a grey canvas: the picture is centre-cropped to 3:4, box-averaged to 96×128 and
// normalised to zero mean and unit variance. Two parts, each compared by cosine similarity:
//  - HOG-like: gradient-orientation histograms (9 unsigned bins) over 8×8-pixel cells, each cell
//    divided by the energy of its 3×3 neighbourhood, so local contrast does not count;
//  - a band-passed thumbnail (canvas minus its local mean, 2×2 blocks), which carries the layout
//    of eyes, brows, nose, mouth and hair.
// Both are weighted towards the centre, where the face is. The probe is posed (scale, rotation,
// shift, then a sub-pixel shift) to best fit the reference, so a face a little nearer or
// farther, a tilted head or a few pixels of misalignment do not count.
#include "core/face/descriptor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace gosdoki::face::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kCanvasW = 96, kCanvasH = 128;  // 3:4, like the 480×640 the ЕПГУ asks for
constexpr int kMargin = 8;                    // shift search radius in canvas pixels (40 px at 480×640)
constexpr int kCell = 8, kBins = 9;
constexpr int kWinW = kCanvasW - 2 * kMargin, kWinH = kCanvasH - 2 * kMargin;  // 80×112
constexpr int kCellsX = kWinW / kCell, kCellsY = kWinH / kCell;                // 10×14
constexpr int kThumbStep = 2;   // the fine thumbnail: 40×56 blocks of 2×2
constexpr int kCoarseStep = 4;  // the coarse thumbnail for the pose search: 20×28 blocks of 4×4
constexpr int kThumbW = kWinW / kThumbStep, kThumbH = kWinH / kThumbStep;
constexpr int kBandRadius = 4;       // canvas pixels: the local mean removed from the thumbnails
constexpr double kHogWeight = 0.3;   // score = w · cos(HOG) + (1 − w) · cos(fine thumbnail)
constexpr double kCentre = 4;        // Gaussian centre weighting exp(−k·r²), r in window units
constexpr double kMaxRotation = 4;   // degrees searched either way
constexpr double kRotationStep = 1;  // degrees
constexpr double kZooms[] = {1.0, 0.92, 0.96, 1.04, 1.08};  // scales searched (the face ±8 % in size)
// These values were picked on the synthetic fixture faces (40 persons × 4 capture variants):
// band radius 4 to 9, centre weight 2 to 8 and HOG weight 0.2 to 0.7 all separate them; this
// choice gave the widest gap between the lowest genuine and the highest impostor score.

// Summed-area table of a w×h plane, (w+1)×(h+1) entries.
Plane integral(const Plane& plane, int w, int h) {
  Plane s(static_cast<std::size_t>(w + 1) * (h + 1), 0.0);
  const auto W = static_cast<std::size_t>(w + 1);
  for (int y = 0; y < h; ++y) {
    double run = 0;
    const double* src = plane.data() + static_cast<std::size_t>(y) * w;
    double* out = s.data() + (y + 1) * W + 1;
    const double* above = s.data() + y * W + 1;
    for (int x = 0; x < w; ++x) {
      run += src[x];
      out[x] = above[x] + run;
    }
  }
  return s;
}

// Divides v by the square root of sum2 (its squared norm), making it unit length.
void scale(Plane& v, double sum2) {
  if (sum2 <= 1e-24) return;
  const double k = 1 / std::sqrt(sum2);
  double* p = v.data();
  for (std::size_t i = 0, n = v.size(); i < n; ++i) p[i] *= k;
}

void normalise(Plane& v) {  // zero mean, unit variance
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / static_cast<double>(v.size()));
  for (double& x : v) x = (x - mean) / (sd > 1e-6 ? sd : 1.0);
}

}  // namespace

// Grey canvas: centre crop to 3:4, each canvas pixel the mean of its box of source pixels.
Plane make_canvas(const image::Image& img) {
  int cw = img.width, ch = img.height;
  if (static_cast<std::int64_t>(cw) * 4 > static_cast<std::int64_t>(ch) * 3) {
    cw = static_cast<int>(static_cast<std::int64_t>(ch) * 3 / 4);
  } else {
    ch = static_cast<int>(static_cast<std::int64_t>(cw) * 4 / 3);
  }
  cw = std::max(cw, 1);
  ch = std::max(ch, 1);
  const int x0 = (img.width - cw) / 2, y0 = (img.height - ch) / 2;
  std::vector<int> xs(kCanvasW + 1), ys(kCanvasH + 1);  // box edges; small sources repeat pixels
  for (int i = 0; i <= kCanvasW; ++i) xs[i] = static_cast<int>(static_cast<std::int64_t>(i) * cw / kCanvasW);
  for (int i = 0; i <= kCanvasH; ++i) ys[i] = static_cast<int>(static_cast<std::int64_t>(i) * ch / kCanvasH);
  // Channel sums per canvas column over the rows of one canvas row, then Rec.601 luma of the
  // box means (luma is linear, so summing first is exact).
  Plane canvas(static_cast<std::size_t>(kCanvasW) * kCanvasH, 0.0);
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(kCanvasW) * 3);
  std::vector<int> xe(kCanvasW);  // end of each column's box (at least one pixel)
  for (int cx = 0; cx < kCanvasW; ++cx) xe[cx] = std::max(xs[cx + 1], xs[cx] + 1);  // <= cw
  const int C = img.channels;
  const int* xa = xs.data();
  const int* xb = xe.data();
  for (int cy = 0; cy < kCanvasH; ++cy) {
    const int ya = ys[cy], yb = std::max(ys[cy + 1], ya + 1);  // <= ch
    std::uint64_t* acc = sums.data();
    for (int i = 0; i < 3 * kCanvasW; ++i) acc[i] = 0;
    for (int y = ya; y < yb; ++y) {
      const std::uint8_t* row = img.row(y0 + y) + static_cast<std::size_t>(x0) * C;
      for (int cx = 0; cx < kCanvasW; ++cx) {
        const std::uint8_t* p = row + static_cast<std::size_t>(xa[cx]) * C;
        const std::uint8_t* end = row + static_cast<std::size_t>(xb[cx]) * C;
        std::uint64_t r = 0, g = 0, b = 0;
        if (C == 3) {
          for (; p < end; p += 3) r += p[0], g += p[1], b += p[2];
        } else {
          for (; p < end; ++p) r += p[0];
          g = b = r;
        }
        acc[3 * cx] += r, acc[3 * cx + 1] += g, acc[3 * cx + 2] += b;
      }
    }
    double* out = canvas.data() + static_cast<std::size_t>(cy) * kCanvasW;
    for (int cx = 0; cx < kCanvasW; ++cx) {
      const double n = static_cast<double>(xb[cx] - xa[cx]) * (yb - ya);
      const std::uint64_t* a = acc + 3 * cx;
      out[cx] = (0.299 * static_cast<double>(a[0]) + 0.587 * static_cast<double>(a[1]) +
                 0.114 * static_cast<double>(a[2])) / n;
    }
  }
  normalise(canvas);
  return canvas;
}

namespace {

// Bilinear rotation about the canvas centre, then a (sub-pixel) translation of the sampling
// point by (tx, ty); outside samples clamp to the border.
// The canvas rotated by `deg`, shifted by (tx, ty) and sampled `zoom` times wider about the
// centre (zoom > 1 shrinks a face that came out larger, as from nearer the camera).
Plane rotate(const Plane& src, double deg, double tx = 0, double ty = 0, double zoom = 1) {
  if (deg == 0 && tx == 0 && ty == 0 && zoom == 1) return src;
  const double a = deg * kPi / 180, cs = std::cos(a), sn = std::sin(a);
  const double cx = kCanvasW / 2.0, cy = kCanvasH / 2.0;
  Plane out(src.size());
  for (int y = 0; y < kCanvasH; ++y) {
    for (int x = 0; x < kCanvasW; ++x) {
      const double px = x + 0.5 - cx, py = y + 0.5 - cy;
      const double sx = std::clamp(cx + (px * cs + py * sn) * zoom - 0.5 + tx, 0.0, kCanvasW - 1.0);
      const double sy = std::clamp(cy + (py * cs - px * sn) * zoom - 0.5 + ty, 0.0, kCanvasH - 1.0);
      const int ix = std::min(static_cast<int>(sx), kCanvasW - 2), iy = std::min(static_cast<int>(sy), kCanvasH - 2);
      const double fx = sx - ix, fy = sy - iy;
      const double* p = src.data() + static_cast<std::size_t>(iy) * kCanvasW + ix;
      out[static_cast<std::size_t>(y) * kCanvasW + x] =
          (p[0] * (1 - fx) + p[1] * fx) * (1 - fy) + (p[kCanvasW] * (1 - fx) + p[kCanvasW + 1] * fx) * fy;
    }
  }
  return out;
}

// Band-pass: the canvas minus the mean of its (2r+1)² neighbourhood (clipped at the border),
// returned as a summed-area table so that any block sum is four look-ups.
Plane band_table(const Plane& cv) {
  const Plane sat = integral(cv, kCanvasW, kCanvasH);
  const auto W = static_cast<std::size_t>(kCanvasW + 1);
  const double* s = sat.data();
  const double* c = cv.data();
  Plane band(cv.size());
  double* out = band.data();
  for (int y = 0; y < kCanvasH; ++y) {
    const int ya = y - kBandRadius < 0 ? 0 : y - kBandRadius;
    const int yb = y + kBandRadius + 1 > kCanvasH ? kCanvasH : y + kBandRadius + 1;
    const double* top = s + static_cast<std::size_t>(ya) * W;
    const double* bottom = s + static_cast<std::size_t>(yb) * W;
    for (int x = 0; x < kCanvasW; ++x) {
      const int xa = x - kBandRadius < 0 ? 0 : x - kBandRadius;
      const int xb = x + kBandRadius + 1 > kCanvasW ? kCanvasW : x + kBandRadius + 1;
      const double sum = bottom[xb] - top[xb] - bottom[xa] + top[xa];
      out[y * kCanvasW + x] = c[y * kCanvasW + x] - sum / ((xb - xa) * (yb - ya));
    }
  }
  return integral(band, kCanvasW, kCanvasH);
}

// Unsigned gradient orientation in [0, π), from a polynomial arctangent (error < 0.3°, plenty
// for 20° bins, and several times faster than std::atan2 in debug builds).
double orientation(double gx, double gy) {
  if (gy < 0) gx = -gx, gy = -gy;  // unsigned: fold (gx, gy) into the upper half-plane
  const double ax = std::abs(gx);
  double a;
  if (ax >= gy) {
    const double z = gy / ax;  // ax > 0 here, as the magnitude is not zero
    a = z * (kPi / 4 + 0.273 * (1 - z));
  } else {
    const double z = ax / gy;
    a = kPi / 2 - z * (kPi / 4 + 0.273 * (1 - z));
  }
  const double theta = gx >= 0 ? a : kPi - a;
  return theta >= kPi ? 0.0 : theta;
}

// Summed-area tables of gradient magnitude per orientation bin, interleaved: entry
// ((y · (kCanvasW + 1)) + x) · kBins + b. Central differences, each pixel voting linearly
// between the two nearest of 9 unsigned orientation bins.
Plane gradient_tables(const Plane& cv) {
  const auto W = static_cast<std::size_t>(kCanvasW + 1);
  Plane t(W * (kCanvasH + 1) * kBins, 0.0);
  const double* c = cv.data();
  for (int y = 0; y < kCanvasH; ++y) {
    const double* up = c + (y > 0 ? y - 1 : y) * kCanvasW;
    const double* down = c + (y < kCanvasH - 1 ? y + 1 : y) * kCanvasW;
    const double* row = c + y * kCanvasW;
    double* cell = t.data() + ((y + 1) * W + 1) * kBins;
    for (int x = 0; x < kCanvasW; ++x, cell += kBins) {
      const double gx = row[x < kCanvasW - 1 ? x + 1 : x] - row[x > 0 ? x - 1 : x];
      const double gy = down[x] - up[x];
      const double m = std::sqrt(gx * gx + gy * gy);
      if (m <= 1e-12) continue;
      double pos = orientation(gx, gy) * (kBins / kPi) - 0.5;  // bin centres at (i + 0.5)·π/9
      if (pos < 0) pos += kBins;
      const int whole = static_cast<int>(pos);  // 0..9: pos may round up to exactly 9.0
      const double w1 = pos - whole;
      const int b0 = whole < kBins ? whole : whole - kBins, b1 = b0 + 1 < kBins ? b0 + 1 : 0;
      cell[b0] += m * (1 - w1);
      cell[b1] += m * w1;
    }
  }
  // In-place prefix sums along rows, then along columns.
  for (std::size_t y = 1; y <= static_cast<std::size_t>(kCanvasH); ++y) {
    double* row = t.data() + y * W * kBins;
    for (std::size_t i = kBins; i < W * kBins; ++i) row[i] += row[i - kBins];
    const double* above = row - W * kBins;
    for (std::size_t i = 0; i < W * kBins; ++i) row[i] += above[i];
  }
  return t;
}

double centre_weight(double u, double v) {  // u, v in window units, face slightly above centre
  const double du = u - 0.5, dv = v - 0.45;
  return std::exp(-kCentre * (du * du + dv * dv));
}

// Centre weights of the three grids, computed once.
struct Weights {
  Plane cell, thumb, coarse;
  static Plane grid(int w, int h) {
    Plane g(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) g[static_cast<std::size_t>(y) * w + x] = centre_weight((x + 0.5) / w, (y + 0.5) / h);
    return g;
  }
  Weights()
      : cell(grid(kCellsX, kCellsY)), thumb(grid(kThumbW, kThumbH)),
        coarse(grid(kWinW / kCoarseStep, kWinH / kCoarseStep)) {}
};

const Weights& weights() {
  static const Weights w;
  return w;
}

// Block sums of the band-passed canvas over the window at (kMargin + dx, kMargin + dy), centre
// weighted, unit length.
void thumbnail(const Plane& band, int dx, int dy, int step, const Plane& w, Plane& out) {
  const int tw = kWinW / step, th = kWinH / step;
  out.resize(static_cast<std::size_t>(tw) * th);
  const auto W = static_cast<std::size_t>(kCanvasW + 1);
  const double* s = band.data();
  double norm = 0;
  for (int ty = 0; ty < th; ++ty) {
    const std::size_t y0 = static_cast<std::size_t>(kMargin + dy + ty * step), y1 = y0 + step;
    for (int tx = 0; tx < tw; ++tx) {
      const std::size_t x0 = static_cast<std::size_t>(kMargin + dx + tx * step), x1 = x0 + step;
      const std::size_t t = static_cast<std::size_t>(ty) * tw + tx;
      const double v = w[t] * (s[y1 * W + x1] - s[y0 * W + x1] - s[y1 * W + x0] + s[y0 * W + x0]);
      out[t] = v;
      norm += v * v;
    }
  }
  scale(out, norm);
}

// HOG part over the same window: cells of kCell pixels, each divided by the RMS energy of its
// 3×3 neighbourhood and clipped, centre weighted, unit length.
void hog(const Plane& bins, int dx, int dy, Plane& out, Plane& energy) {
  const Plane& w = weights().cell;
  const auto W = static_cast<std::size_t>(kCanvasW + 1);
  out.resize(static_cast<std::size_t>(kCellsX) * kCellsY * kBins);
  energy.assign(static_cast<std::size_t>(kCellsX) * kCellsY, 0.0);
  const double* s = bins.data();
  for (int cy = 0; cy < kCellsY; ++cy) {
    const std::size_t y0 = static_cast<std::size_t>(kMargin + dy + cy * kCell), y1 = y0 + kCell;
    for (int cx = 0; cx < kCellsX; ++cx) {
      const std::size_t x0 = static_cast<std::size_t>(kMargin + dx + cx * kCell), x1 = x0 + kCell;
      const std::size_t c = static_cast<std::size_t>(cy) * kCellsX + cx;
      const double* a = s + (y1 * W + x1) * kBins;
      const double* b = s + (y0 * W + x1) * kBins;
      const double* d = s + (y1 * W + x0) * kBins;
      const double* e = s + (y0 * W + x0) * kBins;
      double* o = out.data() + c * kBins;
      double sum2 = 0;
      for (int k = 0; k < kBins; ++k) {
        o[k] = a[k] - b[k] - d[k] + e[k];
        sum2 += o[k] * o[k];
      }
      energy[c] = sum2;
    }
  }
  double norm = 0;
  for (int cy = 0; cy < kCellsY; ++cy) {
    for (int cx = 0; cx < kCellsX; ++cx) {
      double e = 0;
      for (int ny = std::max(0, cy - 1); ny <= std::min(kCellsY - 1, cy + 1); ++ny)
        for (int nx = std::max(0, cx - 1); nx <= std::min(kCellsX - 1, cx + 1); ++nx)
          e += energy[static_cast<std::size_t>(ny) * kCellsX + nx];
      const std::size_t c = static_cast<std::size_t>(cy) * kCellsX + cx;
      const double k = 1 / std::sqrt(e / 9 + 1e-3);
      double* o = out.data() + c * kBins;
      for (int b = 0; b < kBins; ++b) {
        const double v = w[c] * std::min(o[b] * k, 0.6);
        o[b] = v;
        norm += v * v;
      }
    }
  }
  scale(out, norm);
}

double dot(const Plane& a, const Plane& b) {
  double s = 0;
  const double* p = a.data();
  const double* q = b.data();
  for (std::size_t i = 0, n = a.size(); i < n; ++i) s += p[i] * q[i];
  return s;
}

// Coarse blocks of the window for one rotation of the probe: top-left corners (unshifted) of
// kCoarseStep-sized blocks whose centres are the window's block centres rotated about the
// canvas centre, as rotate() maps them. Blocks stay axis-aligned: good enough to find the pose.
struct CoarseGrid {
  double degrees = 0;
  std::vector<int> x, y;
};

std::vector<CoarseGrid> make_coarse_grids() {
  const int n = 2 * static_cast<int>(std::lround(kMaxRotation / kRotationStep)) + 1;
  const int tw = kWinW / kCoarseStep, th = kWinH / kCoarseStep;
  std::vector<CoarseGrid> grids(static_cast<std::size_t>(n));
  for (int r = 0; r < n; ++r) {
    CoarseGrid& g = grids[static_cast<std::size_t>(r)];
    g.degrees = (r - n / 2) * kRotationStep;
    const double a = g.degrees * kPi / 180, cs = std::cos(a), sn = std::sin(a);
    for (int ty = 0; ty < th; ++ty)
      for (int tx = 0; tx < tw; ++tx) {
        const double px = kMargin + (tx + 0.5) * kCoarseStep - kCanvasW / 2.0;
        const double py = kMargin + (ty + 0.5) * kCoarseStep - kCanvasH / 2.0;
        const double sx = kCanvasW / 2.0 + px * cs + py * sn, sy = kCanvasH / 2.0 - px * sn + py * cs;
        g.x.push_back(static_cast<int>(std::lround(sx - kCoarseStep / 2.0)));
        g.y.push_back(static_cast<int>(std::lround(sy - kCoarseStep / 2.0)));
      }
  }
  return grids;
}

const std::vector<CoarseGrid>& coarse_grids() {
  static const std::vector<CoarseGrid> g = make_coarse_grids();
  return g;
}

// Coarse, centre-weighted, unit-length thumbnail of the probe's band table on a grid, shifted.
void coarse_thumbnail(const Plane& band, const CoarseGrid& g, int dx, int dy, Plane& out) {
  const Plane& w = weights().coarse;
  const auto W = static_cast<std::size_t>(kCanvasW + 1);
  const double* s = band.data();
  out.resize(g.x.size());
  const int* gx = g.x.data();
  const int* gy = g.y.data();
  const double* wt = w.data();
  double* o = out.data();
  double norm = 0;
  for (std::size_t t = 0, n = g.x.size(); t < n; ++t) {
    int x = gx[t] + dx, y = gy[t] + dy;
    x = x < 0 ? 0 : x > kCanvasW - kCoarseStep ? kCanvasW - kCoarseStep : x;
    y = y < 0 ? 0 : y > kCanvasH - kCoarseStep ? kCanvasH - kCoarseStep : y;
    const auto x0 = static_cast<std::size_t>(x), y0 = static_cast<std::size_t>(y);
    const std::size_t x1 = x0 + kCoarseStep, y1 = y0 + kCoarseStep;
    const double v = wt[t] * (s[y1 * W + x1] - s[y0 * W + x1] - s[y1 * W + x0] + s[y0 * W + x0]);
    o[t] = v;
    norm += v * v;
  }
  scale(out, norm);
}

}  // namespace

// The probe is posed (rotation, shift) to best fit the reference:
//  1. shifts on a grid of step 2 at rotation 0, by the coarse thumbnail;
//  2. every rotation from -4° to 4° (step 1°), shifts within ±1 of that, by the coarse thumbnail;
//  3. the full descriptor (HOG + fine thumbnail) of the probe rotated to the best rotation, by
//     an integer hill climb from the best shift, then one sub-pixel step;
// the score is the best full similarity met.
double best_score(const Plane& unscaled_probe, const Plane& reference_canvas) {
  const Weights& w = weights();
  const std::vector<CoarseGrid>& grids = coarse_grids();
  const std::size_t mid = grids.size() / 2;

  const Plane ref_band = band_table(reference_canvas);
  Plane ref_coarse, coarse, energy, ref_hog, ref_thumb, hog_d, thumb_d;
  coarse_thumbnail(ref_band, grids[mid], 0, 0, ref_coarse);
  hog(gradient_tables(reference_canvas), 0, 0, ref_hog, energy);
  thumbnail(ref_band, 0, 0, kThumbStep, w.thumb, ref_thumb);

  // Scale first: the face nearer or farther from the camera than in the reference. Each zoom
  // gets the coarse shift search; the best one is posed in full below.
  Plane probe_canvas, band;
  int bx = 0, by = 0;
  double best = -2;
  for (double zoom : kZooms) {
    Plane zoomed = rotate(unscaled_probe, 0, 0, 0, zoom);
    Plane zoomed_band = band_table(zoomed);
    bool better = false;
    for (int dy = -kMargin; dy <= kMargin; dy += 2)
      for (int dx = -kMargin; dx <= kMargin; dx += 2) {
        coarse_thumbnail(zoomed_band, grids[mid], dx, dy, coarse);
        const double s = dot(coarse, ref_coarse);
        if (s > best) best = s, bx = dx, by = dy, better = true;
      }
    if (better) {
      probe_canvas = std::move(zoomed);
      band = std::move(zoomed_band);
    }
  }
  auto coarse_score = [&](const CoarseGrid& g, int dx, int dy) {
    coarse_thumbnail(band, g, dx, dy, coarse);
    return dot(coarse, ref_coarse);
  };
  std::size_t rot = mid;
  int rx = bx, ry = by;
  for (std::size_t r = 0; r < grids.size(); ++r)
    for (int dy = std::max(-kMargin, by - 1); dy <= std::min(kMargin, by + 1); ++dy)
      for (int dx = std::max(-kMargin, bx - 1); dx <= std::min(kMargin, bx + 1); ++dx) {
        const double s = coarse_score(grids[r], dx, dy);
        if (s > best) best = s, rot = r, rx = dx, ry = dy;
      }

  const double deg = grids[rot].degrees;
  const Plane posed = rotate(probe_canvas, deg);
  const Plane posed_band = rot == mid ? band : band_table(posed);
  const Plane posed_bins = gradient_tables(posed);
  auto full_score = [&](const Plane& b, const Plane& bins, int dx, int dy) {
    hog(bins, dx, dy, hog_d, energy);
    thumbnail(b, dx, dy, kThumbStep, w.thumb, thumb_d);
    return kHogWeight * dot(hog_d, ref_hog) + (1 - kHogWeight) * dot(thumb_d, ref_thumb);
  };
  // Integer hill climb from the coarse pose, remembering scores for the sub-pixel fit.
  constexpr int kSpan = 2 * kMargin + 1;
  std::vector<double> memo(kSpan * kSpan, -3);
  auto at = [&](int dx, int dy) {
    if (std::abs(dx) > kMargin || std::abs(dy) > kMargin) return -2.0;
    double& m = memo[static_cast<std::size_t>(dy + kMargin) * kSpan + dx + kMargin];
    if (m < -2.5) m = full_score(posed_band, posed_bins, dx, dy);
    return m;
  };
  int fx = rx, fy = ry;
  for (int step = 0; step < 2 * kMargin; ++step) {
    int nx = fx, ny = fy;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (at(fx + dx, fy + dy) > at(nx, ny)) nx = fx + dx, ny = fy + dy;
    if (nx == fx && ny == fy) break;
    fx = nx, fy = ny;
  }
  double score = at(fx, fy);
  // Sub-pixel: the vertex of a parabola through the best score and its two neighbours, per
  // axis; the probe is resampled at that offset and scored once more.
  auto vertex = [](double l, double c, double r) {
    const double den = l - 2 * c + r;
    return den < -1e-12 ? std::clamp(0.5 * (l - r) / den, -0.5, 0.5) : 0.0;
  };
  const double ox = vertex(at(fx - 1, fy), score, at(fx + 1, fy));
  const double oy = vertex(at(fx, fy - 1), score, at(fx, fy + 1));
  if (std::abs(ox) > 0.1 || std::abs(oy) > 0.1) {
    // Only the thumbnail is resampled: 8-pixel HOG cells do not mind a fraction of a pixel.
    hog(posed_bins, fx, fy, hog_d, energy);
    const double hog_sim = dot(hog_d, ref_hog);
    thumbnail(band_table(rotate(probe_canvas, deg, ox, oy)), fx, fy, kThumbStep, w.thumb, thumb_d);
    score = std::max(score, kHogWeight * hog_sim + (1 - kHogWeight) * dot(thumb_d, ref_thumb));
  }
  return score;
}

}  // namespace gosdoki::face::detail
