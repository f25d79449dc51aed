#include "harness/report/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/xml/xml.hpp"

namespace gosdoki::harness {

using nlohmann::json;

namespace {

// XML 1.0 allows no C0 controls but tab, LF, CR: a failure text quoting a bad input must not
// make the whole report unreadable.
std::string xml_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
    else out += static_cast<char>(c);
  }
  return out;
}
std::string text(std::string_view s) { return xml::escape_text(xml_safe(s)); }
std::string attr(std::string_view s) { return xml::escape_attr(xml_safe(s)); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// The suite of a scenario: its directory (smoke, faults, …).
std::string suite_of(const std::string& file) {
  auto parent = std::filesystem::path(file).parent_path().filename().string();
  return parent.empty() ? "scenarios" : parent;
}

}  // namespace

json manifest_json(const RunManifest& m) {
  json files = json::array();
  for (const auto& f : m.files) files.push_back({{"name", f.name}, {"sha256", f.sha256}});
  return json{{"tool", m.tool},         {"startedAt", m.started_at}, {"seed", m.seed},
              {"channel", m.channel},   {"jobs", m.jobs},            {"shard", m.shard},
              {"tags", m.tags},         {"fixtures", m.fixtures},    {"fixturesSha256", m.fixtures_sha256},
              {"files", files},         {"redacted", m.redacted},    {"notice", kContractNotice}};
}

Result<RunManifest> manifest_from_json(const std::string& body, const std::string& where) {
  auto j = json::parse(body, nullptr, false);
  auto bad = [&](const std::string& what) { return make_error("manifest.invalid", where + ": " + what); };
  if (!j.is_object()) return bad("not a JSON object (a run manifest from `run --manifest`)");
  RunManifest m;
  try {
    m.tool = j.value("tool", "");
    m.started_at = j.value("startedAt", "");
    if (!j.contains("seed") || !j["seed"].is_number_unsigned()) return bad("'seed' must be a non-negative integer");
    m.seed = j["seed"].get<std::uint64_t>();
    m.channel = j.value("channel", "");
    m.jobs = j.value("jobs", 1);
    m.shard = j.value("shard", "");
    m.tags = j.value("tags", std::vector<std::string>{});
    m.fixtures = j.value("fixtures", "");
    m.fixtures_sha256 = j.value("fixturesSha256", "");
    m.redacted = j.value("redacted", false);
    if (!j.contains("files") || !j["files"].is_array() || j["files"].empty()) return bad("'files' must list the scenario files");
    for (const auto& f : j["files"]) {
      if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("sha256") || !f["sha256"].is_string()) {
        return bad("each of 'files' is {\"name\": …, \"sha256\": …}");
      }
      m.files.push_back({f["name"].get<std::string>(), f["sha256"].get<std::string>()});
    }
  } catch (const json::exception& e) {
    return bad(std::string("wrong type: ") + e.what());
  }
  return m;
}

RunSummary summarise(const std::vector<ScenarioOutcome>& outcomes, double secs) {
  RunSummary s;
  s.seconds = secs;
  for (const auto& o : outcomes) {
    if (o.verdict == "pass") ++s.pass;
    else if (o.verdict == "warning") ++s.warning;
    else if (o.verdict == "review") ++s.review;
    else if (o.verdict == "skipped") ++s.skipped;
    else ++s.fail;
  }
  return s;
}

Redactor::Redactor(const std::vector<std::string>& secrets) : active_(true) {
  for (const auto& s : secrets) {
    if (s.size() >= 2) secrets_.push_back(s);
  }
  // Longest first, so a number that contains another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::text(std::string s) const {
  if (!active_) return s;
  for (const auto& secret : secrets_) {
    for (std::size_t at = s.find(secret); at != std::string::npos; at = s.find(secret, at + 3)) s.replace(at, secret.size(), "▒▒▒");
  }
  // Base64 runs of 512+ characters are photos (faces, QR images): replaced by their size.
  std::string out;
  out.reserve(s.size());
  auto b64 = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r'; };
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i;
    while (j < s.size() && b64(s[j])) ++j;
    if (j - i >= 512) {
      out += "[redacted: " + std::to_string(j - i) + " characters of Base64]";
    } else {
      out.append(s, i, j - i);
    }
    if (j < s.size()) out += s[j];
    i = j + 1;
  }
  return out;
}

