// Every envelope on the wire, from the client, the built-in ЕПГУ and the emulated СМЭВ,
// validates against the official 1.3 schema (../shared/reference/smev3-schemas/1.3).
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "client/checker.hpp"
#include "client/scan.hpp"
#include "core/http/http.hpp"
#include "core/xml/xml.hpp"
#include "emulator/emulator.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/messages.hpp"
#include "protocol/smev3/parse.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;

namespace {

struct Exchange {
  std::string request;
  int status;
  std::string answer;
};

// Validates the SOAP body element (or a fault's detail element) of one envelope.
void expect_valid(const std::string& text, const testkit::OfficialSchemas& s, const std::string& what) {
  auto env = smev3::parse_envelope(text);
  ASSERT_TRUE(env) << what << ": " << env.error().message;
  xmlNode* el = env->body_element;
  const xml::Schema* schema = &s.all;
  if (xml::is(el, smev3::kSoapNs, "Fault")) {
    xmlNode* detail = nullptr;
    for (xmlNode* c = xml::first_element(el); c; c = xml::next_element(c)) {
      if (xml::local_name(c) == "detail") detail = c;
    }
    ASSERT_NE(detail, nullptr) << what << ": fault without detail";
    el = xml::first_element(detail);
  }
  auto issues = schema->validate_element(el);
  std::string all;
  for (const auto& i : issues) all += "\n  line " + std::to_string(i.line) + ": " + i.message;
  EXPECT_TRUE(issues.empty()) << what << " (" << env->local << ") is not valid against the official 1.3 XSD:" << all
                              << "\n" << text.substr(0, 1500);
}

class WireSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    schemas_ = &testkit::official_schemas("1.3");
    if (!*schemas_) GTEST_SKIP() << "official 1.3 schemas not found under " << testkit::shared_dir();
  }
  const std::optional<testkit::OfficialSchemas>* schemas_ = nullptr;
};

client::CheckReport run_one(const std::string& org_id, const std::string& person, const std::string& face_person,
                            client::Tamper tamper, std::vector<Exchange>& wire, std::mutex& mu) {
  const auto& fx = testkit::fixtures();
  emulator::EmulatorOptions eo;
  eo.clock_start = fx.scenario_clock;
  eo.clock_frozen = true;
  eo.smev3_tap = [&](const std::string& req, int status, const std::string& ans) {
    std::lock_guard lock(mu);
    wire.push_back({req, status, ans});
  };
  auto emu = emulator::Emulator::start(fx.world, eo);
  EXPECT_TRUE(emu);
  auto issued = (*emu)->issue_qr(person);
  EXPECT_TRUE(issued);
  auto qr = client::scan_qr_bytes(issued->second, "qr");
  EXPECT_TRUE(qr) << (qr ? "" : qr.error().message);
  const auto* org = fx.organisation(org_id);
  client::ConsumerConfig cfg;
  cfg.smev3_url = (*emu)->smev3_url();
  cfg.identity = client::Identity{org->org.mnemonic, org->identity->key, org->identity->certificate};
  cfg.smev_certificate = fx.world.smev.certificate;
  cfg.tamper = tamper;
  client::Smev3Consumer consumer(cfg, (*emu)->clock(), 7);
  client::Smev3Channel channel(consumer);
  client::CheckInput in;
  in.qr_bytes = *qr;
  in.face_image = *harness::load_face(testkit::fixture_source(), fx, face_person, "office-light");
  in.purpose = org->org.allowed_purposes.front();
  in.organization = gosqr::Organization{org->org.ogrn, org->org.inn, org->org.kpp, org->org.name};
  in.point_of_service = org->point_of_service;
  auto report = client::run_check(channel, in, (*emu)->clock());
  // The caller's status queue too (GetStatus is not part of the client's check).
  http::Client http("127.0.0.1", (*emu)->smev3_port());
  for (int i = 0; i < 3; ++i) {
    auto gs = smev3::sign_envelope(smev3::build_get_status(smev3::Version::v1_3, "2026-01-15T10:00:00.000+03:00"),
                                   org->identity->key, org->identity->certificate);
    EXPECT_TRUE(http.post("/transport_1_0_2/", "text/xml", *gs, {{"SOAPAction", "\"urn:GetStatus\""}}));
  }
  (*emu)->stop();
  return report;
}

}  // namespace

