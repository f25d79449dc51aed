#include "emulator/admin/admin.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "core/crypto/crypto.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/util/process_stats.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/explain.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

namespace {

// Text we echo may hold bytes of the request (a path, a query key) that are not UTF-8; a plain
// dump() throws on them, outside any handler. Such bytes become U+FFFD instead.
std::string dump_lenient(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

http::Response AdminApi::problem(int status, const std::string& title, const std::string& detail) {
  json j{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  auto r = http::json_response(status, dump_lenient(j));
  r.content_type = "application/problem+json; charset=utf-8";
  return r;
}

namespace {

constexpr std::size_t kMaxJsonDepth = 32;

// The deepest nesting of [ and { outside strings (stops counting past the limit).
std::size_t json_nesting(std::string_view body) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if ((c == ']' || c == '}') && depth > 0) --depth;
    if (deepest > kMaxJsonDepth) break;
  }
  return deepest;
}

}  // namespace

http::Response AdminApi::handle(const http::Request& req) {
  const std::string path = req.path();
  // The МПГУ app API is the checker's phone, not an administrator: no admin token.
  const bool app_api = path.rfind("/mpgu/", 0) == 0;
  if (!app_api && !d_.token.empty() && req.header("Authorization") != "Bearer " + d_.token) {
    auto r = problem(401, "Unauthorized", "this admin API needs Authorization: Bearer <the --admin-token of serve>");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  // Copying or walking a JSON value recurses: a body nested thousands deep would overflow the
  // stack. No admin body needs more than a few levels.
  if (std::size_t depth = json_nesting(req.body); depth > kMaxJsonDepth) {
    return problem(400, "Bad Request", "the JSON body nests " + std::to_string(depth) + " levels deep (at most " +
                                           std::to_string(kMaxJsonDepth) + ")");
  }
  try {
    if (path == "/admin/health") return http::json_response(200, R"({"status":"ok"})");
    if (path == "/admin/info" && req.method == "GET") return http::json_response(200, d_.info_json());
    if (path == "/admin/process" && req.method == "GET") {
      auto ps = process_stats();
      auto cc = crypto::operation_counts();
      json j{{"rssBytes", ps.rss_bytes},
             {"peakRssBytes", ps.peak_rss_bytes},
             {"openFds", ps.open_fds},
             {"threads", ps.threads},
             {"cpuSeconds", ps.cpu_seconds},
             {"crypto",
              {{"signs", cc.signs},
               {"verifies", cc.verifies},
               {"certificateChecks", cc.certificate_checks},
               {"gostDigests", cc.gost_digests},
               {"gostDigestBytes", cc.gost_digest_bytes}}},
             {"journal", {{"events", d_.journal.size()}, {"dropped", d_.journal.dropped()}}}};
      return http::json_response(200, j.dump());
    }
    if (path == "/admin/clock") {
      if (req.method == "GET") return clock_get();
      if (req.method == "POST") return clock_post(req);
      return problem(405, "Method Not Allowed", "use GET or POST on /admin/clock");
    }
    if (path == "/admin/wallet/issue") {
      if (req.method != "POST") return problem(405, "Method Not Allowed", "use POST on /admin/wallet/issue");
      return wallet_issue(req);
    }
    if (path == "/mpgu/v1/goskan/scan" && d_.provider) {
      if (req.method != "POST") return problem(405, "Method Not Allowed", "use POST on /mpgu/v1/goskan/scan");
      return goskan_scan(req);
    }
    if (path == "/admin/journal" && req.method == "GET") return journal_get(req);
    if (path == "/admin/smev3/faults" && d_.smev3) return smev3_faults(req);
    if (path == "/admin/faults" && d_.faults) return faults(req);
    if (path == "/admin/near-misses" && d_.smev3) return near_misses(req);
    if (path.rfind("/admin/registry/", 0) == 0 && d_.registry) return registry(req);
    if (path == "/admin/limits" && d_.provider) return limits(req);
    if (path.rfind("/admin/pki/", 0) == 0 && d_.registry) return pki(req);
  } catch (const json::exception& e) {
    return problem(400, "Bad Request", std::string("JSON: ") + e.what());
  }
  return problem(404, "Not Found", "no admin endpoint " + req.method + " " + path +
                                       " (see GET /admin/info; endpoints: /admin/clock, /admin/wallet/issue, "
                                       "/admin/journal, /admin/process, /admin/faults, /admin/near-misses, /admin/smev3/faults, /admin/registry/organisations, /admin/registry/applications, "
                                       "/admin/limits, /admin/pki/crl, /admin/pki/revoke, /admin/health; the МПГУ app: /mpgu/v1/goskan/scan)");
}

http::Response AdminApi::clock_get() {
  json j{{"now", format_datetime(d_.clock.now())}, {"frozen", d_.clock.frozen()}};
  return http::json_response(200, j.dump());
}

http::Response AdminApi::clock_post(const http::Request& req) {
  auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (!j.is_object()) return problem(400, "Bad Request", "body must be a JSON object like {\"advance\":\"181s\"}");
  for (const auto& [k, v] : j.items()) {
    if (k != "set" && k != "advance" && k != "frozen") {
      return problem(400, "Bad Request", "unknown field '" + k + "' (known: set, advance, frozen)");
    }
  }
  // The clock stays within years 2000..2199: every date we format and parse fits there.
  const TimePoint lo = *parse_datetime("2000-01-01T00:00:00Z"), hi = *parse_datetime("2199-12-31T23:59:59Z");
  std::optional<TimePoint> target;
  if (j.contains("set")) {
    if (!j["set"].is_string()) return problem(400, "Bad Request", "field 'set' must be an xs:dateTime string");
    auto t = parse_datetime(j["set"].get<std::string>());
    if (!t) return problem(400, "Bad Request", "field 'set': " + t.error().message);
    target = *t;
  }
  std::optional<Micros> by;
  if (j.contains("advance")) {
    if (!j["advance"].is_string()) return problem(400, "Bad Request", "field 'advance' must be a duration string like \"181s\"");
    auto d = parse_duration(j["advance"].get<std::string>());
    if (!d) return problem(400, "Bad Request", "field 'advance': " + d.error().message);
    by = *d;
  }
  TimePoint result = target.value_or(d_.clock.now()) + by.value_or(Micros{0});
  if (result < lo || result > hi) {
    return problem(400, "Bad Request", "the clock would be at " + format_datetime(result) +
                                           "; it must stay within 2000-01-01 … 2199-12-31");
  }
  if (target) d_.clock.set(*target);
  if (by) d_.clock.advance(*by);
  if (j.contains("frozen")) {
    if (!j["frozen"].is_boolean()) return problem(400, "Bad Request", "field 'frozen' must be true or false");
    if (j["frozen"].get<bool>()) d_.clock.freeze();
    else d_.clock.run();
  }
  d_.journal.record(JournalEvent{0, d_.clock.now(), "admin", "clock", "", "", format_datetime(d_.clock.now())});
  return clock_get();
}

http::Response AdminApi::wallet_issue(const http::Request& req) {
  auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (!j.is_object()) return problem(400, "Bad Request", "body must be a JSON object like {\"person\":\"petrov-p\"}");
  if (!j.contains("person") || !j["person"].is_string()) {
    return problem(400, "Bad Request", "field 'person' (a fixture person id) is required");
  }
  for (const auto& [field, value] : j.items()) {
    if (field != "person" && field != "app" && field != "device" && field != "image") {
      return problem(400, "Bad Request", "unknown field '" + field + "' (known: person, app, device, image)");
    }
  }
  std::string person = j["person"].get<std::string>();
  std::string app = j.value("app", std::string("mpgu"));
  auto citizen = d_.esia.by_id(person);
  if (!citizen) {
    std::string known;
    for (const auto& id : d_.esia.ids()) known += (known.empty() ? "" : ", ") + id;
    return problem(404, "Not Found", "no person '" + person + "' (known: " + known + ")");
  }
  std::string device = j.value("device", default_device(*citizen));
  auto issued = issue_from_app(d_.wallet, *citizen, app, device, d_.clock.now(), d_.settings ? *d_.settings : Settings{});
  if (!issued) return problem(400, "Bad Request", issued.error().message);
  if (!issued->record) {
    // The app shows no QR: a prerequisite is missing. The problem says which, as the phone does.
    d_.journal.record(JournalEvent{0, d_.clock.now(), "wallet", "refused", person, app, issued->screen.code});
    json j2{{"type", "about:blank"}, {"title", "Conflict"}, {"status", 409},
            {"detail", "the " + app + " app shows no QR: " + issued->screen.code + " (" + issued->screen.text + ")"},
            {"code", issued->screen.code}, {"screen", {{"title", issued->screen.title}, {"text", issued->screen.text}}}};
    auto r = http::json_response(409, dump_lenient(j2));
    r.content_type = "application/problem+json; charset=utf-8";
    return r;
  }
  const QrRecord* rec = &*issued->record;
  // "image": false skips the PNG (a load run scans the token itself; encoding it costs more
  // server time than the rest of the issue).
  if (j.contains("image") && !j["image"].is_boolean()) return problem(400, "Bad Request", "field 'image' must be true or false");
  bool with_image = j.value("image", true);
  std::string png_b64;
  if (with_image) {
    auto png = render_qr_png(rec->token);
    if (!png) return problem(500, "Internal Server Error", png.error().message);
    png_b64 = base64_encode(*png);
  }
  d_.journal.record(JournalEvent{0, d_.clock.now(), "wallet", "issue", person, rec->sid, app});
  json out{{"token", rec->token},
           {"issuedAt", format_datetime(rec->issued_at)}, {"expiresAt", format_datetime(rec->expires_at)},
           {"app", app},                   {"device", device},
           {"screen", {{"title", issued->screen.title}, {"text", issued->screen.text}}}};
  if (with_image) out["png"] = png_b64;
  return http::json_response(200, out.dump());
}

http::Response AdminApi::journal_get(const http::Request& req) {
  // ?since=SEQ&limit=N (default: the first 1000 events after SEQ)
  std::uint64_t since = 0;
  std::size_t limit = 1000;
  std::string q = req.query();
  for (std::size_t pos = 0; pos < q.size();) {
    auto amp = q.find('&', pos);
    std::string kv = q.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? q.size() : amp + 1;
    auto eq = kv.find('=');
    std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    char* end = nullptr;
    unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') return problem(400, "Bad Request", "query '" + k + "' must be a whole number");
    if (k == "since") since = n;
    // limit=0 would give an empty page that still has "more", and no last event to continue from.
    else if (k == "limit" && n == 0) return problem(400, "Bad Request", "query 'limit' must be at least 1");
    else if (k == "limit") limit = static_cast<std::size_t>(std::min<unsigned long long>(n, 100000));
    else return problem(400, "Bad Request", "unknown query parameter '" + k + "' (known: since, limit)");
  }
  auto page = d_.journal.page(since, limit);
  json events = json::array();
  for (const auto& e : page.events) {
    events.push_back({{"seq", e.seq}, {"at", format_datetime(e.at)}, {"channel", e.channel}, {"operation", e.operation},
                      {"participant", e.participant}, {"messageId", e.message_id}, {"outcome", e.outcome}});
  }
  json out{{"events", events}, {"dropped", page.dropped}, {"last", page.last}};
  if (page.more) out["next"] = "/admin/journal?since=" + std::to_string(page.events.back().seq) + "&limit=" + std::to_string(limit);
  return http::json_response(200, dump_lenient(out));  // events quote what participants sent
}

http::Response AdminApi::smev3_faults(const http::Request& req) {
  // The older, СМЭВ 3-only form of /admin/faults: soapFault rules, listed as before.
  auto list = [this] {
    json a = json::array();
    for (const auto& r : d_.faults->rules()) {
      if (r.channel != "smev3" || r.action != "soapFault" || (r.count > 0 && r.hits >= r.count)) continue;
      a.push_back({{"operation", r.operation}, {"fault", r.fault}, {"remaining", r.count - r.hits}});
    }
    return http::json_response(200, json{{"pending", a}}.dump());
  };
  if (!d_.faults) return problem(404, "Not Found", "this emulator has no fault plan");
  if (req.method == "GET") return list();
  if (req.method == "DELETE") {
    d_.faults->clear();
    return list();
  }
  if (req.method != "POST") return problem(405, "Method Not Allowed", "use GET, POST or DELETE on /admin/smev3/faults");
  auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (!j.is_object()) {
    return problem(400, "Bad Request", R"(body must be a JSON object like {"operation":"SendRequest","fault":"SMEVFailure","count":1})");
  }
  for (const auto& [k, v] : j.items()) {
    if (k != "operation" && k != "fault" && k != "count") {
      return problem(400, "Bad Request", "unknown field '" + k + "' (known: operation, fault, count)");
    }
  }
  if (!j.contains("operation") || !j["operation"].is_string() || !j.contains("fault") || !j["fault"].is_string()) {
    return problem(400, "Bad Request", "fields 'operation' and 'fault' (strings) are required");
  }
  int count = 1;
  if (j.contains("count")) {
    if (!j["count"].is_number_integer()) return problem(400, "Bad Request", "field 'count' must be a whole number");
    auto n = j["count"].get<long long>();
    count = n < 0 || n > 1000000 ? -1 : static_cast<int>(n);
  }
  std::string op = j["operation"].get<std::string>(), fault = j["fault"].get<std::string>();
  if (auto st = d_.smev3->inject_fault(op, fault, count); !st) return problem(400, "Bad Request", st.error().message);
  d_.journal.record(JournalEvent{0, d_.clock.now(), "admin", "inject", "", "", op + " " + fault + " x" + std::to_string(count)});
  return list();
}

constexpr std::size_t kMaxFaultRules = 1000;

// Every kind of fault, on every channel: GET lists the rules (with how often each was met and
// hit), POST adds one (or a list), DELETE removes all. {"seed": N} alone reseeds the generator.
http::Response AdminApi::faults(const http::Request& req) {
  auto list = [this] {
    json a = json::array();
    for (const auto& r : d_.faults->rules()) a.push_back(fault_rule_to_json(r));
    return http::json_response(200, json{{"rules", a}}.dump());
  };
  if (req.method == "GET") return list();
  if (req.method == "DELETE") {
    d_.faults->clear();
    d_.journal.record(JournalEvent{0, d_.clock.now(), "admin", "faults", "", "", "cleared"});
    return list();
  }
  if (req.method != "POST") return problem(405, "Method Not Allowed", "use GET, POST or DELETE on /admin/faults");
  auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (j.is_object() && j.size() == 1 && j.contains("seed")) {
    if (!j["seed"].is_number_unsigned()) return problem(400, "Bad Request", "field 'seed' must be a non-negative integer");
    d_.faults->reseed(j["seed"].get<std::uint64_t>());
    return list();
  }
  json rules = j.is_array() ? j : json::array({j});
  if (d_.faults->rules().size() + rules.size() > kMaxFaultRules) {
    return problem(400, "Bad Request", "at most " + std::to_string(kMaxFaultRules) + " fault rules at a time (DELETE clears them)");
  }
  std::vector<FaultRule> parsed;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto r = fault_rule_from_json(rules[i]);
    if (!r) return problem(400, "Bad Request", (j.is_array() ? "rule " + std::to_string(i + 1) + ": " : "") + r.error().message);
    if (d_.smev3) {
      if (auto st = d_.smev3->check_rule(*r); !st) return problem(400, "Bad Request", st.error().message);
    }
    parsed.push_back(std::move(*r));
  }
  for (auto& r : parsed) {
    d_.journal.record(JournalEvent{0, d_.clock.now(), "admin", "inject", "", "", fault_rule_to_json(r).dump()});
    d_.faults->add(std::move(r));
  }
  return list();
}

// The envelopes СМЭВ refused lately, newest first, each with every signature in it explained:
// which reference, whether the digest matched (both values), whether the value verified, the
// certificate, a reformatted SignedInfo. ?octets=1 adds what was hashed and signed.
http::Response AdminApi::near_misses(const http::Request& req) {
  if (req.method != "GET") return problem(405, "Method Not Allowed", "use GET on /admin/near-misses");
  const bool octets = req.query().find("octets=1") != std::string::npos;
  json list = json::array();
  auto misses = d_.smev3->near_misses();
  for (auto it = misses.rbegin(); it != misses.rend(); ++it) {
    json sigs = json::array();
    auto env = gosdoki::smev3::parse_message(it->content_type, it->request);
    if (env) {
      for (const auto& r : xmldsig::explain_signatures(env->doc.get())) {
        json s{{"location", r.location},       {"reference", r.reference_uri},  {"algorithms", r.algorithms},
               {"digestOk", r.digest_ok},      {"digestSigned", r.digest_claimed}, {"digestComputed", r.digest_computed},
               {"signatureOk", r.signature_ok}, {"whitespaceInSignedInfo", r.whitespace_in_signed_info},
               {"verdict", r.verdict}};
        if (r.certificate) s["certificate"] = r.certificate->subject_text();
        if (octets) {
          s["transformedOctets"] = r.transformed_octets;
          s["signedInfoOctets"] = r.signed_info_octets;
        }
        sigs.push_back(std::move(s));
      }
    }
    list.push_back({{"at", format_datetime(it->at)},
                    {"operation", it->operation},
                    {"fault", it->fault},
                    {"signatureFault", it->signature_fault},
                    {"message", it->message},
                    {"bytes", it->request.size()},
                    {"parsed", static_cast<bool>(env)},
                    {"signatures", sigs}});
  }
  return http::json_response(200, json{{"nearMisses", list}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace gosdoki::emulator
