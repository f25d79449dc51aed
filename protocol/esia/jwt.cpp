#include "protocol/esia/jwt.hpp"

#include "core/util/bytes.hpp"

namespace gosdoki::esia {

using nlohmann::json;

namespace {

Result<std::string> alg_of(crypto::KeyKind k) {
  if (k == crypto::KeyKind::rsa) return std::string("RS256");
  if (k == crypto::KeyKind::gost2012_256) return std::string("GOST3410_2012_256");
  return make_error("jwt.alg", std::string("no ЕСИА JWT algorithm for a ") + crypto::key_kind_name(k) + " key");
}

Result<json> decode_part(std::string_view part, const char* what) {
  auto raw = base64url_decode(part);
  if (!raw) return make_error("jwt.malformed", std::string("the token's ") + what + " is not base64url");
  auto j = json::parse(as_view(*raw), nullptr, false);
  if (!j.is_object()) return make_error("jwt.malformed", std::string("the token's ") + what + " is not a JSON object");
  return j;
}

}  // namespace

Result<std::string> jwt_alg_for(const crypto::PrivateKey& key) { return alg_of(key.kind()); }

Result<std::string> jwt_sign(json header, const json& claims, const crypto::PrivateKey& key) {
  auto alg = alg_of(key.kind());
  if (!alg) return alg.error();
  header["alg"] = *alg;
  std::string h = header.dump(), c = claims.dump();
  std::string input = base64url_encode(as_bytes(h)) + "." + base64url_encode(as_bytes(c));
  auto sig = crypto::sign(key, as_bytes(input));
  if (!sig) return sig.error();
  return input + "." + base64url_encode(*sig);
}

Result<Jwt> jwt_decode(std::string_view token) {
  if (token.size() > 16384) return make_error("jwt.malformed", "the token is longer than 16 KiB");
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
    return make_error("jwt.malformed", "a JWT has three dot-separated parts");
  }
  Jwt jwt;
  auto h = decode_part(token.substr(0, d1), "header");
  if (!h) return h.error();
  auto c = decode_part(token.substr(d1 + 1, d2 - d1 - 1), "claims");
  if (!c) return c.error();
  if (d2 + 1 == token.size()) return make_error("jwt.unsigned", "the token has no signature (alg none is not accepted)");
  auto sig = base64url_decode(token.substr(d2 + 1));
  if (!sig || sig->empty()) return make_error("jwt.malformed", "the token's signature is not base64url");
  jwt.header = std::move(*h);
  jwt.claims = std::move(*c);
  jwt.signing_input = std::string(token.substr(0, d2));
  jwt.signature = std::move(*sig);
  return jwt;
}

Result<bool> jwt_verify(const Jwt& jwt, const crypto::Certificate& issuer) {
  auto want = alg_of(issuer.key_kind());
  if (!want) return want.error();
  if (!jwt.header.contains("alg") || jwt.header["alg"] != *want) {
    return make_error("jwt.alg", "the token's alg is " + (jwt.header.contains("alg") ? jwt.header["alg"].dump() : "missing") +
                                     ", ЕСИА signs with " + *want);
  }
  return crypto::verify(issuer, as_bytes(jwt.signing_input), jwt.signature);
}

}  // namespace gosdoki::esia
