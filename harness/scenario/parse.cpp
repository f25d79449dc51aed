#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/time/datetime.hpp"
#include "emulator/apps/apps.hpp"
#include "emulator/faults/fault_plan.hpp"
#include "protocol/gosqr/contract.hpp"
#include "harness/scenario/scenario.hpp"

namespace gosdoki::harness {
namespace {

bool known_reference(const std::string& v) {
  static const std::set<std::string> kKnown{
      "${person.lastName}", "${person.firstName}", "${person.middleName}", "${person.birthDate}",
      "${person.birthPlace}", "${person.gender}", "${person.passport.series}", "${person.passport.number}",
      "${person.passport.issueDate}", "${person.passport.issueId}", "${person.passport.issuedBy}"};
  return kKnown.count(v) != 0;
}

struct Parser {
  static constexpr std::size_t kMaxArgs = 64;  // far more than any step has; bounds alias-built maps
  std::string file;

  Location at(const YAML::Node& n) const {
    auto m = n.Mark();
    return Location{file, m.line + 1, m.column + 1};
  }

  Error err(const YAML::Node& n, const std::string& what) const {
    return make_error("scenario.invalid", at(n).str() + ": " + what);
  }

  Result<std::string> scalar(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) return err(n, what + " must be a single value");
    return n.Scalar();
  }

  Status only_keys(const YAML::Node& map, const std::set<std::string>& known, const std::string& where) const {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      std::string k = kv.first.Scalar();
      // YAML keeps the first of two equal keys: the second would be silently ignored.
      if (!seen.insert(k).second) return err(kv.first, "'" + k + "' appears twice in " + where);
      if (!known.count(k)) {
        std::string list;
        for (const auto& x : known) list += (list.empty() ? "" : ", ") + x;
        return err(kv.first, "unknown key '" + k + "' in " + where + " (known: " + list + ")");
      }
    }
    return {};
  }

  Result<Expectation> expectation(const YAML::Node& n) const {
    if (!n.IsMap()) return err(n, "expect must be a mapping");
    if (auto st = only_keys(n, {"status", "code", "signatureFault", "screen", "absent", "journal", "httpStatus", "signatures"},
                            "expect");
        !st) {
      return st.error();
    }
    Expectation e;
    e.where = at(n);
    if (n["status"]) {
      auto s = scalar(n["status"], "expect.status");
      if (!s) return s.error();
      static const std::set<std::string> kStatus{"confirmed", "rejected", "smev_error", "error"};
      if (!kStatus.count(*s)) return err(n["status"], "expect.status '" + *s + "' is not one of confirmed, rejected, smev_error, error");
      e.status = *s;
    }
    if (n["code"]) {
      auto s = scalar(n["code"], "expect.code");
      if (!s) return s.error();
      e.code = *s;
    }
    if (n["httpStatus"]) {
      try {
        e.http_status = n["httpStatus"].as<int>();
      } catch (const YAML::Exception&) {
        return err(n["httpStatus"], "expect.httpStatus must be a whole number");
      }
    }
    if (n["signatures"]) {
      auto s = scalar(n["signatures"], "expect.signatures");
      if (!s) return s.error();
      if (*s != "valid") return err(n["signatures"], "expect.signatures is 'valid' (every signature on the wire verifies)");
      e.signatures_valid = true;
    }
    if (n["signatureFault"]) {
      auto s = scalar(n["signatureFault"], "expect.signatureFault");
      if (!s) return s.error();
      e.signature_fault = *s;
    }
    if (const auto& sc = n["screen"]) {
      if (!sc.IsMap()) return err(sc, "expect.screen must map fields to values");
      for (const auto& kv : sc) {
        auto v = scalar(kv.second, "expect.screen." + kv.first.Scalar());
        if (!v) return v.error();
        if (v->rfind("${", 0) == 0 && !known_reference(*v)) {
          return err(kv.second, "unknown reference " + *v + " (known: ${person.lastName}, ${person.firstName}, "
                                "${person.middleName}, ${person.birthDate}, ${person.birthPlace}, ${person.gender}, "
                                "${person.passport.series|number|issueDate|issueId|issuedBy})");
        }
        e.screen[kv.first.Scalar()] = *v;
      }
    }
    if (const auto& ab = n["absent"]) {
      if (!ab.IsSequence()) return err(ab, "expect.absent must be a list of fields");
      for (const auto& x : ab) {
        auto v = scalar(x, "expect.absent item");
        if (!v) return v.error();
        e.absent.push_back(*v);
      }
    }
    if (const auto& j = n["journal"]) {
      if (!j.IsMap()) return err(j, "expect.journal must map channel.operation to a count");
      for (const auto& kv : j) {
        int count = 0;
        try {
          count = kv.second.as<int>();
        } catch (const YAML::Exception&) {
          return err(kv.second, "expect.journal." + kv.first.Scalar() + " must be a whole number");
        }
        if (count < 0) return err(kv.second, "expect.journal." + kv.first.Scalar() + " is a count: 0 or more");
        e.journal[kv.first.Scalar()] = count;
      }
    }
    return e;
  }

