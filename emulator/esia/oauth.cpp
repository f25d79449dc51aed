#include "emulator/esia/oauth.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "protocol/esia/jwt.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

namespace {

std::vector<std::string> split_scopes(const std::string& scope) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < scope.size()) {
    auto sp = scope.find(' ', pos);
    std::string s = scope.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    if (!s.empty()) out.push_back(s);
    pos = sp == std::string::npos ? scope.size() : sp + 1;
  }
  return out;
}

long long epoch_seconds(TimePoint t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

}  // namespace

EsiaOAuth::EsiaOAuth(const World& world, const Registry& registry, const Clock& clock, Journal& journal, std::uint64_t seed)
    : world_(world), registry_(registry), clock_(clock), journal_(journal), ids_(clock, seed) {}

const Identity& EsiaOAuth::signer() const {
  return world_.settings.esia_jwt_alg == "GOST3410_2012_256" ? world_.esia : world_.esia_rsa;
}

std::optional<Organisation> EsiaOAuth::client(const std::string& mnemonic) const {
  // ЕСИА knows every ИС registered with it, whether or not ЕПГУ's registry lists it.
  for (const auto& o : world_.organisations) {
    if (o.mnemonic == mnemonic) return o;
  }
  return registry_.organisation_by_mnemonic(mnemonic);
}

