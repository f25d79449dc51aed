// The certifier's evidence bundle: the conformance plan writes a final, signed bundle that
// `evidence verify` and OpenSSL's own `cms -verify` (GOST engine) accept; any changed, removed
// or added file is named; a plan with a failing scenario does not finalise.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/support/process.hpp"

using gosdoki::testkit::run_process;

namespace {

const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
const std::string kBin = GOSDOKI_BINARY;

std::filesystem::path conformance_bundle(const std::string& name) {
  auto dir = gosdoki::testkit::temp_dir(name) / "bundle";
  auto r = run_process({kBin, "run", "--plan", "conformance", "--channel", "both", "--evidence", dir.string()},
                       std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(final)"), std::string::npos) << r.out;
  return dir;
}

gosdoki::testkit::ProcessResult verify(const std::filesystem::path& dir) { return run_process({kBin, "evidence", "verify", dir.string()}); }

}  // namespace

TEST(EvidenceE2E, TheConformancePlanWritesAFinalBundleThatVerifiesOffline) {
  auto dir = conformance_bundle("evidence-ok");
  auto ok = verify(dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("intact"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("final (conformance plan)"), std::string::npos) << ok.out;
  auto manifest = nlohmann::json::parse(std::ifstream(dir / "MANIFEST.json"), nullptr, false);
  ASSERT_TRUE(manifest.is_object());
  EXPECT_TRUE(manifest["final"].get<bool>());
  EXPECT_EQ(manifest["plan"], "conformance");
  // The seven conformance scenarios' files are all there, each with both hashes.
  std::size_t sources = 0, messages = 0;
  for (const auto& f : manifest["files"]) {
    std::string p = f["path"];
    sources += p.rfind("scenarios-source/", 0) == 0;
    messages += p.find("/messages/") != std::string::npos;
    EXPECT_EQ(f["sha256"].get<std::string>().size(), 64u) << p;
    EXPECT_EQ(f["streebog256"].get<std::string>().size(), 64u) << p;
  }
  EXPECT_EQ(sources, 7u);
  EXPECT_GT(messages, 7u * 10u) << "every SOAP call and answer of seven checks";
  EXPECT_NE(std::string(manifest["notice"]).find("emulated"), std::string::npos);

  // OpenSSL, independently: the detached CMS over MANIFEST.json, signed by a certificate of the test CA.
  auto conf = dir.parent_path() / "gost.cnf";
  std::ofstream(conf) << "openssl_conf = openssl_def\n[openssl_def]\nengines = engines\n[engines]\ngost = gost\n"
                         "[gost]\nengine_id = gost\ndefault_algorithms = ALL\n";
  auto ossl = run_process({"env", "OPENSSL_CONF=" + conf.string(), "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                           (dir / "MANIFEST.json.p7s").string(), "-content", (dir / "MANIFEST.json").string(), "-CAfile",
                           (kSrc / "fixtures/pki/ca.pem").string(), "-purpose", "any", "-out", "/dev/null"});
  EXPECT_EQ(ossl.exit_code, 0) << ossl.out << ossl.err;
  EXPECT_NE(ossl.err.find("Verification successful"), std::string::npos) << ossl.err;
}

TEST(EvidenceE2E, ATamperedBundleIsDetectedNamingTheFile) {
  auto dir = conformance_bundle("evidence-tamper");
  // One byte of one message changed.
  std::filesystem::path victim;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "scenarios")) {
    if (e.path().string().find("SendRequest.request.xml") != std::string::npos) {
      victim = e.path();
      break;
    }
  }
  ASSERT_FALSE(victim.empty());
  std::string text;
  {
    std::ifstream in(victim, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto at = text.find("<t:MessageID>") + 20;
  text[at] = text[at] == 'a' ? 'b' : 'a';
  std::ofstream(victim, std::ios::binary) << text;
  std::string rel = std::filesystem::relative(victim, dir).generic_string();
  auto changed = verify(dir);
  EXPECT_EQ(changed.exit_code, 1) << changed.out;
  EXPECT_NE(changed.out.find("TAMPERED  " + rel + ": SHA-256 differs from the manifest"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find(rel + ": Streebog-256 differs"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("NOT INTACT"), std::string::npos);

  // An added file, and a removed one.
  std::ofstream(dir / "scenarios" / "extra.txt") << "slipped in later\n";
  std::filesystem::remove(dir / "run" / "junit.xml");
  auto more = verify(dir);
  EXPECT_EQ(more.exit_code, 1);
  EXPECT_NE(more.out.find("scenarios/extra.txt: not listed in the manifest"), std::string::npos) << more.out;
  EXPECT_NE(more.out.find("run/junit.xml: listed but missing"), std::string::npos) << more.out;

  // A listed file replaced by a symbolic link (to a copy outside, identical bytes): named as the link.
  std::filesystem::copy_file(dir / "run/versions.json", dir.parent_path() / "versions-copy.json");
  std::filesystem::remove(dir / "run/versions.json");
  std::filesystem::create_symlink(dir.parent_path() / "versions-copy.json", dir / "run/versions.json");
  std::filesystem::create_symlink("report.json", dir / "run/loop.json");
  auto linked = verify(dir);
  EXPECT_EQ(linked.exit_code, 1);
  EXPECT_NE(linked.out.find("run/versions.json: a symbolic link"), std::string::npos) << linked.out;
  EXPECT_NE(linked.out.find("run/loop.json: a symbolic link, not in the manifest"), std::string::npos) << linked.out;

  // The manifest itself edited to match: now the signature fails.
  std::string m;
  {
    std::ifstream in(dir / "MANIFEST.json", std::ios::binary);
    m.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  m.replace(m.find("\"final\": true"), 13, "\"final\": true ");
  std::ofstream(dir / "MANIFEST.json", std::ios::binary) << m;
  auto resigned = verify(dir);
  EXPECT_EQ(resigned.exit_code, 1);
  EXPECT_NE(resigned.out.find("MANIFEST.json.p7s: the signature over MANIFEST.json does not verify"), std::string::npos)
      << resigned.out;

  std::filesystem::remove(dir / "MANIFEST.json.p7s");
  auto unsigned_bundle = verify(dir);
  EXPECT_EQ(unsigned_bundle.exit_code, 1) << "a missing signature is tampering";
  EXPECT_NE(unsigned_bundle.out.find("TAMPERED  MANIFEST.json.p7s: missing"), std::string::npos) << unsigned_bundle.out;
  auto none = run_process({kBin, "evidence", "verify", (dir.parent_path() / "nothing-here").string()});
  EXPECT_EQ(none.exit_code, 64);
}

TEST(EvidenceE2E, TheConformancePlanRefusesToFinaliseWhenAScenarioFails) {
  auto root = gosdoki::testkit::temp_dir("evidence-fail");
  std::filesystem::copy(kSrc / "scenarios/conformance", root / "plan", std::filesystem::copy_options::recursive);
  std::ofstream(root / "plan/08-wrong.yaml") << "name: a control example with the wrong expectation\n"
                                               "given: {organisation: bank-zarya, person: petrov-p, channels: [smev3]}\n"
                                               "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light, purpose: FINANCIAL}\n"
                                               "expect: {code: FACE_MISMATCH}\n";
  auto r = run_process({kBin, "run", "--plan", "conformance", (root / "plan").string(), "--evidence", (root / "bundle").string()},
                       std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("(NOT FINAL)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("conformance plan: 1 failed"), std::string::npos) << r.out;
  auto v = verify(root / "bundle");
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("intact"), std::string::npos) << "the record of a failed run is itself intact: " << v.out;
  EXPECT_NE(v.out.find("NOT FINAL"), std::string::npos) << v.out;

  auto misuse = run_process({kBin, "run", "--plan", "conformance"});
  EXPECT_EQ(misuse.exit_code, 64);
  EXPECT_NE(misuse.err.find("needs --evidence DIR"), std::string::npos) << misuse.err;
  auto busy = run_process({kBin, "run", "--evidence", (root / "plan").string()});
  EXPECT_EQ(busy.exit_code, 64);
  EXPECT_NE(busy.err.find("is not empty"), std::string::npos) << busy.err;
}

// The ИС under test as an outside command: the reference client itself, run through
// --client-cmd, passes the smoke suite (the scenarios that need its in-process test hooks are
// skipped, saying why); an ИС that does nothing is judged on the wire and by its missing result.
TEST(ExternalIsE2E, TheReferenceClientRunsAsAnExternalCommand) {
  const std::string cmd = kBin + " client check --qr {qr} --face {face} --emulator {admin} --org {org} --purpose {purpose} "
                                 "--channel {channel} --prefill {prefill}";
  auto r = run_process({kBin, "run", "--channel", "both", "--client-cmd", cmd}, std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("SKIP  04-tampered-signature.yaml       uses the reference ИС's tamper"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SKIP  11-test-message.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS  07-qr-one-time.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("11 scenarios: 8 passed, 0 failed, 3 skipped"), std::string::npos) << r.out;

  auto idle = run_process({kBin, "run", (kSrc / "scenarios/smoke/01-happy-path.yaml").string(), "--client-cmd", "echo not json"},
                          std::chrono::seconds(120));
  EXPECT_EQ(idle.exit_code, 1) << idle.out;
  EXPECT_NE(idle.out.find("on the wire: no SendRequest of the ИС was queued"), std::string::npos) << idle.out;
  EXPECT_NE(idle.out.find("on the wire: the ИС never polled GetResponse"), std::string::npos) << idle.out;
  EXPECT_NE(idle.out.find("the ИС wrote nothing to {prefill}, and its standard output is not the form-prefill JSON: not JSON"), std::string::npos) << idle.out;

  auto empty = run_process({kBin, "run", "--client-cmd", ""});
  EXPECT_EQ(empty.exit_code, 64) << "an unset $IS_CMD must not quietly run the reference ИС";
  EXPECT_NE(empty.err.find("--client-cmd is empty"), std::string::npos) << empty.err;
  // ${VAR} and JSON are the shell's; only {lower-case} names are placeholders.
  auto shell = run_process({kBin, "run", (kSrc / "scenarios/smoke/03-qr-expired.yaml").string(), "--client-cmd",
                            "echo '{\"status\": \"rejected\", \"resultCode\": \"QR_EXPIRED\"}' > {prefill}; test -n \"${HOME}\"; exit 1"},
                           std::chrono::seconds(120));
  EXPECT_NE(shell.out.find("on the wire: no SendRequest"), std::string::npos) << shell.out;
  EXPECT_EQ(shell.out.find("unknown placeholder"), std::string::npos) << shell.out;
  EXPECT_EQ(shell.out.find("status is"), std::string::npos) << "its result JSON was read: " << shell.out;
  auto bad = run_process({kBin, "run", "--client-cmd", "my-is {qr} {photo}"});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("unknown placeholder {photo}"), std::string::npos) << bad.err;
}
