// The fault plan: rules read from JSON with errors that name the field; which calls a rule hits
// (skip, count, probability); the same seed gives the same hits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/faults/fault_plan.hpp"

using namespace gosdoki;
using emulator::FaultPlan;
using emulator::fault_rule_from_json;
using nlohmann::json;

namespace {

emulator::FaultRule rule(const json& j) {
  auto r = fault_rule_from_json(j);
  EXPECT_TRUE(r) << j.dump() << ": " << (r ? "" : r.error().message);
  return r ? *r : emulator::FaultRule{};
}

std::string error_of(const json& j) {
  auto r = fault_rule_from_json(j);
  return r ? "" : r.error().message;
}

}  // namespace

TEST(FaultPlan, BadRulesAreRefusedNamingTheField) {
  EXPECT_NE(error_of({{"operation", "GetResponse"}, {"action", "explode"}}).find("action 'explode'"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Getresponse"}, {"action", "reset"}}).find("'Getresponse' is not a СМЭВ 3 operation"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"cont", 2}}).find("unknown field 'cont'"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "soapFault"}}).find("needs 'fault'"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "httpStatus"}, {"status", 200}}).find("400..599"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "latency"}, {"latency", "30m"}}).find("at most 20s"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "latency"}, {"latency", {"300ms", "100ms"}}}).find("max is below min"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "SendRequest"}, {"action", "drop"}}).find("GetRequest and GetResponse"), std::string::npos);
  EXPECT_NE(error_of({{"channel", "smev4"}, {"action", "soapFault"}, {"fault", "SMEVFailure"}}).find("smev3 channel"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"probability", 1.5}}).find("(0, 1]"), std::string::npos);
  EXPECT_NE(error_of({{"channel", "esia"}, {"operation", "check"}, {"action", "reset"}}).find("esia operation is 'token'"),
            std::string::npos);
  // Whole numbers are range-checked as 64-bit values: 2^32 is not silently 0 ("every call").
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"count", 4294967296LL}}).find("'count' must be 0..1000000"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"skip", -4294967295LL}}).find("'skip' must be 0..1000000"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "httpStatus"}, {"status", 4294967799LL}}).find("400..599"),
            std::string::npos);
  // A field of another action is a mistake, not a no-op.
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"status", 503}}).find("'status' goes with action httpStatus, not reset"),
            std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}, {"action", "reset"}, {"latency", "5s"}}).find("'latency' goes with action latency"),
            std::string::npos);
  EXPECT_NE(error_of(nlohmann::json::object()).find("'operation' is required on smev3"), std::string::npos);
  EXPECT_NE(error_of({{"operation", "Ack"}}).find("'action' is required"), std::string::npos);
  // Defaults: the one operation of СМЭВ 4 and of ЕСИА.
  EXPECT_EQ(rule({{"channel", "smev4"}, {"action", "reset"}}).operation, "check");
  EXPECT_EQ(rule({{"channel", "esia"}, {"action", "reset"}}).operation, "token");
}

TEST(FaultPlan, SkipThenCountThenNothing) {
  FaultPlan plan(1);
  plan.add(rule({{"operation", "Ack"}, {"action", "reset"}, {"skip", 1}, {"count", 2}}));
  std::vector<bool> hits;
  for (int i = 0; i < 5; ++i) hits.push_back(plan.take("smev3", "Ack").has_value());
  EXPECT_EQ(hits, (std::vector<bool>{false, true, true, false, false}));
  EXPECT_FALSE(plan.take("smev3", "SendRequest")) << "another operation is not touched";
  EXPECT_FALSE(plan.take("smev4", "Ack")) << "another channel is not touched";
  EXPECT_EQ(plan.rules().front().hits, 2);
}

TEST(FaultPlan, CountZeroIsEveryCallAndStarMatchesEveryOperation) {
  FaultPlan plan(1);
  plan.add(rule({{"operation", "*"}, {"action", "latency"}, {"latency", "5ms"}, {"count", 0}}));
  for (const char* op : {"SendRequest", "GetResponse", "Ack", "GetStatus"}) {
    auto h = plan.take("smev3", op);
    ASSERT_TRUE(h) << op;
    EXPECT_EQ(h->latency, std::chrono::milliseconds(5));
  }
}

TEST(FaultPlan, TheSameSeedHitsTheSameCallsWithTheSameLatencies) {
  auto run = [](std::uint64_t seed) {
    FaultPlan plan(seed);
    plan.add(rule({{"operation", "GetResponse"}, {"action", "latency"}, {"latency", {"10ms", "200ms"}}, {"count", 0},
                   {"probability", 0.5}}));
    std::vector<long long> out;
    for (int i = 0; i < 200; ++i) {
      auto h = plan.take("smev3", "GetResponse");
      out.push_back(h ? h->latency.count() : -1);
    }
    return out;
  };
  auto a = run(42), b = run(42), c = run(43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  int hit = 0;
  for (auto v : a) {
    if (v < 0) continue;
    ++hit;
    EXPECT_GE(v, 10000);
    EXPECT_LE(v, 200000);
  }
  // 200 draws at p = 0.5: 100 ± 5σ (σ ≈ 7.1) — a biased generator would fall outside.
  EXPECT_GT(hit, 64);
  EXPECT_LT(hit, 136);
}

TEST(FaultPlan, RulesRoundTripThroughJson) {
  auto r = rule({{"operation", "GetResponse"}, {"action", "drop"}, {"travel", "redelivery"}, {"skip", 2}});
  auto j = emulator::fault_rule_to_json(r);
  EXPECT_EQ(j["travel"], "redelivery");
  EXPECT_EQ(j["skip"], 2);
  j.erase("seen");
  j.erase("hits");
  auto back = rule(j);
  EXPECT_EQ(back.action, "drop");
  EXPECT_EQ(back.skip, 2);
}
