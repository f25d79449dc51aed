#pragma once
// Face comparison behind an interface, plus the synthetic faces our fixtures use.
// The default matcher is an image descriptor (not a biometric model): good enough to tell the
// synthetic fixture faces apart under capture variations, with a documented threshold.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/image/image.hpp"
#include "core/result.hpp"

namespace gosdoki::face {

enum class Verdict { match, mismatch, low_quality, presentation_attack };
const char* verdict_name(Verdict v);  // "match", "mismatch", "low_quality", "presentation_attack"

struct Quality {
  bool usable = true;
  std::string reason;  // why not usable: "too dark", "too flat (no contrast)", "too small", …
  double mean = 0;     // mean luminance 0..255
  double stddev = 0;   // luminance standard deviation
};

// Checks that can be decided without a face detector: dimensions and image statistics.
Quality assess(const image::Image& img);

struct Comparison {
  Verdict verdict = Verdict::mismatch;
  double score = 0;       // similarity, 1 = identical descriptors
  double threshold = 0;   // score >= threshold means match
  std::string reason;     // for low_quality / mismatch / presentation_attack, readable
  double replay_difference = -1;  // mean grey difference to the reference (presentation check)
  double screen_grid = 0;         // periodic screen texture strength (presentation check)
};

class FaceMatcher {
 public:
  virtual ~FaceMatcher() = default;
  virtual std::string name() const = 0;
  virtual double threshold() const = 0;
  virtual Comparison compare(const image::Image& probe, const image::Image& reference) const = 0;
};

// The default matcher: quality checks, then presentation-attack checks (the probe is the
// reference picture itself, or a photographed screen), then a descriptor of a normalised grey
// version of each image, cosine similarity, posed by a small search over rotation and shift.
// `threshold` <= 0 selects the documented default.
std::unique_ptr<FaceMatcher> make_descriptor_matcher(double threshold = 0);

// Presentation-attack limits of the default matcher (calibration in attack.cpp / face.cpp).
inline constexpr double kReplayMaxDifference = 3.0;  // mean grey levels: below is the reference re-sent
inline constexpr double kScreenGridMin = 8.0;        // spectral peak over the median at or above: a photographed screen

// Matchers by name, for configuration (emulator.json "faceMatcher"): "descriptor" is built in;
// an embedding program registers its own (a real biometric SDK) before it starts an emulator.
using MatcherFactory = std::function<std::unique_ptr<FaceMatcher>(double threshold)>;
void register_matcher(const std::string& name, MatcherFactory factory);
// Errors: face.matcher (no matcher of that name; the message lists the known ones).
Result<std::unique_ptr<FaceMatcher>> make_matcher(const std::string& name, double threshold = 0);
std::vector<std::string> matcher_names();

// ---- synthetic faces (no photo of a real person is ever used) ----

struct FaceParams {
  // Geometry and appearance drawn from the seed; all in relative units of the image.
  double face_width, face_height, face_cx, face_cy;
  double eye_dx, eye_y, eye_size, eye_tilt;
  double brow_y, brow_thickness, brow_angle;
  double nose_length, nose_width;
  double mouth_y, mouth_width, mouth_curve;
  double hair_line, hair_volume;
  double ear_size;
  std::uint8_t skin[3], hair[3], iris[3], background[3];
  std::uint64_t texture_seed;
  double chin;                // 0..1, how much the jaw narrows towards the chin
  int hair_style;             // 0 short, 1 long, 2 receding, 3 swept fringe, 4 curly volume
  std::uint8_t clothing[3];
  int beard;                  // 0 none, 1 moustache, 2 full beard
  bool glasses;
};

FaceParams random_face(std::uint64_t seed);

struct CaptureVariant {
  std::string name;        // "reference", "office-light", "dim-light", "noisy", "shifted", …
  double brightness = 1.0; // gain on luminance
  double contrast = 1.0;
  double noise_sigma = 0;  // additive Gaussian noise, in grey levels
  int shift_x = 0;         // pixels
  int shift_y = 0;
  double rotate_deg = 0;   // small in-plane rotation
  std::uint64_t noise_seed = 0;
  double warmth = 0;       // colour temperature: > 0 shifts towards red/yellow, < 0 towards blue
  double scale = 1.0;      // the face nearer (> 1) or farther (< 1) from the camera, about the centre
  int jpeg_quality = 0;    // what the capture is saved as (capture_jpeg); 0 = the caller's choice
};

// The standard variants fixtures are made with: "reference" (the picture ЕПГУ holds), and
// capture variants "office-light", "dim-light", "noisy", "shifted".
std::vector<CaptureVariant> standard_variants(std::uint64_t seed);

// Ten capture variants for measuring the matcher (benchmarks/face_bench.cpp): light (office,
// dim, bright, warm), sensor noise, shift with a small rotation, a larger rotation, nearer,
// farther, and a low JPEG quality. Drawn from the seed, so each person gets their own.
std::vector<CaptureVariant> benchmark_variants(std::uint64_t seed);

// 480×640 RGB portrait (width × height), the minimum size ЕПГУ accepts.
image::Image render_face(const FaceParams& params, const CaptureVariant& variant,
                         int width = 480, int height = 640);
// The same pictures for several variants at once: variants that share a pose (shift and
// rotation) share one drawing, so this is cheaper than render_face per variant. Pixel for pixel
// equal to render_face. An invalid size gives empty images.
std::vector<image::Image> render_variants(const FaceParams& params, const std::vector<CaptureVariant>& variants,
                                          int width = 480, int height = 640);

}  // namespace gosdoki::face
