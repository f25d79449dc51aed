// Contract packs and the test environment's emulator recipient `emu`: a вид сведений registered
// from a directory is routed, schema-checked and answered from its control examples over the
// same signed СМЭВ 3 path as everything else; a broken pack is refused naming file and field.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "emulator/providers/contract_pack.hpp"
#include "tests/unit/emulator/smev3_fault_fixture.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

constexpr const char* kNs = "urn://example/ping/1.0.0";

const char* kXsd = R"(<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn://example/ping/1.0.0"
           xmlns="urn://example/ping/1.0.0" elementFormDefault="qualified">
  <xs:element name="PingRequest"><xs:complexType><xs:sequence>
    <xs:element name="code" type="xs:string"/></xs:sequence>
    <xs:attribute name="Id" type="xs:ID"/></xs:complexType></xs:element>
  <xs:element name="PingResponse"><xs:complexType><xs:sequence>
    <xs:element name="answer" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>
)";

class ContractPacks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gosdoki-pack-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "examples");
    write("ping.xsd", kXsd);
    write("examples/found.xml", std::string("<PingResponse xmlns=\"") + kNs + "\"><answer>pong 42</answer></PingResponse>");
    write("contract.json", R"({
      "namespace": "urn://example/ping/1.0.0", "requestRoot": "PingRequest", "responseRoot": "PingResponse",
      "schema": "ping.xsd", "provider": "emu", "consumers": ["*"],
      "examples": [
        {"name": "found", "match": {"element": "code", "text": "42"}, "response": "examples/found.xml"},
        {"name": "secret", "match": {"element": "code", "text": "7"}, "rejection": {"code": "ACCESS_DENIED", "description": "закрыто"}}
      ]})");
  }
  void TearDown() override {
    emu_.reset();
    std::filesystem::remove_all(dir_);
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  void start() {
    emulator::EmulatorOptions eo;
    eo.clock_start = testkit::fixtures().scenario_clock;
    eo.clock_frozen = true;
    eo.contract_packs = {dir_};
    auto e = emulator::Emulator::start(testkit::fixtures().world, eo);
    ASSERT_TRUE(e) << e.error().message;
    emu_ = std::move(*e);
    http_ = std::make_unique<http::Client>("127.0.0.1", emu_->smev3_port());
    ids_ = std::make_unique<UuidGenerator>(emu_->clock(), 41);
  }

  int post_status(const std::string& body, const char* action, std::string* answer = nullptr) {
    auto r = http_->post("/transport_1_0_2/", "text/xml; charset=utf-8", body, {{"SOAPAction", std::string("\"urn:") + action + "\""}});
    EXPECT_TRUE(r);
    if (answer) *answer = r->body;
    return r->status;
  }

  // Sends a PingRequest as the hotel and waits for whatever comes back for it.
  std::string ping(const std::string& code) {
    const auto& kp = *testkit::fixtures().organisation("hotel-sever")->identity;
    s3::SenderProvidedRequestData d;
    d.message_id = ids_->v1();
    d.business_xml = std::string("<PingRequest xmlns=\"") + kNs + "\" Id=\"PING\"><code>" + code + "</code></PingRequest>";
    EXPECT_EQ(post_status(*s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), kp.key, kp.certificate),
                          "SendRequest"),
              200);
    s3::MessageTypeSelector sel;
    sel.namespace_uri = kNs;
    sel.root_element = "PingResponse";  // GetResponse names the answer's root
    for (int i = 0; i < 200; ++i) {
      sel.timestamp = format_datetime(emu_->clock().now());
      std::string body;
      post_status(*s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate), "GetResponse",
                  &body);
      auto env = s3::parse_envelope(body);
      auto rm = env ? s3::read_get_response_response(*env) : Result<std::optional<s3::ResponseMessage>>(env.error());
      if (rm && rm->has_value()) {
        auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, (*rm)->metadata.message_id, true), kp.key,
                                     kp.certificate);
        EXPECT_EQ(post_status(*ack, "Ack"), 200);
        EXPECT_EQ((*rm)->original_message_id, d.message_id);
        return body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "no answer to PingRequest " << code;
    return {};
  }

  std::filesystem::path dir_;
  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<http::Client> http_;
  std::unique_ptr<UuidGenerator> ids_;
};

}  // namespace

