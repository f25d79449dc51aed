#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto/crypto.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/xmldsig/signature.hpp"
#include "protocol/xmldsig/smev_transform.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;

namespace {

const char* kTypes12 = "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2";

std::filesystem::path conformance(const char* name) {
  return testkit::shared_dir() / "conformance" / "smev3-real" / name;
}

struct Keys {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

Keys self_signed(crypto::KeyKind kind) {
  auto key = crypto::PrivateKey::generate(kind);
  EXPECT_TRUE(key) << (key ? "" : key.error().message);
  crypto::CertificateSpec spec;
  spec.subject = {{"CN", "Тестовая ИС"}, {"O", "ООО Тест"}, {"C", "RU"}};
  spec.not_before = system_now() - std::chrono::hours(24);
  spec.not_after = system_now() + std::chrono::hours(24 * 365);
  auto cert = crypto::issue_certificate(spec, *key, nullptr, *key);
  EXPECT_TRUE(cert) << (cert ? "" : cert.error().message);
  return {*key, *cert};
}

const char* kEnvelope =
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header/><soap:Body>"
    "<t:SendRequestRequest xmlns:t=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3\" "
    "xmlns:b=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3\">"
    "<t:SenderProvidedRequestData Id=\"SIGNED_BY_CONSUMER\"><t:MessageID>9d9b1a30-8b8c-11eb-9086-e2bf794ac2e9</t:MessageID>"
    "<b:MessagePrimaryContent><q:R xmlns:q=\"urn://gosuslugi/gosqr-docs-emul/1.0.0\">Проверка &amp; &gt;</q:R>"
    "</b:MessagePrimaryContent></t:SenderProvidedRequestData>"
    "<t:CallerInformationSystemSignature>@SIG@</t:CallerInformationSystemSignature>"
    "</t:SendRequestRequest></soap:Body></soap:Envelope>";

std::string signed_envelope(const Keys& k, bool smev_transform = true) {
  std::string unsigned_text = kEnvelope;
  auto doc = xml::parse(unsigned_text);
  EXPECT_TRUE(doc);
  xmldsig::SignOptions opts;
  opts.smev_transform = smev_transform;
  auto sig = xmldsig::sign_element(doc->get(), "SIGNED_BY_CONSUMER", k.key, k.cert, opts);
  EXPECT_TRUE(sig) << (sig ? "" : sig.error().message);
  std::string out = unsigned_text;
  out.replace(out.find("@SIG@"), 5, *sig);
  return out;
}

Result<xmldsig::Verified> verify_text(const std::string& text, bool require_smev = true) {
  auto doc = xml::parse(text);
  if (!doc) return doc.error();
  xmlNode* wrapper = nullptr;
  std::vector<xmlNode*> stack{xmlDocGetRootElement(doc->get())};
  while (!stack.empty() && !wrapper) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (xml::local_name(n) == "CallerInformationSystemSignature") wrapper = n;
    for (xmlNode* c = xml::first_element(n); c; c = xml::next_element(c)) stack.push_back(c);
  }
  xmldsig::VerifyOptions opts;
  opts.require_smev_transform = require_smev;
  return xmldsig::verify_signature(doc->get(), wrapper, "SIGNED_BY_CONSUMER", opts);
}

}  // namespace

// The real СМЭВ-signed SendRequestResponse (conformance V1): our exc-c14n + SMEV transform +
// Streebog must reproduce СМЭВ's DigestValue, and СМЭВ's SignatureValue must verify with the
// certificate in the file (which expired in 2021: this checks the mathematics, not validity).
TEST(Conformance, RealSmevSendRequestResponseDigestAndSignature) {
  auto path = conformance("SendRequestResponce.xml");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "conformance material not present at " << path;
  ASSERT_TRUE(crypto::gost_available()) << "the GOST engine is required for this test";
  auto text = read_file(path);
  ASSERT_TRUE(text);
  ASSERT_EQ(text->substr(0, 3), "\xEF\xBB\xBF") << "the sample starts with a byte-order mark";
  auto doc = xml::parse(*text);
  ASSERT_TRUE(doc) << doc.error().message;
  auto targets = xml::find_by_id(xmlDocGetRootElement(doc->get()), "SIGNED_BY_SMEV");
  ASSERT_EQ(targets.size(), 1u);
  ASSERT_TRUE(xml::is(targets[0], kTypes12, "MessageMetadata"));

  // The transformed octets are spelled out in domain/smev3.md §6.
  auto octets = xmldsig::smev_transform(targets[0]);
  ASSERT_TRUE(octets);
  EXPECT_EQ(*octets,
            "<ns1:MessageMetadata xmlns:ns1=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2\" "
            "Id=\"SIGNED_BY_SMEV\"><ns1:MessageId>ac9fbf27-8b8c-11eb-9086-e2bf794ac2e9</ns1:MessageId>"
            "<ns1:MessageType>REQUEST</ns1:MessageType><ns1:Sender><ns1:Mnemonic>77BD01</ns1:Mnemonic></ns1:Sender>"
            "<ns1:SendingTimestamp>2021-03-23T07:03:07.000+03:00</ns1:SendingTimestamp><ns1:Recipient>"
            "<ns1:Mnemonic>emu</ns1:Mnemonic></ns1:Recipient><ns1:Status>requestIsQueued</ns1:Status>"
            "</ns1:MessageMetadata>");
  auto digest = xmldsig::reference_digest(doc->get(), targets[0], xmldsig::Profile::gost2012_256, true);
  ASSERT_TRUE(digest);
  EXPECT_EQ(*digest, "f4DoL3jU/jXkk8hjAgbvDQD7dHsTrp9c2YcTulP0cNM=");

  xmlNode* wrapper = xml::next_element(targets[0]);
  ASSERT_TRUE(xml::is(wrapper, kTypes12, "SMEVSignature"));
  // As published, SignedInfo was re-indented by the repository author: it must NOT verify…
  auto as_published = xmldsig::verify_signature(doc->get(), wrapper, "SIGNED_BY_SMEV");
  ASSERT_FALSE(as_published);
  EXPECT_EQ(as_published.error().code, "xmldsig.signature_invalid");
  // …and once that whitespace is gone, СМЭВ's own signature verifies as-is (no byte reversal).
  xmldsig::strip_signedinfo_whitespace(xml::child(wrapper, xmldsig::kDsNs, "Signature"));
  auto verified = xmldsig::verify_signature(doc->get(), wrapper, "SIGNED_BY_SMEV");
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->profile, xmldsig::Profile::gost2012_256);
  EXPECT_LT(verified->certificate.not_after(), *parse_datetime("2021-12-31T00:00:00Z"));
}

