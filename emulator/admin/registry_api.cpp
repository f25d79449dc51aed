// The admin API's registry part: ЕПГУ's registry of organisations and activity types as rows a
// test adds, changes and removes at run time; applications to it (the seed's first step) that
// stay pending until approved; and the per-channel rate limits.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/time/datetime.hpp"
#include "emulator/admin/admin.hpp"
#include "emulator/epgu/provider.hpp"
#include "emulator/registry/registry.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/ids/identifiers.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

namespace {

json row_json(const Organisation& o) {
  json j{{"mnemonic", o.mnemonic}, {"ogrn", o.ogrn},         {"inn", o.inn},
         {"name", o.name},         {"allowedPurposes", o.allowed_purposes}, {"channels", o.channels},
         {"scopeGranted", o.scope_granted}, {"esiaOid", o.esia_oid}};
  if (!o.kpp.empty()) j["kpp"] = o.kpp;
  if (o.valid_from) j["validFrom"] = format_date(*o.valid_from);
  if (o.valid_to) j["validTo"] = format_date(*o.valid_to);
  return j;
}

json application_json(const Registry::Application& a) {
  json j{{"id", a.id}, {"status", a.status}, {"submittedAt", format_datetime(a.submitted_at)}, {"organisation", row_json(a.org)}};
  if (a.decided_at) j["decidedAt"] = format_datetime(*a.decided_at);
  if (!a.reason.empty()) j["reason"] = a.reason;
  return j;
}

// A registry row from JSON; `base` supplies what the body leaves out (an existing row).
Result<Organisation> row_from_json(const json& j, Organisation base) {
  static const std::set<std::string> known{"mnemonic", "ogrn", "inn", "kpp", "name", "allowedPurposes", "channels",
                                           "scopeGranted", "esiaOid", "validFrom", "validTo"};
  if (!j.is_object()) return make_error("admin.body", "body must be a JSON object with the registry row");
  for (const auto& [k, v] : j.items()) {
    if (!known.count(k)) return make_error("admin.body", "unknown field '" + k + "'");
  }
  auto str = [&](const char* k, std::string& out) -> Status {
    if (!j.contains(k)) return {};
    if (!j[k].is_string()) return make_error("admin.body", std::string("field '") + k + "' must be a string");
    out = j[k].get<std::string>();
    return {};
  };
  for (auto [k, out] : {std::pair<const char*, std::string*>{"mnemonic", &base.mnemonic}, {"ogrn", &base.ogrn},
                        {"inn", &base.inn}, {"kpp", &base.kpp}, {"name", &base.name}, {"esiaOid", &base.esia_oid}}) {
    if (auto st = str(k, *out); !st) return st.error();
  }
  if (base.mnemonic.empty() || base.ogrn.empty() || base.inn.empty() || base.name.empty()) {
    return make_error("admin.body", "a registry row needs mnemonic, ogrn, inn and name");
  }
  // A mnemonic travels in URL paths and СМЭВ messages: Latin letters, digits, '_' and '-'.
  if (base.mnemonic.size() > 64 || !std::all_of(base.mnemonic.begin(), base.mnemonic.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      })) {
    return make_error("admin.body", "mnemonic '" + base.mnemonic.substr(0, 80) +
                                        "' must be 1–64 Latin letters, digits, '_' or '-'");
  }
  if (!ids::valid_ogrn(base.ogrn)) return make_error("admin.body", "ogrn '" + base.ogrn.substr(0, 40) + "' is not a valid ОГРН (13 digits, check digit)");
  if (!ids::valid_inn_legal(base.inn)) return make_error("admin.body", "inn '" + base.inn.substr(0, 40) + "' is not a valid ИНН ЮЛ (10 digits, check digit)");
  if (!base.kpp.empty() && !ids::valid_kpp(base.kpp)) return make_error("admin.body", "kpp '" + base.kpp.substr(0, 40) + "' is not a valid КПП");
  if (base.name.size() > 1000) return make_error("admin.body", "name is longer than 1000 characters");
  if (j.contains("allowedPurposes")) {
    if (!j["allowedPurposes"].is_array()) return make_error("admin.body", "field 'allowedPurposes' must be an array");
    base.allowed_purposes.clear();
    for (const auto& p : j["allowedPurposes"]) {
      if (!p.is_string() || !gosqr::is_purpose(p.get<std::string>())) {
        return make_error("admin.body", "allowedPurposes: '" + p.dump() + "' is not a purpose of the contract");
      }
      base.allowed_purposes.push_back(p.get<std::string>());
    }
  }
  if (j.contains("channels")) {
    if (!j["channels"].is_array()) return make_error("admin.body", "field 'channels' must be an array");
    base.channels.clear();
    for (const auto& c : j["channels"]) {
      if (c != "smev3" && c != "smev4") return make_error("admin.body", "channels: " + c.dump() + " is not smev3 or smev4");
      base.channels.push_back(c.get<std::string>());
    }
  }
  if (j.contains("scopeGranted")) {
    if (!j["scopeGranted"].is_boolean()) return make_error("admin.body", "field 'scopeGranted' must be true or false");
    base.scope_granted = j["scopeGranted"].get<bool>();
  }
  for (auto [k, out] : {std::pair<const char*, std::optional<TimePoint>*>{"validFrom", &base.valid_from}, {"validTo", &base.valid_to}}) {
    if (!j.contains(k)) continue;
    if (j[k].is_null()) {
      out->reset();
      continue;
    }
    if (!j[k].is_string()) return make_error("admin.body", std::string("field '") + k + "' must be a yyyy-MM-dd date");
    auto t = parse_date(j[k].get<std::string>());
    if (!t) return make_error("admin.body", std::string("field '") + k + "': " + t.error().message);
    *out = *t;
  }
  base.epgu_registry = true;
  return base;
}

}  // namespace

