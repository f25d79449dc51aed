// A small mutation fuzzer around the same LLVMFuzzerTestOneInput as the libFuzzer targets, for
// builds without clang (the `ci` preset: gcc with ASan + UBSan). It runs every seed once, then
// for --seconds mutates random seeds (bit flips, random bytes, inserts, deletes, duplicated
// ranges, splices of two seeds, tokens that parsers care about) and feeds each result to the
// target. It is not coverage-guided — the 10-minute runs use libFuzzer (docs/reliability.md) —
// but it keeps the targets and their inputs exercised on every CI run. A sanitizer finding
// aborts the process; the input that did it is written to --crash-file first.
//   fuzz_X_mutate --seconds 10 --seed 1 --crash-file out.bin DIR_OR_FILE...
#include <sanitizer/common_interface_defs.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Input = std::vector<std::uint8_t>;

std::string g_crash_file = "fuzz-crash.bin";
const Input* g_current = nullptr;

void write_current() {
  if (!g_current) return;
  std::ofstream out(g_crash_file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(g_current->data()), static_cast<std::streamsize>(g_current->size()));
  std::fprintf(stderr, "fuzz: the input that failed is in %s (%zu bytes)\n", g_crash_file.c_str(), g_current->size());
}

void run(const Input& in) {
  g_current = &in;
  LLVMFuzzerTestOneInput(in.data(), in.size());
  g_current = nullptr;
}

Input read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

const char* const kTokens[] = {"<",       ">",         "&",         "&amp;",  "\"",       "'",      "=",   "/>",    "</",
                               "<?xml ",  "<!DOCTYPE", "]]>",       "xmlns:", "Id=\"",    "\r\n",   "\n",  "\0",    "\xff",
                               "\xc3\xa9", "\xed\xa0\x80", "--",     "{",      "}",        "[",      "]",   ":",     ",",
                               "null",    "true",      "1e999",     "-0",     "\\u0000",  "*",      "&a",  "!!str", "GQR1.",
                               "M.",      "X.",        "cid:",      "boundary=", "Content-Type: ", "\x89PNG\r\n\x1a\n",
                               "\xff\xd8\xff", "IHDR",  "Exif"};

Input mutate(const std::vector<Input>& seeds, std::mt19937_64& rng, std::size_t max_len) {
  auto pick = [&](std::size_t n) { return n ? static_cast<std::size_t>(rng() % n) : 0; };
  Input out = seeds[pick(seeds.size())];
  int rounds = 1 + static_cast<int>(pick(8));
  for (int r = 0; r < rounds; ++r) {
    switch (pick(8)) {
      case 0:  // flip a bit
        if (!out.empty()) out[pick(out.size())] ^= static_cast<std::uint8_t>(1u << pick(8));
        break;
      case 1:  // a random byte
        if (!out.empty()) out[pick(out.size())] = static_cast<std::uint8_t>(rng());
        break;
      case 2: {  // insert random bytes
        std::size_t at = pick(out.size() + 1), n = 1 + pick(16);
        Input bytes(n);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin(), bytes.end());
        break;
      }
      case 3: {  // delete a range
        if (out.empty()) break;
        std::size_t at = pick(out.size()), n = 1 + pick(std::min<std::size_t>(out.size() - at, 64));
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 4: {  // duplicate a range (deep nesting, repeated attributes)
        if (out.empty()) break;
        std::size_t at = pick(out.size()), n = 1 + pick(std::min<std::size_t>(out.size() - at, 256));
        Input piece(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(at + n));
        int times = 1 + static_cast<int>(pick(32));
        for (int k = 0; k < times && out.size() < max_len; ++k) {
          out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), piece.begin(), piece.end());
        }
        break;
      }
      case 5: {  // splice: this seed's head, another's tail
        const Input& other = seeds[pick(seeds.size())];
        std::size_t cut = pick(out.size() + 1), from = pick(other.size() + 1);
        out.resize(cut);
        out.insert(out.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      case 6: {  // a token parsers care about
        const char* t = kTokens[pick(std::size(kTokens))];
        std::size_t n = std::strlen(t) ? std::strlen(t) : 1;  // "\0" inserts one NUL
        std::size_t at = pick(out.size() + 1);
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), t, t + n);
        break;
      }
      default:  // truncate
        out.resize(pick(out.size() + 1));
    }
  }
  if (out.size() > max_len) out.resize(max_len);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 10;
  std::uint64_t seed = 1;
  std::size_t max_len = 1u << 20;
  std::vector<Input> seeds;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "fuzz: %s needs a value\n", a.c_str());
        std::exit(64);
      }
      return argv[++i];
    };
    if (a == "--seconds") seconds = std::stod(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--max-len") max_len = std::stoull(value());
    else if (a == "--crash-file") g_crash_file = value();
    else if (std::filesystem::is_directory(a)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(a)) {
        if (e.is_regular_file()) seeds.push_back(read_file(e.path()));
      }
    } else if (std::filesystem::is_regular_file(a)) {
      seeds.push_back(read_file(a));
    } else {
      std::fprintf(stderr, "fuzz: '%s' is neither an option nor a seed file or directory\n", a.c_str());
      return 64;
    }
  }
  if (seeds.empty()) seeds.emplace_back();
  __sanitizer_set_death_callback(write_current);
  for (const auto& s : seeds) run(s);
  std::mt19937_64 rng(seed);
  std::uint64_t executions = seeds.size();
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    for (int k = 0; k < 16; ++k, ++executions) {
      Input in = mutate(seeds, rng, max_len);
      run(in);
    }
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fuzz: %zu seeds, %llu executions in %.1f s (%.0f/s), seed %llu: no finding\n", seeds.size(),
              static_cast<unsigned long long>(executions), took, took > 0 ? static_cast<double>(executions) / took : 0.0,
              static_cast<unsigned long long>(seed));
  return 0;
}
