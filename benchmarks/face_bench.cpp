// The default face matcher measured on synthetic people (none is a real person): false accept
// and false reject rates at its threshold, and the presentation-attack checks' false alarms on
// genuine captures. Figures and the command in benchmarks/README.md.
//
// GOSDOKI_BENCH_FACE_PEOPLE (default 50) sets the number of people; each has the reference
// picture ЕПГУ holds and the ten capture variants of face::benchmark_variants, all saved as
// JPEG (quality 90, or the variant's own).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "core/face/face.hpp"
#include "core/image/image.hpp"

namespace {

using namespace gosdoki;

int people_count() {
  const char* env = std::getenv("GOSDOKI_BENCH_FACE_PEOPLE");
  const int n = env ? std::atoi(env) : 50;
  return std::clamp(n, 2, 1000);
}

image::Image via_jpeg(const image::Image& img, int quality) {
  auto jpeg = image::encode_jpeg(img, quality);
  return jpeg ? *image::decode(*jpeg, 3) : image::Image{};
}

struct Person {
  image::Image reference;
  std::vector<image::Image> captures;
  std::vector<std::string> names;
};

// Seeds far from the fixture set's (20260115001…) and from the matcher's calibration (1…140).
std::vector<Person> make_people(int n) {
  std::vector<Person> people(static_cast<std::size_t>(n));
  auto work = [&](int first) {
    for (int i = first; i < n; i += 2) {
      const std::uint64_t seed = 7000000 + static_cast<std::uint64_t>(i);
      const auto params = face::random_face(seed);
      auto variants = face::benchmark_variants(seed);
      face::CaptureVariant ref;
      ref.name = "reference";
      variants.insert(variants.begin(), ref);
      auto pics = face::render_variants(params, variants);
      Person& p = people[static_cast<std::size_t>(i)];
      p.reference = via_jpeg(pics[0], 90);
      for (std::size_t v = 1; v < pics.size(); ++v) {
        p.captures.push_back(via_jpeg(pics[v], variants[v].jpeg_quality > 0 ? variants[v].jpeg_quality : 90));
        p.names.push_back(variants[v].name);
      }
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  return people;
}

void BM_FaceMatcherErrorRates(benchmark::State& st) {
  const int n = people_count();
  const auto people = make_people(n);
  const auto matcher = face::make_descriptor_matcher();
  for (auto _ : st) {
    long genuine = 0, false_rejects = 0, impostor = 0, false_accepts = 0, attack_alarms = 0, low_quality = 0;
    double genuine_min = 2, impostor_max = -2, replay_min = 1e9, grid_max = 0;
    std::string worst_genuine;
    struct PerVariant {
      long n = 0, rejects = 0, attacks = 0, low = 0;
      double min_score = 2, grid_max = 0, replay_min = 1e9;
    };
    std::vector<PerVariant> per(people[0].captures.size());
    for (int i = 0; i < n; ++i) {
      const Person& p = people[static_cast<std::size_t>(i)];
      for (std::size_t v = 0; v < p.captures.size(); ++v) {
        for (int j = 0; j < n; ++j) {
          const face::Comparison c = matcher->compare(p.captures[v], people[static_cast<std::size_t>(j)].reference);
          if (c.verdict == face::Verdict::presentation_attack) ++attack_alarms;
          if (c.verdict == face::Verdict::low_quality) ++low_quality;
          if (i == j) {
            ++genuine;
            if (c.replay_difference >= 0) replay_min = std::min(replay_min, c.replay_difference);
            grid_max = std::max(grid_max, c.screen_grid);
            if (c.verdict != face::Verdict::match) ++false_rejects;
            PerVariant& pv = per[v];
            ++pv.n;
            pv.rejects += c.verdict != face::Verdict::match;
            pv.attacks += c.verdict == face::Verdict::presentation_attack;
            pv.low += c.verdict == face::Verdict::low_quality;
            if (c.verdict == face::Verdict::match || c.verdict == face::Verdict::mismatch) pv.min_score = std::min(pv.min_score, c.score);
            pv.grid_max = std::max(pv.grid_max, c.screen_grid);
            if (c.replay_difference >= 0) pv.replay_min = std::min(pv.replay_min, c.replay_difference);
            if (c.score < genuine_min) {
              genuine_min = c.score;
              worst_genuine = "person " + std::to_string(i) + " " + p.names[v];
            }
          } else {
            ++impostor;
            if (c.verdict == face::Verdict::match) ++false_accepts;
            impostor_max = std::max(impostor_max, c.score);
          }
        }
      }
    }
    st.counters["people"] = n;
    st.counters["genuine_pairs"] = static_cast<double>(genuine);
    st.counters["impostor_pairs"] = static_cast<double>(impostor);
    st.counters["FRR_pct"] = 100.0 * static_cast<double>(false_rejects) / static_cast<double>(genuine);
    st.counters["FAR_pct"] = 100.0 * static_cast<double>(false_accepts) / static_cast<double>(impostor);
    st.counters["threshold"] = matcher->threshold();
    st.counters["genuine_min"] = genuine_min;
    st.counters["impostor_max"] = impostor_max;
    st.counters["attack_alarms"] = static_cast<double>(attack_alarms);
    st.counters["low_quality"] = static_cast<double>(low_quality);
    st.counters["replay_diff_min"] = replay_min;
    st.counters["screen_grid_max"] = grid_max;
    std::fprintf(stderr, "face matcher: lowest genuine score %.4f (%s), highest impostor %.4f\n", genuine_min,
                 worst_genuine.c_str(), impostor_max);
    std::fprintf(stderr, "%-14s %6s %8s %8s %8s %10s %10s %10s\n", "variant", "pairs", "rejects", "attacks", "low-q",
                 "min score", "grid max", "replay min");
    for (std::size_t v = 0; v < per.size(); ++v) {
      const PerVariant& pv = per[v];
      std::fprintf(stderr, "%-14s %6ld %8ld %8ld %8ld %10.4f %10.4f %10.2f\n", people[0].names[v].c_str(), pv.n, pv.rejects,
                   pv.attacks, pv.low, pv.min_score, pv.grid_max, pv.replay_min);
    }
  }
}
BENCHMARK(BM_FaceMatcherErrorRates)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
