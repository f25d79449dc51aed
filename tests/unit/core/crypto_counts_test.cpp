// The crypto counters behind the load tool's bound count what was done, and the issuer check of a
// certificate is computed once per certificate and CA, never for one that fails.
#include <gtest/gtest.h>

#include "core/crypto/crypto.hpp"

using namespace gosdoki;

namespace {

struct Pki {
  crypto::PrivateKey ca_key, key, other_key;
  crypto::Certificate ca, cert, stranger;
};

Pki make_pki() {
  EXPECT_TRUE(crypto::init());
  Pki p{*crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256), *crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256),
        *crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256), {}, {}, {}};
  auto from = TimePoint{} + std::chrono::hours(24 * 365 * 50);
  auto to = from + std::chrono::hours(24 * 365);
  p.ca = *crypto::issue_certificate({{{"CN", "Counting CA"}}, from, to, true, 1, ""}, p.ca_key, nullptr, p.ca_key);
  p.cert = *crypto::issue_certificate({{{"CN", "Counted"}}, from, to, false, 2, ""}, p.key, &p.ca, p.ca_key);
  // Names the same issuer, but signed by another key: the issuer check must fail, every time.
  p.stranger = *crypto::issue_certificate({{{"CN", "Stranger"}}, from, to, false, 3, ""}, p.other_key, &p.ca, p.other_key);
  return p;
}

}  // namespace

TEST(CryptoCounts, SignVerifyAndDigestAreCounted) {
  auto p = make_pki();
  std::string data(1000, 'x');
  auto before = crypto::operation_counts();
  auto sig = crypto::sign(p.key, as_bytes(data));
  ASSERT_TRUE(sig);
  ASSERT_TRUE(*crypto::verify(p.cert, as_bytes(data), *sig));
  ASSERT_TRUE(*crypto::verify(p.cert, as_bytes(data), *sig));
  ASSERT_TRUE(crypto::digest(crypto::DigestAlg::streebog256, as_bytes(data)));
  ASSERT_TRUE(crypto::digest(crypto::DigestAlg::sha256, as_bytes(data)));  // not a ГОСТ digest: not counted
  auto after = crypto::operation_counts();
  // Other tests may run in other threads of this process only if the runner shards; gtest runs
  // one test at a time, so the differences are exact.
  EXPECT_EQ(after.signs - before.signs, 1u);
  EXPECT_EQ(after.verifies - before.verifies, 2u);
  EXPECT_EQ(after.gost_digests - before.gost_digests, 1u);
  EXPECT_EQ(after.gost_digest_bytes - before.gost_digest_bytes, 1000u);
}

TEST(CryptoCounts, IssuerCheckIsRememberedOnlyWhenItHolds) {
  auto p = make_pki();
  auto before = crypto::operation_counts();
  EXPECT_TRUE(p.cert.issued_by(p.ca));
  EXPECT_TRUE(p.cert.issued_by(p.ca));
  EXPECT_TRUE(p.cert.issued_by(p.ca));
  EXPECT_EQ(crypto::operation_counts().certificate_checks - before.certificate_checks, 1u);
  before = crypto::operation_counts();
  EXPECT_FALSE(p.stranger.issued_by(p.ca));
  EXPECT_FALSE(p.stranger.issued_by(p.ca));
  EXPECT_EQ(crypto::operation_counts().certificate_checks - before.certificate_checks, 2u);
  // A different CA object with the same name but another key does not inherit the answer.
  auto from = TimePoint{} + std::chrono::hours(24 * 365 * 50);
  auto impostor = *crypto::issue_certificate({{{"CN", "Counting CA"}}, from, from + std::chrono::hours(24), true, 9, ""},
                                             p.other_key, nullptr, p.other_key);
  EXPECT_FALSE(p.cert.issued_by(impostor));
  EXPECT_TRUE(p.stranger.issued_by(impostor));
}