TEST_F(ContractPacks, EmuAnswersWithTheMatchingControlExample) {
  start();
  std::string found = ping("42");
  EXPECT_NE(found.find("pong 42"), std::string::npos) << found.substr(0, 800);
  EXPECT_NE(found.find("<ns2:Mnemonic>emu</ns2:Mnemonic>"), std::string::npos) << "the answer comes from emu";
  std::string denied = ping("7");
  EXPECT_NE(denied.find("ACCESS_DENIED"), std::string::npos) << denied.substr(0, 800);
  std::string none = ping("1");
  EXPECT_NE(none.find("NO_DATA"), std::string::npos) << none.substr(0, 800);
  if (const auto& official = testkit::official_schemas("1.3")) {
    for (const auto* body : {&found, &denied, &none}) {
      auto env = s3::parse_envelope(*body);
      ASSERT_TRUE(env);
      auto issues = official->all.validate_element(env->body_element);
      EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front().message);
    }
  }
}

TEST_F(ContractPacks, ContentAgainstThePackSchemaIsCheckedAsynchronously) {
  start();
  // <code> missing: the pack's XSD refuses it; СМЭВ answers with its own SMEV-403 rejection.
  const auto& kp = *testkit::fixtures().organisation("hotel-sever")->identity;
  s3::SenderProvidedRequestData d;
  d.message_id = ids_->v1();
  d.business_xml = std::string("<PingRequest xmlns=\"") + kNs + "\" Id=\"PING\"><wrong/></PingRequest>";
  ASSERT_EQ(post_status(*s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, d), kp.key, kp.certificate),
                        "SendRequest"),
            200);
  s3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(emu_->clock().now());
  std::string body;
  post_status(*s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate), "GetResponse", &body);
  EXPECT_NE(body.find("SMEV-403"), std::string::npos) << body.substr(0, 800);
  EXPECT_NE(body.find("requestIsRejectedBySmev"), std::string::npos);
}

TEST_F(ContractPacks, ABrokenPackIsRefusedNamingFileAndField) {
  auto expect_error = [&](const std::string& contract, const std::string& needle) {
    write("contract.json", contract);
    auto p = emulator::load_contract_pack(dir_);
    ASSERT_FALSE(p) << contract;
    EXPECT_NE(p.error().message.find(needle), std::string::npos) << p.error().message;
    EXPECT_NE(p.error().message.find(dir_.string()), std::string::npos) << p.error().message;
  };
  expect_error("{ not json", "contract.json: not JSON");
  expect_error(R"({"namespace":"urn:x","requestRoot":"A","responseRoot":"B","consumers":["*"],"colour":1})",
               "unknown field 'colour'");
  expect_error(R"({"requestRoot":"A","responseRoot":"B","consumers":["*"]})", "field 'namespace' is required");
  expect_error(R"({"namespace":"urn:x","requestRoot":"A","responseRoot":"B","consumers":[]})", "'consumers'");
  expect_error(R"({"namespace":"urn:x","requestRoot":"A","responseRoot":"B","consumers":["*"],"schema":"missing.xsd"})",
               "missing.xsd");
  write("examples/bad.xml", std::string("<PingResponse xmlns=\"") + kNs + "\"><nope/></PingResponse>");
  expect_error(std::string(R"({"namespace":")") + kNs +
                   R"(","requestRoot":"PingRequest","responseRoot":"PingResponse","schema":"ping.xsd","consumers":["*"],)"
                   R"("examples":[{"response":"examples/bad.xml"}]})",
               "does not match the pack's schema");
  expect_error(std::string(R"({"namespace":")") + kNs +
                   R"(","requestRoot":"PingRequest","responseRoot":"PingResponse","consumers":["*"],)"
                   R"("examples":[{"response":"examples/found.xml","rejection":{"code":"NO_DATA"}}]})",
               "exactly one of");
}

// The example pack in docs/ loads, so what the documentation shows works.
TEST(ContractPackExample, TheDocumentedPackLoads) {
  auto p = emulator::load_contract_pack(testkit::source_dir() / "docs/examples/contract-pack-ping");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->type.provider, emulator::kEmuMnemonic);
  EXPECT_EQ(p->examples.size(), 3u);
  EXPECT_TRUE(p->type.schema);
}