http::Response EsiaOAuth::refuse(const Refusal& r, const std::string& state, const std::string& client_id) {
  journal_.record(JournalEvent{0, clock_.now(), "esia", "token", client_id, "", r.code});
  json body{{"error", r.error}, {"error_description", r.code + ": " + r.text}};
  if (!state.empty() && state.size() <= 64) body["state"] = state;  // echoed only when it can be a UUID
  return http::json_response(400, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::optional<EsiaOAuth::Refusal> EsiaOAuth::authenticate(const esia::TokenRequest& r) {
  auto org = client(r.client_id);
  if (!org) return Refusal{"ESIA-008010", "invalid_client", "система-клиент " + r.client_id + " не зарегистрирована в ЕСИА"};
  if (org->esia_certificates.empty()) {
    return Refusal{"ESIA-007002", "invalid_client", "для ИС " + r.client_id + " в ЕСИА не зарегистрирован сертификат"};
  }
  // The hash names the certificate: ГОСТ Р 34.11-2012-256 over DER, hex.
  const std::string want_form = "ГОСТ Р 34.11-2012-256 от DER-кодировки сертификата, 64 шестнадцатеричных символа";
  std::string given = ascii_lower(r.client_certificate_hash);
  if (given.size() != 64 || !std::all_of(given.begin(), given.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
    return Refusal{"ESIA-007053", "invalid_client", "client_certificate_hash '" + r.client_certificate_hash +
                                                        "' имеет неверный вид; ожидается " + want_form};
  }
  const crypto::Certificate* cert = nullptr;
  for (const auto& c : org->esia_certificates) {
    if (auto h = esia::certificate_hash(c); h && *h == given) cert = &c;
    if (!cert && world_.settings.esia_sha256_certificate_hash) {
      if (auto h = crypto::digest(crypto::DigestAlg::sha256, c.der()); h && hex_encode(*h) == given) cert = &c;
    }
    if (!cert) {
      // The usual mistake: the hash of the PEM file instead of the DER certificate.
      auto pem = c.pem();
      if (auto h = crypto::digest(crypto::DigestAlg::streebog256, as_bytes(pem)); h && hex_encode(*h) == given) {
        return Refusal{"ESIA-007053", "invalid_client",
                       "client_certificate_hash посчитан от PEM-файла сертификата; ожидается " + want_form};
      }
    }
    if (cert) break;
  }
  if (!cert) {
    for (const auto& other : world_.organisations) {
      for (const auto& c : other.esia_certificates) {
        if (auto h = esia::certificate_hash(c); h && *h == given && other.mnemonic != r.client_id) {
          return Refusal{"ESIA-007002", "invalid_client", "сертификат с хешем " + given + " зарегистрирован для ИС " +
                                                              other.mnemonic + ", а не для " + r.client_id};
        }
      }
    }
    return Refusal{"ESIA-007002", "invalid_client", "сертификат с хешем " + given + " не зарегистрирован для ИС " + r.client_id};
  }
  auto now = clock_.now();
  if (now < cert->not_before() || now >= cert->not_after()) {
    return Refusal{"ESIA-007053", "invalid_client", "сертификат ИС не действует на " + format_datetime(now) + " (действует с " +
                                                        format_datetime(cert->not_before()) + " до " +
                                                        format_datetime(cert->not_after()) + ")"};
  }
  if (auto when = registry_.revocations().revoked_at(*cert, now)) {
    return Refusal{"ESIA-007053", "invalid_client", "сертификат ИС (серийный номер " + cert->serial_hex() + ") отозван УЦ " +
                                                        format_datetime(*when) + " (список отозванных сертификатов)"};
  }
  auto ok = esia::verify_client_secret(*cert, esia::signed_string(r), r.client_secret);
  if (!ok || !*ok) {
    return Refusal{"ESIA-007053", "invalid_client",
                   std::string("client_secret не проверяется сертификатом ИС") + (ok ? "" : " (" + ok.error().message + ")") +
                       "; подписывается строка client_id + scope + timestamp + state + redirect_uri"};
  }
  return std::nullopt;
}

std::optional<EsiaOAuth::Refusal> EsiaOAuth::check_scopes(const esia::TokenRequest& r, const Organisation& org) {
  auto scopes = split_scopes(r.scope);
  std::set<std::string> seen;
  if (scopes.size() > 16) {
    return Refusal{"ESIA-007006", "invalid_scope", "запрошено " + std::to_string(scopes.size()) + " scope, больше 16"};
  }
  for (const auto& s : scopes) {
    if (!seen.insert(s).second) return Refusal{"ESIA-007006", "invalid_scope", "scope '" + s + "' указан дважды"};
  }
  for (const auto& s : scopes) {
    if (s == esia::kGosqrScope) {
      if (!org.scope_granted) {
        return Refusal{"ESIA-007019", "access_denied", "ИС " + org.mnemonic + " не предоставлен доступ к scope " + s};
      }
      continue;
    }
    bool org_scope = false;
    for (const std::string prefix : {"org_ogrn?org_oid=", "http://esia.gosuslugi.ru/org_ogrn?org_oid="}) {
      if (s.rfind(prefix, 0) != 0) continue;
      org_scope = true;
      if (s.substr(prefix.size()) != org.esia_oid) {
        return Refusal{"ESIA-007194", "access_denied", "scope " + s + " запрошен для организации с OID '" +
                                                           s.substr(prefix.size()) + "', а ИС " + org.mnemonic +
                                                           " принадлежит организации с OID " + org.esia_oid};
      }
    }
    if (!org_scope) {
      return Refusal{"ESIA-007006", "invalid_scope", "scope '" + s + "' неизвестен этому эмулятору ЕСИА (известны " +
                                                         std::string(esia::kGosqrScope) + " и org_ogrn?org_oid=<OID>)"};
    }
  }
  return std::nullopt;
}

http::Response EsiaOAuth::handle(const http::Request& req) {
  if (req.path() != esia::kTokenPath) {
    return http::json_response(404, json{{"error", "invalid_request"},
                                         {"error_description", "ESIA-007003: эмулятор ЕСИА обслуживает только POST " +
                                                                   std::string(esia::kTokenPath)}}
                                        .dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (req.method != "POST") {
    auto r = http::json_response(405, json{{"error", "invalid_request"},
                                           {"error_description", "ESIA-007003: маркер запрашивается методом POST"}}
                                          .dump());
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  std::string ctype = ascii_lower(req.header("Content-Type"));
  if (ctype.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return refuse({"ESIA-007038", "invalid_request",
                   "тело запроса должно быть application/x-www-form-urlencoded, получено '" + req.header("Content-Type") + "'"},
                  "", "");
  }
  auto form = esia::TokenRequest::from_form(req.body);
  if (!form) return refuse({"ESIA-007003", "invalid_request", form.error().message}, "", "");
  const esia::TokenRequest& r = *form;
  for (auto [name, value] : {std::pair<const char*, const std::string*>{"client_id", &r.client_id},
                             {"client_secret", &r.client_secret}, {"timestamp", &r.timestamp}, {"state", &r.state},
                             {"client_certificate_hash", &r.client_certificate_hash}, {"grant_type", &r.grant_type}}) {
    if (value->empty()) return refuse({"ESIA-007014", "invalid_request", std::string("нет параметра ") + name}, r.state, r.client_id);
  }
  if (r.scope.empty()) return refuse({"ESIA-007013", "invalid_scope", "нет параметра scope"}, r.state, r.client_id);
  if (r.grant_type != "client_credentials") {
    return refuse({"ESIA-007009", "unsupported_grant_type",
                   "grant_type '" + r.grant_type + "' не поддерживается: эмулятор выдаёт маркеры ИС (client_credentials)"},
                  r.state, r.client_id);
  }
  if (!r.token_type.empty() && r.token_type != "Bearer") {
    return refuse({"ESIA-007003", "invalid_request", "token_type должен быть Bearer, получено '" + r.token_type.substr(0, 40) + "'"},
                  r.state, r.client_id);
  }
  auto ts = esia::parse_timestamp(r.timestamp);
  if (!ts) return refuse({"ESIA-007015", "invalid_request", ts.error().message}, r.state, r.client_id);
  auto now = clock_.now();
  auto skew = world_.settings.esia_timestamp_skew;
  if (*ts < now - skew || *ts > now + skew) {
    return refuse({"ESIA-007015", "invalid_request", "timestamp " + r.timestamp + " отличается от времени ЕСИА " +
                                                         esia::format_timestamp(now) + " больше чем на " +
                                                         std::to_string(skew.count()) + " с"},
                  r.state, r.client_id);
  }
  auto sinfo = inspect_uuid(ascii_lower(r.state));
  if (!sinfo || sinfo->version != 4) {
    return refuse({"ESIA-007003", "invalid_request", "state '" + r.state + "' должен быть UUID версии 4"}, r.state, r.client_id);
  }
  if (auto refusal = authenticate(r)) return refuse(*refusal, r.state, r.client_id);
  auto org = client(r.client_id);
  if (auto refusal = check_scopes(r, *org)) return refuse(*refusal, r.state, r.client_id);
  {
    // A state is good once: a replayed request (same signature, same state) is refused.
    std::lock_guard lock(mu_);
    if (!used_states_.insert(ascii_lower(r.state)).second) {
      return refuse({"ESIA-007004", "access_denied", "state " + r.state + " уже использован: повтор запроса отклонён"},
                    r.state, r.client_id);
    }
  }
  auto iat = epoch_seconds(now);
  auto ttl = world_.settings.esia_token_ttl.count();
  json claims{{"nbf", iat},  {"iat", iat},           {"exp", iat + ttl}, {"iss", world_.settings.esia_issuer},
              {"client_id", r.client_id}, {"urn:esia:sid", ids_.v4()}, {"scope", r.scope}};
  json header{{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}};
  auto token = esia::jwt_sign(header, claims, signer().key);
  if (!token) {
    return refuse({"ESIA-007007", "server_error", "маркер не подписан: " + token.error().message}, r.state, r.client_id);
  }
  journal_.record(JournalEvent{0, now, "esia", "token", r.client_id, "", "ok"});
  json out{{"access_token", *token}, {"token_type", "Bearer"}, {"expires_in", ttl}, {"state", r.state}};
  return http::json_response(200, out.dump());
}

Result<AccessToken> EsiaOAuth::check_access_token(std::string_view token) const {
  auto jwt = esia::jwt_decode(token);
  if (!jwt) return jwt.error();
  const auto& h = jwt->header;
  auto str = [](const json& j, const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string{};
  };
  if (str(h, "typ") != "JWT" || str(h, "sbt") != "access") {
    return make_error("token.type", "not an ЕСИА access token (header typ/sbt is " + h.dump() + ")");
  }
  std::string alg = str(h, "alg");
  const Identity& key_owner = alg == "GOST3410_2012_256" ? world_.esia : world_.esia_rsa;
  auto ok = esia::jwt_verify(*jwt, key_owner.certificate);
  if (!ok) return ok.error();
  if (!*ok) return make_error("token.signature", "the token's signature does not verify with ЕСИА's key");
  const auto& c = jwt->claims;
  if (str(c, "iss") != world_.settings.esia_issuer) {
    return make_error("token.issuer", "the token's iss is '" + str(c, "iss") + "', expected " + world_.settings.esia_issuer);
  }
  if (!c.contains("exp") || !c["exp"].is_number_integer() || !c.contains("nbf") || !c["nbf"].is_number_integer()) {
    return make_error("token.claims", "the token has no integer nbf/exp");
  }
  auto now = epoch_seconds(clock_.now());
  if (now < c["nbf"].get<long long>()) return make_error("token.not_yet_valid", "the token is not valid yet (nbf)");
  if (now >= c["exp"].get<long long>()) {
    return make_error("token.expired", "the token expired at " +
                                           format_datetime(TimePoint{std::chrono::seconds(c["exp"].get<long long>())}));
  }
  AccessToken t;
  t.client_id = str(c, "client_id");
  if (t.client_id.empty()) return make_error("token.claims", "the token has no client_id string");
  t.scopes = split_scopes(str(c, "scope"));
  t.expires_at = TimePoint{std::chrono::seconds(c["exp"].get<long long>())};
  t.sid = str(c, "urn:esia:sid");
  return t;
}

}  // namespace gosdoki::emulator
