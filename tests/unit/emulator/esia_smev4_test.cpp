// The emulated ЕСИА token endpoint and the СМЭВ 4 endpoint over real HTTP: each ЕСИА refusal by
// its trigger and code, a token's claims, and bad input to СМЭВ 4 answered with a 4xx
// {code, message} that names the field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/util/uuid.hpp"
#include "emulator/emulator.hpp"
#include "protocol/esia/client_secret.hpp"
#include "protocol/esia/jwt.hpp"
#include "protocol/gosqr/json.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;
using nlohmann::json;

namespace {

class EsiaSmev4 : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator::EmulatorOptions eo;
    eo.clock_start = testkit::fixtures().scenario_clock;
    eo.clock_frozen = true;
    eo.run_epgu = false;
    auto e = emulator::Emulator::start(testkit::fixtures().world, eo);
    ASSERT_TRUE(e) << e.error().message;
    emu_ = std::move(*e);
    ids_ = std::make_unique<UuidGenerator>(emu_->clock(), 3);
  }

  const harness::OrganisationFixture& org(const std::string& id) { return *testkit::fixtures().organisation(id); }

  esia::TokenRequest request(const std::string& org_id) {
    const auto& o = org(org_id);
    esia::TokenRequest r;
    r.client_id = o.org.mnemonic;
    r.scope = std::string("gosqr_docs_digpassport org_ogrn?org_oid=") + o.org.esia_oid;
    r.timestamp = esia::format_timestamp(emu_->clock().now());
    r.state = ids_->v4();
    r.client_certificate_hash = *esia::certificate_hash(o.identity->certificate);
    return r;
  }
  void sign(esia::TokenRequest& r, const crypto::PrivateKey& key) { r.client_secret = *esia::sign_client_secret(key, esia::signed_string(r)); }

  std::pair<int, json> token(const esia::TokenRequest& r, const std::string& ctype = "application/x-www-form-urlencoded") {
    http::Client c("127.0.0.1", emu_->esia_port());
    auto resp = c.post(esia::kTokenPath, ctype, r.form());
    EXPECT_TRUE(resp);
    return {resp->status, json::parse(resp->body, nullptr, false)};
  }
  std::string code_of(const json& j) {
    std::string d = j.value("error_description", "");
    return d.substr(0, d.find(':'));
  }
  std::string good_token(const std::string& org_id) {
    auto r = request(org_id);
    sign(r, org(org_id).identity->key);
    auto [status, j] = token(r);
    EXPECT_EQ(status, 200) << j.dump();
    return j.value("access_token", "");
  }

  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<UuidGenerator> ids_;
};

}  // namespace

TEST_F(EsiaSmev4, ATokenCarriesTheDocumentedClaims) {
  auto r = request("hotel-sever");
  sign(r, org("hotel-sever").identity->key);
  auto [status, j] = token(r);
  ASSERT_EQ(status, 200) << j.dump();
  EXPECT_EQ(j["token_type"], "Bearer");
  EXPECT_EQ(j["expires_in"], 3600);
  EXPECT_EQ(j["state"], r.state);
  auto jwt = esia::jwt_decode(j["access_token"].get<std::string>());
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->header, json({{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}, {"alg", "RS256"}}));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(emu_->clock().now().time_since_epoch()).count();
  EXPECT_EQ(jwt->claims["iat"], now);
  EXPECT_EQ(jwt->claims["nbf"], now);
  EXPECT_EQ(jwt->claims["exp"], now + 3600);
  EXPECT_EQ(jwt->claims["iss"], "http://esia.gosuslugi.ru/");
  EXPECT_EQ(jwt->claims["client_id"], "HTLSEV");
  EXPECT_EQ(jwt->claims["scope"], r.scope);
  EXPECT_FALSE(jwt->claims.contains("urn:esia:sbj_id")) << "a system token names no person";
  EXPECT_TRUE(*esia::jwt_verify(*jwt, testkit::fixtures().world.esia_rsa.certificate));
}

