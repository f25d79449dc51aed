#include "harness/runner/expect.hpp"

#include <nlohmann/json.hpp>

#include "client/operator_screen.hpp"
#include "harness/runner/runner.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/explain.hpp"

namespace gosdoki::harness {

void flatten_json(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (const auto& [k, v] : j.items()) {
    std::string key = prefix.empty() ? k : prefix + "." + k;
    if (v.is_object()) flatten_json(v, key, out);
    else if (v.is_string()) out[key] = v.get<std::string>();
    else out[key] = v.dump();
  }
}


ResultView view_of(const client::CheckReport& r) {
  ResultView v;
  v.status = client::status_name(r.status);
  v.code = r.code;
  v.message = r.message;
  v.signature_fault = r.signature_fault;
  v.http_status = r.http_status;
  flatten_json(nlohmann::json::parse(client::prefill_json(r)), "", v.screen);
  return v;
}

Result<ResultView> view_of_prefill(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error("external.result", std::string("not JSON (") + e.what() + ")");
  }
  if (!j.is_object()) return make_error("external.result", "not a JSON object");
  if (!j.contains("status") || !j["status"].is_string() || !j.contains("resultCode") || !j["resultCode"].is_string()) {
    return make_error("external.result", "the result JSON has no 'status' and 'resultCode' strings");
  }
  ResultView v;
  v.status = j["status"];
  v.code = j["resultCode"];
  v.message = j.value("resultMessage", "");
  v.signature_fault = j.value("signatureFault", "");
  v.http_status = j.value("httpStatus", 0);
  flatten_json(j, "", v.screen);
  return v;
}

namespace {

// ${person.lastName}, ${person.passport.series}: values from the fixtures, so expectations
// are derived from the data, not from what the emulator answered.
std::string resolve(const std::string& v, const emulator::Citizen* c) {
  if (v.size() < 3 || v.substr(0, 2) != "${" || v.back() != '}' || !c) return v;
  std::string k = v.substr(2, v.size() - 3);
  const auto& p = c->passport;
  if (k == "person.lastName") return c->last_name;
  if (k == "person.firstName") return c->first_name;
  if (k == "person.middleName") return c->middle_name;
  if (k == "person.birthDate") return c->birth_date;
  if (k == "person.birthPlace") return c->birth_place;
  if (k == "person.gender") return c->gender;
  if (p && k == "person.passport.series") return p->series;
  if (p && k == "person.passport.number") return p->number;
  if (p && k == "person.passport.issueDate") return p->issue_date;
  if (p && k == "person.passport.issueId") return p->issue_id;
  if (p && k == "person.passport.issuedBy") return p->issued_by;
  return "<unknown reference " + v + ">";
}

// Journal keys of one channel's wire events count only in a run over that channel.
bool journal_key_applies(const std::string& key, const std::string& channel) {
  auto head = key.substr(0, key.find('.'));
  if (head == "smev3" || head == "epgu") return channel == "smev3";
  if (head == "smev4" || head == "esia") return channel == "smev4";
  return true;
}

}  // namespace

void check_expectation(const Expectation& e, const ResultView& r, const emulator::Journal& journal,
                       const emulator::Citizen* person, const std::string& channel, std::vector<std::string>& failures) {
  auto fail = [&](const std::string& what) { failures.push_back(e.where.str() + ": " + what); };
  if (e.status && *e.status != r.status) {
    fail("status is " + r.status + ", expected " + *e.status + " (" + r.code + ": " + r.message + ")");
  }
  if (e.code && *e.code != r.code) fail("code is " + r.code + ", expected " + *e.code + " (" + r.message + ")");
  if (e.signature_fault && r.signature_fault != *e.signature_fault) {
    fail("SignatureVerificationFault is '" + r.signature_fault + "', expected " + *e.signature_fault);
  }
  if (e.http_status && channel == "smev4" && r.http_status != *e.http_status) {
    fail("HTTP status is " + std::to_string(r.http_status) + ", expected " + std::to_string(*e.http_status) + " (" + r.message +
         ")");
  }
  for (const auto& [k, v] : e.screen) {
    std::string want = resolve(v, person);
    auto it = r.screen.find(k);
    if (it == r.screen.end()) fail("screen has no " + k + ", expected '" + want + "'");
    else if (it->second != want) fail("screen " + k + " is '" + it->second + "', expected '" + want + "'");
  }
  for (const auto& k : e.absent) {
    if (auto it = r.screen.find(k); it != r.screen.end()) {
      fail("screen shows " + k + " = '" + it->second + "', which this purpose must not disclose");
    }
  }
  for (const auto& [key, want] : e.journal) {
    if (!journal_key_applies(key, channel)) continue;
    auto d1 = key.find('.');
    auto d2 = key.find('.', d1 == std::string::npos ? 0 : d1 + 1);
    std::string source = key.substr(0, d1);
    std::string op = d1 == std::string::npos ? "" : key.substr(d1 + 1, d2 == std::string::npos ? std::string::npos : d2 - d1 - 1);
    std::string outcome = d2 == std::string::npos ? "" : key.substr(d2 + 1);
    auto got = static_cast<int>(journal.count(source, op, outcome));
    if (got != want) fail("journal has " + std::to_string(got) + " × " + key + ", expected " + std::to_string(want));
  }
}


void check_signatures(const Expectation& e, const std::vector<Exchange>& exchanges, const std::string& channel,
                      std::vector<std::string>& failures) {
  if (!e.signatures_valid || channel != "smev3") return;  // СМЭВ 4 carries no XMLDSig
  std::size_t checked = 0;
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    const auto& x = exchanges[i];
    if (x.channel != "smev3") continue;
    for (const auto& [body, type, side] : {std::tuple{&x.request, &x.request_type, "request"}, {&x.answer, &x.answer_type, "answer"}}) {
      auto env = gosdoki::smev3::parse_message(*type, *body);
      if (!env) continue;  // not SOAP (an injected HTTP status or garbage): nothing signed
      for (const auto& r : xmldsig::explain_signatures(env->doc.get())) {
        ++checked;
        if (r.verdict != "OK") {
          failures.push_back(e.where.str() + ": signatures: message " + std::to_string(i + 1) + " (" + x.operation + " " + side +
                             ") " + r.location + ": " + r.verdict);
        }
      }
    }
  }
  if (checked == 0) failures.push_back(e.where.str() + ": signatures: no signed СМЭВ 3 message to check");
}

}  // namespace gosdoki::harness
