// Inputs that fuzzing (fuzz/, docs/reliability.md "Fuzzing") or its review found to crash, hang
// or blow up a reader; each must now give a clean error at a bounded cost.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "emulator/admin/admin.hpp"
#include "harness/scenario/scenario.hpp"
#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/parse.hpp"

using namespace gosdoki;

namespace {

std::string soap_with_includes(int n) {
  std::string body = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                     "<ns:AckRequest xmlns:ns=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3\">";
  for (int i = 0; i < n; ++i) {
    body += "<ns:X><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:big%40part\"/></ns:X>";
  }
  return body + "</ns:AckRequest></soap:Body></soap:Envelope>";
}

}  // namespace

// Found while writing fuzz_smev3_envelope: every xop:Include inlined the whole base64 of its
// part, so N references to one 6 MB part within an 8 MiB body made N × 8 MB of document.
TEST(HostileInput, XopPartReferencedTwiceIsRefusedNotInlinedAgain) {
  smev3::MimePart big;
  big.content_id = "big@part";
  big.body = std::string(1000, 'x');
  auto twice = smev3::build_mtom(soap_with_includes(2), {big});
  auto env = smev3::parse_message(twice.content_type, twice.body);
  ASSERT_FALSE(env);
  EXPECT_EQ(env.error().code, "mtom.invalid");
  EXPECT_NE(env.error().message.find("already inlined"), std::string::npos) << env.error().message;

  auto once = smev3::build_mtom(soap_with_includes(1), {big});
  auto ok = smev3::parse_message(once.content_type, once.body);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->xop_resolved, 1);
}

// Found by review of fuzz_scenario_yaml: step arguments were flattened to any depth, and YAML
// aliases make a map of maps of maps from a few lines — 8 levels of 8 keys was 16 M arguments
// (minutes and gigabytes). Arguments now nest one level, and a step takes at most 64.
TEST(HostileInput, ScenarioAliasBombIsRefusedQuickly) {
  std::string yaml = "name: alias bomb\ndescription:\n  - &l0 {a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1}\n";
  for (int i = 1; i < 8; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    yaml += "  - &l" + std::to_string(i) + " {a: " + prev + ", b: " + prev + ", c: " + prev + ", d: " + prev +
            ", e: " + prev + ", f: " + prev + ", g: " + prev + ", h: " + prev + "}\n";
  }
  yaml += "given: {organisation: hotel-sever, person: petrov-p}\nsteps:\n  - client.check: {face: *l7}\n"
          "expect: {status: confirmed}\n";
  auto s = harness::parse_scenario(yaml, "bomb.yaml");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "scenario.invalid");
  EXPECT_NE(s.error().message.find("nests too deep"), std::string::npos) << s.error().message;
}

TEST(HostileInput, ScenarioStepArgumentsAreCapped) {
  std::string face = "{";
  for (int i = 0; i < 100; ++i) face += (i ? ", k" : "k") + std::to_string(i) + ": v";
  face += "}";
  auto s = harness::parse_scenario("name: wide\ngiven: {organisation: o, person: p}\nsteps:\n  - client.check: {face: " +
                                       face + "}\nexpect: {status: confirmed}\n",
                                   "wide.yaml");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("at most 64 arguments"), std::string::npos) << s.error().message;
}

// Found by fuzz_admin_json: a path or query key that is not UTF-8 was echoed into the problem
// JSON, and nlohmann's dump() threw type_error 316 out of AdminApi::handle (over HTTP, the
// server's last-resort catch made it a 500 instead of the 404/400).
TEST(HostileInput, AdminEchoesNonUtf8RequestBytesAsValidJson) {
  VirtualClock clock;
  emulator::Wallet wallet(clock, "key", emulator::Settings{}, 1);
  emulator::EsiaStore esia({});
  emulator::Journal journal;
  emulator::AdminApi api(emulator::AdminDeps{clock, wallet, esia, journal, [] { return std::string("{}"); }, ""});
  for (const char* target : {"/admin/journal\xA4\x86", "/admin/journal?\xFF=1", "/admin/\xC0\xAF"}) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    http::Response r;
    ASSERT_NO_THROW(r = api.handle(req)) << target;
    EXPECT_GE(r.status, 400) << target;
    EXPECT_LT(r.status, 500) << target;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_NE(j["detail"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD stands for the bad bytes";
  }
}

// Found by fuzz_admin_json: ?limit=0 gave an empty page with more=true, and the "next" link read
// events.back() of the empty vector (UBSan: offset applied to a null pointer).
TEST(HostileInput, AdminJournalLimitZeroIsABadRequest) {
  VirtualClock clock;
  emulator::Wallet wallet(clock, "key", emulator::Settings{}, 1);
  emulator::EsiaStore esia({});
  emulator::Journal journal;
  for (int i = 0; i < 3; ++i) journal.record(emulator::JournalEvent{0, clock.now(), "admin", "x", "", "", "ok"});
  emulator::AdminApi api(emulator::AdminDeps{clock, wallet, esia, journal, [] { return std::string("{}"); }, ""});
  http::Request req;
  req.method = "GET";
  req.target = "/admin/journal?since=1&limit=0";
  auto r = api.handle(req);
  EXPECT_EQ(r.status, 400) << r.body;
  req.target = "/admin/journal?since=1&limit=1";
  r = api.handle(req);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["next"], "/admin/journal?since=2&limit=1");
}
