// The synchronous and asynchronous refusals of the emulated СМЭВ 3, each triggered on purpose
// over HTTP and asserted by fault name (and SignatureVerificationFault value).
#include "tests/unit/emulator/smev3_fault_fixture.hpp"

using namespace gosdoki;
using gosdoki::testkit::Smev3Faults;
namespace s3 = gosdoki::smev3;


TEST_F(Smev3Faults, AcceptedRequestIsQueuedAndSignedBySmev) {
  auto a = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  ASSERT_EQ(a.status, 200) << a.body;
  auto env = s3::parse_envelope(a.body);
  auto md = s3::read_metadata_answer(*env);
  ASSERT_TRUE(md);
  EXPECT_EQ(md->metadata.status, "requestIsQueued");
  EXPECT_EQ(md->metadata.recipient_mnemonic, testkit::fixtures().world.epgu.mnemonic);
  auto v = xmldsig::verify_signature(env->doc.get(), md->smev_signature, s3::kSmevId);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->certificate.fingerprint_sha256(), testkit::fixtures().world.smev.certificate.fingerprint_sha256());
}

TEST_F(Smev3Faults, ReusedMessageIdIsMessageIsAlreadySent) {
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  ASSERT_EQ(post(text, "SendRequest").status, 200);
  expect_fault(post(text, "SendRequest"), "MessageIsAlreadySent");
}

TEST_F(Smev3Faults, MessageIdRules) {
  std::string upper = ids_->v1();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  expect_fault(post(send_request_text("hotel-sever", upper, business()), "SendRequest"), "InvalidMessageIdFormat");
  expect_fault(post(send_request_text("hotel-sever", ids_->v4(), business()), "SendRequest"), "InvalidMessageIdFormat");
  auto old = ids_->v1_at(emu_->clock().now() - std::chrono::hours(49));
  expect_fault(post(send_request_text("hotel-sever", old, business()), "SendRequest"), "StaleMessageId");
}

TEST_F(Smev3Faults, PastEolIsEndOfLifeReached) {
  auto eol = format_datetime(emu_->clock().now() - std::chrono::seconds(1));
  expect_fault(post(send_request_text("hotel-sever", ids_->v1(), business(), eol), "SendRequest"), "EndOfLifeReached");
}

TEST_F(Smev3Faults, UnknownBusinessTypeAndStructureErrors) {
  auto unknown = post(send_request_text("hotel-sever", ids_->v1(), "<x:Other xmlns:x=\"urn://example/other/1.0\"/>"),
                      "SendRequest");
  expect_fault(unknown, "BusinessDataTypeIsNotSupported");
  EXPECT_EQ(unknown.fault->root_element_local_name, "Other");

  // MessageID missing: InvalidContent naming the element path.
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  auto from = text.find("<t:MessageID>");
  auto to = text.find("</t:MessageID>") + std::string("</t:MessageID>").size();
  text.erase(from, to - from);
  auto bad = post(text, "SendRequest");
  expect_fault(bad, "InvalidContent");
  ASSERT_FALSE(bad.fault->validation_errors.empty());
  EXPECT_NE(bad.fault->validation_errors[0].find("SenderProvidedRequestData"), std::string::npos)
      << bad.fault->validation_errors[0];
  EXPECT_NE(bad.fault->validation_errors[0].find("MessageID"), std::string::npos);
  expect_fault(post(send_request_text("hotel-sever", ids_->v1(), business()), "GetResponse"), "InvalidContent");
}

