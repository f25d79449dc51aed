// POST /admin/faults: rules checked like a scenario's fault step (and against the WSDL), listed
// with their counts, cleared; the old /admin/smev3/faults is a view of the same plan.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/emulator.hpp"
#include "emulator/faults/fault_plan.hpp"
#include "core/util/uuid.hpp"
#include "protocol/smev3/envelope.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;
using nlohmann::json;

namespace {

struct Admin {
  std::unique_ptr<emulator::Emulator> emu;
  std::unique_ptr<http::Client> http;
  Admin() {
    emulator::EmulatorOptions eo;
    eo.clock_frozen = true;
    eo.run_epgu = false;
    auto e = emulator::Emulator::start(testkit::fixtures().world, eo);
    EXPECT_TRUE(e);
    emu = std::move(*e);
    http = std::make_unique<http::Client>("127.0.0.1", emu->admin_port());
  }
  http::Response post(const json& body) { return *http->post("/admin/faults", "application/json", body.dump()); }
};

}  // namespace

TEST(AdminFaults, RulesAreCheckedListedAndCleared) {
  Admin a;
  auto bad = a.post({{"operation", "GetResponse"}, {"action", "explode"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("action 'explode'"), std::string::npos) << bad.body;
  auto undeclared = a.post({{"operation", "Ack"}, {"action", "soapFault"}, {"fault", "AccessDenied"}});
  EXPECT_EQ(undeclared.status, 400);
  EXPECT_NE(undeclared.body.find("does not declare fault 'AccessDenied' for Ack"), std::string::npos) << undeclared.body;
  auto list = a.post(json::array({{{"operation", "GetResponse"}, {"action", "drop"}, {"travel", "redelivery"}},
                                  {{"channel", "esia"}, {"action", "httpStatus"}, {"status", 503}, {"count", 2}}}));
  ASSERT_EQ(list.status, 200) << list.body;
  auto j = json::parse(list.body);
  ASSERT_EQ(j["rules"].size(), 2u);
  EXPECT_EQ(j["rules"][1]["operation"], "token");
  EXPECT_EQ(j["rules"][1]["hits"], 0);
  auto second_bad = a.post(json::array({{{"operation", "Ack"}, {"action", "reset"}}, {{"operation", "Ack"}}}));
  EXPECT_EQ(second_bad.status, 400);
  EXPECT_NE(second_bad.body.find("rule 2: "), std::string::npos) << "numbered from 1: " << second_bad.body;
  EXPECT_EQ(a.emu->faults().rules().size(), 2u) << "a refused list adds nothing";
  EXPECT_EQ(a.post({{"seed", 5}}).status, 200);
  auto cleared = a.http->request("DELETE", "/admin/faults");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(json::parse(cleared->body)["rules"].size(), 0u);
}

TEST(AdminFaults, TheOldSmev3EndpointIsAViewOfThePlan) {
  Admin a;
  auto r = a.http->post("/admin/smev3/faults", "application/json",
                        json{{"operation", "SendRequest"}, {"fault", "SMEVFailure"}, {"count", 2}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto rules = a.emu->faults().rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].action, "soapFault");
  EXPECT_EQ(rules[0].count, 2);
  EXPECT_EQ(json::parse(r->body)["pending"][0]["remaining"], 2);
}

TEST(AdminFaults, ADeeplyNestedBodyIsRefusedNotFollowed) {
  Admin a;
  std::string deep(200000, '[');
  auto r = a.http->post("/admin/faults", "application/json", deep);
  ASSERT_TRUE(r) << "the server must stay up";
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("nests"), std::string::npos) << r->body;
  // Brackets inside strings are text, not nesting.
  auto fine = a.post({{"operation", "Ack"}, {"action", "soapFault"}, {"fault", std::string(100, '[')}});
  EXPECT_EQ(fine.status, 400);
  EXPECT_EQ(fine.body.find("nests"), std::string::npos) << fine.body;
  auto health = a.http->get("/admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// A refused envelope is kept and explained: which signature, which digest was signed and which
// one the emulator computed, so the developer sees why without guessing.
TEST(AdminFaults, NearMissesExplainARefusedEnvelope) {
  Admin a;
  const auto& org = *testkit::fixtures().organisation("hotel-sever");
  VirtualClock clock;
  UuidGenerator ids(clock, 7);
  gosdoki::smev3::SenderProvidedRequestData data;
  data.message_id = ids.v1();
  data.business_xml = "<q:Ping xmlns:q=\"urn://example/ping/1.0.0\">hello</q:Ping>";
  auto signed_env = gosdoki::smev3::sign_envelope(gosdoki::smev3::build_send_request(gosdoki::smev3::Version::v1_3, data),
                                                  org.identity->key, org.identity->certificate);
  ASSERT_TRUE(signed_env);
  std::string body = *signed_env;
  body.replace(body.find("hello"), 5, "HELLO");  // signed content changed after signing
  http::Client smev("127.0.0.1", a.emu->smev3_port());
  auto url = http::parse_url(a.emu->smev3_url());
  auto r = smev.post(url->target, "text/xml; charset=utf-8", body, {{"SOAPAction", "\"urn:SendRequest\""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  auto nm = a.http->get("/admin/near-misses?octets=1");
  ASSERT_TRUE(nm);
  ASSERT_EQ(nm->status, 200) << nm->body;
  auto j = json::parse(nm->body);
  ASSERT_EQ(j["nearMisses"].size(), 1u) << nm->body;
  const auto& m = j["nearMisses"][0];
  EXPECT_EQ(m["operation"], "SendRequest");
  EXPECT_EQ(m["fault"], "SignatureVerificationFault");
  EXPECT_EQ(m["signatureFault"], "SignatureIsInvalid");
  ASSERT_EQ(m["signatures"].size(), 1u);
  const auto& sig = m["signatures"][0];
  EXPECT_FALSE(sig["digestOk"].get<bool>());
  EXPECT_NE(sig["digestSigned"], sig["digestComputed"]);
  EXPECT_NE(sig["transformedOctets"].get<std::string>().find("HELLO"), std::string::npos) << "what the emulator hashed";
  EXPECT_NE(sig["certificate"].get<std::string>().find("Гостиница"), std::string::npos) << sig.dump();
}
