// Who may do what on the wire (issue 8, part 2): one organisation never receives, acks or reads
// the status of another's messages; a replayed signed envelope is refused; a certificate the test
// CA revoked is refused by СМЭВ 3 (ЭП-ОВ and ЭП-СП) and by ЕСИА, from the fixtures' CRL and after a
// revocation at run time; the list the emulator serves is signed by the CA.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/crypto/crl.hpp"
#include "protocol/esia/client_secret.hpp"
#include "tests/unit/emulator/smev3_fault_fixture.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

class Access : public testkit::Smev3Faults {
 protected:
  std::string signed_by(const s3::UnsignedEnvelope& e, const harness::KeyPair& kp) {
    return *s3::sign_envelope(e, kp.key, kp.certificate);
  }
  harness::KeyPair epgu() {
    const auto& w = testkit::fixtures().world;
    return {w.epgu.key, w.epgu.certificate};
  }
  s3::MessageTypeSelector selector() {
    s3::MessageTypeSelector sel;
    sel.timestamp = format_datetime(emu_->clock().now());
    return sel;
  }
  // ЕПГУ takes the request and answers it: the answer waits in the sender's response queue.
  void answer_as_epgu() {
    auto got = post(signed_by(s3::build_get_request(s3::Version::v1_3, selector()), epgu()), "GetRequest");
    auto env = s3::parse_envelope(got.body);
    ASSERT_TRUE(env);
    auto m = s3::read_get_request_response(*env);
    ASSERT_TRUE(m && m->has_value()) << got.body;
    s3::SenderProvidedResponseData out;
    out.message_id = ids_->v1();
    out.to = (*m)->reply_to;
    gosqr::CheckResponse r;
    r.result = "REJECTED";
    r.result_code = "QR_MALFORMED";
    r.result_message = "тест";
    r.timestamp = format_datetime(emu_->clock().now());
    r.check_id = ids_->v4();
    r.checked_at = r.timestamp;
    out.business_xml = gosqr::to_xml(r);
    ASSERT_EQ(post(signed_by(s3::build_send_response(s3::Version::v1_3, out), epgu()), "SendResponse").status, 200);
    ASSERT_EQ(post(signed_by(s3::build_ack(s3::Version::v1_3, (*m)->metadata.message_id, true), epgu()), "Ack").status, 200);
  }
  std::optional<s3::ResponseMessage> get_response(const harness::KeyPair& who, std::string& raw) {
    auto a = post(signed_by(s3::build_get_response(s3::Version::v1_3, selector()), who), "GetResponse");
    raw = a.body;
    auto env = s3::parse_envelope(a.body);
    if (!env) return std::nullopt;
    auto m = s3::read_get_response_response(*env);
    if (!m || !m->has_value()) return std::nullopt;
    return std::move(**m);
  }
};

}  // namespace

TEST_F(Access, OneOrganisationNeverSeesAnothersMessages) {
  const auto& hotel = *org("hotel-sever").identity;
  const auto& shop = *org("shop-vinograd").identity;
  std::string shop_request = ids_->v1();
  ASSERT_EQ(post(send_request_text("shop-vinograd", shop_request, business()), "SendRequest").status, 200);
  answer_as_epgu();
  std::string raw;
  // The hotel polls: nothing, although the shop's answer is waiting.
  EXPECT_FALSE(get_response(hotel, raw)) << raw;
  // The hotel acks the shop's request id and, after learning it somehow, the answer's id: neither
  // is a message of its own queue.
  expect_fault(post(signed_by(s3::build_ack(s3::Version::v1_3, shop_request, true), hotel), "Ack"), "TargetMessageIsNotFound");
  auto own = get_response(shop, raw);
  ASSERT_TRUE(own) << raw;
  EXPECT_EQ(own->original_message_id, shop_request);
  emu_->clock().advance(std::chrono::seconds(61));  // the shop did not ack: it is due again
  expect_fault(post(signed_by(s3::build_ack(s3::Version::v1_3, own->metadata.message_id, true), hotel), "Ack"),
               "TargetMessageIsNotFound");
  EXPECT_FALSE(get_response(hotel, raw)) << "still not the hotel's: " << raw;
  // GetStatus: the shop's statuses stay in the shop's queue.
  auto status = post(signed_by(s3::build_get_status(s3::Version::v1_3, format_datetime(emu_->clock().now())), hotel), "GetStatus");
  EXPECT_EQ(status.status, 200);
  EXPECT_EQ(status.body.find(shop_request), std::string::npos) << status.body;
  auto shop_status = post(signed_by(s3::build_get_status(s3::Version::v1_3, format_datetime(emu_->clock().now())), shop), "GetStatus");
  EXPECT_NE(shop_status.body.find(shop_request), std::string::npos) << shop_status.body;
  // And the redelivered answer is still the shop's.
  auto again = get_response(shop, raw);
  ASSERT_TRUE(again) << raw;
  EXPECT_EQ(again->metadata.message_id, own->metadata.message_id);
}