http::Response AdminApi::registry(const http::Request& req) {
  Registry& reg = *d_.registry;
  const std::string path = req.path();
  const std::string orgs = "/admin/registry/organisations", apps = "/admin/registry/applications";
  auto body = [&]() { return json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false); };
  auto note = [&](const std::string& op, const std::string& who, const std::string& outcome) {
    d_.journal.record(JournalEvent{0, d_.clock.now(), "admin", op, who, "", outcome});
  };
  if (path == orgs) {
    if (req.method == "GET") {
      json a = json::array();
      for (const auto& o : reg.organisations()) a.push_back(row_json(o));
      return http::json_response(200, json{{"organisations", a}}.dump());
    }
    if (req.method != "POST") return problem(405, "Method Not Allowed", "use GET or POST on " + orgs);
    auto j = body();
    Organisation base;
    if (j.is_object() && j.contains("mnemonic") && j["mnemonic"].is_string()) {
      if (auto existing = reg.organisation_by_mnemonic(j["mnemonic"].get<std::string>())) base = *existing;
    }
    auto row = row_from_json(j, base);
    if (!row) return problem(400, "Bad Request", row.error().message);
    reg.put_organisation(*row);
    note("registry.put", row->mnemonic, "ok");
    return http::json_response(200, row_json(*row).dump());
  }
  if (path.rfind(orgs + "/", 0) == 0) {
    std::string mnemonic = path.substr(orgs.size() + 1);
    if (req.method == "GET") {
      auto o = reg.organisation_by_mnemonic(mnemonic);
      if (!o) return problem(404, "Not Found", "no registry row for " + mnemonic);
      return http::json_response(200, row_json(*o).dump());
    }
    if (req.method != "DELETE") return problem(405, "Method Not Allowed", "use GET or DELETE on " + path);
    if (!reg.remove_organisation(mnemonic)) return problem(404, "Not Found", "no registry row for " + mnemonic);
    note("registry.remove", mnemonic, "ok");
    return http::json_response(200, json{{"removed", mnemonic}}.dump());
  }
  if (path == apps) {
    if (req.method == "GET") {
      json a = json::array();
      for (const auto& x : reg.applications()) a.push_back(application_json(x));
      return http::json_response(200, json{{"applications", a}}.dump());
    }
    if (req.method != "POST") return problem(405, "Method Not Allowed", "use GET or POST on " + apps);
    auto row = row_from_json(body(), Organisation{});
    if (!row) return problem(400, "Bad Request", row.error().message);
    if (reg.organisation_by_mnemonic(row->mnemonic)) {
      return problem(409, "Conflict", row->mnemonic + " is already in the registry (change its row with POST " + orgs + ")");
    }
    if (auto last = reg.latest_application(row->mnemonic); last && last->status == "pending") {
      return problem(409, "Conflict", row->mnemonic + " already has a pending application " + last->id);
    }
    auto a = reg.apply(*row, d_.clock.now());
    note("registry.apply", row->mnemonic, a.id);
    return http::json_response(201, application_json(a).dump());
  }
  if (path.rfind(apps + "/", 0) == 0 && req.method == "POST") {
    std::string rest = path.substr(apps.size() + 1);
    auto slash = rest.find('/');
    std::string id = rest.substr(0, slash), action = slash == std::string::npos ? "" : rest.substr(slash + 1);
    Result<Registry::Application> done = make_error("admin", "");
    if (action == "approve") {
      done = reg.approve(id, d_.clock.now());
    } else if (action == "reject") {
      auto j = body();
      if (!j.is_object()) return problem(400, "Bad Request", R"(body must be a JSON object like {"reason":"…"})");
      for (const auto& [k, v] : j.items()) {
        if (k != "reason") return problem(400, "Bad Request", "unknown field '" + k + "' (known: reason)");
      }
      if (j.contains("reason") && !j["reason"].is_string()) return problem(400, "Bad Request", "field 'reason' must be a string");
      done = reg.reject(id, j.value("reason", std::string("отклонена оператором")), d_.clock.now());
    } else {
      return problem(404, "Not Found", "POST " + apps + "/<id>/approve or /<id>/reject");
    }
    if (!done) {
      bool missing = done.error().code == "registry.not_found";
      return problem(missing ? 404 : 409, missing ? "Not Found" : "Conflict", done.error().message);
    }
    note("registry." + action, done->org.mnemonic, id);
    return http::json_response(200, application_json(*done).dump());
  }
  return problem(404, "Not Found", "registry endpoints: " + orgs + "[/<mnemonic>], " + apps + "[/<id>/approve|reject]");
}

