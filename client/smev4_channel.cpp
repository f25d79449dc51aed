#include "client/smev4_channel.hpp"

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "protocol/gosqr/json.hpp"

namespace gosdoki::client {

using nlohmann::json;

Smev4Channel::Smev4Channel(Smev4Config config, EsiaClient& esia, const Clock& clock, std::uint64_t seed)
    : config_(std::move(config)), esia_(esia), ids_(clock, seed) {}

CheckReport Smev4Channel::send(const gosqr::CheckRequest& request) {
  CheckReport report;
  report.channel = display_name();
  report.request_message_id = ids_.v4();
  auto url = http::parse_url(config_.base_url);
  if (!url) {
    report.code = "client.config";
    report.message = "the СМЭВ 4 URL: " + url.error().message;
    return report;
  }
  std::string path = (config_.mnemonic.empty() ? "" : "/" + config_.mnemonic + "/gosqr") + "/api/gosqr/v1/check";
  std::string body = gosqr::to_json(request).dump();
  http::Client http(url->host, url->port, std::chrono::seconds(15));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto token = esia_.token();
    if (auto* e = std::get_if<EsiaError>(&token)) {
      report.status = e->code.rfind("client.", 0) == 0 ? CheckReport::Status::error : CheckReport::Status::smev_error;
      report.code = e->code;
      report.message = e->message.rfind("ESIA-", 0) == 0 || e->message.rfind("ЕСИА", 0) == 0 ? e->message : "ЕСИА: " + e->message;
      report.trace.push_back("ЕСИА token → " + e->code);
      return report;
    }
    report.trace.push_back("ЕСИА token → ok");
    auto resp = http.post(path, "application/json; charset=utf-8", body,
                          {{"Authorization", "Bearer " + std::get<std::string>(token)},
                           {"X-Request-Id", report.request_message_id}});
    if (!resp) {
      report.code = "client.transport";
      report.message = "СМЭВ 4 " + config_.base_url + path + ": " + resp.error().message;
      return report;
    }
    report.http_status = resp->status;
    report.trace.push_back("POST " + path + " → HTTP " + std::to_string(resp->status));
    if (resp->status == 401 && attempt == 0 && config_.retry_on_401 && esia_.config().refresh) {
      esia_.forget();  // the contract: get a new token and retry once
      continue;
    }
    auto j = json::parse(resp->body, nullptr, false);
    if (resp->status == 200) {
      auto parsed = j.is_discarded() ? Result<gosqr::CheckResponse>(make_error("json", "not JSON"))
                                     : gosqr::response_from_json(j);
      if (!parsed) {
        report.code = "client.bad_response";
        report.message = "ответ СМЭВ 4 не разобран: " + parsed.error().message;
        return report;
      }
      report.response = *parsed;
      report.code = parsed->result_code;
      report.message = parsed->result_message;
      report.status = parsed->result == "OK" ? CheckReport::Status::confirmed : CheckReport::Status::rejected;
      return report;
    }
    std::string code = j.is_object() ? j.value("code", std::string{}) : std::string{};
    std::string message = j.is_object() ? j.value("message", resp->body) : resp->body;
    // An error that carries a resultCode (403, 429, 500) is ЕПГУ's business refusal, as over СМЭВ 3.
    std::string result = result_code_prefix(message);
    report.status = result.empty() ? CheckReport::Status::smev_error : CheckReport::Status::rejected;
    report.code = result.empty() ? (code.empty() ? "http_" + std::to_string(resp->status) : code) : result;
    report.message = "HTTP " + std::to_string(resp->status) + " " + code + ": " + message;
    return report;
  }
  return report;
}

}  // namespace gosdoki::client
