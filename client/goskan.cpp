#include "client/goskan.hpp"

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"

namespace gosdoki::client {

using nlohmann::json;

Result<GoskanResult> goskan_scan(const std::string& scan_url, const std::string& checker_oid, const Bytes& qr_text,
                                 const std::string& purpose) {
  auto url = http::parse_url(scan_url);
  if (!url) return make_error("goskan.http", "Госкан URL '" + scan_url + "': " + url.error().message);
  http::Client client(url->host, url->port, std::chrono::seconds(20));
  json body{{"checker", checker_oid}, {"qr", std::string(qr_text.begin(), qr_text.end())}, {"purpose", purpose}};
  auto resp = client.post(url->target, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!resp) return make_error("goskan.http", "Госкан: " + resp.error().message);
  auto j = json::parse(resp->body, nullptr, false);
  if (resp->status != 200) {
    std::string detail = j.is_object() ? j.value("detail", std::string{}) : resp->body.substr(0, 200);
    return make_error("goskan.http", "Госкан: HTTP " + std::to_string(resp->status) + ": " + detail);
  }
  if (!j.is_object() || !j.contains("resultCode") || !j["resultCode"].is_string()) {
    return make_error("goskan.answer", "Госкан: the answer has no resultCode");
  }
  GoskanResult out;
  out.result_code = j["resultCode"].get<std::string>();
  if (j.contains("trustedPhoto") && j["trustedPhoto"].is_string()) {
    auto photo = base64_decode(j["trustedPhoto"].get<std::string>());
    if (!photo) return make_error("goskan.answer", "Госкан: trustedPhoto is not Base64");
    out.trusted_photo = std::move(*photo);
    j.erase("trustedPhoto");
    j["trustedPhotoBytes"] = out.trusted_photo->size();  // the view keeps the size, not the picture
  }
  out.json = j.dump();
  return out;
}

std::string render_goskan_screen(const GoskanResult& r) {
  auto j = json::parse(r.json, nullptr, false);
  if (!j.is_object()) return "Госкан: " + r.result_code + "\n";
  std::string s = "Госкан — " + j.value("title", r.result_code) + "\n";
  if (auto m = j.value("message", std::string{}); !m.empty()) s += "  " + m + "\n";
  if (r.result_code != "OK") return s + "  код: " + r.result_code + "\n";
  if (j.contains("person")) {
    const auto& p = j["person"];
    std::string name;
    for (const char* k : {"lastName", "firstName", "middleName"}) {
      if (p.contains(k)) name += (name.empty() ? "" : " ") + p[k].get<std::string>();
    }
    if (!name.empty()) s += "  ФИО: " + name + "\n";
    if (p.contains("birthDate")) s += "  Дата рождения: " + p["birthDate"].get<std::string>() + "\n";
  }
  if (j.contains("doc")) {
    const auto& d = j["doc"];
    if (d.contains("series") && d.contains("number")) {
      s += "  Паспорт: " + d["series"].get<std::string>() + " " + d["number"].get<std::string>() + "\n";
    }
  }
  if (j.contains("ageConfirmed18")) s += std::string("  18+: ") + (j["ageConfirmed18"].get<bool>() ? "да" : "нет") + "\n";
  if (j.contains("statuses")) {
    std::string list;
    for (const auto& st : j["statuses"]) list += (list.empty() ? "" : ", ") + st.get<std::string>();
    s += "  Статусы: " + list + "\n";
  }
  if (r.trusted_photo) s += "  Фото: " + std::to_string(r.trusted_photo->size()) + " байт JPEG (сравните с лицом)\n";
  return s;
}

}  // namespace gosdoki::client
