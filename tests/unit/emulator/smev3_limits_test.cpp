// The СМЭВ 3 faults behind limits and rules the emulator chooses (queue depth, attachment quota,
// TransactionCode shape, the owner of an ЭП-СП, the queue store's size) and those a test injects;
// each triggered by its real cause over HTTP and asserted by name, faultcode and detail.
#include <filesystem>

#include "tests/unit/emulator/smev3_fault_fixture.hpp"

using namespace gosdoki;
using gosdoki::testkit::Smev3Faults;
namespace s3 = gosdoki::smev3;

namespace {

const emulator::World& fixture_world() { return testkit::fixtures().world; }

}  // namespace

TEST_F(Smev3Faults, TransactionCodeMustHaveAnObservedShape) {
  const auto& kp = *org("hotel-sever").identity;
  auto send = [&](const std::string& code) {
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = business();
    d.transaction_code = code;
    return post(*s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), kp.key, kp.certificate), "SendRequest");
  };
  EXPECT_EQ(send("2b4dd9f2-8b8c-11eb-9086-e2bf794ac2e9").status, 200) << "a bare UUID (observed from ЕПГУ)";
  EXPECT_EQ(send("2b4dd9f2-8b8c-11eb-9086-e2bf794ac2e9|00000000000000000000|TUlJQmNnWUpLb1pJaHZj").status, 200)
      << "UUID|20 digits|base64 (observed in the Adapter's examples)";
  for (const std::string bad : {"12345", "2b4dd9f2-8b8c-11eb-9086-e2bf794ac2e9|0000|abc",
                                "2b4dd9f2-8b8c-11eb-9086-e2bf794ac2e9|00000000000000000000|not base64!"}) {
    auto a = send(bad);
    expect_fault(a, "TransactionCodeInvalid");
    EXPECT_EQ(a.fault->faultcode, "soap:Client");
    EXPECT_NE(a.fault->description.find("выбрано эмулятором"), std::string::npos) << "the rule is marked as ours";
  }
}

TEST_F(Smev3Faults, AFullRecipientQueueIsDestinationOverflow) {
  auto world = fixture_world();
  world.settings.max_queue_depth = 2;
  emu_.reset();
  start(world);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
  }
  auto a = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  expect_fault(a, "DestinationOverflow");
  EXPECT_EQ(a.fault->destination_name, world.epgu.mnemonic + ".requests");
  EXPECT_EQ(a.fault->broker_address, "gosdoki-sandbox");
  // Room again once the provider takes and acks one.
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto got = post(*s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), world.epgu.key, world.epgu.certificate),
                  "GetRequest");
  auto env = s3::parse_envelope(got.body);
  ASSERT_TRUE(env);
  auto rm = s3::read_get_request_response(*env);
  ASSERT_TRUE(rm && rm->has_value());
  auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, (*rm)->metadata.message_id, true), world.epgu.key,
                               world.epgu.certificate);
  ASSERT_EQ(post(*ack, "Ack").status, 200);
  EXPECT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
}

TEST_F(Smev3Faults, AttachmentsBeyondTheDailyQuotaAreQuoteLimitExceeded) {
  auto world = fixture_world();
  world.settings.attachment_quota_bytes = 3000;
  emu_.reset();
  start(world);
  const auto& kp = *org("hotel-sever").identity;
  auto send = [&](std::size_t bytes) {
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = business();
    d.attachments = {{"scan", std::nullopt, "application/octet-stream", std::nullopt}};
    std::vector<s3::AttachmentContent> contents{{"scan", std::string(bytes, 'q')}};
    return post(*s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d, contents), kp.key, kp.certificate),
                "SendRequest");
  };
  ASSERT_EQ(send(2000).status, 200);
  auto a = send(2000);
  expect_fault(a, "QuoteLimitExceeded");
  EXPECT_EQ(a.fault->remained_quota, 1000);
  EXPECT_EQ(a.fault->real_size, 2000);
  EXPECT_EQ(send(1000).status, 200) << "what remains of the quota can still be used";
  expect_fault(send(1), "QuoteLimitExceeded");
  emu_->clock().advance(std::chrono::hours(24));  // a new Moscow day
  EXPECT_EQ(send(2000).status, 200);
}

