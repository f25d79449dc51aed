#pragma once
// The load tool: many concurrent ИС clients against a running `serve` over loopback, each doing
// real signed work, for a fixed time; throughput, latency percentiles, errors by code and the
// server's memory and descriptors (GET /admin/process) before, at peak and after.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "harness/load/bound.hpp"

namespace gosdoki::harness {

// check        a whole check over СМЭВ 3: wallet QR (admin API, untimed) → SendRequest →
//              GetResponse polling → ЭП-СМЭВ check → Ack, the built-in ЕПГУ answering through
//              GetRequest/SendResponse/Ack like an outside provider
// check-smev4  the same over СМЭВ 4: ЕСИА token (client_secret signed, cached per client) → POST
// get-response one signed GetResponse (an empty queue: parse, schema, verify, answer)
inline constexpr std::uint64_t kMaxPresign = 200'000;  // ~2.4 KB each, signed before the run
inline constexpr const char* kLoadOperations[] = {"check", "check-smev4", "get-response"};

struct LoadOptions {
  std::string emulator = "http://127.0.0.1:8090";  // admin URL of the `serve` to drive
  std::string admin_token;
  std::string operation = "check";
  int clients = 4;
  std::chrono::milliseconds duration{10000};
  std::uint64_t max_operations = 0;  // stop after this many (0 = run for `duration`)
  std::string organisation = "hotel-sever";
  std::string person;  // empty: the fixture persons in turn, one per client
  std::chrono::milliseconds poll_timeout{20000};
  std::chrono::milliseconds sample_every{500};  // server memory / descriptors
  // get-response: sign this many envelopes before the clock starts and send only those (the
  // run ends when they are used up), so the load tool's own signing is not in the measurement.
  std::uint64_t presign = 0;  // 0 = sign each envelope as it is sent
  // Measure this machine's crypto costs first (about 1 s) and report the bound (bound.hpp).
  bool bound = true;
};

struct ServerSample {
  std::uint64_t rss_bytes = 0, peak_rss_bytes = 0, open_fds = 0, threads = 0, journal_events = 0;
  double cpu_seconds = 0;
  crypto::OperationCounts crypto;
};

// Where the time went and how far from the limit the run was (bound.hpp).
struct BoundReport {
  CryptoCosts costs;
  unsigned cores = 0;
  crypto::OperationCounts server, client;  // done during the run
  double server_cpu_ms_per_op = 0, client_cpu_ms_per_op = 0;
  double crypto_us_per_op = 0;       // server + client cryptography of one operation
  double crypto_bound_per_s = 0;     // cores / crypto_us_per_op
  double envelope_bound_per_s = 0;   // get-response: cores / envelope_verify_us
};

struct LoadReport {
  std::string operation;
  int clients = 0;
  double seconds = 0;
  std::uint64_t ok = 0, errors = 0;
  std::map<std::string, std::uint64_t> error_codes;  // code → count
  std::string first_error;                            // the first one in full, to act on
  double per_second = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::optional<ServerSample> before, peak, after;  // peak: the largest RSS sampled
  std::vector<std::string> warnings;                 // e.g. a rate limit that will refuse the load
  std::optional<BoundReport> bound;
  std::uint64_t presigned = 0;
};

// Runs until the duration passes (or max_operations); never longer than duration + the poll
// timeout of the operations still running.
Result<LoadReport> run_load(const LoadOptions& options, const Fixtures& fixtures, const FileSource& source);

std::string render_load_report(const LoadReport& r);
std::string load_report_json(const LoadReport& r);

}  // namespace gosdoki::harness
