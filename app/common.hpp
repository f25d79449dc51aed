#pragma once
// What the command implementations share: error lines and the fixture set.
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "harness/fixtures/source.hpp"

namespace gosdoki::app {

void say_error(const std::string& command, const std::string& what);  // "gosdoki-sandbox CMD: WHAT" on stderr
// --fixtures DIR, $GOSDOKI_FIXTURES, or the set built into the binary.
Result<harness::Fixtures> load_fixture_set(const CommonOptions& o, std::unique_ptr<harness::FileSource>& src);

}  // namespace gosdoki::app
