#pragma once
// The ИС's ЕСИА client for the system token (client_credentials): signs client_secret over the
// pinned string, sends client_certificate_hash, caches the token and gets a new one shortly
// before it expires. Test hooks make each mistake integrators make, on purpose.
#include <chrono>
#include <optional>
#include <variant>
#include <string>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"

namespace gosdoki::client {

struct EsiaClientConfig {
  std::string token_url;  // http://127.0.0.1:PORT/aas/oauth2/v3/te
  std::string client_id;  // the ИС mnemonic
  crypto::PrivateKey key;
  crypto::Certificate certificate;
  std::string scope;  // default: gosqr_docs_digpassport org_ogrn?org_oid=<org_oid>
  std::string org_oid;
  std::string redirect_uri;
  // Mistakes on purpose (scenarios): sign another string; hash the PEM instead of the DER;
  // a timestamp off by this much; reuse the previous state.
  bool wrong_secret = false;
  bool pem_certificate_hash = false;
  std::chrono::seconds timestamp_skew{0};
  bool reuse_state = false;
  // Ask for a new token this long before the cached one expires; never when `refresh` is false.
  std::chrono::seconds refresh_margin{60};
  bool refresh = true;
};

struct EsiaError {
  std::string code;  // ESIA-007053, or client.transport
  std::string message;
};

class EsiaClient {
 public:
  EsiaClient(EsiaClientConfig config, const Clock& clock, std::uint64_t seed);
  // A token valid now: the cached one, or a new one. Errors carry ЕСИА's code.
  // A lost connection or an HTTP 429/5xx without an ЕСИА code is asked again, twice, each time
  // with a fresh state and timestamp (a reused state is refused).
  std::variant<std::string, EsiaError> token();
  void forget();  // after a 401: the next token() asks ЕСИА again
  int tokens_obtained() const { return obtained_; }
  EsiaClientConfig& config() { return config_; }

 private:
  std::variant<std::string, EsiaError> request_token();
  EsiaClientConfig config_;
  const Clock& clock_;
  UuidGenerator ids_;
  std::optional<std::string> token_;
  TimePoint expires_at_{};
  std::string last_state_;
  int obtained_ = 0;
};

}  // namespace gosdoki::client