  // Flattens one level of nesting: {face: {person: x}} -> face.person = x. Only one: YAML
  // aliases let a few lines name a map of maps of maps, whose full expansion is exponential.
  Status flatten(const YAML::Node& n, const std::string& prefix, std::map<std::string, std::string>& out) const {
    for (const auto& kv : n) {
      std::string key = prefix + kv.first.Scalar();
      if (out.size() >= kMaxArgs) return err(kv.first, "a step takes at most " + std::to_string(kMaxArgs) + " arguments");
      if (kv.second.IsMap()) {
        return err(kv.second, "'" + key + "' nests too deep: an argument is a value or a mapping of values");
      } else if (kv.second.IsScalar()) {
        out[key] = kv.second.Scalar();
      } else if (kv.second.IsNull()) {
        out[key] = "";
      } else {
        return err(kv.second, "'" + key + "' must be a value or a mapping");
      }
    }
    return {};
  }

  // client.check's esia: {…}: the ЕСИА client's deliberate mistakes, checked here so that a typo
  // is an error at its line, not a check that silently runs without it.
  Status esia_args(const YAML::Node& n, std::map<std::string, std::string>& out) const {
    if (!n.IsMap()) return err(n, "esia must be a mapping, e.g. {secret: wrong}");
    static const std::map<std::string, std::set<std::string>> kValues{
        {"secret", {"wrong", "right"}}, {"certificateHash", {"der", "pem"}}, {"refresh", {"true", "false"}},
        {"reuseState", {"true", "false"}}, {"timestampSkew", {}}, {"scope", {}}, {"certificate", {}}};
    for (const auto& kv : n) {
      std::string k = kv.first.Scalar();
      auto known = kValues.find(k);
      if (known == kValues.end()) {
        return err(kv.first, "unknown key '" + k + "' in esia (known: certificate, certificateHash, refresh, reuseState, "
                             "scope, secret, timestampSkew)");
      }
      auto v = scalar(kv.second, "esia." + k);
      if (!v) return v.error();
      if (!known->second.empty() && !known->second.count(*v)) {
        std::string list;
        for (const auto& x : known->second) list += (list.empty() ? "" : ", ") + x;
        return err(kv.second, "esia." + k + " '" + *v + "' is not one of " + list);
      }
      if ((k == "scope" || k == "certificate") && v->empty()) return err(kv.second, "esia." + k + " must not be empty");
      out["esia." + k] = *v;
    }
    return {};
  }