TEST_F(EsiaSmev4, EachRefusalHasItsEsiaCode) {
  const auto& hotel = org("hotel-sever");
  auto expect_code = [&](esia::TokenRequest r, const std::string& code, bool resign = true, const std::string& ctype =
                                                                                              "application/x-www-form-urlencoded") {
    if (resign) sign(r, hotel.identity->key);
    auto [status, j] = token(r, ctype);
    EXPECT_EQ(status, 400) << j.dump();
    EXPECT_EQ(code_of(j), code) << j.dump();
    EXPECT_EQ(j.value("state", r.state), r.state);
  };
  auto r = request("hotel-sever");
  r.timestamp = esia::format_timestamp(emu_->clock().now() - std::chrono::seconds(181));
  expect_code(r, "ESIA-007015");
  r = request("hotel-sever");
  r.timestamp = "2026-01-15T10:00:00+03:00";
  expect_code(r, "ESIA-007015");
  r = request("hotel-sever");
  r.client_certificate_hash = hex_encode(*crypto::digest(crypto::DigestAlg::streebog256, as_bytes(hotel.identity->certificate.pem())));
  expect_code(r, "ESIA-007053");
  r = request("hotel-sever");
  r.client_certificate_hash = "not-hex";
  expect_code(r, "ESIA-007053");
  r = request("hotel-sever");
  sign(r, hotel.identity->key);
  r.scope += " ";  // signed over the old scope
  expect_code(r, "ESIA-007053", false);
  r = request("hotel-sever");
  r.client_certificate_hash = *esia::certificate_hash(org("bank-zarya").identity->certificate);
  expect_code(r, "ESIA-007002");  // another ИС's certificate
  r = request("hotel-sever");
  r.client_id = "NOBODY";
  expect_code(r, "ESIA-008010");
  r = request("clinic-zdorovie");
  sign(r, org("clinic-zdorovie").identity->key);
  auto [s1, j1] = token(r);
  EXPECT_EQ(code_of(j1), "ESIA-007019") << j1.dump();  // no grant for the scope
  r = request("hotel-sever");
  r.scope = "gosqr_docs_digpassport org_ogrn?org_oid=999";
  expect_code(r, "ESIA-007194");
  r = request("hotel-sever");
  r.scope = "openid fullname";
  expect_code(r, "ESIA-007006");
  r = request("hotel-sever");
  r.scope.clear();
  expect_code(r, "ESIA-007013");
  r = request("hotel-sever");
  r.state = ids_->v1();
  expect_code(r, "ESIA-007003");  // state must be UUID v4
  r = request("hotel-sever");
  r.client_certificate_hash.clear();
  expect_code(r, "ESIA-007014");
  r = request("hotel-sever");
  r.grant_type = "password";
  expect_code(r, "ESIA-007009");
  expect_code(request("hotel-sever"), "ESIA-007038", true, "application/json");
  r = request("hotel-sever");
  r.client_id = "HTL\xff";
  expect_code(r, "ESIA-007003");  // not UTF-8: refused, never a 500
  r = request("hotel-sever");
  r.state = std::string(5000, 'a');
  expect_code(r, "ESIA-007003");  // longer than 4 KiB
  r = request("hotel-sever");
  r.scope = "gosqr_docs_digpassport gosqr_docs_digpassport";
  expect_code(r, "ESIA-007006");
  // A replayed request (same state, same signature) is refused the second time.
  r = request("hotel-sever");
  sign(r, hotel.identity->key);
  EXPECT_EQ(token(r).first, 200);
  expect_code(r, "ESIA-007004", false);
}

