#include <gtest/gtest.h>

#include "harness/scenario/scenario.hpp"

using namespace gosdoki::harness;

TEST(ScenarioParse, ReadsGivenStepsAndExpect) {
  auto s = parse_scenario(R"(name: demo
tags: [smoke]
given: {organisation: hotel-sever, person: petrov-p}
steps:
  - wallet.issue: {app: mpgu}
  - clock.advance: 181s
  - client.check:
      face: {person: ivanova-m, variant: noisy}
      purpose: HOTEL
      expect: {code: FACE_MISMATCH}
expect:
  status: rejected
  screen: {person.lastName: Петров}
  journal: {smev3.Ack: 2}
)", "demo.yaml");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->name, "demo");
  EXPECT_EQ(s->organisation, "hotel-sever");
  ASSERT_EQ(s->steps.size(), 3u);
  EXPECT_EQ(s->steps[1].args.at("by"), "181s");
  EXPECT_EQ(s->steps[2].args.at("face.person"), "ivanova-m");
  EXPECT_EQ(s->steps[2].args.at("face.variant"), "noisy");
  EXPECT_EQ(s->steps[2].where.line, 7);
  ASSERT_TRUE(s->steps[2].expect);
  EXPECT_EQ(*s->steps[2].expect->code, "FACE_MISMATCH");
  EXPECT_EQ(*s->expect->status, "rejected");
  EXPECT_EQ(s->expect->screen.at("person.lastName"), "Петров");
  EXPECT_EQ(s->expect->journal.at("smev3.Ack"), 2);
}

TEST(ScenarioParse, ErrorsNameFileLineAndColumn) {
  auto unknown_step = parse_scenario("name: x\ngiven: {organisation: a}\nsteps:\n  - wallet.isue: {}\n", "bad.yaml");
  ASSERT_FALSE(unknown_step);
  EXPECT_NE(unknown_step.error().message.find("bad.yaml:4:5"), std::string::npos) << unknown_step.error().message;
  EXPECT_NE(unknown_step.error().message.find("wallet.isue"), std::string::npos);

  auto unknown_key = parse_scenario("name: x\ngiven: {organisation: a}\nsteps:\n  - client.check: {fase: noisy}\n", "k.yaml");
  ASSERT_FALSE(unknown_key);
  EXPECT_NE(unknown_key.error().message.find("k.yaml:4:20"), std::string::npos) << unknown_key.error().message;
  EXPECT_NE(unknown_key.error().message.find("fase"), std::string::npos);

  auto syntax = parse_scenario("name: x\nsteps: [\n", "s.yaml");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "scenario.syntax");
  EXPECT_NE(syntax.error().message.find("s.yaml:3:"), std::string::npos) << syntax.error().message;

  auto bad_status = parse_scenario("name: x\ngiven: {organisation: a}\nsteps:\n  - wallet.issue: {}\n  - client.check: {}\n"
                                   "expect: {status: fine}\n", "st.yaml");
  ASSERT_FALSE(bad_status);
  EXPECT_NE(bad_status.error().message.find("st.yaml:6:"), std::string::npos) << bad_status.error().message;

  auto nothing = parse_scenario("name: x\ngiven: {organisation: a}\nsteps:\n  - wallet.issue: {}\n  - client.check: {}\n", "e.yaml");
  ASSERT_FALSE(nothing);
  EXPECT_NE(nothing.error().message.find("expects nothing"), std::string::npos) << nothing.error().message;

  auto bad_ref = parse_scenario("name: x\ngiven: {organisation: a}\nsteps:\n  - wallet.issue: {}\n  - client.check: {}\n"
                                "expect:\n  screen:\n    person.lastName: ${person.nosuch}\n", "r.yaml");
  ASSERT_FALSE(bad_ref);
  EXPECT_NE(bad_ref.error().message.find("r.yaml:8:"), std::string::npos) << bad_ref.error().message;
  EXPECT_NE(bad_ref.error().message.find("${person.nosuch}"), std::string::npos);

  auto no_steps = parse_scenario("name: x\ngiven: {organisation: a}\n", "n.yaml");
  ASSERT_FALSE(no_steps);
  EXPECT_NE(no_steps.error().message.find("steps"), std::string::npos);
}
