#pragma once
// Runs scenarios: each one against its own emulator (fresh state, ephemeral loopback ports,
// frozen virtual clock), with the reference client driven in-process over the real wire.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/fixtures/fixtures.hpp"

namespace gosdoki::emulator {
class Emulator;
}
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {

struct ScenarioOutcome {
  std::string file;
  std::string name;
  bool passed = false;
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
};

class Runner {
 public:
  Runner(const Fixtures& fixtures, const FileSource& fixture_source);
  ScenarioOutcome run(const Scenario& s, const RunOptions& options = {}) const;

 private:
  struct ChannelRun;
  ChannelRun run_on(const Scenario& s, const std::string& channel, const RunOptions& options) const;
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

}  // namespace gosdoki::harness