TEST_F(Smev3Faults, SignatureFaults) {
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  std::string no_header = text;
  no_header.erase(no_header.find("<soap:Header/>"), std::string("<soap:Header/>").size());
  expect_fault(post(no_header, "SendRequest"), "SignatureVerificationFault", "PoorSOAPEnvelopeFormat");
  s3::SenderProvidedRequestData d;
  d.message_id = ids_->v1();
  d.business_xml = business();
  expect_fault(post(s3::build_send_request(s3::Version::v1_3, d).text, "SendRequest"), "SignatureVerificationFault",
               "NoSignatureFound");
  std::string retarget = text;
  auto pos = retarget.find("URI=\"#SIGNED_BY_CONSUMER\"");
  retarget.replace(pos, std::string("URI=\"#SIGNED_BY_CONSUMER\"").size(), "URI=\"#ELSEWHERE\"");
  expect_fault(post(retarget, "SendRequest"), "SignatureVerificationFault", "IncorrectSignatureTarget");
}

TEST_F(Smev3Faults, ConsumerWithoutGrantIsAccessDenied) {
  auto world = testkit::fixtures().world;
  for (auto& o : world.organisations) {
    if (o.id == "hotel-sever") o.smev_consumer_grant = false;
  }
  emu_.reset();
  start(world);
  auto a = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  expect_fault(a, "AccessDenied");
  EXPECT_NE(a.fault->faultstring.find("HTLSEV"), std::string::npos) << a.fault->faultstring;
}

TEST_F(Smev3Faults, AckOfAnUnknownMessageIsTargetMessageIsNotFound) {
  const auto& kp = *org("hotel-sever").identity;
  std::string id = ids_->v1();
  auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, id, true), kp.key, kp.certificate);
  auto a = post(*ack, "Ack");
  expect_fault(a, "TargetMessageIsNotFound");
  EXPECT_NE(a.fault->faultstring.find("не найдено среди неподтверждённых"), std::string::npos);
}

TEST_F(Smev3Faults, SchemaInvalidBusinessContentIsRejectedAsynchronouslyBySmev) {
  std::string biz = business();
  biz.replace(biz.find("<q:purpose>HOTEL"), std::string("<q:purpose>HOTEL").size(), "<q:purpose>SHOPPING");
  std::string mid = ids_->v1();
  auto sent = post(send_request_text("hotel-sever", mid, biz), "SendRequest");
  ASSERT_EQ(sent.status, 200) << "SendRequest only means queued: " << sent.body;
  const auto& kp = *org("hotel-sever").identity;
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto get = s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate);
  auto got = post(*get, "GetResponse");
  ASSERT_EQ(got.status, 200) << got.body;
  auto env = s3::parse_envelope(got.body);
  auto msg = s3::read_get_response_response(*env);
  ASSERT_TRUE(msg && msg->has_value()) << got.body;
  const auto& rm = **msg;
  EXPECT_EQ(rm.original_message_id, mid);
  EXPECT_EQ(rm.data.id, "SIGNED_ASYNC_BY_SMEV");
  ASSERT_TRUE(rm.data.async_status);
  EXPECT_EQ(rm.data.async_status->status_category, "requestIsRejectedBySmev");
  ASSERT_TRUE(rm.data.async_status->fault);
  EXPECT_EQ(rm.data.async_status->fault->name, "InvalidContent");
  EXPECT_EQ(rm.data.async_status->fault->description.rfind("SMEV-403:", 0), 0u);
  EXPECT_NE(rm.data.async_status->fault->description.find("SHOPPING"), std::string::npos);
  EXPECT_EQ(rm.metadata.sender_mnemonic, "smev");
  ASSERT_TRUE(xmldsig::verify_signature(env->doc.get(), rm.smev_signature, s3::kSmevId));
  // It must be acked like any message; then it is gone.
  auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, rm.metadata.message_id, true), kp.key, kp.certificate);
  EXPECT_EQ(post(*ack, "Ack").status, 200);
  expect_fault(post(*ack, "Ack"), "TargetMessageIsNotFound");
}

