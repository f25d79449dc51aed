#pragma once
// Test helpers: the committed fixture set and the official schemas from ../shared when present.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/xml/xml.hpp"
#include "harness/fixtures/fixtures.hpp"

namespace gosdoki::testkit {

inline std::filesystem::path source_dir() { return GOSDOKI_SOURCE_DIR; }
// ../shared of the checkout (CMake cache GOSDOKI_SHARED_DIR), or $GOSDOKI_SHARED_DIR at run time.
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("GOSDOKI_SHARED_DIR"); env && *env) return env;
  return GOSDOKI_SHARED_DIR;
}

// Loads fixtures/ of the source tree once per process.
const harness::Fixtures& fixtures();
const harness::FileSource& fixture_source();

// The official message-exchange schemas of a version ("1.1", "1.3"), or nullopt when the
// reference folder is absent (tests then skip with a message).
struct OfficialSchemas {
  xml::Schema types;
  xml::Schema faults;
  xml::Schema all;  // types and faults in one set, as the WSDL imports them (xsi:type="faults:…")
};
const std::optional<OfficialSchemas>& official_schemas(const std::string& version);

}  // namespace gosdoki::testkit
