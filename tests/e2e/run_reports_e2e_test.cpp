// `run` as CI and certifiers use it: same seed → the same journals and messages (signature
// values aside); --replay repeats a manifest and refuses a changed file; --tag filters; the
// expected-failures ledger turns a listed failure into a warning until it expires.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <algorithm>

#include "tests/support/process.hpp"

using gosdoki::testkit::run_process;
using nlohmann::json;

namespace {

const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
const std::string kBin = GOSDOKI_BINARY;

json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return json::parse(in, nullptr, false);
}

// Replaces what lies between `open` and the first of `stops` after it, everywhere.
std::string mask_between(std::string s, const std::string& open, const std::string& stops, const std::string& with) {
  for (auto at = s.find(open); at != std::string::npos; at = s.find(open, at + open.size() + with.size())) {
    auto from = at + open.size();
    auto to = s.find_first_of(stops, from);
    s.replace(from, (to == std::string::npos ? s.size() : to) - from, with);
  }
  return s;
}

// Signature values (GOST and ECDSA signatures are randomised), the ЕСИА client secret and the
// tokens' signatures masked; everything else must be byte for byte the same. In answers the
// DigestValues too: СМЭВ's signature covers a delivered message with its sender's signature in
// it, so that digest follows the sender's random signature value.
std::string without_signature_values(std::string s, bool answer = false) {
  if (answer) s = mask_between(std::move(s), "<ds:DigestValue>", "<", "~");
  s = mask_between(std::move(s), "<ds:SignatureValue>", "<", "~");
  s = mask_between(std::move(s), "client_secret=", "&", "~");
  // A JWT: header.payload.signature — the part after the second dot of each "eyJ…" token.
  for (auto at = s.find("eyJ"); at != std::string::npos; at = s.find("eyJ", at + 3)) {
    auto dot1 = s.find('.', at), dot2 = dot1 == std::string::npos ? dot1 : s.find('.', dot1 + 1);
    if (dot2 == std::string::npos) break;
    auto end = s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dot2 + 1);
    s.replace(dot2 + 1, (end == std::string::npos ? s.size() : end) - dot2 - 1, "~");
    at = dot2;
  }
  return s;
}

struct RunDigest {
  std::map<std::string, std::string> journals;  // file -> journal (JSON) of every channel run
  std::map<std::string, std::string> messages;  // file -> every exchange, signature values masked
  std::size_t events = 0;
};

RunDigest digest(const json& report) {
  RunDigest r;
  for (const auto& s : report["scenarios"]) {
    std::string file = s["file"];
    for (const auto& rec : s["records"]) {
      r.journals[file] += rec["journal"].dump() + "\n";
      r.events += rec["journal"].size();
      for (const auto& x : rec["exchanges"]) {
        r.messages[file] += without_signature_values(x["request"].get<std::string>()) + "\n" +
                            without_signature_values(x["answer"].get<std::string>(), true) + "\n";
      }
    }
  }
  return r;
}

}  // namespace

TEST(RunReportsE2E, TheSameSeedGivesTheSameJournalsAndMessages) {
  auto dir = gosdoki::testkit::temp_dir("same-seed");
  const std::string scenarios = (kSrc / "scenarios").string();
  auto a = run_process({kBin, "run", scenarios, "--seed", "7", "--jobs", "2", "--json", (dir / "a.json").string()},
                       std::chrono::seconds(300));
  auto b = run_process({kBin, "run", scenarios, "--seed", "7", "--jobs", "1", "--json", (dir / "b.json").string()},
                       std::chrono::seconds(300));
  auto c = run_process({kBin, "run", (kSrc / "scenarios/smoke").string(), "--seed", "8", "--json", (dir / "c.json").string()},
                       std::chrono::seconds(300));
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  RunDigest ra = digest(read_json(dir / "a.json")), rb = digest(read_json(dir / "b.json")), rc = digest(read_json(dir / "c.json"));
  ASSERT_GE(ra.journals.size(), 40u);
  EXPECT_GT(ra.events, 400u);
  for (const auto& [file, journal] : ra.journals) {
    EXPECT_EQ(journal, rb.journals[file]) << file << ": the journal differs between two runs with seed 7";
    const std::string &ma = ra.messages[file], &mb = rb.messages[file];
    if (ma != mb) {
      std::size_t at = std::mismatch(ma.begin(), ma.begin() + std::min(ma.size(), mb.size()), mb.begin()).first - ma.begin();
      ADD_FAILURE() << file << ": the messages differ (signature values aside) at byte " << at << ": '"
                    << ma.substr(at < 80 ? 0 : at - 80, 160) << "' vs '" << mb.substr(at < 80 ? 0 : at - 80, 160) << "'";
    }
  }
  // Another seed: other message ids and QR tokens, so other journals.
  std::size_t differ = 0, compared = 0;
  for (const auto& [file, journal] : rc.journals) {
    ++compared;
    differ += journal != ra.journals[file];
  }
  EXPECT_GT(compared, 10u);
  EXPECT_EQ(differ, compared) << "every smoke scenario's journal depends on the seed";
}