TEST_F(Smev3Faults, UnackedMessageComesBackAfterTheRedeliveryDelay) {
  auto sent = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  ASSERT_EQ(sent.status, 200);
  const auto& epgu = testkit::fixtures().world.epgu;
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  // Signed anew for every call, as a client does (the same signature twice is a replay).
  auto get = [&] { return *s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), epgu.key, epgu.certificate); };
  auto first = post(get(), "GetRequest");
  ASSERT_NE(first.body.find("RequestMessage"), std::string::npos) << first.body;
  auto hidden = post(get(), "GetRequest");
  EXPECT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.body.find("RequestMessage"), std::string::npos) << "in flight: not delivered twice at once";
  emu_->clock().advance(std::chrono::seconds(61));
  auto again = post(get(), "GetRequest");
  EXPECT_NE(again.body.find("RequestMessage"), std::string::npos) << "redelivered without an Ack";
  // The organisation cannot take ЕПГУ's request: its queue is its own.
  const auto& kp = *org("hotel-sever").identity;
  auto foreign = *s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), kp.key, kp.certificate);
  emu_->clock().advance(std::chrono::seconds(61));
  EXPECT_EQ(post(foreign, "GetRequest").body.find("RequestMessage"), std::string::npos);
}

// Damaged input never crashes or hangs the endpoint: every truncation point and a run of
// byte flips of a real signed SendRequest get an HTTP answer that is a SOAP fault (or, when
// the damage happens to leave a valid message, a normal answer).
TEST_F(Smev3Faults, DamagedEnvelopesGetFaultsNotCrashes) {
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  std::mt19937_64 rng(2026);
  int faults = 0, total = 0;
  auto probe = [&](const std::string& body) {
    auto r = http_->post("/transport_1_0_2/", "text/xml; charset=utf-8", body, {{"SOAPAction", "\"urn:SendRequest\""}});
    ASSERT_TRUE(r) << "no HTTP answer: " << r.error().message;
    ++total;
    auto env = s3::parse_envelope(r->body);
    ASSERT_TRUE(env) << "the answer is not SOAP (" << env.error().message << "): " << r->body.substr(0, 600);
    if (r->status == 500) {
      ASSERT_TRUE(s3::read_fault(*env)) << r->body.substr(0, 300);
      ++faults;
    }
  };
  for (std::size_t cut = 0; cut < text.size(); cut += 1 + text.size() / 97) probe(text.substr(0, cut));
  for (int i = 0; i < 150; ++i) {
    std::string damaged = text;
    for (int k = 0; k < 3; ++k) damaged[rng() % damaged.size()] = static_cast<char>(rng() % 256);
    probe(damaged);
  }
  EXPECT_GT(faults, total * 9 / 10);
  // …and the endpoint still serves a good request afterwards.
  auto ok = post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest");
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// An ИС may send its request as MTOM with the face photo as an XOP part: СМЭВ inlines it
// before checking the signature (which covers the base64 text) and answers in MTOM too.
TEST_F(Smev3Faults, MtomRequestWithTheFaceAsAnXopPart) {
  std::string text = send_request_text("hotel-sever", ids_->v1(), business());
  const std::string open = "<q:faceImage>", close = "</q:faceImage>";
  auto from = text.find(open) + open.size();
  auto to = text.find(close);
  auto raw = base64_decode(text.substr(from, to - from));
  ASSERT_TRUE(raw);
  text.replace(from, to - from, "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:face@is\"/>");
  std::vector<s3::MimePart> att(1);
  att[0].content_id = "face@is";
  att[0].body.assign(raw->begin(), raw->end());
  auto m = s3::build_mtom(text, att);
  auto r = http_->post("/transport_1_0_2/", m.content_type, m.body, {{"SOAPAction", "\"urn:SendRequest\""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body.substr(0, 800);
  EXPECT_NE(r->header("Content-Type").find("multipart/related"), std::string::npos) << "answered in kind";
  auto env = s3::parse_message(r->header("Content-Type"), r->body);
  ASSERT_TRUE(env) << env.error().message;
  auto md = s3::read_metadata_answer(*env);
  ASSERT_TRUE(md);
  EXPECT_EQ(md->metadata.status, "requestIsQueued");
  // A dangling xop:Include is InvalidContent, not a crash.
  std::string dangling = text;
  auto bad = s3::build_mtom(dangling);
  auto r2 = http_->post("/transport_1_0_2/", bad.content_type, bad.body, {{"SOAPAction", "\"urn:SendRequest\""}});
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 500);
  EXPECT_NE(r2->body.find("xop:Include"), std::string::npos) << r2->body;
}

// GetStatus reads the caller's own status queue: accepted, then delivered to the provider.
TEST_F(Smev3Faults, GetStatusReportsTheLifecycleOfOwnRequests) {
  const auto& kp = *org("hotel-sever").identity;
  auto status = [&](const harness::KeyPair& who) {
    auto env = s3::sign_envelope(s3::build_get_status(s3::Version::v1_3, format_datetime(emu_->clock().now())), who.key,
                                 who.certificate);
    auto a = post(*env, "GetStatus");
    EXPECT_EQ(a.status, 200) << a.body;
    auto parsed = s3::parse_envelope(a.body);
    auto m = s3::read_get_status_response(*parsed);
    EXPECT_TRUE(m) << a.body;
    if (m && m->has_value()) {
      EXPECT_TRUE(xmldsig::verify_signature(parsed->doc.get(), (*m)->smev_signature, s3::kSmevId));
      return std::optional<s3::AsyncProcessingStatus>((*m)->status);
    }
    return std::optional<s3::AsyncProcessingStatus>{};
  };
  EXPECT_FALSE(status(kp)) << "nothing yet";
  std::string mid = ids_->v1();
  ASSERT_EQ(post(send_request_text("hotel-sever", mid, business()), "SendRequest").status, 200);
  auto accepted = status(kp);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->original_message_id, mid);
  EXPECT_EQ(accepted->status_category, "requestIsAcceptedBySmev");
  const auto& w = testkit::fixtures().world;
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto get = *s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), w.epgu.key, w.epgu.certificate);
  ASSERT_NE(post(get, "GetRequest").body.find("RequestMessage"), std::string::npos);
  auto delivered = status(kp);
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->status_category, "messageIsDelivered");
  EXPECT_EQ(delivered->original_message_id, mid);
  EXPECT_FALSE(status(kp)) << "each status is handed out once";
  // ЕПГУ's status queue is its own: it has nothing about the organisation's request.
  harness::KeyPair epgu{w.epgu.key, w.epgu.certificate};
  EXPECT_FALSE(status(epgu));
  // Unsigned GetStatus: the 1.3 schema requires the signature.
  auto unsigned_env = s3::build_get_status(s3::Version::v1_3, format_datetime(emu_->clock().now())).text;
  expect_fault(post(unsigned_env, "GetStatus"), "InvalidContent");
}

