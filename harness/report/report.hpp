#pragma once
// What a run produced, written for people and machines: JUnit XML (CI), JSON (tools), an HTML
// page per run (people: the QR, the faces, every message, a sequence diagram drawn from the
// journal) and the run manifest that `run --replay` repeats. Every report says at the top that
// the вид сведений contract is emulated.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"
#include "harness/runner/runner.hpp"

namespace gosdoki::harness {

inline constexpr const char* kContractNotice =
    "The вид сведений contract (urn://gosuslugi/gosqr-docs-emul/1.0.0) is emulated: it is the sandbox's own "
    "contract, not an official schema. Checks say what they rest on: schema (official СМЭВ 3 schemas and rules), "
    "observed (behaviour seen in the real СМЭВ 3 test environment) or contract (this emulator's contract).";

struct ScenarioFileRef {
  std::string name;    // as given on the command line, or <built-in>/…
  std::string sha256;  // of its text, hex
};

// Everything needed to run the same thing again (`run --replay manifest.json`).
struct RunManifest {
  std::string tool = "gosdoki-sandbox 0.1.0";
  std::string started_at;  // UTC xs:dateTime
  std::uint64_t seed = 0;
  std::string channel;     // as asked ("" = each scenario's own)
  int jobs = 1;
  std::string shard;
  std::vector<std::string> tags;  // --tag filters
  std::string fixtures;           // where the fixtures came from
  std::string fixtures_sha256;    // of fixtures/emulator.json as loaded
  std::vector<ScenarioFileRef> files;
  bool redacted = false;
};

nlohmann::json manifest_json(const RunManifest& m);
Result<RunManifest> manifest_from_json(const std::string& text, const std::string& where);

struct RunSummary {
  int pass = 0, fail = 0, warning = 0, review = 0, skipped = 0;
  double seconds = 0;
  int total() const { return pass + fail + warning + review + skipped; }
};
RunSummary summarise(const std::vector<ScenarioOutcome>& outcomes, double seconds);

// Document numbers, names and faces out of everything a report or bundle shows (--redact).
class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(const std::vector<std::string>& secrets);  // exact strings to mask
  bool active() const { return active_; }
  std::string text(std::string s) const;  // masks secrets and long Base64 runs (photos)
 private:
  bool active_ = false;
  std::vector<std::string> secrets_;
};

std::string junit_xml(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                      const Redactor& redact);
nlohmann::json json_report(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                           const Redactor& redact);
std::string html_report(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                        const Redactor& redact);
// The seed's sequence diagram drawn from one run's journal (SVG, self-contained).
std::string sequence_svg(const RunRecord& record);

}  // namespace gosdoki::harness