TEST_F(EsiaSmev4, Smev4RefusesBadTokensAndBadBodiesNamingTheField) {
  http::Client c("127.0.0.1", emu_->smev4_port());
  const std::string path = "/HTLSEV/gosqr/api/gosqr/v1/check";
  auto call = [&](const std::string& body, const std::string& bearer, const std::string& ctype = "application/json") {
    http::Headers h;
    if (!bearer.empty()) h.emplace_back("Authorization", "Bearer " + bearer);
    h.emplace_back("X-Request-Id", "req-1");
    auto r = c.post(path, ctype, body, h);
    EXPECT_TRUE(r);
    return std::make_tuple(r->status, json::parse(r->body, nullptr, false), r->header("X-Request-Id"));
  };
  std::string tok = good_token("hotel-sever");
  const auto& hotel = org("hotel-sever").org;
  gosqr::CheckRequest req;
  req.timestamp = format_datetime(emu_->clock().now());
  req.qr_code = Bytes{'G', 'Q', 'R'};
  req.face_image = Bytes(30000, 7);
  req.face_image_captured_at = req.timestamp;
  req.purpose = "HOTEL";
  req.organization = {hotel.ogrn, hotel.inn, std::nullopt, hotel.name};
  req.point_of_service = {"p", "t", std::nullopt};
  json good = gosqr::to_json(req);

  auto [s_none, j_none, id_none] = call(good.dump(), "");
  EXPECT_EQ(s_none, 401);
  EXPECT_EQ(j_none["code"], "access_denied_system");
  EXPECT_EQ(id_none, "req-1") << "X-Request-Id is echoed";
  auto [s_bad, j_bad, i2] = call(good.dump(), tok.substr(0, tok.size() - 3) + "AAA");
  EXPECT_EQ(s_bad, 401);
  EXPECT_NE(j_bad["message"].get<std::string>().find("signature"), std::string::npos) << j_bad.dump();
  // A token ЕСИА signed whose client_id is a number, not a string: refused as a token, not a 500.
  {
    const auto& w = testkit::fixtures().world;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(emu_->clock().now().time_since_epoch()).count();
    auto odd = esia::jwt_sign({{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}},
                              {{"nbf", now}, {"exp", now + 60}, {"iss", "http://esia.gosuslugi.ru/"}, {"client_id", 42}},
                              w.esia_rsa.key);
    auto [s_odd, j_odd, i_odd] = call(good.dump(), *odd);
    EXPECT_EQ(s_odd, 401) << j_odd.dump();
  }
  // Another ИС's token on this ИС's address.
  auto [s_other, j_other, i3] = call(good.dump(), good_token("bank-zarya"));
  EXPECT_EQ(s_other, 401);
  EXPECT_NE(j_other["message"].get<std::string>().find("BNKZAR"), std::string::npos) << j_other.dump();

  struct Case {
    std::string body, ctype, needle;
  };
  json missing = good;
  missing.erase("faceImage");
  json wrong_type = good;
  wrong_type["organization"]["ogrn"] = 1057757289732;
  json extra = good;
  extra["colour"] = "red";
  json bad_value = good;
  bad_value["organization"]["ogrn"] = "12345";
  json bad_enum = good;
  bad_enum["purpose"] = "CASINO";
  json bad_b64 = good;
  bad_b64["qrCode"] = "%%%";
  json bad_time = good;
  bad_time["timestamp"] = "yesterday";
  json long_name = good;
  long_name["organization"]["name"] = std::string(1001, 'x');
  for (const Case& k : std::vector<Case>{{"{not json", "application/json", "JSON"},
                                         {good.dump(), "text/plain", "Content-Type"},
                                         {missing.dump(), "application/json", "'faceImage' is required"},
                                         {wrong_type.dump(), "application/json", "'organization.ogrn' must be a string"},
                                         {extra.dump(), "application/json", "'colour' is not part"},
                                         {bad_value.dump(), "application/json", "field 'organization.ogrn'"},
                                         {bad_enum.dump(), "application/json", "'purpose'"},
                                         {bad_b64.dump(), "application/json", "'qrCode' is not Base64"},
                                         {bad_time.dump(), "application/json", "field 'timestamp'"},
                                         {long_name.dump(), "application/json", "field 'organization.name'"},
                                         {good.dump(), "application/jsonp", "Content-Type"},
                                         {good.dump(), "application/json; charset=koi8-r", "Content-Type"},
                                         {"{\"timestamp\":\"\xff\"}", "application/json", "UTF-8"},
                                         {"[]", "application/json", "JSON object"}}) {
    auto [status, j, id] = call(k.body, tok, k.ctype);
    EXPECT_EQ(status, 400) << k.body.substr(0, 80);
    EXPECT_EQ(j.value("code", ""), "bad_request") << j.dump();
    EXPECT_NE(j.value("message", "").find(k.needle), std::string::npos) << k.needle << " in " << j.dump();
  }
  // A body over the 8 MiB limit is refused by the HTTP layer with the same error shape.
  auto [s_big, j_big, i4] = call(std::string(9u << 20, ' '), tok);
  EXPECT_EQ(s_big, 413);
  EXPECT_EQ(j_big.value("code", ""), "payload_too_large") << j_big.dump();
  // Well-formed: it reaches ЕПГУ (this QR is garbage, so QR_MALFORMED comes back as a 200 REJECTED).
  auto [s_ok, j_ok, i5] = call(good.dump(), tok);
  EXPECT_EQ(s_ok, 200) << j_ok.dump();
  EXPECT_EQ(j_ok["result"], "REJECTED");
  EXPECT_EQ(j_ok["resultCode"], "FACE_IMAGE_INVALID") << j_ok.dump();
}

