#pragma once
// Shared bits of the fuzz targets: the input as text, and the built-in fixtures (loaded once;
// the harness embeds them, so a target runs from any directory).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>

#include "harness/fixtures/fixtures.hpp"
#include "harness/fixtures/source.hpp"

namespace gosdoki::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits "first line\nrest": the way several targets carry a header (Content-Type, endpoint)
// beside the body without a custom mutator.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view in) {
  auto nl = in.find('\n');
  if (nl == std::string_view::npos) return {in, {}};
  return {in.substr(0, nl), in.substr(nl + 1)};
}

inline const harness::Fixtures& fixtures() {
  static const harness::Fixtures f = [] {
    auto src = harness::embedded_source("fixtures/");
    auto loaded = harness::load_fixtures(*src);
    if (!loaded) {
      // A broken build, not a finding: stop loudly before fuzzing anything.
      std::fprintf(stderr, "fuzz: cannot load the built-in fixtures: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return std::move(*loaded);
  }();
  return f;
}

}  // namespace gosdoki::fuzz
