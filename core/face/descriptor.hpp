#pragma once
// Internal to core/face: the image descriptor behind make_descriptor_matcher (descriptor.cpp
// explains it).
#include <vector>

#include "core/image/image.hpp"

namespace gosdoki::face::detail {

using Plane = std::vector<double>;

// Grey 96×128 canvas of the picture's centred 3:4 crop, zero mean and unit variance. The
// image must be non-empty with 1 or 3 channels and a consistent pixel buffer.
Plane make_canvas(const image::Image& img);

// Similarity (1 = identical) of the probe canvas, posed by rotation and shift to best fit the
// reference canvas.
double best_score(const Plane& probe_canvas, const Plane& reference_canvas);

}  // namespace gosdoki::face::detail