// ЭП-СП (PersonalSignature) over the business element is checked too.
TEST_F(Smev3Faults, PersonalSignatureIsVerified) {
  std::string biz = business();
  biz.replace(biz.find("Id=\"GQR_REQUEST\""), std::string("Id=\"GQR_REQUEST\"").size(), "Id=\"PERSONAL_SIGNATURE\"");
  auto person_key = crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256);
  ASSERT_TRUE(person_key);
  auto ca_key = crypto::PrivateKey::from_pem(*read_file(testkit::source_dir() / "fixtures/pki/ca.key"));
  ASSERT_TRUE(ca_key);
  const auto& ca = testkit::fixtures().world.ca;
  crypto::CertificateSpec spec{{{"CN", "Оператор Петров"}, {"C", "RU"}}, emu_->clock().now() - std::chrono::hours(1),
                               emu_->clock().now() + std::chrono::hours(1000), false, 424242, {}};
  auto person_cert = crypto::issue_certificate(spec, *person_key, &ca, *ca_key);
  ASSERT_TRUE(person_cert) << person_cert.error().message;
  auto sign_business = [&](const std::string& xml_text) {
    auto doc = xml::parse(xml_text);
    return *xmldsig::sign_element(doc->get(), "PERSONAL_SIGNATURE", *person_key, *person_cert);
  };
  auto send = [&](const std::string& personal) {
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = biz;
    d.personal_signature_xml = personal;
    const auto& kp = *org("hotel-sever").identity;
    return post(*s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), kp.key, kp.certificate), "SendRequest");
  };
  EXPECT_EQ(send(sign_business(biz)).status, 200) << "a valid ЭП-СП is accepted";
  // Signed over other content: the digest does not match the business element sent.
  std::string other = biz;
  other.replace(other.find("<q:purpose>HOTEL"), std::string("<q:purpose>HOTEL").size(), "<q:purpose>POSTAL");
  auto bad = send(sign_business(other));
  expect_fault(bad, "SignatureVerificationFault", "SignatureIsInvalid");
  EXPECT_NE(bad.fault->faultstring.find("ЭП-СП"), std::string::npos) << bad.fault->faultstring;
}