  // A fault rule's YAML as JSON: numbers stay numbers, lists (a latency range) stay lists.
  Result<nlohmann::json> to_json(const YAML::Node& n, int depth) const {
    if (depth > 2) return err(n, "nests too deep");
    if (n.IsMap()) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& kv : n) {
        auto v = to_json(kv.second, depth + 1);
        if (!v) return v.error();
        j[kv.first.Scalar()] = *v;
      }
      return j;
    }
    if (n.IsSequence()) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& x : n) {
        auto v = to_json(x, depth + 1);
        if (!v) return v.error();
        j.push_back(*v);
      }
      return j;
    }
    if (!n.IsScalar()) return err(n, "expected a value");
    const std::string& v = n.Scalar();
    const std::string digits = !v.empty() && v[0] == '-' ? v.substr(1) : v;
    if (n.Tag() != "!" && !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos && digits.size() < 18) {
      return nlohmann::json(std::stoll(v));
    }
    if (n.Tag() != "!" && !v.empty() && v.find_first_not_of("0123456789.") == std::string::npos &&
        std::count(v.begin(), v.end(), '.') == 1 && v.size() < 20) {
      return nlohmann::json(std::stod(v));
    }
    return nlohmann::json(v);
  }

  Result<Step> step(const YAML::Node& n) const {
    if (!n.IsMap() || n.size() != 1) {
      return err(n, "a step is a mapping with exactly one action, e.g. '- wallet.issue: {}'");
    }
    auto kv = *n.begin();
    Step s;
    s.where = at(kv.first);
    s.kind = kv.first.Scalar();
    static const std::map<std::string, std::set<std::string>> kArgs{
        {"wallet.issue", {"person", "app", "device", "expect"}},
        {"wallet.screenshot", {}},
        {"citizen.update", {}},  // any citizen field: checked below with the emulator's own rules
        {"goskan.scan", {"checker", "checkerOid", "purpose", "expect"}},
        {"clock.advance", {}},
        {"client.check",
         {"face", "purpose", "organisation", "tamper", "certificate", "qr", "testMessage", "esia", "expect", "pollTimeout",
          "terminal", "capturedAgo", "camera", "faceVerdict"}},
        {"fault", {}},
        {"faults.clear", {}},
        {"registry.remove", {"organisation"}},
        {"registry.apply", {"organisation"}},
        {"registry.approve", {}},
        {"registry.reject", {"reason"}},
    };
    auto known = kArgs.find(s.kind);
    if (known == kArgs.end()) {
      return err(kv.first, "unknown step '" + s.kind + "' (known: wallet.issue, wallet.screenshot, citizen.update, goskan.scan, "
                           "clock.advance, client.check, "
                           "registry.remove, registry.apply, registry.approve, registry.reject, fault, faults.clear)");
    }
    const YAML::Node& body = kv.second;
    if (s.kind == "fault") {
      // The rule as the admin API takes it (POST /admin/faults), checked here at its line.
      auto j = to_json(body, 0);
      if (!j) return j.error();
      auto rule = emulator::fault_rule_from_json(*j);
      if (!rule) return err(body, "fault: " + rule.error().message);
      s.args["rule"] = j->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return s;
    }
    if (s.kind == "clock.advance") {
      auto v = scalar(body, "clock.advance");
      if (!v) return v.error();
      if (auto d = parse_duration(*v); !d) return err(body, "clock.advance: " + d.error().message);
      s.args["by"] = *v;
      return s;
    }
    if (body.IsNull()) return s;
    if (!body.IsMap()) return err(body, s.kind + " takes a mapping of arguments");
    if (s.kind == "citizen.update") {
      emulator::Citizen probe;  // each change tried on a blank citizen, so a bad one is named at its line
      for (const auto& a : body) {
        auto v = scalar(a.second, "citizen.update." + a.first.Scalar());
        if (!v) return v.error();
        if (a.first.Scalar() == "person") {
          s.args["person"] = *v;
          continue;
        }
        if (a.first.Scalar().rfind("maxId.", 0) == 0 && !probe.max_id) probe.max_id = emulator::MaxDigitalId{};
        if (auto st = emulator::change_citizen(probe, a.first.Scalar(), *v); !st) return err(a.first, "citizen.update: " + st.error().message);
        s.args[a.first.Scalar()] = *v;
      }
      if (s.args.empty() || (s.args.size() == 1 && s.args.count("person"))) return err(body, "citizen.update changes nothing");
      return s;
    }
    if (auto st = only_keys(body, known->second, s.kind); !st) return st.error();
    if (s.kind == "client.check") {
      if (const auto& p = body["purpose"]; p && (!p.IsScalar() || !gosqr::is_purpose(p.Scalar()))) {
        return err(p, "purpose '" + (p.IsScalar() ? p.Scalar() : std::string("…")) +
                          "' is not a purpose (AGE_18_GOODS, AGE_RESTRICTED_EVENT, PREMISES_ACCESS, POSTAL, FINANCIAL, MFC, "
                          "TELECOM, PRIVATE_MEDICAL, HOTEL)");
      }
      if (const auto& t = body["pollTimeout"]) {
        auto d = t.IsScalar() ? parse_duration(t.Scalar()) : Result<Micros>(make_error("duration", "not a value"));
        if (!d || *d < std::chrono::milliseconds(100) || *d > std::chrono::seconds(60)) {
          return err(t, "pollTimeout is a duration from 100ms to 60s");
        }
      }
    }
    for (const auto& a : body) {
      std::string key = a.first.Scalar();
      if (key == "expect") {
        auto e = expectation(a.second);
        if (!e) return e.error();
        s.expect = *e;
      } else if (key == "esia") {
        if (auto st = esia_args(a.second, s.args); !st) return st.error();
      } else if (key == "face" && a.second.IsScalar()) {
        s.args["face.variant"] = a.second.Scalar();
      } else if (a.second.IsMap()) {
        if (auto st = flatten(a.second, key + ".", s.args); !st) return st.error();
      } else {
        auto v = scalar(a.second, s.kind + "." + key);
        if (!v) return v.error();
        s.args[key] = *v;
      }
    }
    return s;
  }
};

}  // namespace

