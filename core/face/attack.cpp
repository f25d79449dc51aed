// Presentation-attack measures. Both are image statistics, not a liveness model:
//  - replay: the probe is the reference picture itself (leaked or copied from the app). We
//    compare grey pixels directly; any real capture differs by light, pose and noise far more
//    than JPEG re-encoding does.
//  - screen: a phone or monitor shown to the camera. Its pixel matrix (dark gaps between the
//    sub-pixels) survives as a fine two-dimensional periodic texture; skin, hair and sensor
//    noise have no such period. The measure is the autocorrelation of the high-passed
//    luminance at the best small lag, as a peak over the lags either side (a smooth picture's
//    residual is correlated at small lags too, but falls off without a peak), taken in both
//    directions so that stripes in clothing or hair (one direction only) do not count. Lag 8 is
//    left out: JPEG's 8×8 blocks repeat there.
#include "core/face/attack.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace gosdoki::face::detail {
namespace {

std::vector<float> grey_plane(const image::Image& img) {
  std::vector<float> g(static_cast<std::size_t>(img.width) * img.height);
  const std::uint8_t* p = img.pixels.data();
  if (img.channels == 3) {
    for (std::size_t i = 0; i < g.size(); ++i, p += 3) g[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  } else {
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = p[i];
  }
  return g;
}

bool usable(const image::Image& img) {
  return img.width > 0 && img.height > 0 && (img.channels == 1 || img.channels == 3) &&
         img.pixels.size() == static_cast<std::size_t>(img.width) * img.height * img.channels;
}

}  // namespace

double replay_difference(const image::Image& probe, const image::Image& reference) {
  if (!usable(probe) || !usable(reference)) return -1;
  const bool same_size = probe.width == reference.width && probe.height == reference.height;
  const image::Image sized = same_size ? probe : image::resize(probe, reference.width, reference.height);
  if (sized.channels != reference.channels || sized.pixels.size() != reference.pixels.size()) {
    const auto a = grey_plane(sized), b = grey_plane(reference);  // grey against colour: compare luma
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]);
    return sum / static_cast<double>(a.size());
  }
  // Every channel: a change of colour (warm light) is as live as a change of brightness.
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < sized.pixels.size(); ++i) {
    sum += static_cast<std::uint64_t>(std::abs(static_cast<int>(sized.pixels[i]) - static_cast<int>(reference.pixels[i])));
  }
  return static_cast<double>(sum) / static_cast<double>(sized.pixels.size());
}

double screen_grid_strength(const image::Image& img) {
  if (!usable(img) || img.width < 64 || img.height < 64) return 0;
  // The central half of the picture (the face and what is shown around it), at full resolution:
  // the grid is a few pixels fine, so no downscaling.
  const int x0 = img.width / 4, y0 = img.height / 4, w = img.width / 2, h = img.height / 2;
  const auto g = grey_plane(img);
  // High pass: the pixel minus the mean of its 3×3 neighbourhood.
  std::vector<float> hp(static_cast<std::size_t>(w) * h, 0.0f);
  for (int y = 1; y < h - 1; ++y) {
    for (int x = 1; x < w - 1; ++x) {
      double s = 0;
      for (int dy = -1; dy <= 1; ++dy) {
        const float* row = g.data() + static_cast<std::size_t>(y0 + y + dy) * img.width + x0 + x;
        s += row[-1] + row[0] + row[1];
      }
      hp[static_cast<std::size_t>(y) * w + x] = static_cast<float>(g[static_cast<std::size_t>(y0 + y) * img.width + x0 + x] - s / 9);
    }
  }
  double energy = 0;
  for (float v : hp) energy += static_cast<double>(v) * v;
  if (energy <= 1e-9) return 0;
  // Autocorrelation per lag and direction; a grid shows as a peak at its pitch, standing out
  // from the lags either side. A smooth picture's residual is correlated too, but that decays
  // with the lag and makes no peak.
  constexpr int kMaxLag = 13;
  double rx[kMaxLag + 1] = {}, ry[kMaxLag + 1] = {};
  for (int lag = 1; lag <= kMaxLag; ++lag) {
    double sx = 0, sy = 0;
    for (int y = 1; y + lag < h - 1; ++y) {
      const float* row = hp.data() + static_cast<std::size_t>(y) * w;
      const float* below = row + static_cast<std::size_t>(lag) * w;
      for (int x = 1; x + lag < w - 1; ++x) {
        sx += static_cast<double>(row[x]) * row[x + lag];
        sy += static_cast<double>(row[x]) * below[x];
      }
    }
    rx[lag] = sx / energy;
    ry[lag] = sy / energy;
  }
  double best = 0;
  for (int lag = 2; lag < kMaxLag; ++lag) {
    if (lag == 8) continue;
    const double px = rx[lag] - (rx[lag - 1] + rx[lag + 1]) / 2, py = ry[lag] - (ry[lag - 1] + ry[lag + 1]) / 2;
    best = std::max(best, std::min(px, py));
  }
  return best;
}

}  // namespace gosdoki::face::detail