TEST(RunReportsE2E, ReplayRepeatsTheManifestAndRefusesAChangedFile) {
  auto dir = gosdoki::testkit::temp_dir("replay");
  std::filesystem::copy(kSrc / "scenarios/smoke", dir / "smoke", std::filesystem::copy_options::recursive);
  auto first = run_process({kBin, "run", (dir / "smoke").string(), "--seed", "11", "--channel", "both", "--manifest",
                            (dir / "manifest.json").string(), "--json", (dir / "first.json").string()},
                           std::chrono::seconds(300));
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto m = read_json(dir / "manifest.json");
  EXPECT_EQ(m["seed"], 11);
  EXPECT_EQ(m["channel"], "both");
  ASSERT_EQ(m["files"].size(), 11u);
  EXPECT_EQ(m["files"][0]["sha256"].get<std::string>().size(), 64u);
  auto again = run_process({kBin, "run", "--replay", (dir / "manifest.json").string(), "--json", (dir / "again.json").string()},
                           std::chrono::seconds(300));
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("seed 11"), std::string::npos) << again.out;
  RunDigest r1 = digest(read_json(dir / "first.json")), r2 = digest(read_json(dir / "again.json"));
  EXPECT_TRUE(r1.journals == r2.journals) << "the replay's journals differ";
  EXPECT_TRUE(r1.messages == r2.messages) << "the replay's messages differ (signature values aside)";

  std::ofstream(dir / "smoke/03-qr-expired.yaml", std::ios::app) << "# changed\n";
  auto changed = run_process({kBin, "run", "--replay", (dir / "manifest.json").string()});
  EXPECT_EQ(changed.exit_code, 64);
  EXPECT_NE(changed.err.find("03-qr-expired.yaml has changed since the manifest was written"), std::string::npos) << changed.err;
  auto mixed = run_process({kBin, "run", "--replay", (dir / "manifest.json").string(), "--seed", "3"});
  EXPECT_EQ(mixed.exit_code, 64);
  EXPECT_NE(mixed.err.find("--replay takes the files, seed"), std::string::npos) << mixed.err;
  std::ofstream(dir / "bad.json") << "{\"seed\": -1}";
  auto bad = run_process({kBin, "run", "--replay", (dir / "bad.json").string()});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("bad.json: 'seed' must be a non-negative integer"), std::string::npos) << bad.err;
}

