// Presentation-attack measures. Both are image statistics, not a liveness model:
//  - replay: the probe is the reference picture itself (leaked or copied from the app). We
//    compare grey pixels directly; any real capture differs by light, pose and noise far more
//    than JPEG re-encoding does.
//  - screen: a phone or monitor shown to the camera. Its pixel matrix (sub-pixel stripes, dark
//    gaps between them) survives as a fine periodic texture; skin, hair and sensor noise have
//    no such period. The measure is how far the strongest frequency of the high-passed
//    luminance, in the band of periods a few pixels long, stands above the band's median.
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
  // Power spectrum of the high-passed lines along one direction, summed over every other line
  // (phase-free, so a slightly turned grid still adds up), at frequencies of periods 2.5..6.7 px.
  // The peak over the band's median is the measure: about 1.3 for sensor noise and skin, far
  // more for a pixel matrix. JPEG's own periods are left out: its 8×8 DCT basis repeats at
  // u/16 cycles per pixel, and a coarsely quantised capture shows them.
  constexpr double kPi = 3.14159265358979323846;
  std::vector<double> freqs;
  for (double f = 0.15; f <= 0.40 + 1e-9; f += 0.005) {
    bool block = false;
    for (int u = 3; u <= 6; ++u) block = block || std::fabs(f - u / 16.0) < 0.006;
    if (!block) freqs.push_back(f);
  }
  auto peak_ratio = [&](bool along_x) {
    const int len = along_x ? w : h, lines = along_x ? h : w;
    std::vector<double> power(freqs.size(), 0.0);
    std::vector<double> cs(static_cast<std::size_t>(len)), sn(static_cast<std::size_t>(len));
    for (std::size_t k = 0; k < freqs.size(); ++k) {
      for (int t = 0; t < len; ++t) {
        cs[static_cast<std::size_t>(t)] = std::cos(2 * kPi * freqs[k] * t);
        sn[static_cast<std::size_t>(t)] = std::sin(2 * kPi * freqs[k] * t);
      }
      double p = 0;
      for (int line = 2; line < lines - 2; line += 2) {
        double re = 0, im = 0;
        for (int t = 1; t < len - 1; ++t) {
          const float v = along_x ? hp[static_cast<std::size_t>(line) * w + t] : hp[static_cast<std::size_t>(t) * w + line];
          re += v * cs[static_cast<std::size_t>(t)];
          im += v * sn[static_cast<std::size_t>(t)];
        }
        p += re * re + im * im;
      }
      power[k] = p;
    }
    std::vector<double> sorted = power;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    const double peak = *std::max_element(power.begin(), power.end());
    return median > 1e-12 ? peak / median : 0.0;
  };
  return std::max(peak_ratio(true), peak_ratio(false));
}

}  // namespace gosdoki::face::detail