TEST_F(Smev3Faults, PersonalSignatureOfAnotherOrganisationIsPersonalAccessDenied) {
  auto ca_key = crypto::PrivateKey::from_pem(*read_file(testkit::source_dir() / "fixtures/pki/ca.key"));
  ASSERT_TRUE(ca_key);
  auto person_key = crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256);
  ASSERT_TRUE(person_key);
  auto cert_for = [&](const std::string& ogrn) {
    crypto::CertificateSpec spec{{{"CN", "Сотрудник"}, {"C", "RU"}, {"OGRN", ogrn}}, emu_->clock().now() - std::chrono::hours(1),
                                 emu_->clock().now() + std::chrono::hours(1000), false, 515151, {}};
    auto c = crypto::issue_certificate(spec, *person_key, &fixture_world().ca, *ca_key);
    EXPECT_TRUE(c) << c.error().message;
    return *c;
  };
  auto send = [&](s3::Version v, const crypto::Certificate& personal_cert) {
    std::string biz = business();
    biz.replace(biz.find("Id=\"GQR_REQUEST\""), std::string("Id=\"GQR_REQUEST\"").size(), "Id=\"PERSONAL_SIGNATURE\"");
    auto doc = xml::parse(biz);
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = biz;
    d.personal_signature_xml = *xmldsig::sign_element(doc->get(), "PERSONAL_SIGNATURE", *person_key, personal_cert);
    const auto& kp = *org("hotel-sever").identity;
    auto text = s3::sign_envelope(s3::build_send_request(v, d), kp.key, kp.certificate);
    return post(*text, "SendRequest", v == s3::Version::v1_3 ? "/transport_1_0_2/" : "/smev/v1.1/ws");
  };
  EXPECT_EQ(send(s3::Version::v1_3, cert_for(org("hotel-sever").org.ogrn)).status, 200) << "an officer of the sender";
  auto other = send(s3::Version::v1_3, cert_for(org("bank-zarya").org.ogrn));
  expect_fault(other, "PersonalAccessDenied");
  EXPECT_NE(other.fault->faultstring.find(org("bank-zarya").org.ogrn), std::string::npos) << other.fault->faultstring;
  // 1.1 has no PersonalAccessDenied: the same refusal is AccessDenied there.
  expect_fault(send(s3::Version::v1_1, cert_for(org("bank-zarya").org.ogrn)), "AccessDenied");
}

TEST_F(Smev3Faults, UnknownOrForeignMessageTypesAreUnknownMessageType) {
  const auto& kp = *org("hotel-sever").identity;
  s3::MessageTypeSelector sel;
  sel.namespace_uri = "urn://nobody/registered/this/1.0";
  sel.root_element = "Nothing";
  sel.timestamp = format_datetime(emu_->clock().now());
  expect_fault(post(*s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate), "GetResponse"),
               "UnknownMessageType");
  // The hotel is a consumer of the Госдоки type, not its provider: it may not take its requests.
  sel.namespace_uri = gosqr::kNamespace;
  sel.root_element = gosqr::kRequestRoot;
  auto a = post(*s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), kp.key, kp.certificate), "GetRequest");
  expect_fault(a, "UnknownMessageType");
  EXPECT_NE(a.fault->faultstring.find("HTLSEV"), std::string::npos) << a.fault->faultstring;
}

