#include "emulator/smev4/service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/util/bytes.hpp"
#include "protocol/gosqr/json.hpp"
#include "protocol/gosqr/result_codes.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

namespace {

constexpr const char* kOpenApiServer = "http://127.0.0.1:8171";  // as written in the document

}  // namespace

Smev4Service::Smev4Service(const EsiaOAuth& esia, EpguProvider& provider, const Clock& clock, Journal& journal)
    : esia_(esia), provider_(provider), clock_(clock), journal_(journal) {}

http::Response Smev4Service::error(int status, const std::string& code, const std::string& message) {
  auto r = http::json_response(status, json{{"code", code}, {"message", message}}.dump(-1, ' ', false,
                                                                                       json::error_handler_t::replace));
  r.content_type = "application/json; charset=utf-8";
  return r;
}

http::Response Smev4Service::handle(const http::Request& req) {
  const std::string path = req.path();
  if (path == kSmev4OpenApiPath) {
    if (req.method != "GET") return error(405, "bad_request", "use GET on " + path);
    // As the WSDL is served with the real address: the servers entries name this listener.
    std::string doc(smev4_openapi_document());
    std::string host = req.header("Host");
    if (!host.empty() && host.size() < 256 && host.find_first_of("\"\\<>") == std::string::npos) {
      for (auto at = doc.find(kOpenApiServer); at != std::string::npos; at = doc.find(kOpenApiServer, at + 1)) {
        doc.replace(at, std::string_view(kOpenApiServer).size(), "http://" + host);
      }
    }
    auto r = http::json_response(200, std::move(doc));
    r.content_type = "application/json; charset=utf-8";
    return r;
  }
  // /<mnemonic>/gosqr/api/gosqr/v1/check, or the same without the mnemonic prefix.
  std::string mnemonic;
  const std::string with_prefix = std::string("/gosqr") + kSmev4CheckPath;
  if (path != kSmev4CheckPath) {
    auto slash = path.find('/', 1);
    if (slash == std::string::npos || path.substr(slash) != with_prefix) {
      return error(404, "not_found", "no СМЭВ 4 endpoint at " + path + " (POST /<мнемоника ИС>" + with_prefix + " or " +
                                         kSmev4CheckPath + "; the OpenAPI document is at " + kSmev4OpenApiPath + ")");
    }
    mnemonic = path.substr(1, slash - 1);
  }
  if (req.method != "POST") {
    auto r = error(405, "bad_request", "use POST on " + path);
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  http::Response r = check(req, mnemonic);
  if (auto id = req.header("X-Request-Id"); !id.empty() && id.size() <= 200) r.headers.emplace_back("X-Request-Id", id);
  return r;
}

http::Response Smev4Service::check(const http::Request& req, const std::string& path_mnemonic) {
  auto note = [&](const std::string& who, const std::string& outcome) {
    journal_.record(JournalEvent{0, clock_.now(), "smev4", "check", who, "", outcome});
  };
  // The token first: nothing about the request is read for an unauthenticated caller.
  std::string auth = req.header("Authorization");
  if (auth.size() < 8 || ascii_lower(auth.substr(0, 7)) != "bearer ") {
    note(path_mnemonic, "401 no token");
    auto r = error(401, "access_denied_system", "нужен заголовок Authorization: Bearer <маркер доступа ЕСИА>");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto token = esia_.check_access_token(auth.substr(7));
  if (!token) {
    note(path_mnemonic, "401 " + token.error().code);
    auto r = error(401, "access_denied_system", "маркер доступа ЕСИА не принят: " + token.error().message);
    r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  if (!path_mnemonic.empty() && path_mnemonic != token->client_id) {
    note(token->client_id, "401 client_id");
    return error(401, "access_denied_system", "маркер выдан ИС " + token->client_id + ", а запрос пришёл на адрес ИС " +
                                                  path_mnemonic);
  }
  std::string ctype = ascii_lower(req.header("Content-Type"));
  std::string media = ctype.substr(0, ctype.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  auto charset_at = ctype.find("charset=");
  std::string charset = charset_at == std::string::npos ? "utf-8" : ctype.substr(charset_at + 8);
  if (!charset.empty() && charset.front() == '"') charset = charset.substr(1, charset.find('"', 1) - 1);
  if (media != "application/json" || (charset != "utf-8" && charset != "utf8")) {
    note(token->client_id, "400 content type");
    return error(400, "bad_request", "Content-Type должен быть application/json; charset=utf-8, получено '" +
                                         req.header("Content-Type").substr(0, 100) + "'");
  }
  if (auto bad = invalid_utf8_at(req.body)) {
    note(token->client_id, "400 utf-8");
    return error(400, "bad_request", "тело запроса не в UTF-8 (байт " + std::to_string(*bad) + ")");
  }
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::parse_error& e) {
    note(token->client_id, "400 json");
    return error(400, "bad_request", std::string("тело не является JSON: ") + e.what());
  }
  auto request = gosqr::request_from_json(body);
  if (!request) {
    note(token->client_id, "400 field");
    return error(400, "bad_request", request.error().message);
  }
  if (auto st = gosqr::validate_request_values(*request); !st) {
    note(token->client_id, "400 schema");
    return error(400, "bad_request", st.error().message);
  }
  CheckOutcome o = provider_.check(*request, CheckContext{token->client_id, "smev4", false, token->scopes});
  note(token->client_id, o.result_code);
  const auto* info = gosqr::find_result_code(o.result_code);
  if (info && info->smev4_status != 0) {
    auto r = error(info->smev4_status, std::string(info->smev4_code), o.rejection_description());
    if (info->smev4_status == 429) r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  o.response.timestamp.clear();
  auto r = http::json_response(200, gosqr::to_json(o.response).dump());
  r.content_type = "application/json; charset=utf-8";
  return r;
}

}  // namespace gosdoki::emulator
