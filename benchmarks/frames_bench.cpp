// Webcam frames: the cost of looking for the QR in one 1280x720 frame (readable, unreadable by
// design, none), and the decode rate over a generated set with known ground truth: readable
// frames decoded to the exact payload, wrong payloads, and false decodes on frames without a
// code. GOSDOKI_BENCH_WEBCAM_SCALE (default 100) is the number of readable frames per distortion
// kind; benchmarks.smoke sets it small. Figures: benchmarks/README.md "Webcam frames: QR search".
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "client/camera.hpp"
#include "core/face/face.hpp"
#include "emulator/wallet/wallet.hpp"
#include "harness/fixtures/webcam.hpp"

using namespace gosdoki;
namespace wc = gosdoki::harness::webcam;

namespace {

int scale() {
  const char* v = std::getenv("GOSDOKI_BENCH_WEBCAM_SCALE");
  const int n = v ? std::atoi(v) : 100;
  return n > 0 ? n : 100;
}

// A real token, as the wallet issues it (its length decides the QR version).
std::string token(std::uint64_t seed) {
  static VirtualClock clock;
  emulator::Wallet wallet(clock, "bench-hmac-key", emulator::Settings{}, seed);
  emulator::Citizen c;
  c.id = "bench";
  c.oid = "1000000001";
  return wallet.issue(c, "mpgu", "bench-device")->token;
}

struct Set {
  std::vector<wc::Generator> scenes;  // a few rooms, faces and payloads
  Set() {
    for (std::uint64_t s = 1; s <= 3; ++s) {
      const auto params = face::random_face(900 + s);
      wc::Scene sc;
      sc.seed = s;
      sc.face = face::render_face(params, face::standard_variants(900 + s).front(), 480, 640);
      scenes.push_back(*wc::Generator::create(sc, token(s)));
    }
  }
};

Set& set() {
  static Set s;
  return s;
}

struct Pool {
  std::vector<image::Image> frames;
};

// A few frames of one kind, made once.
const Pool& pool(wc::Kind kind) {
  static std::map<wc::Kind, Pool> pools;
  auto it = pools.find(kind);
  if (it != pools.end()) return it->second;
  Pool p;
  for (int i = 0; i < 6; ++i) {
    const auto& g = set().scenes[static_cast<std::size_t>(i) % set().scenes.size()];
    const std::uint64_t seed = 5000 + static_cast<std::uint64_t>(i);
    wc::FramePlan plan;
    if (kind == wc::Kind::qr_readable) plan = wc::readable_plan(g, wc::kAllDistortions[i % 11], seed);
    else if (kind == wc::Kind::qr_unreadable) plan = wc::unreadable_plan(g, i % 3 == 0 ? wc::Absence::too_small : i % 3 == 1 ? wc::Absence::too_blurred : wc::Absence::cut_off, seed);
    else plan = wc::no_qr_plan(g, i % 3 == 0 ? wc::Absence::hand_over : i % 3 == 1 ? wc::Absence::blank_screen : wc::Absence::no_phone, seed);
    p.frames.push_back(g.render(plan));
  }
  return pools.emplace(kind, std::move(p)).first->second;
}

void BM_Frames_Decode(benchmark::State& st, wc::Kind kind) {
  const auto& frames = pool(kind).frames;
  std::size_t i = 0, found = 0;
  for (auto _ : st) {
    auto r = client::decode_frame(frames[i++ % frames.size()], true);
    found += r.ok();
    benchmark::DoNotOptimize(r);
  }
  st.counters["found_share"] = static_cast<double>(found) / static_cast<double>(st.iterations());
}
BENCHMARK_CAPTURE(BM_Frames_Decode, readable, wc::Kind::qr_readable)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Frames_Decode, unreadable, wc::Kind::qr_unreadable)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Frames_Decode, no_qr, wc::Kind::no_qr)->Unit(benchmark::kMillisecond);

// The rate over the whole set. Rendering is left out of the time; the time is decoding only.
void BM_Frames_DecodeRate(benchmark::State& st) {
  const int per = scale();
  struct Tally {
    int frames = 0, exact = 0, exact_first_pass = 0, wrong = 0;
  };
  std::map<std::string, Tally> by_kind;
  Tally readable, no_qr, unreadable;
  std::map<std::string, int> passes;  // which attempt read the readable frames
  for (auto _ : st) {
    std::uint64_t seed = 1;
    auto run = [&](const wc::Generator& g, const wc::FramePlan& plan, Tally& t, Tally* sub) {
      st.PauseTiming();
      const image::Image frame = g.render(plan);
      st.ResumeTiming();
      auto r = client::decode_frame(frame, true);
      if (r && &t == &readable) ++passes[r->pass];
      for (Tally* x : {&t, sub}) {
        if (!x) continue;
        ++x->frames;
        if (r && r->text == g.payload()) {
          ++x->exact;
          x->exact_first_pass += r->pass == "frame";
        } else if (r) {
          ++x->wrong;
        }
      }
    };
    for (int i = 0; i < per; ++i) {
      for (auto d : wc::kAllDistortions) {
        const auto& g = set().scenes[seed % set().scenes.size()];
        run(g, wc::readable_plan(g, d, seed++), readable, &by_kind[wc::distortion_name(d)]);
      }
    }
    const int none = (per * 11 / 2 + 3) / 4;  // >= 500 frames without a code at the default scale
    for (int i = 0; i < none; ++i) {
      for (auto a : {wc::Absence::no_phone, wc::Absence::phone_lowered, wc::Absence::hand_over, wc::Absence::blank_screen}) {
        const auto& g = set().scenes[seed % set().scenes.size()];
        run(g, wc::no_qr_plan(g, a, seed++), no_qr, &by_kind[std::string("no-qr/") + wc::absence_name(a)]);
      }
    }
    for (int i = 0; i < std::max(1, per / 2); ++i) {
      for (auto a : {wc::Absence::too_small, wc::Absence::too_blurred, wc::Absence::cut_off}) {
        const auto& g = set().scenes[seed % set().scenes.size()];
        run(g, wc::unreadable_plan(g, a, seed++), unreadable, &by_kind[std::string("unreadable/") + wc::absence_name(a)]);
      }
    }
  }
  st.counters["readable_frames"] = readable.frames;
  st.counters["decoded_pct"] = 100.0 * readable.exact / std::max(1, readable.frames);
  st.counters["first_pass_pct"] = 100.0 * readable.exact_first_pass / std::max(1, readable.frames);
  st.counters["wrong_payloads"] = readable.wrong + unreadable.wrong;
  st.counters["noqr_frames"] = no_qr.frames;
  st.counters["false_decodes"] = no_qr.exact + no_qr.wrong;
  st.counters["unreadable_frames"] = unreadable.frames;
  st.counters["unreadable_decoded"] = unreadable.exact;
  const int total = readable.frames + no_qr.frames + unreadable.frames;
  st.counters["ms_per_frame"] = benchmark::Counter(static_cast<double>(total) * st.iterations() * 1e-3,
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  for (const auto& [pass, n] : passes) std::printf("read by pass %-10s %d\n", pass.c_str(), n);
  std::printf("%-28s %6s %8s %8s %6s\n", "frames", "n", "decoded", "1st pass", "wrong");
  for (const auto& [k, t] : by_kind) {
    std::printf("%-28s %6d %7.1f%% %7.1f%% %6d\n", k.c_str(), t.frames, 100.0 * t.exact / std::max(1, t.frames),
                100.0 * t.exact_first_pass / std::max(1, t.frames), t.wrong);
  }
}
BENCHMARK(BM_Frames_DecodeRate)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
