// X.509 CRLs of the test CA: issued with ГОСТ Р 34.10-2012 (Streebog-256), read back, checked
// against the right CA and not another, entries matched by issuer and serial.
#include <gtest/gtest.h>

#include "core/crypto/crl.hpp"
#include "core/time/datetime.hpp"
#include "emulator/registry/revocations.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;

namespace {
TimePoint at(const char* s) { return *parse_datetime(s); }
}  // namespace

TEST(Crl, IssuedByTheCaAndReadBack) {
  const auto& w = testkit::fixtures().world;
  ASSERT_TRUE(w.ca_key);
  const auto& hotel = *testkit::fixtures().organisation("hotel-sever");
  const auto& cert = hotel.identity->certificate;
  auto crl = crypto::issue_crl(w.ca, *w.ca_key, {{cert.serial_hex(), at("2026-01-01T00:00:00Z")}}, at("2026-01-02T00:00:00Z"),
                               at("2026-02-01T00:00:00Z"), 7);
  ASSERT_TRUE(crl) << crl.error().message;
  auto back = crypto::Crl::from_pem(crl->pem());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->signed_by(w.ca));
  EXPECT_FALSE(back->signed_by(w.smev.certificate)) << "another issuer";
  EXPECT_EQ(back->this_update(), at("2026-01-02T00:00:00Z"));
  EXPECT_EQ(back->next_update(), at("2026-02-01T00:00:00Z"));
  ASSERT_EQ(back->entries().size(), 1u);
  EXPECT_EQ(back->entries()[0].serial_hex, cert.serial_hex());
  EXPECT_EQ(back->revocation_of(cert), at("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(back->revocation_of(hotel.other_certificates.at("expired").certificate));
  EXPECT_EQ(back->der(), crl->der());
}

TEST(Crl, TheFixturesListNamesTheRevokedCertificate) {
  const auto& w = testkit::fixtures().world;
  ASSERT_TRUE(w.crl);
  const auto& hotel = *testkit::fixtures().organisation("hotel-sever");
  EXPECT_TRUE(w.crl->signed_by(w.ca));
  EXPECT_EQ(w.crl->revocation_of(hotel.other_certificates.at("revoked").certificate), at("2025-06-01T00:00:00Z"));
  EXPECT_FALSE(w.crl->revocation_of(hotel.identity->certificate));
}

TEST(Crl, BadInputIsAnErrorNotACrash) {
  EXPECT_FALSE(crypto::Crl::from_pem("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"));
  EXPECT_FALSE(crypto::Crl::from_der(as_bytes(std::string_view("\x30\x03\x02\x01", 4))));
  const auto& w = testkit::fixtures().world;
  EXPECT_FALSE(crypto::issue_crl(w.ca, *w.ca_key, {{"not-hex", at("2026-01-01T00:00:00Z")}}, at("2026-01-02T00:00:00Z"),
                                 at("2026-02-01T00:00:00Z"), 1));
}

TEST(Revocations, RunTimeRevocationIsEnforcedFromItsTime) {
  const auto& w = testkit::fixtures().world;
  const auto& cert = testkit::fixtures().organisation("shop-vinograd")->identity->certificate;
  emulator::Revocations r;
  ASSERT_TRUE(r.load(w.ca, w.ca_key, w.crl));
  EXPECT_FALSE(r.revoked_at(cert, at("2026-01-15T07:00:00Z")));
  // Serial spelled in lower case with leading zeros: the same certificate.
  std::string serial = "00" + cert.serial_hex();
  for (auto& c : serial) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(r.revoke(serial, at("2026-01-15T07:00:00Z")));
  EXPECT_FALSE(r.revoked_at(cert, at("2026-01-15T06:59:59Z"))) << "not before the revocation";
  EXPECT_EQ(r.revoked_at(cert, at("2026-01-15T08:00:00Z")), at("2026-01-15T07:00:00Z"));
  EXPECT_FALSE(r.revoke(cert.serial_hex(), at("2026-01-15T08:00:00Z"))) << "already revoked";
  auto der = r.crl_der(at("2026-01-15T08:00:00Z"));
  ASSERT_TRUE(der);
  auto crl = crypto::Crl::from_der(*der);
  ASSERT_TRUE(crl);
  EXPECT_TRUE(crl->signed_by(w.ca));
  EXPECT_EQ(crl->entries().size(), 2u);
  // A list from another issuer is refused at load.
  auto foreign = crypto::issue_crl(w.smev.certificate, w.smev.key, {}, at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"), 1);
  ASSERT_TRUE(foreign);
  emulator::Revocations other;
  EXPECT_FALSE(other.load(w.ca, std::nullopt, *foreign));
  // Without a CA key nothing can be revoked at run time.
  emulator::Revocations keyless;
  ASSERT_TRUE(keyless.load(w.ca, std::nullopt, w.crl));
  EXPECT_FALSE(keyless.revoke("AB", at("2026-01-15T08:00:00Z")));
}
