#pragma once
// The minimal scenario language (YAML: given / steps / expect), docs/scenarios.md. Every
// error names the file, line and column.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace gosdoki::harness {

struct Location {
  std::string file;
  int line = 0, column = 0;  // 1-based
  std::string str() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

struct Expectation {
  Location where;
  std::optional<std::string> status;  // confirmed | rejected | smev_error | error
  std::optional<std::string> code;    // resultCode or fault name
  std::optional<std::string> signature_fault;  // SignatureVerificationFault enum value
  std::map<std::string, std::string> screen;   // prefill paths -> expected value (may hold ${…})
  std::vector<std::string> absent;             // prefill paths that must not be there
  std::map<std::string, int> journal;          // "smev3.Ack" or "smev3.Ack.ok" -> count
  std::optional<int> http_status;              // СМЭВ 4 only
  bool signatures_valid = false;  // signatures: valid — every XMLDSig on the СМЭВ 3 wire so far verifies
};

struct Step {
  Location where;
  // wallet.issue | wallet.screenshot | citizen.update | goskan.scan | clock.advance | client.check |
  // registry.* | fault | faults.clear
  std::string kind;
  std::map<std::string, std::string> args;  // flat: face.person, face.variant, purpose, …; fault: rule (JSON)
  std::optional<Expectation> expect;        // client.check may carry its own
};

// What a scenario's verdict rests on (reports say it for every check): the official СМЭВ 3
// schemas and rules, behaviour observed in the real test environment, or our emulator contract.
inline constexpr const char* kEvidenceBases[] = {"schema", "observed", "contract"};

struct Scenario {
  Location where;
  std::string name;
  std::vector<std::string> tags;
  std::vector<std::string> clauses;  // protocol clause ids, e.g. smev3.fault.SMEVFailure, gosdoki.qr.ttl
  std::string basis = "contract";    // schema | observed | contract
  // advisory: a failed expectation gives the verdict `warning`, not `fail`.
  bool advisory = false;
  // Set: a pass still needs a person to look (verdict `review`), e.g. how a screen reads.
  std::string review;
  std::string organisation;  // given
  std::string person;
  std::optional<std::string> clock;  // given: xs:dateTime to start from
  std::string channel = "smev3";      // given.channel: the channel of a plain run
  std::vector<std::string> channels;  // given.channels: where the scenario applies (default both)
  std::optional<int> rate_limit;      // given.rateLimit: requests per minute per ИС on the run's channel
  std::vector<Step> steps;
  std::optional<Expectation> expect;  // for the last client.check
};

// Steps whose outcome expectations judge; the scenario's own `expect` judges the last of them.
inline bool produces_result(const std::string& kind) {
  return kind == "client.check" || kind == "wallet.issue" || kind == "goskan.scan";
}

Result<Scenario> parse_scenario(const std::string& text, const std::string& file);

}  // namespace gosdoki::harness
