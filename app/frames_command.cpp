// `gosdoki-sandbox frames generate|scan`: webcam sequences with ground truth (harness/fixtures/
// webcam.hpp), and the ИС's camera reading one (client/camera.hpp). docs/scanning.md.
#include <cstdio>

#include "app/common.hpp"
#include "client/camera.hpp"
#include "client/scan.hpp"
#include "core/image/image.hpp"
#include "emulator/wallet/wallet.hpp"
#include "harness/fixtures/webcam.hpp"

namespace gosdoki::app {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && ascii_lower(s.substr(s.size() - tail.size())) == tail;
}

// The token the phone shows: given, read from a QR image `wallet issue` wrote, or issued here
// by a wallet of the fixtures' world (valid for `run`-style emulators built from the same
// fixtures and seed, not for a running `serve`, which keeps its own wallet).
Result<std::string> payload_for(const FramesGenerateOptions& o, const harness::Fixtures& fx, const emulator::Citizen& who) {
  if (!o.token.empty()) return o.token;
  if (o.qr) {
    auto bytes = client::scan_qr_file(*o.qr);
    if (!bytes) return bytes.error();
    return std::string(bytes->begin(), bytes->end());
  }
  VirtualClock clock(fx.scenario_clock, true);
  emulator::Wallet wallet(clock, fx.world.qr_hmac_key, fx.world.settings, o.seed);
  auto rec = wallet.issue(who, "mpgu", "webcam-" + who.id);
  if (!rec) return rec.error();
  return rec->token;
}

}  // namespace

int frames_generate(const FramesGenerateOptions& o) {
  const char* cmd = "frames generate";
  if (o.frames < 8 || o.frames > 10000) {
    say_error(cmd, "--frames must be 8..10000");
    return kUsage;
  }
  std::unique_ptr<harness::FileSource> src;
  auto fx = load_fixture_set(o.common, src);
  if (!fx) {
    say_error(cmd, fx.error().message);
    return kUsage;
  }
  const emulator::Citizen* who = nullptr;
  for (const auto& c : fx->world.citizens) {
    if (c.id == o.person) who = &c;
  }
  if (!who) {
    std::string ids;
    for (const auto& id : fx->person_ids()) ids += (ids.empty() ? "" : ", ") + id;
    say_error(cmd, "no person '" + o.person + "' in the fixtures (" + ids + ")");
    return kUsage;
  }
  // The live face: a capture variant in office light, not the reference ЕПГУ compares with.
  auto face_bytes = harness::load_face(*src, *fx, o.person, "office-light");
  if (!face_bytes) face_bytes = harness::load_face(*src, *fx, o.person, "reference");
  if (!face_bytes) {
    say_error(cmd, face_bytes.error().message);
    return kUsage;
  }
  auto face = image::decode(*face_bytes, 3);
  if (!face) {
    say_error(cmd, o.person + "'s face: " + face.error().message);
    return kUsage;
  }
  auto payload = payload_for(o, *fx, *who);
  if (!payload) {
    say_error(cmd, payload.error().message);
    return kUsage;
  }
  harness::webcam::Scene scene;
  scene.face = std::move(*face);
  scene.seed = o.seed;
  auto gen = harness::webcam::Generator::create(scene, *payload);
  if (!gen) {
    say_error(cmd, gen.error().message);
    return kUsage;
  }
  const std::string out = o.out.string();
  Result<std::unique_ptr<video::FrameWriter>> writer =
      ends_with(out, ".mjpeg") || ends_with(out, ".mjpg") ? video::create_mjpeg(o.out, 95)
      : ends_with(out, ".y4m")                           ? video::create_y4m(o.out, 15)
                                                          : video::create_folder(o.out, 95);
  if (!writer) {
    say_error(cmd, writer.error().message);
    return kUsage;
  }
  const auto plans = harness::webcam::sequence_plans(*gen, o.frames, o.seed);
  auto truth = harness::webcam::write_sequence(*gen, plans, **writer);
  if (!truth) {
    say_error(cmd, truth.error().message);
    return kUsage;
  }
  const bool folder = !(ends_with(out, ".mjpeg") || ends_with(out, ".mjpg") || ends_with(out, ".y4m"));
  const std::filesystem::path truth_path = folder ? o.out / "truth.json" : std::filesystem::path(out + ".truth.json");
  if (auto st = write_file(truth_path, harness::webcam::truth_json(scene, *payload, *truth)); !st) {
    say_error(cmd, st.error().message);
    return kUsage;
  }
  int first_qr = -1, faces = 0;
  for (const auto& t : *truth) {
    if (first_qr < 0 && t.plan.kind == harness::webcam::Kind::qr_readable) first_qr = t.index;
    faces += t.plan.kind == harness::webcam::Kind::face;
  }
  std::printf("wrote %zu frames of %s to %s (ground truth: %s); first readable QR at frame %d, %d face frames\n",
              truth->size(), o.person.c_str(), out.c_str(), truth_path.string().c_str(), first_qr, faces);
  std::printf("payload: %s\n", payload->c_str());
  return kOk;
}

int frames_scan(const FramesScanOptions& o) {
  const char* cmd = "frames scan";
  auto src = video::open_source(o.source, 3);
  if (!src) {
    say_error(cmd, src.error().message);
    return kUsage;
  }
  client::CameraOptions opt;
  opt.max_frames = o.max_frames;
  opt.retries = !o.no_retries;
  auto scan = client::scan_camera(**src, opt);
  for (const auto& w : (*src)->warnings()) std::fprintf(stderr, "gosdoki-sandbox %s: warning: %s\n", cmd, w.c_str());
  if (!scan) {
    say_error(cmd, scan.error().message);
    return scan.error().code.rfind("camera.", 0) == 0 ? kFailed : kUsage;
  }
  if (o.face_out) {
    if (auto st = write_file(*o.face_out, as_view(scan->face_jpeg)); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
  }
  std::printf("qr frame: %d (%s)\n", scan->qr_frame, scan->qr_pass.c_str());
  std::printf("payload: %s\n", std::string(scan->qr.begin(), scan->qr.end()).c_str());
  std::printf("face frame: %d (sharpness %.1f)%s\n", scan->face_frame, scan->face_sharpness,
              o.face_out ? (", written to " + o.face_out->string()).c_str() : "");
  std::printf("frames read: %d in %.0f ms\n", scan->frames_read, static_cast<double>(scan->elapsed.count()) / 1000.0);
  return kOk;
}

}  // namespace gosdoki::app
