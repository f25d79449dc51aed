// `gosdoki-sandbox registry …`: ЕПГУ's registry of organisations on a running `serve`, through
// its admin API — the seed's first step (an organisation applies, an operator approves).
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "app/common.hpp"
#include "core/http/http.hpp"
#include "harness/fixtures/fixtures.hpp"

namespace gosdoki::app {

using nlohmann::json;

int registry_command(const RegistryOptions& o) {
  const std::string cmd = "registry " + o.action;
  auto url = http::parse_url(o.emulator);
  if (!url) {
    say_error(cmd, "--emulator: " + url.error().message);
    return kUsage;
  }
  std::string method = "GET", path, body;
  if (o.action == "list") {
    path = "/admin/registry/organisations";
  } else if (o.action == "applications") {
    path = "/admin/registry/applications";
  } else if (o.action == "approve" || o.action == "reject") {
    method = "POST";
    path = "/admin/registry/applications/" + o.application + "/" + o.action;
    if (o.action == "reject") body = json{{"reason", o.reason.empty() ? std::string("отклонена оператором") : o.reason}}.dump();
  } else {
    std::unique_ptr<harness::FileSource> src;
    auto fx = load_fixture_set(o.common, src);
    if (!fx) {
      say_error(cmd, fx.error().message);
      return kUsage;
    }
    const auto* org = fx->organisation(o.organisation);
    if (!org) {
      std::string known;
      for (const auto& id : fx->organisation_ids()) known += (known.empty() ? "" : ", ") + id;
      say_error(cmd, "--org '" + o.organisation + "' is not a fixture organisation (known: " + known + ")");
      return kUsage;
    }
    if (o.action == "remove") {
      method = "DELETE";
      path = "/admin/registry/organisations/" + org->org.mnemonic;
    } else {
      method = "POST";
      path = "/admin/registry/applications";
      json row{{"mnemonic", org->org.mnemonic}, {"ogrn", org->org.ogrn}, {"inn", org->org.inn}, {"name", org->org.name},
               {"allowedPurposes", org->org.allowed_purposes}, {"channels", org->org.channels},
               {"scopeGranted", org->org.scope_granted}, {"esiaOid", org->org.esia_oid}};
      if (!org->org.kpp.empty()) row["kpp"] = org->org.kpp;
      body = row.dump();
    }
  }
  http::Client c(url->host, url->port, std::chrono::seconds(10));
  http::Headers h;
  if (!o.admin_token.empty()) h.emplace_back("Authorization", "Bearer " + o.admin_token);
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  auto r = c.request(method, path, h, body);
  if (!r) {
    say_error(cmd, r.error().message + " (is `gosdoki-sandbox serve` running?)");
    return kSmevError;
  }
  auto j = json::parse(r->body, nullptr, false);
  if (r->status >= 300) {
    say_error(cmd, "the emulator refused (HTTP " + std::to_string(r->status) +
                       "): " + (j.is_object() ? j.value("detail", r->body) : r->body));
    return kUsage;
  }
  if (o.action == "list") {
    for (const auto& row : j["organisations"]) {
      std::string purposes, channels;
      for (const auto& p : row["allowedPurposes"]) purposes += (purposes.empty() ? "" : ",") + p.get<std::string>();
      for (const auto& c2 : row["channels"]) channels += (channels.empty() ? "" : ",") + c2.get<std::string>();
      std::cout << row["mnemonic"].get<std::string>() << "  ОГРН " << row["ogrn"].get<std::string>() << "  "
                << row["name"].get<std::string>() << "  [" << purposes << "]  " << channels << "\n";
    }
  } else if (o.action == "applications") {
    for (const auto& a : j["applications"]) {
      std::cout << a["id"].get<std::string>() << "  " << a["status"].get<std::string>() << "  "
                << a["organisation"]["mnemonic"].get<std::string>() << "  " << a["submittedAt"].get<std::string>() << "\n";
    }
  } else if (o.action == "apply") {
    std::cout << "application " << j["id"].get<std::string>() << " for " << j["organisation"]["mnemonic"].get<std::string>()
              << " is pending: approve it with `gosdoki-sandbox registry approve " << j["id"].get<std::string>() << "`\n";
  } else if (o.action == "remove") {
    std::cout << j["removed"].get<std::string>() << " removed from ЕПГУ's registry\n";
  } else {
    std::cout << "application " << j["id"].get<std::string>() << ": " << j["status"].get<std::string>() << "\n";
  }
  return kOk;
}

}  // namespace gosdoki::app
