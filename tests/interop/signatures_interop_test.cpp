// Outside tools check our signature machinery: xmlsec1 verifies rsa-sha256 and ecdsa-p256
// signatures made over exclusive C14N alone (it does not know the SMEV transform), and the
// OpenSSL GOST engine's command line verifies a GOST signature and recomputes its digest over
// the octets `gosdoki-sandbox smev3 verify --dump` writes.
#include <gtest/gtest.h>

#include <unistd.h>

#include "core/crypto/crl.hpp"
#include "core/crypto/crypto.hpp"
#include "core/util/bytes.hpp"
#include "protocol/smev3/envelope.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
using testkit::run_process;

namespace {

const std::string kBin = GOSDOKI_BINARY;

bool have(const char* tool) { return run_process({"/usr/bin/env", "which", tool}).exit_code == 0; }

struct Signed {
  std::filesystem::path xml, cert;
};

Signed make(crypto::KeyKind kind, bool smev_transform, const std::filesystem::path& dir) {
  auto key = crypto::PrivateKey::generate(kind);
  EXPECT_TRUE(key);
  crypto::CertificateSpec spec{{{"CN", "Интероп"}, {"O", "GosDoki Sandbox"}, {"C", "RU"}},
                               system_now() - std::chrono::hours(1), system_now() + std::chrono::hours(24), false, 77, {}};
  auto cert = crypto::issue_certificate(spec, *key, nullptr, *key);
  EXPECT_TRUE(cert);
  smev3::SenderProvidedRequestData d;
  d.message_id = "9d9b1a30-8b8c-11eb-9086-e2bf794ac2e9";
  d.business_xml = "<q:R xmlns:q=\"urn://gosuslugi/gosqr-docs-emul/1.0.0\" a=\"1\">Проверка &amp; &lt;тест&gt;\r</q:R>";
  xmldsig::SignOptions o;
  o.smev_transform = smev_transform;
  auto text = smev3::sign_envelope(smev3::build_send_request(smev3::Version::v1_3, d), *key, *cert, o);
  EXPECT_TRUE(text);
  std::string name = std::string(crypto::key_kind_name(kind)) + (smev_transform ? "-smev" : "-c14n");
  Signed s{dir / (name + ".xml"), dir / (name + ".pem")};
  EXPECT_TRUE(write_file(s.xml, *text));
  EXPECT_TRUE(write_file(s.cert, cert->pem()));
  return s;
}

}  // namespace

TEST(Interop, Xmlsec1VerifiesRsaAndEcdsaOverExcC14n) {
  if (!have("xmlsec1")) GTEST_SKIP() << "xmlsec1 is not installed (Debian package xmlsec1)";
  auto dir = testkit::temp_dir("xmlsec");
  for (auto kind : {crypto::KeyKind::rsa, crypto::KeyKind::ec_p256}) {
    auto s = make(kind, false, dir);
    auto r = run_process({"xmlsec1", "--verify", "--trusted-pem", s.cert.string(), "--id-attr:Id",
                          "SenderProvidedRequestData", s.xml.string()});
    EXPECT_EQ(r.exit_code, 0) << crypto::key_kind_name(kind) << ": " << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("OK"), std::string::npos);
    // Tampered: xmlsec1 must refuse it too (so the check above can fail).
    auto text = *read_file(s.xml);
    text.replace(text.find("Проверка"), std::string("Проверка").size(), "Провёрка");
    auto bad = dir / "tampered.xml";
    ASSERT_TRUE(write_file(bad, text));
    auto rb = run_process({"xmlsec1", "--verify", "--trusted-pem", s.cert.string(), "--id-attr:Id",
                           "SenderProvidedRequestData", bad.string()});
    EXPECT_NE(rb.exit_code, 0) << crypto::key_kind_name(kind) << " tampered passed xmlsec1";
  }
}

