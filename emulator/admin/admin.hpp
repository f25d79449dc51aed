#pragma once
// The emulator's admin API (JSON over HTTP, loopback by default): the clock, the wallet
// ("what the citizen's phone shows"), the journal, СМЭВ 3 fault injection, the registry of
// organisations and its applications, rate limits. Errors are RFC 9457 problem JSON.
#include <functional>
#include <string>

#include "core/http/http.hpp"
#include "core/time/clock.hpp"
#include "emulator/esia/store.hpp"
#include "emulator/journal.hpp"
#include "emulator/smev3/service.hpp"
#include "emulator/apps/apps.hpp"
#include "emulator/wallet/wallet.hpp"

namespace gosdoki::emulator {

struct AdminDeps {
  VirtualClock& clock;
  Wallet& wallet;
  const EsiaStore& esia;
  Journal& journal;
  std::function<std::string()> info_json;  // endpoints etc., filled by the emulator
  std::string token;                       // when set, every call needs Authorization: Bearer <token>
  smev3::Service* smev3 = nullptr;         // for fault injection
  class Registry* registry = nullptr;      // ЕПГУ's registry of organisations and its applications
  class EpguProvider* provider = nullptr;  // rate limits
  class FaultPlan* faults = nullptr;       // POST /admin/faults
  const Settings* settings = nullptr;      // the apps' prerequisites (defaults when not given)
};

class AdminApi {
 public:
  explicit AdminApi(AdminDeps deps) : d_(std::move(deps)) {}
  http::Response handle(const http::Request& req);
  static http::Response problem(int status, const std::string& title, const std::string& detail);

 private:
  http::Response clock_get();
  http::Response clock_post(const http::Request& req);
  http::Response wallet_issue(const http::Request& req);
  http::Response journal_get(const http::Request& req);
  http::Response smev3_faults(const http::Request& req);
  http::Response faults(const http::Request& req);
  http::Response near_misses(const http::Request& req);
  http::Response registry(const http::Request& req);  // /admin/registry/...
  http::Response limits(const http::Request& req);    // /admin/limits
  http::Response pki(const http::Request& req);       // /admin/pki/crl, /admin/pki/revoke
  http::Response goskan_scan(const http::Request& req);  // /mpgu/v1/goskan/scan (goskan_api.cpp)
  AdminDeps d_;
};

}  // namespace gosdoki::emulator
