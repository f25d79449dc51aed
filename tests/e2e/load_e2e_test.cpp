// The load tool against a real `serve`: it runs for the time asked, counts only successes as
// throughput, reports the server's memory and descriptors, and says what is wrong with bad
// arguments or an unreachable emulator.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/util/bytes.hpp"
#include "tests/support/process.hpp"
#include "tests/support/serve.hpp"

using namespace gosdoki;

namespace {
const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
}  // namespace

TEST(LoadE2E, DrivesServeAndReportsWhatItMeasured) {
  auto dir = testkit::temp_dir("load");
  auto s = testkit::start_serve(kBin, kSrc / "fixtures", dir, 1, {"--rate-limit-smev3", "0", "--rate-limit-smev4", "0"});
  ASSERT_NE(s.admin, 0) << s.proc->log();
  const std::string admin = "http://127.0.0.1:" + std::to_string(s.admin);
  for (const char* op : {"check", "check-smev4", "get-response"}) {
    auto out = dir / (std::string(op) + ".json");
    auto r = testkit::run_process({kBin, "load", "--emulator", admin, "--operation", op, "--clients", "2", "--duration", "2s",
                                   "--json", out.string()},
                                  std::chrono::seconds(90));
    EXPECT_EQ(r.exit_code, 0) << op << ": " << r.out << r.err;
    auto text = read_file(out);
    ASSERT_TRUE(text) << op;
    auto j = nlohmann::json::parse(*text);
    EXPECT_EQ(j["operation"], op);
    EXPECT_GT(j["ok"].get<int>(), 0) << *text;
    EXPECT_EQ(j["errors"].get<int>(), 0) << *text;
    EXPECT_GE(j["seconds"].get<double>(), 2.0);
    EXPECT_LT(j["seconds"].get<double>(), 60.0) << "stops by itself";
    EXPECT_LE(j["latencyMs"]["p50"].get<double>(), j["latencyMs"]["p99"].get<double>());
    EXPECT_GT(j["server"]["after"]["rssBytes"].get<double>(), 1e6) << *text;
    EXPECT_GT(j["server"]["after"]["openFds"].get<int>(), 2) << *text;
    EXPECT_NE(r.out.find("latency ms: p50"), std::string::npos) << r.out;
  }
  // Bounded by --max-operations as well as by time.
  auto few = testkit::run_process({kBin, "load", "--emulator", admin, "--operation", "get-response", "--clients", "3",
                                   "--max-operations", "7", "--duration", "1m", "--json", (dir / "few.json").string()});
  EXPECT_EQ(few.exit_code, 0) << few.err;
  EXPECT_EQ(nlohmann::json::parse(*read_file(dir / "few.json"))["ok"], 7);
  // Presigned: exactly those envelopes are sent, and the server's own counters show one
  // verification each (no signing on its side: an empty GetResponseResponse is not signed), the
  // tool signed nothing during the run; the bound is from this run's measured costs.
  auto pre = testkit::run_process({kBin, "load", "--emulator", admin, "--operation", "get-response", "--clients", "2",
                                   "--presign", "40", "--duration", "1m", "--json", (dir / "pre.json").string()},
                                  std::chrono::seconds(90));
  EXPECT_EQ(pre.exit_code, 0) << pre.out << pre.err;
  auto p = nlohmann::json::parse(*read_file(dir / "pre.json"));
  EXPECT_EQ(p["ok"], 40);
  EXPECT_EQ(p["bound"]["serverCrypto"]["verifies"], 40) << p.dump();
  EXPECT_EQ(p["bound"]["serverCrypto"]["signs"], 0) << p.dump();
  EXPECT_EQ(p["bound"]["clientCrypto"]["signs"], 0) << p.dump();
  double envelope_us = p["bound"]["costs"]["envelopeVerifyUs"].get<double>();
  EXPECT_GT(envelope_us, p["bound"]["costs"]["verifyUs"].get<double>()) << "parse + digest + verify costs more than verify";
  EXPECT_NEAR(p["bound"]["envelopeBoundPerSecond"].get<double>(), 1e6 * p["bound"]["cores"].get<double>() / envelope_us, 1e-6);
  EXPECT_NE(pre.out.find("envelope bound"), std::string::npos) << pre.out;
  EXPECT_TRUE(p["warnings"].empty()) << p.dump();
  // Ended early by --max-operations: said, not silent.
  auto cut = testkit::run_process({kBin, "load", "--emulator", admin, "--operation", "get-response", "--presign", "30",
                                   "--max-operations", "10", "--no-bound", "--json", (dir / "cut.json").string()},
                                  std::chrono::seconds(90));
  auto c = nlohmann::json::parse(*read_file(dir / "cut.json"));
  EXPECT_EQ(c["ok"], 10);
  ASSERT_EQ(c["warnings"].size(), 1u) << c.dump();
  EXPECT_NE(c["warnings"][0].get<std::string>().find("sent 10 of the 30 presigned"), std::string::npos) << c.dump();
  auto huge = testkit::run_process({kBin, "load", "--operation", "get-response", "--presign", "99999999"});
  EXPECT_EQ(huge.exit_code, 64);
  EXPECT_NE(huge.err.find("--presign"), std::string::npos) << huge.err;
  auto wrong = testkit::run_process({kBin, "load", "--emulator", admin, "--operation", "check", "--presign", "5"});
  EXPECT_EQ(wrong.exit_code, 64);
  EXPECT_NE(wrong.err.find("--presign applies to --operation get-response only"), std::string::npos) << wrong.err;
  // The envelope other load tools send (benchmarks/side_by_side.sh): a signed GetResponse.
  auto env_file = dir / "get-response.xml";
  auto w = testkit::run_process({kBin, "load", "--write-envelope", env_file.string()});
  EXPECT_EQ(w.exit_code, 0) << w.err;
  auto env = read_file(env_file);
  ASSERT_TRUE(env);
  EXPECT_NE(env->find("GetResponseRequest"), std::string::npos);
  EXPECT_NE(env->find("<ds:SignatureValue>"), std::string::npos);
  EXPECT_EQ(s.proc->terminate(), 0);
}

TEST(LoadE2E, BadArgumentsAndAnUnreachableEmulatorAreNamed) {
  auto zero = testkit::run_process({kBin, "load", "--clients", "0", "--emulator", "http://127.0.0.1:9"});
  EXPECT_EQ(zero.exit_code, 64);
  EXPECT_NE(zero.err.find("--clients"), std::string::npos) << zero.err;
  auto dur = testkit::run_process({kBin, "load", "--duration", "soon"});
  EXPECT_EQ(dur.exit_code, 64);
  EXPECT_NE(dur.err.find("--duration"), std::string::npos) << dur.err;
  auto op = testkit::run_process({kBin, "load", "--operation", "everything"});
  EXPECT_EQ(op.exit_code, 64);
  auto org = testkit::run_process({kBin, "load", "--org", "nobody", "--emulator", "http://127.0.0.1:9"});
  EXPECT_EQ(org.exit_code, 64);
  EXPECT_NE(org.err.find("nobody"), std::string::npos) << org.err;
  auto away = testkit::run_process({kBin, "load", "--emulator", "http://127.0.0.1:9", "--duration", "1s"});
  EXPECT_EQ(away.exit_code, 2) << away.err;
  EXPECT_NE(away.err.find("serve"), std::string::npos) << away.err;
}
