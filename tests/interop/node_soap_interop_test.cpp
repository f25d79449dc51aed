// Interop: the node `soap` client (installed from the npm registry by .ci/run) reads the WSDL
// our СМЭВ 3 serves, builds a GetResponse from it and gets an answer; with a broken signature
// it gets and parses our SOAP fault.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time/datetime.hpp"
#include "core/xml/xml.hpp"
#include "emulator/emulator.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/smev3/envelope.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
const std::filesystem::path kNodeDir = kSrc / "tests/interop/node";

// The ds:Signature over a selector with these values, made the way our client makes it.
std::string signature_for(const s3::MessageTypeSelector& sel, const harness::KeyPair& kp) {
  auto env = s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate);
  EXPECT_TRUE(env);
  auto from = env->find("<ds:Signature");
  auto to = env->find("</ds:Signature>") + std::string("</ds:Signature>").size();
  return env->substr(from, to - from);
}

}  // namespace

TEST(NodeSoap, CallsGetResponseThroughOurWsdl) {
  if (testkit::run_process({"node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is not installed";
  if (!std::filesystem::exists(kNodeDir / "node_modules" / "soap")) {
    GTEST_SKIP() << "node soap is not installed: npm install --prefix " << kNodeDir.string() << " (done by .ci/run)";
  }
  auto src = harness::directory_source(kSrc / "fixtures");
  auto fx = harness::load_fixtures(*src);
  ASSERT_TRUE(fx);
  emulator::EmulatorOptions eo;
  eo.clock_start = fx->scenario_clock;
  eo.clock_frozen = true;
  eo.run_epgu = false;
  auto emu = emulator::Emulator::start(fx->world, eo);
  ASSERT_TRUE(emu);
  const auto& kp = *fx->organisation("hotel-sever")->identity;
  s3::MessageTypeSelector sel;
  sel.namespace_uri = "urn://gosuslugi/gosqr-docs-emul/1.0.0";
  sel.root_element = "ResponseGosQrDocs";
  sel.timestamp = format_datetime((*emu)->clock().now());
  nlohmann::json spec{{"id", sel.id}, {"namespaceUri", *sel.namespace_uri}, {"rootElementLocalName", *sel.root_element},
                      {"timestamp", sel.timestamp}, {"signature", signature_for(sel, kp)}};
  std::string wsdl = (*emu)->smev3_url() + "?wsdl";
  auto r = testkit::run_process({"node", (kNodeDir / "get_response.js").string(), wsdl, spec.dump()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto out = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << r.out << r.err;
  ASSERT_TRUE(out.contains("ok")) << "node-soap got no answer: " << r.out;
  EXPECT_TRUE(out["empty"].get<bool>()) << "an empty queue: " << r.out;
  // What node-soap sent is a GetResponseRequest in the 1.3 namespaces, signed as we signed it.
  std::string sent = out["request"];
  EXPECT_NE(sent.find("GetResponseRequest"), std::string::npos) << sent;
  EXPECT_NE(sent.find("urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3"), std::string::npos);

  // The same with a timestamp other than the signed one: the digest fails, and node-soap
  // parses our SignatureVerificationFault.
  spec["timestamp"] = format_datetime((*emu)->clock().now() + std::chrono::seconds(1));
  auto bad = testkit::run_process({"node", (kNodeDir / "get_response.js").string(), wsdl, spec.dump()});
  auto fault = nlohmann::json::parse(bad.out, nullptr, false);
  ASSERT_TRUE(fault.is_object() && fault.contains("fault")) << bad.out << bad.err;
  EXPECT_NE(fault["fault"].dump().find("SignatureIsInvalid"), std::string::npos) << fault.dump();
  (*emu)->stop();
}
