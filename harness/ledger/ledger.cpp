#include "harness/ledger/ledger.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <set>

namespace gosdoki::harness {

namespace {

// YYYY-MM-DD, a day that exists (2027-02-30 does not).
bool iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int year = std::stoi(s.substr(0, 4)), month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool ends_with_path(const std::string& file, const std::string& suffix) {
  if (file == suffix) return true;
  return file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         file[file.size() - suffix.size() - 1] == '/';
}

}  // namespace

const LedgerEntry* Ledger::find(const std::string& scenario_file) const {
  for (const auto& e : entries) {
    if (ends_with_path(scenario_file, e.scenario)) return &e;
  }
  return nullptr;
}

Result<Ledger> parse_ledger(const std::string& text, const std::string& file) {
  auto at = [&](const YAML::Node& n) {
    return file + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return make_error("ledger.syntax", file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                           ": YAML syntax error: " + e.msg);
  }
  Ledger l;
  l.file = file;
  try {
    if (!root.IsMap() || !root["expected_failures"] || !root["expected_failures"].IsSequence()) {
      return make_error("ledger.invalid", file + ":1:1: a ledger is a mapping with 'expected_failures', a list of "
                                                 "{scenario, owner, expires, reason}");
    }
    std::set<std::string> seen;
    for (const auto& n : root["expected_failures"]) {
      if (!n.IsMap()) return make_error("ledger.invalid", at(n) + ": an entry is a mapping {scenario, owner, expires, reason}");
      LedgerEntry e;
      e.where = Location{file, n.Mark().line + 1, n.Mark().column + 1};
      for (const auto& kv : n) {
        std::string k = kv.first.Scalar();
        if (k != "scenario" && k != "owner" && k != "expires" && k != "reason") {
          return make_error("ledger.invalid", at(kv.first) + ": unknown key '" + k + "' (known: scenario, owner, expires, reason)");
        }
        if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
          return make_error("ledger.invalid", at(kv.second) + ": '" + k + "' must be a single non-empty value, not a list or mapping");
        }
      }
      for (const char* k : {"scenario", "owner", "expires", "reason"}) {
        if (!n[k]) return make_error("ledger.invalid", at(n) + ": the entry needs '" + k + "'");
      }
      e.scenario = n["scenario"].Scalar();
      e.owner = n["owner"].Scalar();
      e.expires = n["expires"].Scalar();
      e.reason = n["reason"].Scalar();
      if (!iso_date(e.expires)) {
        return make_error("ledger.invalid", at(n["expires"]) + ": expires '" + e.expires + "' is not a date YYYY-MM-DD");
      }
      if (!seen.insert(e.scenario).second) {
        return make_error("ledger.invalid", at(n["scenario"]) + ": " + e.scenario + " is listed twice");
      }
      l.entries.push_back(std::move(e));
    }
  } catch (const YAML::Exception& e) {
    return make_error("ledger.invalid", file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                            ": " + e.msg);
  }
  return l;
}

std::vector<std::string> expired_entries(const Ledger& ledger, const std::string& today) {
  std::vector<std::string> out;
  for (const auto& e : ledger.entries) {
    // ISO dates compare as strings; the expiry day itself still holds.
    if (e.expires < today) {
      out.push_back(e.where.str() + ": the entry for " + e.scenario + " (owner " + e.owner + ") expired on " + e.expires +
                    ": fix the scenario or renew the entry");
    }
  }
  return out;
}

std::optional<std::string> apply_ledger(const Ledger& ledger, ScenarioOutcome& o, const std::string& today) {
  const LedgerEntry* e = ledger.find(o.file);
  if (!e) return std::nullopt;
  if (o.verdict == "fail" && e->expires >= today) {
    o.verdict = "warning";
    o.failures.push_back(e->where.str() + ": expected failure (owner " + e->owner + ", until " + e->expires + "): " + e->reason);
  } else if (o.verdict == "pass" || o.verdict == "review") {
    return e->where.str() + ": " + o.file + " passes: its ledger entry can go";
  }
  return std::nullopt;
}

}  // namespace gosdoki::harness
