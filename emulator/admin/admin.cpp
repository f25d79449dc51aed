#include "emulator/admin/admin.hpp"

#include <nlohmann/json.hpp>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

http::Response AdminApi::problem(int status, const std::string& title, const std::string& detail) {
  json j{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  auto r = http::json_response(status, j.dump());
  r.content_type = "application/problem+json; charset=utf-8";
  return r;
}

http::Response AdminApi::handle(const http::Request& req) {
  const std::string path = req.path();
  try {
    if (path == "/admin/health") return http::json_response(200, R"({"status":"ok"})");
    if (path == "/admin/info" && req.method == "GET") return http::json_response(200, d_.info_json());
    if (path == "/admin/clock") {
      if (req.method == "GET") return clock_get();
      if (req.method == "POST") return clock_post(req);
      return problem(405, "Method Not Allowed", "use GET or POST on /admin/clock");
    }
    if (path == "/admin/wallet/issue") {
      if (req.method != "POST") return problem(405, "Method Not Allowed", "use POST on /admin/wallet/issue");
      return wallet_issue(req);
    }
    if (path == "/admin/journal" && req.method == "GET") return journal_get();
  } catch (const json::exception& e) {
    return problem(400, "Bad Request", std::string("JSON: ") + e.what());
  }
  return problem(404, "Not Found", "no admin endpoint " + req.method + " " + path +
                                       " (see GET /admin/info; endpoints: /admin/clock, /admin/wallet/issue, "
                                       "/admin/journal, /admin/health)");
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
  if (j.contains("set")) {
    if (!j["set"].is_string()) return problem(400, "Bad Request", "field 'set' must be an xs:dateTime string");
    auto t = parse_datetime(j["set"].get<std::string>());
    if (!t) return problem(400, "Bad Request", "field 'set': " + t.error().message);
    d_.clock.set(*t);
  }
  if (j.contains("advance")) {
    if (!j["advance"].is_string()) return problem(400, "Bad Request", "field 'advance' must be a duration string like \"181s\"");
    auto d = parse_duration(j["advance"].get<std::string>());
    if (!d) return problem(400, "Bad Request", "field 'advance': " + d.error().message);
    d_.clock.advance(*d);
  }
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
  std::string person = j["person"].get<std::string>();
  std::string app = j.value("app", std::string("mpgu"));
  auto citizen = d_.esia.by_id(person);
  if (!citizen) {
    std::string known;
    for (const auto& id : d_.esia.ids()) known += (known.empty() ? "" : ", ") + id;
    return problem(404, "Not Found", "no person '" + person + "' (known: " + known + ")");
  }
  std::string device = j.value("device", person + "-phone");
  auto rec = d_.wallet.issue(*citizen, app, device);
  if (!rec) return problem(400, "Bad Request", rec.error().message);
  auto png = render_qr_png(rec->token);
  if (!png) return problem(500, "Internal Server Error", png.error().message);
  d_.journal.record(JournalEvent{0, d_.clock.now(), "wallet", "issue", person, rec->sid, app});
  json out{{"token", rec->token},          {"png", base64_encode(*png)},
           {"issuedAt", format_datetime(rec->issued_at)}, {"expiresAt", format_datetime(rec->expires_at)},
           {"app", app},                   {"device", device}};
  return http::json_response(200, out.dump());
}

http::Response AdminApi::journal_get() {
  json events = json::array();
  for (const auto& e : d_.journal.snapshot()) {
    events.push_back({{"seq", e.seq}, {"at", format_datetime(e.at)}, {"channel", e.channel}, {"operation", e.operation},
                      {"participant", e.participant}, {"messageId", e.message_id}, {"outcome", e.outcome}});
  }
  return http::json_response(200, json{{"events", events}}.dump());
}

}  // namespace gosdoki::emulator
