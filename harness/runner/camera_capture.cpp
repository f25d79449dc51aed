#include "harness/runner/camera_capture.hpp"

#include "client/scan.hpp"
#include "core/image/image.hpp"
#include "harness/fixtures/webcam.hpp"

namespace gosdoki::harness {

Result<client::CameraScan> camera_capture(const Bytes& phone_png, const Bytes& face_jpeg, int frames, std::uint64_t seed) {
  if (frames < 8 || frames > 300) return make_error("camera.frames", "camera.frames is " + std::to_string(frames) + ", not 8..300");
  // What the phone's screen carries, read by a real decoder, is what the frames show.
  auto token = client::scan_qr_bytes(phone_png, "the phone's screen");
  if (!token) return token.error();
  auto face = image::decode(face_jpeg, 3);
  if (!face) return make_error(face.error().code, "the face for the camera: " + face.error().message);
  webcam::Scene scene;
  scene.face = std::move(*face);
  scene.seed = seed;
  auto g = webcam::Generator::create(scene, std::string(token->begin(), token->end()));
  if (!g) return g.error();
  auto source = webcam::render_source(*g, webcam::sequence_plans(*g, frames, seed ^ 0xCA3E7Au), "webcam");
  return client::scan_camera(*source);
}

}  // namespace gosdoki::harness
