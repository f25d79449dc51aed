// The expected-failures ledger: its file format and errors, and what it does to verdicts.
#include <gtest/gtest.h>

#include "harness/ledger/ledger.hpp"

using namespace gosdoki::harness;

namespace {

ScenarioOutcome outcome(const std::string& file, const std::string& verdict) {
  ScenarioOutcome o;
  o.file = file;
  o.verdict = verdict;
  if (verdict == "fail") o.failures.push_back(file + ":3:1: code is OK, expected QR_EXPIRED");
  return o;
}

const char* kLedger =
    "expected_failures:\n"
    "  - scenario: faults/07-slow.yaml\n"
    "    owner: team-is\n"
    "    expires: 2026-12-31\n"
    "    reason: the ИС retries too slowly (ticket 42)\n"
    "  - scenario: old.yaml\n"
    "    owner: someone\n"
    "    expires: 2026-01-31\n"
    "    reason: forgotten\n";

}  // namespace

TEST(Ledger, ErrorsNameFileLineAndColumn) {
  auto bad = [](const std::string& text) {
    auto l = parse_ledger(text, "ledger.yaml");
    return l ? std::string() : l.error().message;
  };
  EXPECT_NE(bad("expected_failures:\n  - scenario: a.yaml\n    owner: x\n    expires: 2026-13-01\n    reason: r\n")
                .find("ledger.yaml:4:14: expires '2026-13-01' is not a date YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(bad("expected_failures:\n  - {scenario: a.yaml, owner: x, expires: 2027-02-30, reason: r}\n").find("is not a date"),
            std::string::npos)
      << "February has no 30th";
  EXPECT_TRUE(parse_ledger("expected_failures:\n  - {scenario: a.yaml, owner: x, expires: 2028-02-29, reason: r}\n", "l.yaml"))
      << "2028 is a leap year";
  EXPECT_NE(bad("expected_failures:\n  - scenario: a.yaml\n    owner: x\n    reason: r\n").find("ledger.yaml:2:5: the entry needs 'expires'"),
            std::string::npos);
  EXPECT_NE(bad("expected_failures:\n  - {scenario: a.yaml, owner: x, expires: 2026-01-01, reason: r, ownr: y}\n")
                .find("unknown key 'ownr'"),
            std::string::npos);
  EXPECT_NE(bad("expected_failures: [ {scenario: a.yaml\n").find("ledger.yaml:"), std::string::npos);
  EXPECT_NE(bad("- a\n").find("expected_failures"), std::string::npos);
  EXPECT_NE(bad(std::string(kLedger) + "  - {scenario: old.yaml, owner: b, expires: 2027-01-01, reason: again}\n")
                .find("old.yaml is listed twice"),
            std::string::npos);
}

TEST(Ledger, AListedFailureIsAWarningUntilItsDay) {
  auto l = parse_ledger(kLedger, "ledger.yaml");
  ASSERT_TRUE(l) << l.error().message;
  auto o = outcome("scenarios/faults/07-slow.yaml", "fail");
  EXPECT_FALSE(apply_ledger(*l, o, "2026-12-31"));  // the expiry day still holds
  EXPECT_EQ(o.verdict, "warning");
  EXPECT_NE(o.failures.back().find("expected failure (owner team-is, until 2026-12-31)"), std::string::npos);
  auto late = outcome("scenarios/faults/07-slow.yaml", "fail");
  (void)apply_ledger(*l, late, "2027-01-01");
  EXPECT_EQ(late.verdict, "fail") << "past its date the entry no longer excuses the failure";
  // A path suffix matches only at a directory boundary.
  auto other = outcome("scenarios/otherfaults/07-slow.yaml", "fail");
  (void)apply_ledger(*l, other, "2026-12-01");
  EXPECT_EQ(other.verdict, "fail");
}

TEST(Ledger, ExpiredEntriesAreNamedAndAPassingListedScenarioIsNoted) {
  auto l = parse_ledger(kLedger, "ledger.yaml");
  ASSERT_TRUE(l);
  auto expired = expired_entries(*l, "2026-12-03");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_NE(expired[0].find("ledger.yaml:6:5: the entry for old.yaml (owner someone) expired on 2026-01-31"), std::string::npos)
      << expired[0];
  auto ok = outcome("x/old.yaml", "pass");
  auto note = apply_ledger(*l, ok, "2026-01-01");
  ASSERT_TRUE(note);
  EXPECT_NE(note->find("passes: its ledger entry can go"), std::string::npos);
  EXPECT_EQ(ok.verdict, "pass");
}