Result<Scenario> parse_scenario(const std::string& text, const std::string& file) {
  Parser p{file};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return make_error("scenario.syntax", file + ":" + std::to_string(e.mark.line + 1) + ":" +
                                             std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  try {
    if (!root.IsMap()) return make_error("scenario.invalid", file + ":1:1: a scenario is a mapping (name, given, steps, expect)");
    if (auto st = p.only_keys(root, {"name", "tags", "given", "steps", "expect", "description", "clauses", "basis", "advisory",
                                     "review"},
                              "the scenario");
        !st) {
      return st.error();
    }
    Scenario s;
    s.where = p.at(root);
    if (!root["name"]) return p.err(root, "the scenario needs a name");
    auto name = p.scalar(root["name"], "name");
    if (!name) return name.error();
    s.name = *name;
    if (const auto& tags = root["tags"]) {
      if (!tags.IsSequence()) return p.err(tags, "tags must be a list");
      for (const auto& t : tags) s.tags.push_back(t.Scalar());
    }
    if (const auto& cl = root["clauses"]) {
      if (!cl.IsSequence()) return p.err(cl, "clauses must be a list of protocol clause ids");
      for (const auto& c : cl) {
        auto v = p.scalar(c, "a clause id");
        if (!v) return v.error();
        s.clauses.push_back(*v);
      }
    }
    if (root["basis"]) {
      auto b = p.scalar(root["basis"], "basis");
      if (!b) return b.error();
      if (std::find(std::begin(kEvidenceBases), std::end(kEvidenceBases), *b) == std::end(kEvidenceBases)) {
        return p.err(root["basis"], "basis '" + *b + "' is not one of schema, observed, contract");
      }
      s.basis = *b;
    }
    if (root["advisory"]) {
      auto a = p.scalar(root["advisory"], "advisory");
      if (!a) return a.error();
      if (*a != "true" && *a != "false") return p.err(root["advisory"], "advisory is true or false");
      s.advisory = *a == "true";
    }
    if (root["review"]) {
      auto r = p.scalar(root["review"], "review");
      if (!r) return r.error();
      s.review = *r;
    }
    const auto& given = root["given"];
    if (!given || !given.IsMap()) return p.err(given ? given : root, "the scenario needs 'given' with organisation and person");
    if (auto st = p.only_keys(given, {"organisation", "person", "clock", "channel", "channels", "rateLimit"}, "given"); !st) {
      return st.error();
    }
    if (given["organisation"]) s.organisation = given["organisation"].Scalar();
    if (given["person"]) s.person = given["person"].Scalar();
    if (given["clock"]) s.clock = given["clock"].Scalar();
    auto known_channel = [](const std::string& c) { return c == "smev3" || c == "smev4"; };
    if (given["channel"]) {
      s.channel = given["channel"].Scalar();
      if (!known_channel(s.channel)) return p.err(given["channel"], "channel '" + s.channel + "' is not smev3 or smev4");
    }
    if (const auto& ch = given["channels"]) {
      if (!ch.IsSequence() || ch.size() == 0) return p.err(ch, "given.channels must be a list: [smev3], [smev4] or [smev3, smev4]");
      for (const auto& c : ch) {
        if (!c.IsScalar() || !known_channel(c.Scalar())) return p.err(c, "given.channels: '" + c.Scalar() + "' is not smev3 or smev4");
        if (std::find(s.channels.begin(), s.channels.end(), c.Scalar()) != s.channels.end()) {
          return p.err(c, "given.channels lists " + c.Scalar() + " twice");
        }
        s.channels.push_back(c.Scalar());
      }
      if (given["channel"] && std::find(s.channels.begin(), s.channels.end(), s.channel) == s.channels.end()) {
        return p.err(given["channel"], "given.channel " + s.channel + " is not among given.channels");
      }
      if (!given["channel"]) s.channel = s.channels.front();
    } else if (given["channel"]) {
      s.channels = {s.channel};
    } else {
      s.channels = {"smev3", "smev4"};
    }
    if (given["rateLimit"]) {
      try {
        s.rate_limit = given["rateLimit"].as<int>();
      } catch (const YAML::Exception&) {
        return p.err(given["rateLimit"], "given.rateLimit must be a whole number of requests per minute");
      }
      if (*s.rate_limit < 0) return p.err(given["rateLimit"], "given.rateLimit must not be negative");
    }
    const auto& steps = root["steps"];
    if (!steps || !steps.IsSequence() || steps.size() == 0) return p.err(steps ? steps : root, "the scenario needs a list of steps");
    for (const auto& n : steps) {
      auto st = p.step(n);
      if (!st) return st.error();
      s.steps.push_back(std::move(*st));
    }
    if (root["expect"]) {
      auto e = p.expectation(root["expect"]);
      if (!e) return e.error();
      s.expect = *e;
    }
    bool has_check = false, step_expect = false;
    for (const auto& st : s.steps) {
      has_check = has_check || produces_result(st.kind);
      step_expect = step_expect || st.expect.has_value();
    }
    if (s.expect && !has_check) return p.err(root["expect"], "expect refers to the last client.check, wallet.issue or goskan.scan, but there is none");
    // A scenario that expects nothing would pass whatever happens.
    if (!s.expect && !step_expect) return p.err(root, "the scenario expects nothing: add 'expect' (at least a status or code)");
    return s;
  } catch (const YAML::Exception& e) {
    return make_error("scenario.invalid", file + ":" + std::to_string(e.mark.line + 1) + ":" +
                                              std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace gosdoki::harness
