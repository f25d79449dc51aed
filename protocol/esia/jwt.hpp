#pragma once
// ЕСИА's JWTs (domain/gosdoki.md §7.4, §11.8): compact JWS, header {"ver","typ","sbt","alg"},
// RS256 (RSA PKCS#1 v1.5 SHA-256) or GOST3410_2012_256 (raw engine signature over the signing
// input with Streebog-256).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"

namespace gosdoki::esia {

struct Jwt {
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input;  // base64url(header) "." base64url(claims)
  Bytes signature;
};

// The algorithm name a key signs with: RS256 for RSA, GOST3410_2012_256 for GOST 256.
Result<std::string> jwt_alg_for(const crypto::PrivateKey& key);
Result<std::string> jwt_sign(nlohmann::json header, const nlohmann::json& claims, const crypto::PrivateKey& key);
// Splits and decodes; does not verify. Errors name the part that is wrong.
Result<Jwt> jwt_decode(std::string_view token);
// The signature against the issuer's certificate, and that the header's alg is the key's.
Result<bool> jwt_verify(const Jwt& jwt, const crypto::Certificate& issuer);

}  // namespace gosdoki::esia
