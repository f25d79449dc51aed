#include "client/esia_client.hpp"

#include <thread>

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "protocol/esia/client_secret.hpp"

namespace gosdoki::client {

using nlohmann::json;


EsiaClient::EsiaClient(EsiaClientConfig config, const Clock& clock, std::uint64_t seed)
    : config_(std::move(config)), clock_(clock), ids_(clock, seed) {}

void EsiaClient::forget() { token_.reset(); }

std::variant<std::string, EsiaError> EsiaClient::token() {
  auto now = clock_.now();
  if (token_ && (!config_.refresh || now + config_.refresh_margin < expires_at_)) return *token_;
  std::chrono::milliseconds pause{20};
  for (int attempt = 1;; ++attempt) {
    auto t = request_token();
    const auto* e = std::get_if<EsiaError>(&t);
    bool transient = e && (e->code == "client.transport" || e->code == "esia.http_429" || e->code.rfind("esia.http_5", 0) == 0);
    if (!transient || attempt == 3) return t;
    std::this_thread::sleep_for(pause);
    pause *= 2;
  }
}

std::variant<std::string, EsiaError> EsiaClient::request_token() {
  auto now = clock_.now();
  auto url = http::parse_url(config_.token_url);
  if (!url) return EsiaError{"client.config", "the ЕСИА URL: " + url.error().message};
  esia::TokenRequest r;
  r.client_id = config_.client_id;
  r.scope = config_.scope.empty() ? std::string(esia::kGosqrScope) + " org_ogrn?org_oid=" + config_.org_oid : config_.scope;
  r.timestamp = esia::format_timestamp(now + config_.timestamp_skew);
  r.state = config_.reuse_state && !last_state_.empty() ? last_state_ : ids_.v4();
  last_state_ = r.state;
  r.redirect_uri = config_.redirect_uri;
  if (config_.pem_certificate_hash) {
    auto pem = config_.certificate.pem();
    auto h = crypto::digest(crypto::DigestAlg::streebog256, as_bytes(pem));
    if (!h) return EsiaError{"client.crypto", h.error().message};
    r.client_certificate_hash = hex_encode(*h);
  } else {
    auto h = esia::certificate_hash(config_.certificate);
    if (!h) return EsiaError{"client.crypto", h.error().message};
    r.client_certificate_hash = *h;
  }
  std::string to_sign = esia::signed_string(r);
  if (config_.wrong_secret) to_sign = r.scope + r.timestamp + r.client_id + r.state;  // the legacy order
  auto secret = esia::sign_client_secret(config_.key, to_sign);
  if (!secret) return EsiaError{"client.crypto", secret.error().message};
  r.client_secret = *secret;

  http::Client http(url->host, url->port, std::chrono::seconds(10));
  auto resp = http.post(url->target, "application/x-www-form-urlencoded", r.form());
  if (!resp) return EsiaError{"client.transport", "ЕСИА " + config_.token_url + ": " + resp.error().message};
  auto j = json::parse(resp->body, nullptr, false);
  if (resp->status != 200) {
    std::string desc = j.is_object() ? j.value("error_description", resp->body) : resp->body;
    std::string code = desc.rfind("ESIA-", 0) == 0 ? desc.substr(0, desc.find(':')) : "esia.http_" + std::to_string(resp->status);
    return EsiaError{code, desc};
  }
  if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string() || !j.contains("expires_in") ||
      !j["expires_in"].is_number_integer()) {
    return EsiaError{"client.bad_response", "ЕСИА answered 200 without access_token/expires_in: " + resp->body.substr(0, 200)};
  }
  if (j.value("state", "") != r.state) return EsiaError{"client.bad_response", "ЕСИА answered with another state"};
  token_ = j["access_token"].get<std::string>();
  expires_at_ = now + std::chrono::seconds(j["expires_in"].get<long long>());
  ++obtained_;
  return *token_;
}

}  // namespace gosdoki::client
