#pragma once
// Runs scenarios: each one against its own emulator (fresh state, ephemeral loopback ports,
// frozen virtual clock), with the reference client driven in-process over the real wire.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "emulator/journal.hpp"
#include "harness/fixtures/fixtures.hpp"

namespace gosdoki::emulator {
class Emulator;
}
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {

// One HTTP exchange on an emulator port, as the wire carried it (reports, evidence).
struct Exchange {
  std::string channel;    // smev3 | smev4 | esia
  std::string operation;  // SendRequest, GetResponse, … (СМЭВ 3); check (СМЭВ 4); token (ЕСИА)
  std::string caller;     // who sent it: the ИС's mnemonic, or the built-in provider's
  std::string target;
  std::string request;
  std::string request_type;
  int status = 0;
  std::string answer;
  std::string answer_type;
};

// Everything one run of a scenario over one channel left behind.
struct RunRecord {
  std::string channel;
  std::string organisation;  // the ИС's mnemonic (its lane in the sequence diagram)
  std::string provider;      // ЕПГУ's mnemonic
  std::vector<Exchange> exchanges;
  std::vector<emulator::JournalEvent> journal;
  Bytes qr_png;      // the last QR the wallet showed
  Bytes face_image;  // the last face the ИС sent
  std::vector<std::string> screens;  // the operator screen after each client.check
};

struct ScenarioOutcome {
  std::string file;
  std::string name;
  bool passed = false;
  // pass | fail | warning (an advisory scenario failed) | review (passed, a person must look) | skipped
  std::string verdict;
  std::vector<std::string> tags, clauses;
  std::string basis;   // schema | observed | contract
  std::string review;  // what the person must look at
  std::uint64_t seed = 0;
  std::vector<RunRecord> records;  // with RunOptions::capture: one per channel run
  std::vector<std::string> failures;  // each names the scenario location it comes from
  std::chrono::milliseconds elapsed{0};
  std::string last_screen;  // the operator screen of the last check
  std::string last_code;
  std::string channel;      // smev3, smev4, or smev3+smev4 for a parity run
  bool skipped = false;     // the scenario does not apply to the requested channel
  std::string skip_reason;
};

struct RunOptions {
  bool verbose = false;
  // "" = each scenario's own given.channel; smev3 | smev4 = that channel (scenarios that do not
  // apply to it are skipped); both = every channel the scenario applies to, and on two channels
  // the business outcome the operator sees must be the same.
  std::string channel;
  // 0 = the fixtures' seed. Each scenario's emulator and client draw from a seed made of this
  // and the scenario's file name, so one scenario's randomness does not depend on the others.
  std::uint64_t seed = 0;
  bool capture = false;  // keep every exchange, the journal, the QR and face images (reports)
  // Set: every client.check is done by this outside command (the ИС under test; placeholders in
  // harness/runner/external.hpp), and its wire behaviour is judged from the journal.
  std::string client_cmd;
  std::optional<std::filesystem::path> fixtures_dir;  // passed on to it as GOSDOKI_FIXTURES
};

// The seed a scenario file gets in a run with `run_seed` (stable across versions: FNV-1a).
std::uint64_t scenario_seed(std::uint64_t run_seed, const std::string& file);
// Sets outcome.verdict from its failures and the scenario's advisory/review marks.
void set_verdict(ScenarioOutcome& out, bool advisory, const std::string& review);

class Runner {
 public:
  Runner(const Fixtures& fixtures, const FileSource& fixture_source);
  ScenarioOutcome run(const Scenario& s, const RunOptions& options = {}) const;

 private:
  struct ChannelRun;
  ChannelRun run_on(const Scenario& s, const std::string& channel, const RunOptions& options) const;
  ScenarioOutcome run_channels(const Scenario& s, const RunOptions& options) const;
  Status registry_step(emulator::Emulator& em, const Step& step, const Scenario& s) const;
  const Fixtures& fixtures_;
  const FileSource& source_;
};

struct ScenarioFile {
  std::string name;  // as shown: a path, or <built-in>/scenarios/smoke/x.yaml
  std::string text;
};

// Scenario files from the given files/directories (recursively, *.yaml|*.yml, sorted), or the
// built-in smoke suite when `paths` is empty.
Result<std::vector<ScenarioFile>> collect_scenarios(const std::vector<std::filesystem::path>& paths);
// A suite built into the binary (scenarios/<suite>/*.yaml, sorted): `run --plan conformance`.
Result<std::vector<ScenarioFile>> builtin_suite(const std::string& suite);
// One file by the name collect_scenarios gave it (a path, or <built-in>/scenarios/…): --replay.
Result<ScenarioFile> load_scenario_file(const std::string& name);

}  // namespace gosdoki::harness