TEST_F(Access, AReplayedSignedGetIsRefusedAFreshSignatureIsNot) {
  const auto& hotel = *org("hotel-sever").identity;
  auto get = signed_by(s3::build_get_response(s3::Version::v1_3, selector()), hotel);
  EXPECT_EQ(post(get, "GetResponse").status, 200);
  auto replay = post(get, "GetResponse");
  expect_fault(replay, "SignatureVerificationFault", "SignatureIsInvalid");
  EXPECT_NE(replay.fault->faultstring.find("уже была предъявлена"), std::string::npos) << replay.fault->faultstring;
  // The same selector, signed again (ГОСТ signatures are randomised): accepted.
  EXPECT_EQ(post(signed_by(s3::build_get_response(s3::Version::v1_3, selector()), hotel), "GetResponse").status, 200);
  // GetRequest and GetStatus are guarded the same way.
  auto status = signed_by(s3::build_get_status(s3::Version::v1_3, format_datetime(emu_->clock().now())), hotel);
  EXPECT_EQ(post(status, "GetStatus").status, 200);
  expect_fault(post(status, "GetStatus"), "SignatureVerificationFault", "SignatureIsInvalid");
  auto get_request = signed_by(s3::build_get_request(s3::Version::v1_3, selector()), epgu());
  EXPECT_EQ(post(get_request, "GetRequest").status, 200);
  expect_fault(post(get_request, "GetRequest"), "SignatureVerificationFault", "SignatureIsInvalid");
  // After the window (one hour by default) the value is forgotten.
  emu_->clock().advance(std::chrono::seconds(3601));
  EXPECT_EQ(post(get, "GetResponse").status, 200);
}

TEST_F(Access, ReplayCheckCanBeTurnedOff) {
  auto world = testkit::fixtures().world;
  world.settings.replay_window = std::chrono::seconds(0);
  start(world);
  auto get = signed_by(s3::build_get_response(s3::Version::v1_3, selector()), *org("hotel-sever").identity);
  EXPECT_EQ(post(get, "GetResponse").status, 200);
  EXPECT_EQ(post(get, "GetResponse").status, 200);
}

// --signature-check off (the unsigned-cost endpoint of benchmarks/): nothing is computed, so a
// broken signature passes, the caller is still the certificate's organisation, a repeated
// envelope is not a replay (nothing was verified) — and the journal holds no warning per call.
TEST_F(Access, SignatureCheckOffComputesNothingButStillNamesTheCaller) {
  auto world = testkit::fixtures().world;
  world.settings.signature_check = "off";
  start(world);
  const auto& hotel = *org("hotel-sever").identity;
  auto get = signed_by(s3::build_get_response(s3::Version::v1_3, selector()), hotel);
  auto value = get.find("<ds:SignatureValue>") + std::string("<ds:SignatureValue>").size() + 5;
  get[value] = get[value] == 'A' ? 'B' : 'A';
  auto before = crypto::operation_counts();
  EXPECT_EQ(post(get, "GetResponse").status, 200);
  EXPECT_EQ(post(get, "GetResponse").status, 200);
  EXPECT_EQ(crypto::operation_counts().verifies, before.verifies);
  // The hotel's queue is the one read: the shop's waiting answer is not handed to it.
  ASSERT_EQ(post(send_request_text("shop-vinograd", ids_->v1(), business()), "SendRequest").status, 200);
  answer_as_epgu();
  std::string raw;
  EXPECT_FALSE(get_response(hotel, raw)) << raw;
  EXPECT_TRUE(get_response(*org("shop-vinograd").identity, raw)) << raw;
  for (const auto& e : emu_->journal().snapshot()) EXPECT_NE(e.operation, "signature-warning");
  // Without any signature there is still no caller: NoSignatureFound.
  auto unsigned_get = s3::build_get_response(s3::Version::v1_3, selector()).text;
  expect_fault(post(unsigned_get, "GetResponse"), "SignatureVerificationFault", "NoSignatureFound");
}

