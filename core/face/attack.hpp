#pragma once
// Internal to core/face: presentation-attack evidence the default matcher checks before it
// scores a probe (attack.cpp explains the measures and their limits).
#include "core/image/image.hpp"

namespace gosdoki::face::detail {

// Mean absolute difference per channel value between the probe and the reference, the probe
// resized to the reference's size; < 0 when either image is empty. A live capture differs by light, pose and
// sensor noise; the reference photo re-sent (even re-encoded as JPEG) differs by a grey level
// or two.
double replay_difference(const image::Image& probe, const image::Image& reference);

// How strongly the picture repeats itself at one fine period, as a camera sees a screen's pixel
// matrix: the peak of the power spectrum of the high-passed luminance along rows (or columns),
// at periods of 2.5..6.7 px, over the median of that band (JPEG's u/16 DCT periods left out).
// About 1.3 for a photo of a face.
double screen_grid_strength(const image::Image& img);

}  // namespace gosdoki::face::detail