// A certificate whose keyUsage does not allow signing (here the CA's own) is refused.
TEST_F(Smev3Faults, CertificateWithoutDigitalSignatureUsageIsRefused) {
  auto ca_key = crypto::PrivateKey::from_pem(*read_file(testkit::source_dir() / "fixtures/pki/ca.key"));
  ASSERT_TRUE(ca_key);
  s3::SenderProvidedRequestData d;
  d.message_id = ids_->v1();
  d.business_xml = business();
  auto text = s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), *ca_key, testkit::fixtures().world.ca);
  ASSERT_TRUE(text);
  auto a = post(*text, "SendRequest");
  expect_fault(a, "SignatureVerificationFault", "SignatureIsInvalid");
  EXPECT_NE(a.fault->faultstring.find("keyUsage"), std::string::npos) << a.fault->faultstring;
}

// Each version serves its WSDL at ?wsdl (with our real address) and the XSDs next to it.
TEST_F(Smev3Faults, ServesWsdlAndSchemasPerVersion) {
  for (auto [path, dir, version] : {std::tuple{"/transport_1_0_2/", "/transport_1_0_2/", s3::Version::v1_3},
                                    std::tuple{"/smev/v1.2/ws", "/smev/v1.2/", s3::Version::v1_2},
                                    std::tuple{"/smev/v1.1/ws", "/smev/v1.1/", s3::Version::v1_1}}) {
    auto wsdl = http_->get(std::string(path) + "?wsdl");
    ASSERT_TRUE(wsdl);
    EXPECT_EQ(wsdl->status, 200) << path;
    std::string address = "http://127.0.0.1:" + std::to_string(emu_->smev3_port()) + path;
    EXPECT_NE(wsdl->body.find("location=\"" + address + "\""), std::string::npos) << wsdl->body.substr(0, 300);
    EXPECT_NE(wsdl->body.find("urn:GetResponse"), std::string::npos);
    auto doc = xml::parse(wsdl->body);
    ASSERT_TRUE(doc) << doc.error().message;
    int imports = 0;
    for (auto name : s3::schema_file_names(version)) {
      if (std::string(name).find(".wsdl") != std::string::npos) continue;
      auto xsd = http_->get(std::string(dir) + std::string(name));
      ASSERT_TRUE(xsd);
      EXPECT_EQ(xsd->status, 200) << dir << name;
      EXPECT_TRUE(xml::parse(xsd->body)) << name;
      ++imports;
    }
    EXPECT_GE(imports, 3);
  }
  auto missing = http_->get("/transport_1_0_2/nope.xsd");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// MTOM attachments: headers signed inside SenderProvidedRequestData, contents beside it,
// PKCS#7 (detached CMS) checked per attachment, the total size limited.
TEST_F(Smev3Faults, AttachmentsAreCheckedAndDelivered) {
  const auto& kp = *org("hotel-sever").identity;
  std::string scan(200000, '\0');
  for (std::size_t i = 0; i < scan.size(); ++i) scan[i] = static_cast<char>((i * 131) % 251);
  auto pkcs7 = crypto::cms_sign_detached(kp.key, kp.certificate, as_bytes(scan));
  ASSERT_TRUE(pkcs7) << pkcs7.error().message;
  auto send = [&](std::vector<s3::AttachmentHeader> headers, std::vector<s3::AttachmentContent> contents, bool mtom) {
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = business();
    d.attachments = std::move(headers);
    auto text = *s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d, contents), kp.key, kp.certificate);
    if (!mtom) return post(text, "SendRequest");
    // The content as an XOP part, as MTOM clients send it.
    const std::string open = "<b:Content>", close = "</b:Content>";
    auto from = text.find(open) + open.size();
    auto to = text.find(close, from);
    auto raw = base64_decode(text.substr(from, to - from));
    text.replace(from, to - from, "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:scan-1\"/>");
    std::vector<s3::MimePart> att(1);
    att[0].content_id = "scan-1";
    att[0].body.assign(raw->begin(), raw->end());
    auto m = s3::build_mtom(text, att);
    auto r = http_->post("/transport_1_0_2/", m.content_type, m.body, {{"SOAPAction", "\"urn:SendRequest\""}});
    Answer a{r->status, r->body, std::nullopt};
    auto env = s3::parse_message(r->header("Content-Type"), r->body);
    if (env) a.fault = s3::read_fault(*env);
    return a;
  };
  s3::AttachmentHeader h{"scan1", std::nullopt, "application/pdf", base64_encode(*pkcs7)};
  auto ok = send({h}, {{"scan1", scan}}, false);
  EXPECT_EQ(ok.status, 200) << ok.body.substr(0, 600);
  auto mtom = send({{"scan1", std::nullopt, "application/pdf", base64_encode(*pkcs7)}}, {{"scan1", scan}}, true);
  EXPECT_EQ(mtom.status, 200) << mtom.body.substr(0, 600);

  // The provider gets the content with the request, and the whole answer is schema-valid.
  const auto& w = testkit::fixtures().world;
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  auto get = *s3::sign_envelope(s3::build_get_request(s3::Version::v1_3, sel), w.epgu.key, w.epgu.certificate);
  auto got = post(get, "GetRequest");
  auto env = s3::parse_envelope(got.body);
  ASSERT_TRUE(env);
  auto rm = s3::read_get_request_response(*env);
  ASSERT_TRUE(rm && rm->has_value()) << got.body.substr(0, 500);
  ASSERT_EQ((*rm)->contents.size(), 1u);
  EXPECT_TRUE((*rm)->contents[0].content == scan);
  ASSERT_EQ((*rm)->data.attachments.size(), 1u);
  EXPECT_EQ((*rm)->data.attachments[0].mime_type, "application/pdf");
  EXPECT_TRUE(xmldsig::verify_signature(env->doc.get(), (*rm)->smev_signature, s3::kSmevId));
  if (const auto& official = testkit::official_schemas("1.3")) {
    auto issues = official->all.validate_element(env->body_element);
    EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front().message);
  }

  expect_fault(send({h}, {}, false), "AttachmentContentMiscoordination");
  expect_fault(send({h}, {{"other", scan}}, false), "AttachmentContentMiscoordination");
  std::string forged = scan;
  forged[100] ^= 1;
  auto bad_sig = send({h}, {{"scan1", forged}}, false);
  expect_fault(bad_sig, "SignatureVerificationFault", "SignatureIsInvalid");
  EXPECT_NE(bad_sig.fault->description.find("SMEV-100:Проверка подписи на вложении scan1"), std::string::npos)
      << bad_sig.fault->description;
  std::string big(5u << 20 | 1, 'x');
  auto too_big = send({{"big", std::nullopt, "application/octet-stream", std::nullopt}}, {{"big", big}}, false);
  expect_fault(too_big, "AttachmentSizeLimitExceeded");
  EXPECT_EQ(too_big.fault->permitted_size, 5 << 20);
  EXPECT_EQ(too_big.fault->real_size, (5 << 20) + 1);
}