class SignVerify : public ::testing::TestWithParam<crypto::KeyKind> {};

TEST_P(SignVerify, RoundTripAndTamperDetection) {
  if ((GetParam() == crypto::KeyKind::gost2012_256 || GetParam() == crypto::KeyKind::gost2012_512) &&
      !crypto::gost_available()) {
    GTEST_SKIP() << "no GOST engine";
  }
  Keys k = self_signed(GetParam());
  std::string text = signed_envelope(k);
  EXPECT_EQ(text.find("\n"), std::string::npos) << "no whitespace inside ds:Signature";
  auto ok = verify_text(text);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->referenced_id, "SIGNED_BY_CONSUMER");

  // Changing signed content breaks the digest.
  std::string content_tampered = text;
  content_tampered.replace(content_tampered.find("Проверка"), strlen("Проверка"), "Пров3рка");
  auto bad_digest = verify_text(content_tampered);
  ASSERT_FALSE(bad_digest);
  EXPECT_EQ(bad_digest.error().code, "xmldsig.digest_mismatch");

  // Changing a SignatureValue byte breaks the signature.
  std::string sig_tampered = text;
  auto pos = sig_tampered.find("<ds:SignatureValue>") + strlen("<ds:SignatureValue>") + 5;
  sig_tampered[pos] = sig_tampered[pos] == 'A' ? 'B' : 'A';
  auto bad_sig = verify_text(sig_tampered);
  ASSERT_FALSE(bad_sig);
  EXPECT_EQ(bad_sig.error().code, "xmldsig.signature_invalid");

  // Reformatting outside SignedInfo keeps both valid: whitespace is not part of the digest.
  std::string reformatted = text;
  reformatted.replace(reformatted.find("<t:MessageID>"), 0, "\n    ");
  EXPECT_TRUE(verify_text(reformatted));

  // A signature pointing elsewhere is an incorrect target.
  std::string retargeted = text;
  retargeted.replace(retargeted.find("URI=\"#SIGNED_BY_CONSUMER\""), strlen("URI=\"#SIGNED_BY_CONSUMER\""),
                     "URI=\"#OTHER\"");
  auto wrong_target = verify_text(retargeted);
  ASSERT_FALSE(wrong_target);
  EXPECT_EQ(wrong_target.error().code, "xmldsig.incorrect_target");
}

INSTANTIATE_TEST_SUITE_P(Profiles, SignVerify,
                         ::testing::Values(crypto::KeyKind::gost2012_256, crypto::KeyKind::gost2012_512,
                                           crypto::KeyKind::rsa, crypto::KeyKind::ec_p256),
                         [](const auto& p) {
                           std::string n = crypto::key_kind_name(p.param);
                           for (auto& c : n) if (c == '-') c = '_';
                           return n;
                         });

TEST(SignVerify, PlainExcC14nProfileIsRefusedWhereTheSmevTransformIsRequired) {
  Keys k = self_signed(crypto::KeyKind::rsa);
  std::string text = signed_envelope(k, /*smev_transform=*/false);
  EXPECT_TRUE(verify_text(text, /*require_smev=*/false));
  auto strict = verify_text(text, /*require_smev=*/true);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, "xmldsig.unsupported");
}

TEST(SignVerify, MissingSignature) {
  auto r = verify_text(std::string(kEnvelope).replace(std::string(kEnvelope).find("@SIG@"), 5, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "xmldsig.no_signature");
}
