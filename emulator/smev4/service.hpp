#pragma once
// The emulated СМЭВ 4 регламентированный запрос of the Госдоки check (domain/gosdoki.md §11.12):
// the ПОДД agent's local REST gateway, POST /<mnemonic>/gosqr/api/gosqr/v1/check with an ЕСИА
// Bearer token, answered synchronously by the same ЕПГУ logic as СМЭВ 3. Errors are
// {code, message} with the contract's HTTP statuses.
#include <string>

#include "core/http/http.hpp"
#include "core/time/clock.hpp"
#include "emulator/epgu/provider.hpp"
#include "emulator/esia/oauth.hpp"
#include "emulator/journal.hpp"

namespace gosdoki::emulator {

inline constexpr const char* kSmev4CheckPath = "/api/gosqr/v1/check";
inline constexpr const char* kSmev4OpenApiPath = "/openapi/gosqr.json";

class Smev4Service {
 public:
  Smev4Service(const EsiaOAuth& esia, EpguProvider& provider, const Clock& clock, Journal& journal);
  http::Response handle(const http::Request& req);
  // For requests the HTTP layer refuses (too large, malformed framing): the same error body.
  static http::Response error(int status, const std::string& code, const std::string& message);

 private:
  http::Response check(const http::Request& req, const std::string& path_mnemonic);

  const EsiaOAuth& esia_;
  EpguProvider& provider_;
  const Clock& clock_;
  Journal& journal_;
};

// The OpenAPI 3 document of this endpoint (protocol/smev4/openapi), as served.
std::string_view smev4_openapi_document();

}  // namespace gosdoki::emulator