TEST_F(Smev3Faults, ProviderAnswersAreRoutedAndTyped) {
  const auto& w = fixture_world();
  ASSERT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto got = post(*s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), w.epgu.key, w.epgu.certificate),
                  "GetRequest");
  auto env = s3::parse_envelope(got.body);
  ASSERT_TRUE(env);
  auto rm = s3::read_get_request_response(*env);
  ASSERT_TRUE(rm && rm->has_value());
  auto answer = [&](const std::string& to, const std::string& business_xml) {
    s3::SenderProvidedResponseData out;
    out.message_id = ids_->v1();
    out.to = to;
    out.business_xml = business_xml;
    return post(*s3::sign_envelope(s3::build_send_response(s3::Version::v1_3, out), w.epgu.key, w.epgu.certificate),
                "SendResponse");
  };
  // The request's own type as an answer: registered, but as a request.
  auto wrong_type = answer((*rm)->reply_to, business());
  expect_fault(wrong_type, "IncorrectResponseContentType");
  // A To that names no request this provider received.
  expect_fault(answer(base64_encode(std::string(R"({"mid":"00000000-0000-1000-8000-000000000000"})")), business()),
               "RecipientIsNotFound");
  // Another participant cannot answer a request routed to ЕПГУ.
  const auto& kp = *org("bank-zarya").identity;
  s3::SenderProvidedResponseData out;
  out.message_id = ids_->v1();
  out.to = (*rm)->reply_to;
  out.business_xml = business();
  expect_fault(post(*s3::sign_envelope(s3::build_send_response(s3::Version::v1_3, out), kp.key, kp.certificate),
                    "SendResponse"),
               "RecipientIsNotFound");
}

TEST_F(Smev3Faults, InjectedFaultsComeOnceEachThroughTheAdminApi) {
  http::Client admin("127.0.0.1", emu_->admin_port());
  auto inject = [&](const std::string& body) {
    return admin.post("/admin/smev3/faults", "application/json", body, {});
  };
  auto r = inject(R"({"operation":"SendRequest","fault":"SMEVFailure","count":2})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  for (int i = 0; i < 2; ++i) {
    auto a = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
    expect_fault(a, "SMEVFailure");
    EXPECT_EQ(a.fault->faultcode, "soap:Server");
  }
  EXPECT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
  // Faults with content carry it; one the WSDL does not declare for the operation is refused.
  ASSERT_EQ(inject(R"({"operation":"SendRequest","fault":"DestinationOverflow"})")->status, 200);
  auto overflow = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  expect_fault(overflow, "DestinationOverflow");
  EXPECT_FALSE(overflow.fault->destination_name.empty());
  auto undeclared = inject(R"({"operation":"Ack","fault":"AccessDenied"})");
  EXPECT_EQ(undeclared->status, 400);
  EXPECT_NE(undeclared->body.find("does not declare"), std::string::npos) << undeclared->body;
  EXPECT_EQ(inject(R"({"operation":"Teleport","fault":"SMEVFailure"})")->status, 400);
  EXPECT_EQ(inject(R"({"operation":"Ack","fault":"SMEVFailure","count":0})")->status, 400);
  EXPECT_EQ(inject(R"({"operation":"Ack","fault":"SMEVFailure","extra":1})")->status, 400);
  ASSERT_EQ(inject(R"({"operation":"GetResponse","fault":"SMEVFailure","count":5})")->status, 200);
  auto cleared = admin.request("DELETE", "/admin/smev3/faults");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->body, R"({"pending":[]})");
}

TEST_F(Smev3Faults, AFullQueueStoreIsSmevFailureAndKeepsWhatItAccepted) {
  auto dir = std::filesystem::temp_directory_path() / ("gosdoki-store-full-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  emulator::EmulatorOptions eo;
  eo.clock_start = testkit::fixtures().scenario_clock;
  eo.clock_frozen = true;
  eo.run_epgu = false;
  eo.data_dir = dir;
  eo.store_max_bytes = 96 * 1024;
  emu_.reset();
  auto e = emulator::Emulator::start(fixture_world(), eo);
  ASSERT_TRUE(e) << e.error().message;
  emu_ = std::move(*e);
  http_ = std::make_unique<http::Client>("127.0.0.1", emu_->smev3_port());
  ids_ = std::make_unique<UuidGenerator>(emu_->clock(), 98);  // the old one read the old emulator's clock
  std::vector<std::string> accepted;
  std::optional<Answer> failure;
  for (int i = 0; i < 200 && !failure; ++i) {
    std::string id = ids_->v1();
    auto a = post(send_request_text("hotel-sever", id, business()), "SendRequest");
    if (a.status == 200) accepted.push_back(id);
    else failure = a;
  }
  ASSERT_TRUE(failure) << "the store never filled up";
  ASSERT_FALSE(accepted.empty());
  expect_fault(*failure, "SMEVFailure");
  EXPECT_NE(failure->fault->faultstring.find("SQLite"), std::string::npos) << failure->fault->faultstring;
  // Everything accepted before is still delivered.
  const auto& w = fixture_world();
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto got = post(*s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), w.epgu.key, w.epgu.certificate),
                  "GetRequest");
  auto env = s3::parse_envelope(got.body);
  ASSERT_TRUE(env);
  auto rm = s3::read_get_request_response(*env);
  ASSERT_TRUE(rm && rm->has_value()) << got.body.substr(0, 400);
  EXPECT_EQ((*rm)->metadata.message_id, accepted.front());
  emu_.reset();
  std::filesystem::remove_all(dir);
}

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

