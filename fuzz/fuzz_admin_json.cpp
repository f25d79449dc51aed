// JSON bodies of the admin API (POST /admin/clock, POST /admin/wallet/issue) and the query of
// GET /admin/journal, through AdminApi::handle as the HTTP layer calls it. Fresh state per input.
//
// Input: the first line picks the endpoint ("clock", "issue", "journal?<query>"), the rest
// is the body.
#include "core/http/http.hpp"
#include "emulator/admin/admin.hpp"
#include "emulator/esia/store.hpp"
#include "emulator/journal.hpp"
#include "emulator/wallet/wallet.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace gosdoki;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& f = fuzz::fixtures();
  static const emulator::EsiaStore esia(f.world.citizens);
  auto [route, body] = fuzz::split_first_line(fuzz::as_text(data, size));
  VirtualClock clock(f.scenario_clock, true);
  emulator::Wallet wallet(clock, f.world.qr_hmac_key, f.world.settings, 1);
  emulator::Journal journal(64);
  for (int i = 0; i < 3; ++i) journal.record(emulator::JournalEvent{0, clock.now(), "admin", "seed", "", "", "ok"});
  emulator::AdminApi api(emulator::AdminDeps{clock, wallet, esia, journal, [] { return std::string("{}"); }, ""});
  http::Request req;
  if (route.rfind("journal", 0) == 0) {
    req.method = "GET";
    req.target = "/admin/journal" + std::string(route.substr(7));
  } else {
    req.method = "POST";
    req.target = route == "issue" ? "/admin/wallet/issue" : "/admin/clock";
    req.body = std::string(body);
  }
  auto resp = api.handle(req);
  if (resp.status >= 500) std::abort();  // bad input is a 4xx, never a server error
  return 0;
}
