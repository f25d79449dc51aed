// Scenario files (docs/scenarios.md) through the harness parser: yaml-cpp, then our checks.
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "harness/scenario/scenario.hpp"

using namespace gosdoki;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)harness::parse_scenario(std::string(fuzz::as_text(data, size)), "fuzz.yaml");
  return 0;
}
