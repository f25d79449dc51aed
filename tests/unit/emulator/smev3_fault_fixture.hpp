#pragma once
// The fixture of the СМЭВ 3 fault tests: an emulator on loopback with a frozen clock and no
// built-in ЕПГУ (queues stay as a test leaves them), and helpers to sign, post and read faults.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>

#include "core/crypto/crypto.hpp"
#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/uuid.hpp"
#include "emulator/emulator.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/smev3/schema_files.hpp"
#include "protocol/xmldsig/signature.hpp"
#include "tests/support/fixtures.hpp"

namespace gosdoki::testkit {

namespace s3 = gosdoki::smev3;
using namespace gosdoki;

class Smev3Faults : public ::testing::Test {
 protected:
  void start(emulator::World world) {
    emulator::EmulatorOptions eo;
    eo.clock_start = testkit::fixtures().scenario_clock;
    eo.clock_frozen = true;
    eo.run_epgu = false;  // queues stay as the test leaves them
    auto e = emulator::Emulator::start(std::move(world), eo);
    ASSERT_TRUE(e) << e.error().message;
    emu_ = std::move(*e);
    http_ = std::make_unique<http::Client>("127.0.0.1", emu_->smev3_port());
    ids_ = std::make_unique<UuidGenerator>(emu_->clock(), 99);
  }
  void SetUp() override { start(testkit::fixtures().world); }

  const harness::OrganisationFixture& org(const std::string& id) { return *testkit::fixtures().organisation(id); }

  std::string business() {
    gosqr::CheckRequest r;
    r.timestamp = format_datetime(emu_->clock().now());
    r.qr_code = Bytes{'G', 'Q', 'R', '1'};
    r.face_image = Bytes(100, 1);
    r.face_image_captured_at = r.timestamp;
    r.purpose = "HOTEL";
    const auto& o = org("hotel-sever").org;
    r.organization = {o.ogrn, o.inn, std::nullopt, o.name};
    r.point_of_service = {"p", "t", std::nullopt};
    return gosqr::to_xml(r);
  }

  std::string send_request_text(const std::string& org_id, const std::string& message_id, const std::string& biz,
                                std::optional<std::string> eol = std::nullopt) {
    s3::SenderProvidedRequestData d;
    d.message_id = message_id;
    d.business_xml = biz;
    d.eol = eol;
    const auto& kp = *org(org_id).identity;
    auto text = s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), kp.key, kp.certificate);
    EXPECT_TRUE(text) << text.error().message;
    return *text;
  }

  struct Answer {
    int status = 0;
    std::string body;
    std::optional<s3::FaultInfo> fault;
  };
  Answer post(const std::string& body, const char* action, const std::string& path = "/transport_1_0_2/") {
    auto r = http_->post(path, "text/xml; charset=utf-8", body,
                         {{"SOAPAction", std::string("\"urn:") + action + "\""}});
    EXPECT_TRUE(r) << r.error().message;
    Answer a{r->status, r->body, std::nullopt};
    auto env = s3::parse_envelope(r->body);
    EXPECT_TRUE(env) << r->body;
    if (env) a.fault = s3::read_fault(*env);
    return a;
  }

  void expect_fault(const Answer& a, const std::string& name, const std::string& signature_value = "") {
    EXPECT_EQ(a.status, 500) << a.body;
    ASSERT_TRUE(a.fault) << "expected fault " << name << ", got " << a.body.substr(0, 600);
    EXPECT_EQ(a.fault->name, name) << a.fault->faultstring;
    // The SOAP faultcode: Server for the signature check and for infrastructure (as observed),
    // Client for everything the caller got wrong.
    const bool server = name == "SignatureVerificationFault" || name == "SMEVFailure" || name == "DestinationOverflow";
    EXPECT_EQ(a.fault->faultcode, server ? "soap:Server" : "soap:Client") << name;
    // SmevFault-typed faults carry our synchronous Code; basic:Void ones carry nothing.
    if (a.fault->is_void()) {
      EXPECT_TRUE(a.fault->code.empty() && a.fault->description.empty()) << name;
    } else {
      EXPECT_EQ(a.fault->code, "gosdoki:SANDBOX:SMEV3_EMULATOR : TR:SYNC:SPS:4") << name;
      EXPECT_FALSE(a.fault->description.empty()) << name;
    }
    if (!signature_value.empty()) {
      EXPECT_EQ(a.fault->signature_fault, signature_value);
    }
  }

  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<http::Client> http_;
  std::unique_ptr<UuidGenerator> ids_;
};


}  // namespace gosdoki::testkit
