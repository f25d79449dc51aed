#pragma once
// Scenario steps on the citizen's and the checker's side (docs/scenarios.md): the app shows a
// QR or says why not (wallet.issue), a screenshot of it (wallet.screenshot), the citizen's
// state changes (citizen.update), the checker scans with Госкан (goskan.scan).
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/util/bytes.hpp"
#include "emulator/emulator.hpp"
#include "harness/runner/expect.hpp"
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {

struct AppStepState {
  std::optional<Bytes> qr_png;  // what the citizen's phone shows now (nothing after a refusal)
  std::optional<Bytes> previous_png;  // what it showed before the last wallet.issue (an ИС that scanned early)
  std::string app = "mpgu";     // the app that showed it
};

// Runs one of wallet.issue, wallet.screenshot, citizen.update, goskan.scan. Returns the result
// the step produced for expectations (wallet.issue: the app's screen; goskan.scan: the
// Госкан screen), or nullopt when the step produces none. Errors are scenario mistakes (an
// unknown person, a bad value), named for the step's line by the caller.
Result<std::optional<ResultView>> run_app_step(emulator::Emulator& em, const Step& step, const std::string& given_person,
                                               AppStepState& state);

inline bool is_app_step(const std::string& kind) {
  return kind == "wallet.issue" || kind == "wallet.screenshot" || kind == "citizen.update" || kind == "goskan.scan";
}

}  // namespace gosdoki::harness