TEST(Interop, OpensslGostCommandLineVerifiesOurGostSignature) {
  if (!crypto::gost_available()) GTEST_SKIP() << "no GOST engine";
  auto dir = testkit::temp_dir("gostcli");
  auto s = make(crypto::KeyKind::gost2012_256, true, dir);
  auto dump = dir / "dump";
  std::filesystem::create_directories(dump);
  auto explained = run_process({kBin, "smev3", "verify", s.xml.string(), "--dump", dump.string()});
  ASSERT_EQ(explained.exit_code, 0) << explained.out << explained.err;
  auto base = (dump / "signature-1").string();
  auto v = run_process({"openssl", "dgst", "-engine", "gost", "-md_gost12_256", "-verify", base + ".pubkey.pem",
                        "-signature", base + ".sig", base + ".signedinfo"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("Verified OK"), std::string::npos) << v.out << v.err;
  // The digest of the printed octets, by the engine's own Streebog, is the DigestValue.
  auto d = run_process({"openssl", "dgst", "-engine", "gost", "-md_gost12_256", "-binary", "-out",
                        (dump / "digest.bin").string(), base + ".octets"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto digest = read_file(dump / "digest.bin");
  auto text = *read_file(s.xml);
  auto from = text.find("<ds:DigestValue>") + std::string("<ds:DigestValue>").size();
  EXPECT_EQ(base64_encode(as_bytes(*digest)), text.substr(from, text.find("</ds:DigestValue>") - from));
  // A changed SignedInfo does not verify on the command line either.
  auto si = *read_file(base + ".signedinfo");
  si[si.size() / 2] ^= 1;
  ASSERT_TRUE(write_file(base + ".signedinfo", si));
  auto bad = run_process({"openssl", "dgst", "-engine", "gost", "-md_gost12_256", "-verify", base + ".pubkey.pem",
                          "-signature", base + ".sig", base + ".signedinfo"});
  EXPECT_NE(bad.out.find("Verification failure"), std::string::npos) << bad.out << bad.err;
}

TEST(Interop, ExplainerNamesTheFailingStep) {
  auto dir = testkit::temp_dir("explain");
  auto s = make(crypto::KeyKind::gost2012_256, true, dir);
  auto text = *read_file(s.xml);
  text.replace(text.find("Проверка"), std::string("Проверка").size(), "Провёрка");
  auto bad = dir / "changed.xml";
  ASSERT_TRUE(write_file(bad, text));
  auto r = run_process({kBin, "smev3", "verify", bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("digest      FAIL"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DigestValue does not match #SIGNED_BY_CONSUMER"), std::string::npos) << r.out;
  auto ok = run_process({kBin, "smev3", "verify", s.xml.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("verdict     OK"), std::string::npos) << ok.out;
  auto missing = run_process({kBin, "smev3", "verify", (dir / "nope.xml").string()});
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("nope.xml"), std::string::npos);
}

// The revocation lists are real X.509 CRLs: OpenSSL's own `verify -crl_check` (GOST through the
// engine, loaded by a config file) accepts the list's signature and reports the fixtures' revoked
// certificate as revoked and the current one as good; a list we issue at run time (what
// GET /admin/pki/crl serves after POST /admin/pki/revoke) is checked the same way.
TEST(Interop, OpensslChecksCertificatesAgainstOurRevocationLists) {
  if (!crypto::gost_available()) GTEST_SKIP() << "no GOST engine";
  auto dir = testkit::temp_dir("crl");
  auto conf = dir / "gost.cnf";
  ASSERT_TRUE(write_file(conf, "openssl_conf = openssl_def\n[openssl_def]\nengines = engines\n[engines]\ngost = gost\n"
                               "[gost]\nengine_id = gost\ndefault_algorithms = ALL\n"));
  const auto pki = testkit::source_dir() / "fixtures/pki";
  auto verify = [&](const std::filesystem::path& crl, const std::filesystem::path& cert) {
    return run_process({"env", "OPENSSL_CONF=" + conf.string(), "openssl", "verify", "-CAfile", (pki / "ca.pem").string(),
                        "-crl_check", "-CRLfile", crl.string(), cert.string()});
  };
  auto good = verify(pki / "ca.crl", pki / "hotel-sever.pem");
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find(": OK"), std::string::npos) << good.out;
  auto revoked = verify(pki / "ca.crl", pki / "hotel-sever-revoked.pem");
  EXPECT_NE(revoked.exit_code, 0);
  EXPECT_NE((revoked.out + revoked.err).find("certificate revoked"), std::string::npos) << revoked.out << revoked.err;

  const auto& w = testkit::fixtures().world;
  const auto& shop = testkit::fixtures().organisation("shop-vinograd")->identity->certificate;
  auto crl = crypto::issue_crl(w.ca, *w.ca_key, {{shop.serial_hex(), system_now() - std::chrono::hours(1)}},
                               system_now() - std::chrono::hours(1), system_now() + std::chrono::hours(24), 2);
  ASSERT_TRUE(crl) << crl.error().message;
  ASSERT_TRUE(write_file(dir / "runtime.crl", crl->pem()));
  auto now_revoked = verify(dir / "runtime.crl", pki / "shop-vinograd.pem");
  EXPECT_NE((now_revoked.out + now_revoked.err).find("certificate revoked"), std::string::npos) << now_revoked.out << now_revoked.err;
  auto still_good = verify(dir / "runtime.crl", pki / "hotel-sever.pem");
  EXPECT_EQ(still_good.exit_code, 0) << still_good.out << still_good.err;
}