// Prefixes carry no meaning (the SMEV transform renumbers them, and names are matched by
// namespace); a wrong namespace, entities, deep nesting and a truncated body each get their
// fault, quickly.
TEST_F(Smev3Faults, HostileAndOddEnvelopesGetTheirFaultFast) {
  auto t0 = std::chrono::steady_clock::now();
  // Other prefixes for the same namespaces: the consumer's signature still verifies.
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  std::string renamed = replace_all(replace_all(replace_all(text, "xmlns:t=", "xmlns:msg="), "<t:", "<msg:"), "</t:", "</msg:");
  ASSERT_NE(renamed, text);
  auto ok = post(renamed, "SendRequest");
  EXPECT_EQ(ok.status, 200) << ok.body.substr(0, 600);

  // The types prefix bound to a namespace of no version: not a message-exchange request.
  std::string wrong_ns = replace_all(send_request_text("hotel-sever", ids_->v1(), business()),
                                     "message-exchange/types/1.3\"", "message-exchange/types/9.9\"");
  auto a = post(wrong_ns, "SendRequest");
  expect_fault(a, "InvalidContent");
  EXPECT_NE(a.fault->faultstring.find("SendRequestRequest"), std::string::npos) << a.fault->faultstring;

  // Entity expansion ("billion laughs") never starts: no DTD is accepted at all.
  std::string lol = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">";
  for (int i = 1; i < 10; ++i) {
    lol += "<!ENTITY " + std::string(1, static_cast<char>('a' + i)) + " \"" +
           replace_all(std::string(10, '#'), "#", "&" + std::string(1, static_cast<char>('a' + i - 1)) + ";") + "\">";
  }
  lol += "]><l>&j;</l>";
  auto laughs = post(lol, "SendRequest");
  expect_fault(laughs, "InvalidContent");
  EXPECT_NE(laughs.fault->faultstring.find("DOCTYPE"), std::string::npos) << laughs.fault->faultstring;

  // Deep nesting inside the business content.
  std::string deep = send_request_text("hotel-sever", ids_->v1(), business());
  std::string nest;
  for (int i = 0; i < 300; ++i) nest += "<x>";
  for (int i = 0; i < 300; ++i) nest += "</x>";
  deep.insert(deep.find("</b:MessagePrimaryContent>"), nest);
  auto too_deep = post(deep, "SendRequest");
  expect_fault(too_deep, "InvalidContent");
  EXPECT_NE(too_deep.fault->faultstring.find("nesting deeper than 128"), std::string::npos) << too_deep.fault->faultstring;

  // Truncated in the middle of the signature.
  auto truncated = post(text.substr(0, text.find("SignatureValue") + 20), "SendRequest");
  expect_fault(truncated, "InvalidContent");

  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 5000);
}

// A certificate from the test CA that no participant is registered with: every operation refuses it.
TEST_F(Smev3Faults, AnUnregisteredCertificateIsSenderIsNotRegistered) {
  const auto& kp = *org("rogue-is").identity;
  auto a = post(send_request_text("rogue-is", ids_->v1(), business()), "SendRequest");
  expect_fault(a, "SenderIsNotRegistered");
  EXPECT_NE(a.fault->faultstring.find(kp.certificate.serial_hex()), std::string::npos) << a.fault->faultstring;
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  expect_fault(post(*s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate), "GetResponse"),
               "SenderIsNotRegistered");
  expect_fault(post(*s3::sign_envelope(s3::build_ack(s3::Version::v1_3, ids_->v1(), true), kp.key, kp.certificate), "Ack"),
               "SenderIsNotRegistered");
}
