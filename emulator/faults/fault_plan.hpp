#pragma once
// Faults on demand (scenarios' `fault` steps, POST /admin/faults): rules that make chosen calls
// on a channel late, slow, refused, cut or lost. Probabilistic rules and random latencies draw
// from one seeded generator, so a run with the same seed and the same calls hits the same ones.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <functional>

#include "core/http/http.hpp"
#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "emulator/journal.hpp"

namespace gosdoki::emulator {

struct FaultRule {
  std::string channel = "smev3";  // smev3 | smev4 | esia
  // smev3: SendRequest, GetRequest, GetResponse, Ack, SendResponse, GetStatus, GetIncomingQueueStatistics
  // or "*"; smev4: check; esia: token
  std::string operation;
  // latency | slowBody: the call is processed, its answer is late / trickles out;
  // soapFault | httpStatus: the call is refused without being processed;
  // reset | garbage: the call IS processed, then its answer is lost (TCP reset / non-HTTP bytes);
  // drop (smev3 GetRequest/GetResponse): a message is taken from the queue but the answer says the queue is empty,
  //   so it comes back only after the redelivery delay (`travel: redelivery` jumps the virtual
  //   clock there at once: queue time travel).
  std::string action;
  std::string fault;          // soapFault: the fault's element name (SMEVFailure, …)
  int http_status = 0;        // httpStatus: 400..599
  Micros latency_min{0}, latency_max{0};  // latency: fixed (min = max) or uniform in [min, max]
  Micros chunk_interval{0};   // slowBody: pause between 64-byte pieces
  std::string travel;         // drop: "" or "redelivery"
  int skip = 0;               // let this many matching calls through first
  int count = 1;              // then hit this many (0 = every one from then on)
  double probability = 1.0;   // each eligible call is hit with this probability (seeded)
  // state
  int seen = 0, hits = 0;
};

// What one call gets.
struct FaultHit {
  FaultRule rule;
  Micros latency{0};  // chosen for this call
};

// Reads a rule from JSON ({"channel":"smev3","operation":"GetResponse","action":"drop",...});
// every error names the field.
Result<FaultRule> fault_rule_from_json(const nlohmann::json& j);
nlohmann::json fault_rule_to_json(const FaultRule& r);

class FaultPlan {
 public:
  explicit FaultPlan(std::uint64_t seed = 1) : rng_(seed) {}
  void add(FaultRule rule);
  // The first live rule for this call, if it fires (counts the call against every matching rule).
  std::optional<FaultHit> take(const std::string& channel, const std::string& operation);
  std::vector<FaultRule> rules() const;
  void clear();
  void reseed(std::uint64_t seed);

 private:
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  std::mt19937_64 rng_;
};

// Puts a processed call's hit on its answer: delay (latency), trickle (slowBody), or the reset /
// garbage that replaces it. Returns the journal outcome for reset and garbage ("" otherwise).
std::string apply_wire_fault(const FaultHit& hit, http::Response& answer);

// For the HTTP channels without a fault dialect of their own (СМЭВ 4, ЕСИА): a POST meets the
// rule that fires for (channel, operation) — refused with its HTTP status (problem JSON), or
// processed and then delayed, trickled, reset or garbled — or goes straight to `handler`.
http::Response with_transport_faults(FaultPlan& plan, Journal& journal, const Clock& clock, const std::string& channel,
                                     const std::string& operation, const http::Request& request,
                                     const std::function<http::Response(const http::Request&)>& handler);

}  // namespace gosdoki::emulator
