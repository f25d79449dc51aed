// The HTML report: one self-contained page per run (no scripts from elsewhere, images inline),
// so it opens from a CI artefact or a certifier's laptop offline.
#include <libxml/tree.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "harness/report/report.hpp"

namespace gosdoki::harness {

namespace {

std::string h(const std::string& s) { return xml::escape_attr(s); }

// SOAP pretty-printed for reading (the bytes signed are in the JSON report and the bundle).
std::string pretty(const std::string& body, const std::string& type) {
  if (type.find("json") != std::string::npos) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_discarded()) return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    return body;
  }
  if (body.empty() || body[0] != '<') return body;
  auto doc = xml::parse(body);
  if (!doc) return body;
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc->get(), &mem, &size, "UTF-8", 1);
  std::string out(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
  xmlFree(mem);
  return out;
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

std::string badge(const std::string& verdict) {
  return "<span class=\"verdict " + h(verdict) + "\">" + h(verdict) + "</span>";
}

std::string image(const Bytes& bytes, const std::string& alt, int width) {
  if (bytes.empty()) return "";
  bool png = bytes.size() > 4 && bytes[0] == 0x89 && bytes[1] == 'P';
  return "<img alt=\"" + h(alt) + "\" width=\"" + std::to_string(width) + "\" src=\"data:image/" + (png ? "png" : "jpeg") +
         ";base64," + base64_encode(bytes) + "\">";
}

const char* kStyle = R"(
body{font-family:sans-serif;margin:24px;color:#1d2733;max-width:1280px}
.notice{background:#fff4d6;border:1px solid #d4a017;padding:10px 14px;border-radius:4px}
table.summary{border-collapse:collapse;margin:12px 0}
table.summary td,table.summary th{border:1px solid #c8d1dc;padding:4px 10px;text-align:left}
.verdict{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;background:#6c7a89}
.verdict.pass{background:#2e7d32}.verdict.fail{background:#c0392b}.verdict.warning{background:#d4a017}
.verdict.review{background:#3b5b8c}.verdict.skipped{background:#9aa9c0}
details.scenario{border:1px solid #c8d1dc;border-radius:4px;margin:8px 0;padding:6px 12px}
details.scenario>summary{cursor:pointer;font-weight:bold}
pre{background:#f5f7fa;padding:8px;overflow-x:auto;font-size:12px;max-height:420px}
.failures{color:#c0392b}
.images img{margin-right:12px;border:1px solid #c8d1dc;vertical-align:top}
.meta{color:#4a5a6a;font-size:13px}
)";

}  // namespace

std::string html_report(const RunManifest& m, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& sum,
                        const Redactor& redact) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n<title>GosDoki Sandbox — run " +
                  h(m.started_at) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  o += "<h1>GosDoki Sandbox — scenario run</h1>\n";
  o += "<p class=\"notice\" id=\"notice\">" + h(kContractNotice) + "</p>\n";
  o += "<p class=\"meta\">" + h(m.tool) + " · started " + h(m.started_at) + " · seed " + std::to_string(m.seed) +
       " · channel " + h(m.channel.empty() ? "per scenario" : m.channel) + " · " + std::to_string(m.jobs) + " job(s)" +
       (m.redacted ? " · personal data redacted" : "") + "</p>\n";
  o += "<table class=\"summary\" id=\"summary\"><tr><th>total</th><th>pass</th><th>fail</th><th>warning</th><th>review</th>"
       "<th>skipped</th><th>seconds</th></tr><tr><td>" +
       std::to_string(sum.total()) + "</td><td>" + std::to_string(sum.pass) + "</td><td>" + std::to_string(sum.fail) +
       "</td><td>" + std::to_string(sum.warning) + "</td><td>" + std::to_string(sum.review) + "</td><td>" +
       std::to_string(sum.skipped) + "</td><td>" + seconds_text(sum.seconds) + "</td></tr></table>\n";
  o += "<table class=\"summary\"><tr><th>scenario</th><th>verdict</th><th>code</th><th>channel</th><th>basis</th><th>ms</th></tr>\n";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& s = outcomes[i];
    o += "<tr><td><a href=\"#s" + std::to_string(i) + "\">" + h(std::filesystem::path(s.file).filename().string()) +
         "</a></td><td>" + badge(s.verdict) + "</td><td>" + h(s.last_code) + "</td><td>" + h(s.channel) + "</td><td>" +
         h(s.basis) + "</td><td>" + std::to_string(s.elapsed.count()) + "</td></tr>\n";
  }
  o += "</table>\n";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& s = outcomes[i];
    o += "<details class=\"scenario\" id=\"s" + std::to_string(i) + "\"" + (s.verdict == "fail" ? " open" : "") + ">\n";
    o += "<summary>" + badge(s.verdict) + " " + h(s.name) + " <span class=\"meta\">(" + h(s.file) + ")</span></summary>\n";
    o += "<p class=\"meta\">basis: <b>" + h(s.basis) + "</b> · seed " + std::to_string(s.seed);
    if (!s.clauses.empty()) {
      o += " · clauses:";
      for (const auto& c : s.clauses) o += " <code>" + h(c) + "</code>";
    }
    if (!s.tags.empty()) {
      o += " · tags:";
      for (const auto& t : s.tags) o += " " + h(t);
    }
    o += "</p>\n";
    if (!s.skip_reason.empty()) o += "<p>skipped: " + h(s.skip_reason) + "</p>\n";
    if (!s.review.empty()) o += "<p><b>review:</b> " + h(s.review) + "</p>\n";
    if (!s.failures.empty()) {
      o += "<ul class=\"failures\">\n";
      for (const auto& f : s.failures) o += "<li>" + h(f) + "</li>\n";
      o += "</ul>\n";
    }
    for (const auto& r : s.records) {
      o += "<h3>" + h(r.channel == "smev4" ? "СМЭВ 4" : "СМЭВ 3") + "</h3>\n<div class=\"images\">";
      o += image(r.qr_png, "QR shown by the citizen's app", 160);
      if (redact.active()) o += "<span class=\"meta\">[face redacted]</span>";
      else o += image(r.face_image, "face photo sent by the ИС", 120);
      o += "</div>\n";
      o += sequence_svg(r);
      for (const auto& sc : r.screens) o += "<h4>Operator screen</h4>\n<pre>" + h(redact.text(sc)) + "</pre>\n";
      o += "<details><summary>" + std::to_string(r.exchanges.size()) + " messages on the wire</summary>\n";
      for (const auto& x : r.exchanges) {
        o += "<h4>" + h(x.channel + " " + x.operation) + " → HTTP " + std::to_string(x.status) + "</h4>\n";
        o += "<pre>" + h(redact.text(pretty(x.request, x.request_type))) + "</pre>\n";
        o += "<pre>" + h(redact.text(pretty(x.answer, x.answer_type))) + "</pre>\n";
      }
      o += "</details>\n";
    }
    o += "</details>\n";
  }
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace gosdoki::harness