http::Response AdminApi::limits(const http::Request& req) {
  if (req.method != "POST") return problem(405, "Method Not Allowed", "use POST on /admin/limits");
  auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (!j.is_object()) return problem(400, "Bad Request", R"(body must be like {"smev4": 100} (requests per minute, 0 = off))");
  for (const auto& [k, v] : j.items()) {
    if (k != "smev3" && k != "smev4") return problem(400, "Bad Request", "unknown channel '" + k + "' (smev3, smev4)");
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 100000000) {
      return problem(400, "Bad Request", "'" + k + "' must be a whole number of requests per minute, 0 (off) to 100000000");
    }
  }
  for (const auto& [k, v] : j.items()) d_.provider->set_rate_limit(k, static_cast<int>(v.get<long long>()));
  return http::json_response(200, j.dump());
}

// The test CA's revocation list: GET it (DER, as a CA publishes it), or revoke a certificate by
// serial or by the organisation whose ЭП-ОВ certificate it is.
http::Response AdminApi::pki(const http::Request& req) {
  auto& rev = d_.registry->revocations();
  const std::string path = req.path();
  if (path == "/admin/pki/crl") {
    if (req.method != "GET") return problem(405, "Method Not Allowed", "use GET on /admin/pki/crl");
    auto der = rev.crl_der(d_.clock.now());
    if (!der) return problem(404, "Not Found", der.error().message);
    http::Response r;
    r.content_type = "application/pkix-crl";
    r.body.assign(der->begin(), der->end());
    return r;
  }
  if (path == "/admin/pki/revoke") {
    if (req.method != "POST") return problem(405, "Method Not Allowed", "use POST on /admin/pki/revoke");
    auto j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
    if (!j.is_object() || (j.contains("serial") == j.contains("organisation"))) {
      return problem(400, "Bad Request", R"(body must be {"serial":"<hex>"} or {"organisation":"<mnemonic>"})");
    }
    std::string serial;
    if (j.contains("serial")) {
      if (!j["serial"].is_string()) return problem(400, "Bad Request", "field 'serial' must be a hexadecimal string");
      serial = j["serial"].get<std::string>();
    } else {
      if (!j["organisation"].is_string()) return problem(400, "Bad Request", "field 'organisation' must be a mnemonic");
      auto p = d_.registry->participant(j["organisation"].get<std::string>());
      if (!p) return problem(404, "Not Found", "no СМЭВ participant '" + j["organisation"].get<std::string>() + "'");
      serial = p->certificate.serial_hex();
    }
    auto now = d_.clock.now();
    if (auto st = rev.revoke(serial, now); !st) {
      int status = st.error().code == "pki.serial" ? 400 : st.error().code == "pki.already_revoked" ? 409 : 503;
      return problem(status, status == 400 ? "Bad Request" : status == 409 ? "Conflict" : "Service Unavailable", st.error().message);
    }
    d_.journal.record(JournalEvent{0, now, "admin", "pki.revoke", serial, "", "ok"});
    return http::json_response(200, json{{"serial", serial}, {"revokedAt", format_datetime(now)}}.dump());
  }
  return problem(404, "Not Found", "pki endpoints: GET /admin/pki/crl, POST /admin/pki/revoke");
}

}  // namespace gosdoki::emulator
