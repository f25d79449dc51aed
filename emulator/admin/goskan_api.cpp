// POST /mpgu/v1/goskan/scan: the checker's Госкан, as the emulated МПГУ app API. The body names
// the checker's ЕСИА OID (the app's login; the МПГУ session itself is not emulated), the token
// the scanner read and what the checker wants to see; the answer is what the phone shows.
#include <nlohmann/json.hpp>

#include "core/time/datetime.hpp"
#include "emulator/admin/admin.hpp"
#include "emulator/epgu/provider.hpp"
#include "protocol/gosqr/json.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

http::Response AdminApi::goskan_scan(const http::Request& req) {
  auto j = json::parse(req.body, nullptr, false);
  if (!j.is_object()) {
    return problem(400, "Bad Request", R"(body must be a JSON object like {"checker": "<ЕСИА OID>", "qr": "GQR1.…", "purpose": "AGE_18_GOODS"})");
  }
  for (const auto& [field, value] : j.items()) {
    if (field != "checker" && field != "qr" && field != "purpose") {
      return problem(400, "Bad Request", "unknown field '" + field + "' (known: checker, qr, purpose)");
    }
    if (!value.is_string()) return problem(400, "Bad Request", "field '" + field + "' must be a string");
  }
  if (!j.contains("checker") || !j.contains("qr")) {
    return problem(400, "Bad Request", "fields 'checker' (the checker's ЕСИА OID) and 'qr' (the scanned text) are required");
  }
  GoskanRequest r;
  r.checker_oid = j["checker"].get<std::string>();
  r.qr = j["qr"].get<std::string>();
  r.purpose = j.value("purpose", r.purpose);
  if (!gosqr::is_purpose(r.purpose)) return problem(400, "Bad Request", "purpose '" + r.purpose + "' is not a purpose of the contract");
  if (r.qr.size() > 4096) return problem(413, "Content Too Large", "the scanned text is longer than 4096 bytes");
  GoskanScreen screen = d_.provider->goskan_scan(r);
  d_.journal.record(JournalEvent{0, d_.clock.now(), "mpgu", "goskan", r.checker_oid, r.purpose, screen.result_code});
  json out{{"resultCode", screen.result_code}, {"title", screen.title}, {"message", screen.message},
           {"checkedAt", format_datetime(d_.clock.now())}};
  if (!screen.source.empty()) out["source"] = screen.source;
  if (screen.result_code == "OK") {
    json data = gosqr::to_json(screen.data);
    for (const char* k : {"ageConfirmed18", "ageConfirmed14", "person", "doc"}) {
      if (data.contains(k)) out[k] = data[k];
    }
    if (!screen.statuses.empty()) out["statuses"] = screen.statuses;
    if (screen.trusted_photo) out["trustedPhoto"] = base64_encode(*screen.trusted_photo);
  }
  return http::json_response(200, out.dump());
}

}  // namespace gosdoki::emulator
