#pragma once
// Checking a scenario's expectations against what the operator was shown: the result of the
// reference ИС in-process, or the result JSON an external ИС wrote (`run --client-cmd`).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "client/channel.hpp"
#include "core/result.hpp"
#include "emulator/journal.hpp"
#include "emulator/model.hpp"
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {

// The operator's result as expectations see it (the form-prefill JSON, flattened).
struct ResultView {
  std::string status, code, message, signature_fault;
  int http_status = 0;
  std::map<std::string, std::string> screen;  // person.lastName, document.number, ageConfirmed18, …
};

void flatten_json(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out);
ResultView view_of(const client::CheckReport& r);
// From the prefill JSON an ИС wrote (status, resultCode, person.*, document.*, …).
Result<ResultView> view_of_prefill(const std::string& json_text);

struct Exchange;
// expect.signatures: valid — every ds:Signature in every СМЭВ 3 message so far (the ИС's ЭП-ОВ,
// ЕПГУ's, ЭП-СМЭВ) verifies: digest, value and certificate. Checked in runs over СМЭВ 3 only.
void check_signatures(const Expectation& e, const std::vector<Exchange>& exchanges, const std::string& channel,
                      std::vector<std::string>& failures);

void check_expectation(const Expectation& e, const ResultView& r, const emulator::Journal& journal,
                       const emulator::Citizen* person, const std::string& channel, std::vector<std::string>& failures);

}  // namespace gosdoki::harness
