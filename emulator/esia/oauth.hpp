#pragma once
// The emulated ЕСИА token endpoint for information systems (/aas/oauth2/v3/te, client_credentials)
// and the access-token check a resource server (СМЭВ 4) makes. domain/gosdoki.md §7.2, §11.8:
// client_secret is a raw signature over the pinned string, verified against a certificate
// registered for the mnemonic; client_certificate_hash is ГОСТ Р 34.11-2012-256 over DER;
// errors are {error, error_description: "ESIA-NNNNNN …", state}.
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/http/http.hpp"
#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "emulator/journal.hpp"
#include "emulator/model.hpp"
#include "emulator/registry/registry.hpp"
#include "protocol/esia/client_secret.hpp"

namespace gosdoki::emulator {

struct AccessToken {
  std::string client_id;
  std::vector<std::string> scopes;
  TimePoint expires_at;
  std::string sid;
};

class EsiaOAuth {
 public:
  EsiaOAuth(const World& world, const Registry& registry, const Clock& clock, Journal& journal, std::uint64_t seed);
  http::Response handle(const http::Request& req);
  // For СМЭВ 4: the token's signature (ЕСИА's key), typ/sbt, issuer, validity by the virtual
  // clock. The error says which of these failed.
  Result<AccessToken> check_access_token(std::string_view token) const;

 private:
  struct Refusal {
    std::string code;   // ESIA-007015
    std::string error;  // invalid_request, invalid_client, invalid_scope, access_denied, …
    std::string text;
  };
  http::Response refuse(const Refusal& r, const std::string& state, const std::string& client_id);
  std::optional<Refusal> authenticate(const esia::TokenRequest& r);
  std::optional<Refusal> check_scopes(const esia::TokenRequest& r, const Organisation& org);
  std::optional<Organisation> client(const std::string& mnemonic) const;
  const Identity& signer() const;

  const World& world_;
  const Registry& registry_;
  const Clock& clock_;
  Journal& journal_;
  UuidGenerator ids_;
  std::mutex mu_;
  std::set<std::string> used_states_;
};

}  // namespace gosdoki::emulator
