#pragma once
// The expected-failures ledger: known failing scenarios, each with an owner, a reason and an
// expiry date. A listed scenario that fails is reported as a warning (not a failure) until its
// entry expires; an expired entry fails the run, so a known failure cannot be forgotten.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "harness/runner/runner.hpp"
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {

struct LedgerEntry {
  Location where;
  std::string scenario;  // a file name or a path suffix: 07-slow.yaml, faults/07-slow.yaml
  std::string owner;
  std::string expires;   // YYYY-MM-DD, the last day the entry holds
  std::string reason;
};

struct Ledger {
  std::string file;
  std::vector<LedgerEntry> entries;
  const LedgerEntry* find(const std::string& scenario_file) const;
};

// expected_failures: [{scenario, owner, expires, reason}]; errors name file:line:column.
Result<Ledger> parse_ledger(const std::string& text, const std::string& file);

// Entries past their date (`today`: YYYY-MM-DD, UTC), each a line naming it: each fails the run.
std::vector<std::string> expired_entries(const Ledger& ledger, const std::string& today);
// A listed failure becomes a warning naming its entry; a listed scenario that passes gives a
// note that the entry can go.
std::optional<std::string> apply_ledger(const Ledger& ledger, ScenarioOutcome& outcome, const std::string& today);

}  // namespace gosdoki::harness
