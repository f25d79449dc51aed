#pragma once
// The whole government side in one object: СМЭВ 3 on a real HTTP listener, the built-in ЕПГУ
// provider talking to it over HTTP, the wallet, the ЕСИА store, the registries and the admin
// API. `serve` runs one on fixed ports; `run` starts one per scenario on ephemeral ports.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "core/http/http.hpp"
#include "emulator/journal.hpp"
#include "emulator/model.hpp"
#include "emulator/apps/apps.hpp"
#include "emulator/wallet/wallet.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::emulator {

struct EmulatorOptions {
  std::string bind = "127.0.0.1";        // СМЭВ 3
  std::string admin_bind = "127.0.0.1";  // the admin API: loopback unless asked otherwise
  std::string admin_token;               // required (Bearer) on every admin call when set
  // Both set: every listener speaks HTTPS only (serve --tls; not a СМЭВ feature, see docs/reliability.md).
  std::string tls_certificate_pem, tls_key_pem;
  // Every listener's limits (body, header, the time to send them); `workers` follows `threads`.
  http::ServerLimits http_limits;
  std::size_t max_connections = 512;  // per СМЭВ 3 / СМЭВ 4 port (ЕСИА: half, admin: 64)
  std::uint16_t smev3_port = 0;          // 0 = ephemeral
  std::uint16_t admin_port = 0;
  std::uint16_t esia_port = 0;   // ЕСИА token endpoint
  std::uint16_t smev4_port = 0;  // СМЭВ 4 agent gateway
  int threads = 2;
  // Threads of each built-in provider (ProviderAgentConfig::workers). 1 keeps an in-process run's
  // journal in one order (scenarios); serve uses 2.
  int provider_workers = 1;
  bool run_epgu = true;               // the built-in providers (ЕПГУ, and `emu` when a pack routes to it)
  // The built-in providers get no threads of their own: they work only when settle() is called
  // (the scenario runner's ИС calls it before each poll), so a run's journal has one order and
  // two runs with the same seed give the same journal.
  bool lockstep = false;
  // Contract packs (directories with contract.json): more виды сведений, docs/smev3.md.
  std::vector<std::filesystem::path> contract_packs;
  std::optional<TimePoint> clock_start;  // default: real time
  bool clock_frozen = false;
  // Where СМЭВ keeps its queues (SQLite, WAL): a directory; empty = in memory.
  std::filesystem::path data_dir;  // SQLite queues and journal.jsonl; empty = in memory only
  std::uint64_t journal_max_bytes = 256u << 20;  // journal.jsonl is rotated to journal.jsonl.1 past this
  std::size_t journal_capacity = 100000;         // events kept in memory (GET /admin/journal)
  std::uint64_t store_max_bytes = 0;  // bound on that database (0 = none); beyond it СМЭВ answers SMEVFailure
  // Sees every exchange on the СМЭВ 3 endpoint (request body, HTTP status, answer body); called
  // from the server threads.
  std::function<void(const std::string& request, int status, const std::string& answer)> smev3_tap;
  // Sees every exchange on the СМЭВ 3, СМЭВ 4 and ЕСИА ports ("smev3", "smev4", "esia"), the
  // built-in providers' too: for reports and evidence. Called from the server threads.
  std::function<void(const std::string& channel, const http::Request& request, const http::Response& answer)> tap;
};

class Emulator {
 public:
  static Result<std::unique_ptr<Emulator>> start(World world, const EmulatorOptions& options);
  ~Emulator();
  // Stops serving; false when a request handler did not finish within the grace period (the
  // caller should then exit the process rather than destroy the emulator).
  bool stop();
  // Lockstep: lets the built-in providers take and answer everything queued for them (on this
  // thread); returns how many requests they answered. Without lockstep: 0, they run by themselves.
  int settle();

  std::uint16_t smev3_port() const;
  std::uint16_t admin_port() const;
  std::uint16_t esia_port() const;
  std::uint16_t smev4_port() const;
  std::string esia_url() const;   // http://127.0.0.1:PORT (token endpoint at /aas/oauth2/v3/te)
  std::string smev4_url() const;  // http://127.0.0.1:PORT (check at /<mnemonic>/gosqr/api/gosqr/v1/check)
  class EpguProvider& provider();
  class FaultPlan& faults();  // injected faults (scenario `fault` steps, POST /admin/faults)
  // Adds a rule after the checks the admin API makes (a SOAP fault the WSDL declares for the operation).
  Status add_fault(const struct FaultRule& rule);
  class Registry& registry();
  std::string smev3_url(smev3::Version v = smev3::Version::v1_3) const;
  std::string admin_url() const;
  std::string info_json() const;

  VirtualClock& clock();
  Wallet& wallet();
  Journal& journal();
  const World& world() const;
  // The citizen opens the app (mpgu | max) on `device` (default: their phone) and asks for a
  // QR: the app's screen, and the PNG it shows when it shows one.
  struct AppQr {
    IssueResult result;
    std::optional<Bytes> png;
  };
  Result<AppQr> show_qr(const std::string& person_id, const std::string& app = "mpgu", const std::string& device = "");
  // Issues a QR as the citizen's app does and returns the PNG bytes; an app that refuses (a
  // prerequisite missing) is an error "wallet.refused" naming the code.
  Result<std::pair<QrRecord, Bytes>> issue_qr(const std::string& person_id, const std::string& app = "mpgu");
  // Changes a citizen's state in ЕСИА/ЕПГУ during a run (consent withdrawn, photo removed, …).
  Status update_citizen(const std::string& person_id, const std::function<void(Citizen&)>& change);

  struct Impl;

 private:
  explicit Emulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gosdoki::emulator
