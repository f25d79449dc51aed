#pragma once
// ЕСИА's OAuth 2.0 token request for information systems (domain/gosdoki.md §7.2, §11.8): the
// form fields, the string the ИС signs for `client_secret`, the signature itself (raw, base64url)
// and `client_certificate_hash`. Shared by the emulated ЕСИА and the reference client.
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"
#include "core/time/clock.hpp"

namespace gosdoki::esia {

inline constexpr const char* kGosqrScope = "gosqr_docs_digpassport";
inline constexpr const char* kTokenPath = "/aas/oauth2/v3/te";
inline constexpr std::size_t kMaxFieldBytes = 4096;  // per form field (a client_secret is < 400)

struct TokenRequest {
  std::string client_id;
  std::string client_secret;
  std::string scope;
  std::string timestamp;  // yyyy.MM.dd HH:mm:ss Z
  std::string state;      // UUID v4
  std::string redirect_uri;
  std::string client_certificate_hash;
  std::string grant_type = "client_credentials";
  std::string code;  // authorization_code only
  std::string token_type = "Bearer";

  std::string form() const;  // application/x-www-form-urlencoded
  // Unknown fields are ignored as ЕСИА does; repeated ones are an error.
  static Result<TokenRequest> from_form(std::string_view body);
};

// The signed string, pinned per endpoint: client_id + scope + timestamp + state + redirect_uri
// (+ code for authorization_code).
std::string signed_string(const TokenRequest& r);

// Raw signature value (GOST 64 bytes as the OpenSSL engine emits it; RSA PKCS#1 v1.5 SHA-256),
// base64url without padding.
Result<std::string> sign_client_secret(const crypto::PrivateKey& key, std::string_view signed_text);
Result<bool> verify_client_secret(const crypto::Certificate& cert, std::string_view signed_text,
                                  std::string_view client_secret);

// ГОСТ Р 34.11-2012-256 over the DER certificate, lower-case hex (the emulator's documented form).
Result<std::string> certificate_hash(const crypto::Certificate& cert);

// 2026.01.15 10:00:00 +0300 (Moscow time).
std::string format_timestamp(TimePoint t);
Result<TimePoint> parse_timestamp(std::string_view text);

std::string url_encode(std::string_view s);
Result<std::string> url_decode(std::string_view s);

}  // namespace gosdoki::esia