TEST_F(Access, ACertificateTheCaRevokedIsRefused) {
  const auto& revoked = org("hotel-sever").other_certificates.at("revoked");
  // Valid by its dates, issued by the test CA: only the CRL says no.
  EXPECT_TRUE(revoked.certificate.issued_by(testkit::fixtures().world.ca));
  EXPECT_LT(revoked.certificate.not_before(), emu_->clock().now());
  EXPECT_GT(revoked.certificate.not_after(), emu_->clock().now());
  s3::SenderProvidedRequestData d;
  d.message_id = ids_->v1();
  d.business_xml = business();
  auto a = post(signed_by(s3::build_send_request(s3::Version::v1_3, d), revoked), "SendRequest");
  expect_fault(a, "SignatureVerificationFault", "SignatureIsInvalid");
  EXPECT_NE(a.fault->faultstring.find("отозван"), std::string::npos) << a.fault->faultstring;
  EXPECT_NE(a.fault->faultstring.find(revoked.certificate.serial_hex()), std::string::npos) << a.fault->faultstring;
  EXPECT_NE(a.fault->faultstring.find("2025-06-01"), std::string::npos) << a.fault->faultstring;
  // The organisation's current certificate still works.
  EXPECT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
}

TEST_F(Access, ARevocationAtRunTimeIsEnforcedAndPublishedSigned) {
  http::Client admin("127.0.0.1", emu_->admin_port());
  const auto& ca = testkit::fixtures().world.ca;
  auto before = admin.get("/admin/pki/crl");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200) << before->body;
  EXPECT_EQ(before->content_type, "application/pkix-crl");
  auto crl0 = crypto::Crl::from_der(as_bytes(before->body));
  ASSERT_TRUE(crl0) << crl0.error().message;
  EXPECT_TRUE(crl0->signed_by(ca));
  EXPECT_EQ(crl0->entries().size(), 1u) << "the fixtures' list: hotel-sever-revoked";

  auto r = admin.post("/admin/pki/revoke", "application/json", R"({"organisation":"VINGRD"})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto& shop = *org("shop-vinograd").identity;
  EXPECT_EQ(nlohmann::json::parse(r->body)["serial"], shop.certificate.serial_hex());
  auto refused = post(send_request_text("shop-vinograd", ids_->v1(), business()), "SendRequest");
  expect_fault(refused, "SignatureVerificationFault", "SignatureIsInvalid");

  auto after = admin.get("/admin/pki/crl");
  auto crl1 = crypto::Crl::from_der(as_bytes(after->body));
  ASSERT_TRUE(crl1);
  EXPECT_TRUE(crl1->signed_by(ca));
  EXPECT_TRUE(crl1->revocation_of(shop.certificate));
  EXPECT_TRUE(crl1->revocation_of(org("hotel-sever").other_certificates.at("revoked").certificate));
  EXPECT_FALSE(crl1->revocation_of(org("hotel-sever").identity->certificate));

  EXPECT_EQ(admin.post("/admin/pki/revoke", "application/json", R"({"organisation":"VINGRD"})")->status, 409);
  EXPECT_EQ(admin.post("/admin/pki/revoke", "application/json", R"({"serial":"xyz"})")->status, 400);
  EXPECT_EQ(admin.post("/admin/pki/revoke", "application/json", R"({"serial":"1","organisation":"VINGRD"})")->status, 400);
  EXPECT_EQ(admin.post("/admin/pki/revoke", "application/json", R"({"organisation":"NOBODY"})")->status, 404);
  EXPECT_EQ(admin.post("/admin/pki/crl", "application/json", "{}")->status, 405);
}

TEST_F(Access, EsiaRefusesAClientSecretSignedWithARevokedCertificate) {
  const auto& hotel = org("hotel-sever");
  const auto& revoked = hotel.other_certificates.at("revoked");
  esia::TokenRequest r;
  r.client_id = hotel.org.mnemonic;
  r.scope = "gosqr_docs_digpassport org_ogrn?org_oid=" + hotel.org.esia_oid;
  r.timestamp = esia::format_timestamp(emu_->clock().now());
  r.state = ids_->v4();
  r.client_certificate_hash = *esia::certificate_hash(revoked.certificate);
  r.client_secret = *esia::sign_client_secret(revoked.key, esia::signed_string(r));
  http::Client c("127.0.0.1", emu_->esia_port());
  auto resp = c.post(esia::kTokenPath, "application/x-www-form-urlencoded", r.form());
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->status, 400) << resp->body;
  auto j = nlohmann::json::parse(resp->body);
  EXPECT_EQ(j["error"], "invalid_client");
  EXPECT_EQ(j["error_description"].get<std::string>().substr(0, 11), "ESIA-007053") << j.dump();
  EXPECT_NE(j["error_description"].get<std::string>().find("отозван"), std::string::npos) << j.dump();
}