std::string junit_xml(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                      const Redactor& redact) {
  std::map<std::string, std::vector<const ScenarioOutcome*>> suites;
  for (const auto& o : outcomes) suites[suite_of(o.file)].push_back(&o);
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"gosdoki-sandbox\" tests=\"" + std::to_string(sum.total()) + "\" failures=\"" +
       std::to_string(sum.fail) + "\" errors=\"0\" time=\"" + seconds(sum.seconds) + "\">\n";
  for (const auto& [suite, list] : suites) {
    int failures = 0, skipped = 0;
    double time = 0;
    for (const auto* o : list) {
      failures += o->verdict == "fail";
      skipped += o->verdict == "skipped";
      time += static_cast<double>(o->elapsed.count()) / 1000.0;
    }
    x += "  <testsuite name=\"" + attr(suite) + "\" tests=\"" + std::to_string(list.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(time) +
         "\" timestamp=\"" + attr(m.started_at) + "\" hostname=\"localhost\">\n";
    x += "    <properties>\n";
    x += "      <property name=\"seed\" value=\"" + std::to_string(m.seed) + "\"/>\n";
    x += "      <property name=\"channel\" value=\"" + attr(m.channel.empty() ? "per scenario" : m.channel) + "\"/>\n";
    x += "      <property name=\"tool\" value=\"" + attr(m.tool) + "\"/>\n";
    x += "      <property name=\"notice\" value=\"" + attr(kContractNotice) + "\"/>\n";
    x += "    </properties>\n";
    for (const auto* o : list) {
      std::string file = std::filesystem::path(o->file).stem().string();
      x += "    <testcase name=\"" + attr(file + ": " + o->name) + "\" classname=\"scenarios." + attr(suite) + "\" time=\"" +
           seconds(static_cast<double>(o->elapsed.count()) / 1000.0) + "\" status=\"" + attr(o->verdict) + "\">\n";
      if (o->verdict == "skipped") x += "      <skipped>" + text(o->skip_reason) + "</skipped>\n";
      if (o->verdict == "fail") {
        std::string all;
        for (const auto& f : o->failures) all += f + "\n";
        x += "      <failure type=\"scenario\" message=\"" + attr(redact.text(o->failures.empty() ? "failed" : o->failures.front())) +
             "\">" + text(redact.text(all)) + "</failure>\n";
      }
      std::string out = "verdict: " + o->verdict + "\nbasis: " + o->basis + "\nchannel: " + o->channel +
                        "\nseed: " + std::to_string(o->seed) + "\n";
      if (!o->clauses.empty()) {
        out += "clauses:";
        for (const auto& c : o->clauses) out += " " + c;
        out += "\n";
      }
      if (o->verdict == "warning") {
        for (const auto& f : o->failures) out += "WARNING (advisory): " + f + "\n";
      }
      if (o->verdict == "review") out += "REVIEW: " + o->review + "\n";
      if (!o->last_screen.empty()) out += "\n" + o->last_screen;
      x += "      <system-out>" + text(redact.text(out)) + "</system-out>\n";
      x += "    </testcase>\n";
    }
    x += "  </testsuite>\n";
  }
  x += "</testsuites>\n";
  return x;
}

json json_report(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                 const Redactor& redact) {
  json list = json::array();
  for (const auto& o : outcomes) {
    json records = json::array();
    for (const auto& r : o.records) {
      json journal = json::array();
      for (const auto& e : r.journal) journal.push_back(json::parse(emulator::journal_line(e)));
      json exchanges = json::array();
      for (const auto& x : r.exchanges) {
        exchanges.push_back({{"channel", x.channel}, {"operation", x.operation}, {"target", x.target}, {"status", x.status},
                             {"request", redact.text(x.request)}, {"answer", redact.text(x.answer)}});
      }
      records.push_back({{"channel", r.channel}, {"organisation", r.organisation}, {"journal", journal},
                         {"exchanges", exchanges}, {"screens", r.screens}});
      if (redact.active()) {
        for (auto& sc : records.back()["screens"]) sc = redact.text(sc.get<std::string>());
      }
    }
    list.push_back({{"file", o.file},
                    {"name", o.name},
                    {"verdict", o.verdict},
                    {"channel", o.channel},
                    {"seed", o.seed},
                    {"elapsedMs", o.elapsed.count()},
                    {"tags", o.tags},
                    {"clauses", o.clauses},
                    {"basis", o.basis},
                    {"review", o.review},
                    {"skipReason", o.skip_reason},
                    {"failures", o.failures},
                    {"code", o.last_code},
                    {"screen", redact.text(o.last_screen)},
                    {"records", records}});
  }
  return json{{"notice", kContractNotice},
              {"manifest", manifest_json(m)},
              {"summary",
               {{"total", sum.total()}, {"pass", sum.pass}, {"fail", sum.fail}, {"warning", sum.warning},
                {"review", sum.review}, {"skipped", sum.skipped}, {"seconds", sum.seconds}}},
              {"scenarios", list}};
}

}  // namespace gosdoki::harness