TEST_F(EsiaSmev4, RegistryRowsAndApplicationsAreValidated) {
  http::Client admin("127.0.0.1", emu_->admin_port());
  auto post = [&](const std::string& path, const std::string& body) {
    auto r = admin.post(path, "application/json", body);
    EXPECT_TRUE(r);
    return std::make_pair(r->status, json::parse(r->body, nullptr, false));
  };
  const auto& hotel = org("hotel-sever").org;
  json row{{"mnemonic", "NEWIS1"}, {"ogrn", hotel.ogrn}, {"inn", hotel.inn}, {"name", "ООО «Новая»"}, {"allowedPurposes", {"HOTEL"}}};
  for (auto [field, value] : {std::pair<const char*, json>{"ogrn", "abc"}, {"ogrn", "1057757289733"}, {"inn", "zzz"},
                              {"kpp", "!"}, {"mnemonic", "../x"}, {"mnemonic", std::string(100, 'A')}}) {
    json bad = row;
    bad[field] = value;
    auto [status, j] = post("/admin/registry/organisations", bad.dump());
    EXPECT_EQ(status, 400) << field << "=" << value.dump() << " " << j.dump();
    EXPECT_NE(j.value("detail", "").find(field), std::string::npos) << j.dump();
  }
  auto [s_dup, j_dup] = post("/admin/registry/applications", json{{"mnemonic", "HTLSEV"}, {"ogrn", hotel.ogrn}, {"inn", hotel.inn},
                                                                  {"name", hotel.name}}.dump());
  EXPECT_EQ(s_dup, 409) << "already registered: " << j_dup.dump();
  auto [s_app, j_app] = post("/admin/registry/applications", row.dump());
  ASSERT_EQ(s_app, 201) << j_app.dump();
  EXPECT_EQ(post("/admin/registry/applications", row.dump()).first, 409) << "a second pending application";
  std::string id = j_app["id"];
  EXPECT_EQ(post("/admin/registry/applications/" + id + "/reject", R"({"reason":)").first, 400);
  EXPECT_EQ(post("/admin/registry/applications/" + id + "/reject", R"({"reason":5})").first, 400);
  EXPECT_EQ(post("/admin/registry/applications/" + id + "/reject", R"({"why":"x"})").first, 400);
  auto [s_missing, j_missing] = post("/admin/registry/applications/ZV-999999/approve", "");
  EXPECT_EQ(s_missing, 404);
  EXPECT_EQ(j_missing.value("title", ""), "Not Found");
  auto [s_ok, j_ok] = post("/admin/registry/applications/" + id + "/approve", "");
  EXPECT_EQ(s_ok, 200) << j_ok.dump();
  EXPECT_EQ(j_ok["status"], "approved");
}