TEST_F(WireSchema, EveryEnvelopeOfSuccessfulAndRefusedChecksIsValid) {
  std::vector<Exchange> wire;
  std::mutex mu;
  auto ok = run_one("hotel-sever", "petrov-p", "petrov-p", client::Tamper::none, wire, mu);
  EXPECT_EQ(ok.code, "OK");
  auto mismatch = run_one("hotel-sever", "petrov-p", "ivanova-m", client::Tamper::none, wire, mu);
  EXPECT_EQ(mismatch.code, "FACE_MISMATCH");
  auto rejected = run_one("clinic-zdorovie", "smirnov-d", "smirnov-d", client::Tamper::none, wire, mu);
  EXPECT_EQ(rejected.code, "ORG_NOT_REGISTERED");  // travels as RequestRejected
  auto fault = run_one("hotel-sever", "petrov-p", "petrov-p", client::Tamper::signature_value, wire, mu);
  EXPECT_EQ(fault.code, "SignatureVerificationFault");
  auto unregistered = run_one("rogue-is", "petrov-p", "petrov-p", client::Tamper::none, wire, mu);
  EXPECT_EQ(unregistered.code, "SenderIsNotRegistered");

  std::set<std::string> seen;
  for (std::size_t i = 0; i < wire.size(); ++i) {
    expect_valid(wire[i].request, **schemas_, "request #" + std::to_string(i));
    expect_valid(wire[i].answer, **schemas_, "answer #" + std::to_string(i));
    auto rq = smev3::parse_envelope(wire[i].request);
    auto an = smev3::parse_envelope(wire[i].answer);
    if (rq) seen.insert(rq->local);
    if (an) seen.insert(an->local + (an->local == "GetResponseResponse" || an->local == "GetRequestResponse"
                                         ? (xml::first_element(an->body_element) ? "+message" : "+empty")
                                         : ""));
  }
  // The exchange covered every shape the skeleton produces.
  for (const char* want : {"SendRequestRequest", "GetResponseRequest", "GetRequestRequest", "AckRequest",
                           "SendResponseRequest", "SendRequestResponse", "GetResponseResponse+message",
                           "GetResponseResponse+empty", "GetRequestResponse+message", "AckResponse",
                           "SendResponseResponse", "Fault", "GetStatusRequest", "GetStatusResponse"}) {
    EXPECT_TRUE(seen.count(want)) << "no " << want << " seen on the wire";
  }
}

// The check above can fail: an envelope that breaks the schema is reported.
TEST_F(WireSchema, CatchesAnInvalidEnvelope) {
  smev3::MessageMetadata md;
  md.id = "SIGNED_BY_SMEV";
  md.message_id = "ac9fbf27-8b8c-11eb-9086-e2bf794ac2e9";
  md.message_type = "QUERY";  // not in MessageTypeType (REQUEST | BROADCAST | RESPONSE)
  md.sender_mnemonic = "HTLSEV";
  md.sending_timestamp = "2026-01-15T10:00:00.000+03:00";
  md.status = "requestIsQueued";
  std::string text = smev3::build_send_request_response(smev3::Version::v1_3, md).text;
  auto env = smev3::parse_envelope(text);
  ASSERT_TRUE(env);
  auto issues = (*schemas_)->types.validate_element(env->body_element);
  ASSERT_FALSE(issues.empty());
  EXPECT_NE(issues.front().message.find("QUERY"), std::string::npos) << issues.front().message;
  EXPECT_NE(issues.front().message.find("MessageType"), std::string::npos) << issues.front().message;
}