TEST(RunReportsE2E, TagsFilterTheFiles) {
  auto r = run_process({kBin, "run", (kSrc / "scenarios").string(), "--tag", "retry"}, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The scenarios tagged retry, read from the files themselves (their "tags: [...]" line).
  std::size_t tagged = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kSrc / "scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("tags: [", 0) != 0) continue;
      std::string list = "," + line.substr(7, line.find(']') - 7) + ",";
      list.erase(std::remove(list.begin(), list.end(), ' '), list.end());
      tagged += list.find(",retry,") != std::string::npos;
    }
  }
  ASSERT_GT(tagged, 3u);
  EXPECT_NE(r.out.find("GosDoki Sandbox · " + std::to_string(tagged) + " scenarios"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("left out by --tag"), std::string::npos);
  auto none = run_process({kBin, "run", "--tag", "no-such-tag"});
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_NE(none.err.find("no scenario has any of the tags"), std::string::npos) << none.err;
}

TEST(RunReportsE2E, TheLedgerExcusesAListedFailureUntilItExpires) {
  auto dir = gosdoki::testkit::temp_dir("ledger");
  std::filesystem::create_directories(dir / "s");
  std::ofstream(dir / "s/known-bug.yaml") << "name: a known failure\n"
                                             "given: {organisation: hotel-sever, person: petrov-p, channels: [smev3]}\n"
                                             "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light}\n"
                                             "expect: {code: QR_EXPIRED}\n";
  std::ofstream(dir / "valid.yaml") << "expected_failures:\n  - {scenario: s/known-bug.yaml, owner: team-is, expires: 2099-12-31, "
                                       "reason: ticket 42}\n";
  std::ofstream(dir / "expired.yaml") << "expected_failures:\n  - {scenario: known-bug.yaml, owner: team-is, expires: 2020-01-31, "
                                         "reason: ticket 42}\n";
  auto bare = run_process({kBin, "run", (dir / "s").string()});
  EXPECT_EQ(bare.exit_code, 1) << bare.out;
  auto excused = run_process({kBin, "run", (dir / "s").string(), "--ledger", (dir / "valid.yaml").string()});
  EXPECT_EQ(excused.exit_code, 0) << excused.out << excused.err;
  EXPECT_NE(excused.out.find("WARN  known-bug.yaml"), std::string::npos) << excused.out;
  EXPECT_NE(excused.out.find("expected failure (owner team-is, until 2099-12-31): ticket 42"), std::string::npos);
  auto expired = run_process({kBin, "run", (dir / "s").string(), "--ledger", (dir / "expired.yaml").string()});
  EXPECT_EQ(expired.exit_code, 1) << expired.out;
  EXPECT_NE(expired.out.find("expired on 2020-01-31"), std::string::npos) << expired.out;
  auto missing = run_process({kBin, "run", (dir / "s").string(), "--ledger", (dir / "nope.yaml").string()});
  EXPECT_EQ(missing.exit_code, 64);
}

// expect.signatures: valid checks every signature on the wire: it holds for a clean check and
// fails, naming the message, when the ИС's own signature was broken (even though the expected
// SOAP fault came back).
TEST(RunReportsE2E, SignaturesValidChecksEverySignatureOnTheWire) {
  auto dir = gosdoki::testkit::temp_dir("signatures");
  std::filesystem::create_directories(dir / "s");
  std::ofstream(dir / "s/ok.yaml") << "name: clean\ngiven: {organisation: hotel-sever, person: petrov-p, channels: [smev3]}\n"
                                      "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light}\n"
                                      "expect: {code: OK, signatures: valid}\n";
  std::ofstream(dir / "s/tampered.yaml") << "name: tampered\ngiven: {organisation: hotel-sever, person: petrov-p, channels: [smev3]}\n"
                                            "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light, tamper: signature-value}\n"
                                            "expect: {code: SignatureVerificationFault, signatures: valid}\n";
  auto r = run_process({kBin, "run", (dir / "s").string()}, std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("PASS  ok.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL  tampered.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signatures: message 1 (SendRequest request)"), std::string::npos) << r.out;
  std::ofstream(dir / "bad.yaml") << "name: b\ngiven: {organisation: hotel-sever}\nsteps:\n  - client.check: {}\n"
                                     "expect: {signatures: mostly}\n";
  auto bad = run_process({kBin, "run", (dir / "bad.yaml").string()});
  EXPECT_NE(bad.out.find("bad.yaml:5:22: expect.signatures is 'valid'"), std::string::npos) << bad.out;
}

// Mistakes a scenario author makes are refused when the file is read, at their line.
TEST(RunReportsE2E, AuthoringMistakesAreRefusedAtTheirLine) {
  auto dir = gosdoki::testkit::temp_dir("authoring");
  auto check = [&](const std::string& name, const std::string& text, const std::string& want) {
    std::ofstream(dir / name) << text;
    auto r = run_process({kBin, "run", (dir / name).string()});
    EXPECT_EQ(r.exit_code, 1) << name << r.out;
    EXPECT_NE(r.out.find(want), std::string::npos) << name << ": " << r.out;
  };
  const std::string head = "given: {organisation: hotel-sever, person: petrov-p}\nsteps:\n  - wallet.issue: {}\n";
  check("twice.yaml", "name: a\nname: b\n" + head + "  - client.check: {}\nexpect: {code: OK}\n", "twice.yaml:2:1: 'name' appears twice");
  check("purpose.yaml", "name: a\n" + head + "  - client.check: {purpose: BOGUS}\nexpect: {code: OK}\n",
        "purpose.yaml:5:29: purpose 'BOGUS' is not a purpose");
  check("poll.yaml", "name: a\n" + head + "  - client.check: {pollTimeout: 5ms}\nexpect: {code: OK}\n",
        "poll.yaml:5:33: pollTimeout is a duration from 100ms to 60s");
  check("clock.yaml", "name: a\n" + head + "  - clock.advance: soon\n  - client.check: {}\nexpect: {code: OK}\n",
        "clock.yaml:5:20: clock.advance:");
  check("journal.yaml", "name: a\n" + head + "  - client.check: {}\nexpect: {journal: {smev3.Ack.ok: -1}}\n",
        "is a count: 0 or more");
  auto seed = run_process({kBin, "run", "--seed", "-1"});
  EXPECT_NE(seed.exit_code, 0);
  EXPECT_NE(seed.err.find("non-negative"), std::string::npos) << seed.err;
  auto out = run_process({kBin, "run", "--junit", "/proc/no-such-dir/junit.xml"});
  EXPECT_EQ(out.exit_code, 64);
  EXPECT_EQ(out.out.find("scenarios:"), std::string::npos) << "refused before the run: " << out.out;
}
