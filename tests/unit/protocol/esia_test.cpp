// ЕСИА's wire pieces, checked against values derived by hand: the timestamp form, the signed
// string per grant, the certificate hash over DER (independently with OpenSSL's streebog), and
// JWTs that verify only with the right key and algorithm.
#include <gtest/gtest.h>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "protocol/esia/client_secret.hpp"
#include "protocol/esia/jwt.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;

TEST(EsiaTimestamp, MoscowTimeInTheDocumentedForm) {
  auto t = *parse_datetime("2013-01-25T10:36:11Z");
  EXPECT_EQ(esia::format_timestamp(t), "2013.01.25 13:36:11 +0300");
  auto back = esia::parse_timestamp("2013.01.25 14:36:11 +0400");  // the documented example, another zone
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, t);
  for (const char* bad : {"2013-01-25 14:36:11 +0400", "2013.01.25 14:36:11", "2013.02.30 14:36:11 +0400",
                          "2013.01.25 25:36:11 +0400", "2013.01.25T14:36:11 +0400", ""}) {
    EXPECT_FALSE(esia::parse_timestamp(bad)) << bad;
  }
}

TEST(EsiaClientSecret, SignedStringPerGrantAndFormRoundTrip) {
  esia::TokenRequest r;
  r.client_id = "HTLSEV";
  r.scope = "gosqr_docs_digpassport org_ogrn?org_oid=1057289732";
  r.timestamp = "2026.01.15 10:00:00 +0300";
  r.state = "6f1b6a2e-3c1d-4f8e-9a7b-2c3d4e5f6a7b";
  r.redirect_uri = "https://is.example/cb";
  EXPECT_EQ(esia::signed_string(r), "HTLSEVgosqr_docs_digpassport org_ogrn?org_oid=10572897322026.01.15 10:00:00 +0300"
                                    "6f1b6a2e-3c1d-4f8e-9a7b-2c3d4e5f6a7bhttps://is.example/cb");
  r.grant_type = "authorization_code";
  r.code = "C0DE";
  EXPECT_EQ(esia::signed_string(r).substr(esia::signed_string(r).size() - 4), "C0DE");
  auto back = esia::TokenRequest::from_form(r.form());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->scope, r.scope);
  EXPECT_EQ(back->timestamp, r.timestamp);
  EXPECT_EQ(back->redirect_uri, r.redirect_uri);
  EXPECT_EQ(r.form().find(' '), std::string::npos) << "spaces are escaped";
  EXPECT_FALSE(esia::TokenRequest::from_form("client_id=a&client_id=b")) << "a repeated field";
  EXPECT_FALSE(esia::TokenRequest::from_form("scope=%zz"));
}

TEST(EsiaClientSecret, SignatureVerifiesOnlyOverTheSameStringWithTheKeysCertificate) {
  const auto& fx = testkit::fixtures();
  for (const char* id : {"hotel-sever", "bank-zarya"}) {
    const auto* org = fx.organisation(id);
    const harness::KeyPair& kp = std::string(id) == "bank-zarya" ? org->other_certificates.at("rsa") : *org->identity;
    auto secret = esia::sign_client_secret(kp.key, "signed string");
    ASSERT_TRUE(secret) << secret.error().message;
    EXPECT_EQ(secret->find_first_of("+/="), std::string::npos) << "base64url without padding";
    auto raw = base64url_decode(*secret);
    EXPECT_EQ(raw->size(), std::string(id) == "bank-zarya" ? 256u : 64u) << "RSA-2048 or a raw GOST 256 value";
    EXPECT_TRUE(*esia::verify_client_secret(kp.certificate, "signed string", *secret));
    EXPECT_FALSE(*esia::verify_client_secret(kp.certificate, "signed strinG", *secret));
    EXPECT_FALSE(*esia::verify_client_secret(fx.organisation("shop-vinograd")->identity->certificate, "signed string", *secret));
  }
}

TEST(EsiaCertificateHash, StreebogOverDerNotPem) {
  const auto& cert = testkit::fixtures().organisation("hotel-sever")->identity->certificate;
  auto h = esia::certificate_hash(cert);
  ASSERT_TRUE(h);
  auto independent = crypto::digest(crypto::DigestAlg::streebog256, cert.der());
  EXPECT_EQ(*h, hex_encode(*independent));
  EXPECT_EQ(h->size(), 64u);
  auto pem = cert.pem();
  EXPECT_NE(*h, hex_encode(*crypto::digest(crypto::DigestAlg::streebog256, as_bytes(pem))));
}

TEST(EsiaJwt, SignedWithRs256OrGostAndVerifiedByTheIssuersCertificate) {
  const auto& w = testkit::fixtures().world;
  nlohmann::json claims{{"client_id", "HTLSEV"}, {"scope", "gosqr_docs_digpassport"}, {"exp", 2000000000}};
  for (const auto* id : {&w.esia_rsa, &w.esia}) {
    auto token = esia::jwt_sign({{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}}, claims, id->key);
    ASSERT_TRUE(token) << token.error().message;
    auto jwt = esia::jwt_decode(*token);
    ASSERT_TRUE(jwt) << jwt.error().message;
    EXPECT_EQ(jwt->header["alg"], id == &w.esia ? "GOST3410_2012_256" : "RS256");
    EXPECT_EQ(jwt->claims["client_id"], "HTLSEV");
    EXPECT_TRUE(*esia::jwt_verify(*jwt, id->certificate));
    // The other key's certificate refuses it: by algorithm.
    EXPECT_FALSE(esia::jwt_verify(*jwt, (id == &w.esia ? w.esia_rsa : w.esia).certificate));
    // A changed claim breaks the signature.
    std::string forged = *token;
    auto dot = forged.find('.');
    forged[dot + 5] = forged[dot + 5] == 'A' ? 'B' : 'A';
    auto fj = esia::jwt_decode(forged);
    if (fj) {
      auto v = esia::jwt_verify(*fj, id->certificate);
      EXPECT_TRUE(!v || !*v);
    }
  }
  for (const char* bad : {"", "a.b", "a.b.c.d", "!!.e30.AA", "e30.!!.AA", "e30.e30."}) {
    EXPECT_FALSE(esia::jwt_decode(bad)) << bad;
  }
}
