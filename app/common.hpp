#pragma once
// What the command implementations share: error lines and the fixture set.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/http/http.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "harness/fixtures/source.hpp"

namespace gosdoki::app {

void say_error(const std::string& command, const std::string& what);  // "gosdoki-sandbox CMD: WHAT" on stderr
// Authorization: Bearer <token> when a token is set.
http::Headers auth(const std::string& token);
// GET on a running `serve`'s admin API; errors admin.http with the problem's detail.
Result<nlohmann::json> admin_get(const http::Url& base, const std::string& path, const std::string& token);
// --fixtures DIR, $GOSDOKI_FIXTURES, or the set built into the binary.
Result<harness::Fixtures> load_fixture_set(const CommonOptions& o, std::unique_ptr<harness::FileSource>& src);

}  // namespace gosdoki::app
