#pragma once
// client.check with `camera`: the ИС reads the QR and takes the face from a webcam sequence
// instead of two still images. The sequence is generated from what the phone shows and the
// person's capture (harness/fixtures/webcam), and read by the ИС's camera code
// (client/camera) exactly as a file from a real webcam would be.
#include <string>

#include "client/camera.hpp"
#include "core/result.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::harness {

// `phone_png`: the QR the citizen's app shows; `face_jpeg`: the person as the camera sees them;
// `frames`: the sequence length (8..300). Errors: the scanner's on the phone image, the
// generator's, and camera.* when the ИС's camera finds no code or no face.
Result<client::CameraScan> camera_capture(const Bytes& phone_png, const Bytes& face_jpeg, int frames, std::uint64_t seed);

}  // namespace gosdoki::harness
