// End to end through the real binary: `serve` in the background, `wallet issue` and
// `client check` against it as separate processes, as a user runs them from the README.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "core/http/http.hpp"
#include "core/util/bytes.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
using testkit::run_process;

namespace {

const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;

nlohmann::json fixture_person(const std::string& id) {
  auto text = read_file(kSrc / "fixtures" / "persons.json");
  for (const auto& p : nlohmann::json::parse(*text)) {
    if (p["id"] == id) return p;
  }
  return {};
}

class ServeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = testkit::temp_dir("e2e");
    auto port_file = dir_ / "ports.json";
    serve_ = new testkit::Background({kBin, "serve", "--smev3-port", "0", "--admin-port", "0", "--esia-port", "0", "--smev4-port", "0", "--port-file",
                                      port_file.string(), "--fixtures", (kSrc / "fixtures").string(), "--data-dir",
                                      (dir_ / "data").string()},
                                     dir_);
    for (int i = 0; i < 600 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto ports = read_file(port_file);
    ASSERT_TRUE(ports) << "serve did not start: " << serve_->log();
    auto j = nlohmann::json::parse(*ports);
    smev3_port_ = j["smev3"];
    admin_port_ = j["admin"];
    emulator_ = "http://127.0.0.1:" + std::to_string(admin_port_);
  }
  static void TearDownTestSuite() {
    if (serve_) {
      EXPECT_EQ(serve_->terminate(), 0) << "serve should stop cleanly on SIGTERM";
    }
    delete serve_;
    serve_ = nullptr;
  }

  std::filesystem::path issue(const std::string& person) {
    auto out = dir_ / (person + "-" + std::to_string(++counter_) + ".png");
    auto r = run_process({kBin, "wallet", "issue", "--person", person, "--out", out.string(), "--emulator", emulator_});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(std::filesystem::exists(out));
    return out;
  }

  testkit::ProcessResult check(const std::filesystem::path& qr, const std::filesystem::path& face,
                               std::vector<std::string> extra = {}) {
    std::vector<std::string> args{kBin, "client", "check", "--qr", qr.string(), "--face", face.string(), "--emulator",
                                  emulator_, "--fixtures", (kSrc / "fixtures").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args);
  }

  static inline testkit::Background* serve_ = nullptr;
  static inline std::filesystem::path dir_;
  static inline int smev3_port_ = 0, admin_port_ = 0;
  static inline std::string emulator_;
  static inline int counter_ = 0;
};

}  // namespace

TEST_F(ServeE2E, PassportDataOnTheOperatorScreen) {
  auto qr = issue("petrov-p");
  auto prefill = dir_ / "prefill.json";
  auto r = check(qr, kSrc / "fixtures/faces/petrov-p/office-light.jpg", {"--prefill", prefill.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto person = fixture_person("petrov-p");
  EXPECT_NE(r.out.find("ЛИЧНОСТЬ ПОДТВЕРЖДЕНА"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(person["lastName"].get<std::string>()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(person["passport"]["series"].get<std::string>()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(person["passport"]["number"].get<std::string>()), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(*read_file(prefill));
  EXPECT_EQ(j["status"], "confirmed");
  EXPECT_EQ(j["person"]["lastName"], person["lastName"]);
  EXPECT_EQ(j["document"]["number"], person["passport"]["number"]);
  EXPECT_EQ(j["document"]["issueId"], person["passport"]["issueId"]);
  EXPECT_FALSE(j.contains("oid")) << "the ЕСИА OID is never given to the organisation";
}

TEST_F(ServeE2E, AnotherPersonsFaceIsAMismatch) {
  auto qr = issue("petrov-p");
  auto r = check(qr, kSrc / "fixtures/faces/ivanova-m/office-light.jpg");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FACE_MISMATCH"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(fixture_person("petrov-p")["passport"]["number"].get<std::string>()), std::string::npos)
      << "no passport data on a refused check";
}

TEST_F(ServeE2E, AQrIsOneTime) {
  auto qr = issue("sidorov-a");
  auto face = kSrc / "fixtures/faces/sidorov-a/office-light.jpg";
  EXPECT_EQ(check(qr, face).exit_code, 0);
  auto again = check(qr, face);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("QR_ALREADY_USED"), std::string::npos) << again.out;
}

TEST_F(ServeE2E, AdvancingTheSharedClockExpiresTheQr) {
  auto qr = issue("kuznetsova-e");
  http::Client admin("127.0.0.1", static_cast<std::uint16_t>(admin_port_));
  auto moved = admin.post("/admin/clock", "application/json", R"({"advance":"181s"})");
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->status, 200) << moved->body;
  auto r = check(qr, kSrc / "fixtures/faces/kuznetsova-e/office-light.jpg");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("QR_EXPIRED"), std::string::npos) << r.out;
}

TEST_F(ServeE2E, BadInputToTheCommandsNamesWhatIsWrong) {
  auto face = kSrc / "fixtures/faces/petrov-p/office-light.jpg";
  auto missing = check(dir_ / "nope.png", face);
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("nope.png: no such file"), std::string::npos) << missing.err;

  auto text_file = dir_ / "notes.txt";
  ASSERT_TRUE(write_file(text_file, "this is not an image\n"));
  auto not_image = check(text_file, face);
  EXPECT_EQ(not_image.exit_code, 64);
  EXPECT_NE(not_image.err.find("not a PNG or JPEG"), std::string::npos) << not_image.err;

  auto no_qr = check(face, face);  // a face photo has no QR code in it
  EXPECT_EQ(no_qr.exit_code, 64);
  EXPECT_NE(no_qr.err.find("QR"), std::string::npos) << no_qr.err;

  auto qr = issue("smirnov-d");
  auto bad_face = check(qr, text_file);
  EXPECT_EQ(bad_face.exit_code, 64);
  EXPECT_NE(bad_face.err.find("--face"), std::string::npos) << bad_face.err;

  auto unknown_org = check(qr, face, {"--org", "no-such-org"});
  EXPECT_EQ(unknown_org.exit_code, 64);
  EXPECT_NE(unknown_org.err.find("hotel-sever"), std::string::npos) << "lists the known organisations: " << unknown_org.err;

  auto nobody = run_process({kBin, "wallet", "issue", "--person", "nobody", "--out", (dir_ / "x.png").string(),
                             "--emulator", emulator_});
  EXPECT_NE(nobody.exit_code, 0);
  EXPECT_NE(nobody.err.find("petrov-p"), std::string::npos) << nobody.err;

  auto no_server = run_process({kBin, "wallet", "issue", "--person", "petrov-p", "--out", (dir_ / "y.png").string(),
                                "--emulator", "http://127.0.0.1:1"});
  EXPECT_EQ(no_server.exit_code, 2);
  EXPECT_NE(no_server.err.find("serve"), std::string::npos) << no_server.err;

  auto usage = run_process({kBin, "client", "check", "--qr"});
  EXPECT_EQ(usage.exit_code, 64) << usage.out << usage.err;
}

TEST_F(ServeE2E, BadInputToTheEndpointsGetsItsFault) {
  http::Client smev("127.0.0.1", static_cast<std::uint16_t>(smev3_port_));
  auto malformed = smev.post("/transport_1_0_2/", "text/xml; charset=utf-8", "<soap:Envelope><unclosed>");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 500);
  EXPECT_NE(malformed->body.find("InvalidContent"), std::string::npos) << malformed->body;
  EXPECT_NE(malformed->body.find("line 1"), std::string::npos) << "names the place: " << malformed->body;

  auto xxe = smev.post("/transport_1_0_2/", "text/xml",
                       "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
  ASSERT_TRUE(xxe);
  EXPECT_EQ(xxe->status, 500);
  EXPECT_EQ(xxe->body.find("root:"), std::string::npos);
  EXPECT_NE(xxe->body.find("DOCTYPE"), std::string::npos) << xxe->body;

  auto unsigned_env = smev.post(
      "/transport_1_0_2/", "text/xml",
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header/><soap:Body>"
      "<t:AckRequest xmlns:t=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3\" "
      "xmlns:b=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3\">"
      "<b:AckTargetMessage Id=\"SIGNED_BY_CALLER\">ac9fbf27-8b8c-11eb-9086-e2bf794ac2e9</b:AckTargetMessage>"
      "</t:AckRequest></soap:Body></soap:Envelope>");
  ASSERT_TRUE(unsigned_env);
  EXPECT_EQ(unsigned_env->status, 500);
  EXPECT_NE(unsigned_env->body.find("NoSignatureFound"), std::string::npos) << unsigned_env->body;

  auto huge = smev.post("/transport_1_0_2/", "text/xml", std::string(9u << 20, 'x'));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 500);
  EXPECT_NE(huge->body.find("limit"), std::string::npos) << huge->body;

  http::Client admin("127.0.0.1", static_cast<std::uint16_t>(admin_port_));
  auto bad_json = admin.post("/admin/clock", "application/json", "{not json");
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_NE(bad_json->body.find("\"detail\""), std::string::npos) << bad_json->body;
  auto bad_clock = admin.post("/admin/clock", "application/json", R"({"advance":"soon"})");
  ASSERT_TRUE(bad_clock);
  EXPECT_EQ(bad_clock->status, 400);
  EXPECT_NE(bad_clock->body.find("advance"), std::string::npos) << bad_clock->body;
  EXPECT_TRUE(serve_->running()) << "nothing above may bring the server down";
}

// Several operators of one ИС check at the same time: each gets its own answer (their requests
// carry different NodeIDs and each polls for its node).
TEST_F(ServeE2E, ConcurrentChecksOfOneOrganisation) {
  const std::vector<std::string> people{"petrov-p", "ivanova-m", "sidorov-a", "kuznetsova-e", "smirnov-d"};
  std::vector<std::filesystem::path> qrs;
  for (const auto& p : people) qrs.push_back(issue(p));
  std::vector<testkit::ProcessResult> results(people.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < people.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = check(qrs[i], kSrc / "fixtures/faces" / people[i] / "office-light.jpg", {"--timeout", "60s"});
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < people.size(); ++i) {
    EXPECT_EQ(results[i].exit_code, 0) << people[i] << ": " << results[i].out << results[i].err;
    EXPECT_NE(results[i].out.find(fixture_person(people[i])["passport"]["number"].get<std::string>()), std::string::npos)
        << people[i] << " got someone else's answer: " << results[i].out;
  }
}

TEST_F(ServeE2E, OutputPathsAreCheckedBeforeAnythingIsSpent) {
  auto good = issue("volkova-a");
  auto bad = run_process({kBin, "wallet", "issue", "--person", "volkova-a", "--out", (dir_ / "no/such/dir/q.png").string(),
                          "--emulator", emulator_});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("does not exist"), std::string::npos) << bad.err;
  auto prefill_dir = check(good, kSrc / "fixtures/faces/volkova-a/office-light.jpg",
                           {"--prefill", dir_.string(), "--org", "shop-vinograd"});
  EXPECT_EQ(prefill_dir.exit_code, 64);
  EXPECT_NE(prefill_dir.err.find("is a directory"), std::string::npos) << prefill_dir.err;
  // Neither refused call used up or revoked the QR.
  auto r = check(good, kSrc / "fixtures/faces/volkova-a/office-light.jpg", {"--org", "shop-vinograd"});
  EXPECT_NE(r.out.find("AGE_NOT_CONFIRMED"), std::string::npos) << r.out;  // 16 years old, 18+ goods
  EXPECT_EQ(r.exit_code, 1) << "an 18+ sale to a minor must not exit 0";
}

// The same check over СМЭВ 4: the client gets an ЕСИА token (client_secret signed with the
// hotel's key) and calls the регламентированный запрос; the screen shows the same passport.
TEST_F(ServeE2E, PassportDataOverSmev4) {
  auto person = fixture_person("sidorov-a");
  auto r = check(issue("sidorov-a"), kSrc / "fixtures/faces/sidorov-a/office-light.jpg",
                 {"--channel", "smev4", "--org", "bank-zarya", "--purpose", "FINANCIAL", "-v"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(person["lastName"].get<std::string>()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(person["passport"]["number"].get<std::string>()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("СМЭВ 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ЕСИА token → ok"), std::string::npos) << r.out;
}

// The registry at run time, through the CLI: removed, applied (pending: refused), approved (served).
TEST_F(ServeE2E, RegistryApplicationThroughTheCli) {
  const std::string fx = (kSrc / "fixtures").string();
  auto removed = run_process({kBin, "registry", "remove", "--org", "shop-vinograd", "--emulator", emulator_, "--fixtures", fx});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  auto applied = run_process({kBin, "registry", "apply", "--org", "shop-vinograd", "--emulator", emulator_, "--fixtures", fx});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  auto at = applied.out.find("ZV-");
  ASSERT_NE(at, std::string::npos) << applied.out;
  std::string id = applied.out.substr(at, 9);
  auto face = kSrc / "fixtures/faces/smirnov-d/office-light.jpg";
  auto pending = check(issue("smirnov-d"), face, {"--org", "shop-vinograd", "--purpose", "AGE_18_GOODS"});
  EXPECT_EQ(pending.exit_code, 1) << pending.out;
  EXPECT_NE(pending.out.find("ORG_NOT_REGISTERED"), std::string::npos) << pending.out;
  EXPECT_NE(pending.out.find(id), std::string::npos) << "the refusal names the application: " << pending.out;
  auto approved = run_process({kBin, "registry", "approve", id, "--emulator", emulator_});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  auto served = check(issue("smirnov-d"), face, {"--org", "shop-vinograd", "--purpose", "AGE_18_GOODS", "--channel", "smev4"});
  EXPECT_EQ(served.exit_code, 0) << served.out << served.err;
  auto again = run_process({kBin, "registry", "approve", id, "--emulator", emulator_});
  EXPECT_EQ(again.exit_code, 64);
  EXPECT_NE(again.err.find("already approved"), std::string::npos) << again.err;
}

TEST(ServeOptionsE2E, RefusesUnsafeOrContradictoryOptions) {
  auto exposed = run_process({kBin, "serve", "--admin-bind", "0.0.0.0", "--admin-port", "0", "--smev3-port", "0"});
  EXPECT_EQ(exposed.exit_code, 64);
  EXPECT_NE(exposed.err.find("--admin-token"), std::string::npos) << exposed.err;
  auto same = run_process({kBin, "serve", "--smev3-port", "5077", "--admin-port", "5077"});
  EXPECT_EQ(same.exit_code, 64);
  EXPECT_NE(same.err.find("must differ"), std::string::npos) << same.err;
  auto threads = run_process({kBin, "serve", "--threads", "0"});
  EXPECT_EQ(threads.exit_code, 64);
  auto same4 = run_process({kBin, "serve", "--smev3-port", "0", "--admin-port", "0", "--esia-port", "5078", "--smev4-port", "5078"});
  EXPECT_EQ(same4.exit_code, 64);
  EXPECT_NE(same4.err.find("--esia-port and --smev4-port must differ"), std::string::npos) << same4.err;
}

// Hostile traffic on the СМЭВ port leaves the admin API usable: 520 connections that trickle
// their headers, then requests with 60 000 attributes.
TEST_F(ServeE2E, FloodsOnTheSmevPortDoNotBlockTheAdminApi) {
  std::vector<int> socks;
  for (int i = 0; i < 520; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(smev3_port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const char partial[] = "POST /transport_1_0_2/ HTTP/1.1\r\nHost: x\r\n";
      (void)::send(fd, partial, sizeof partial - 1, MSG_NOSIGNAL);
    }
    socks.push_back(fd);
  }
  std::string attrs = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><t:GetRequestRequest "
                      "xmlns:t=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3\"";
  for (int i = 0; i < 60000; ++i) attrs += " a" + std::to_string(i) + "=\"x\"";
  attrs += "/></soap:Body></soap:Envelope>";
  auto t0 = std::chrono::steady_clock::now();
  http::Client admin("127.0.0.1", static_cast<std::uint16_t>(admin_port_), std::chrono::seconds(5));
  auto health = admin.get("/admin/health");
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, 200);
  for (int fd : socks) ::close(fd);
  http::Client smev("127.0.0.1", static_cast<std::uint16_t>(smev3_port_), std::chrono::seconds(10));
  for (int i = 0; i < 3; ++i) {
    auto r = smev.post("/transport_1_0_2/", "text/xml", attrs);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NE(r->body.find("attributes"), std::string::npos) << r->body.substr(0, 400);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 5000);
}

namespace {

// Sends `header` and then up to `body_bytes` of filler over a raw socket, as fast as the server
// takes it, and returns what the server answered (empty when it answered nothing).
std::string push_body(int port, const std::string& header, std::size_t body_bytes, bool chunked) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return {};
  timeval tv{15, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  (void)::send(fd, header.data(), header.size(), MSG_NOSIGNAL);
  const std::string block(1u << 20, '<');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", block.size());
  for (std::size_t sent = 0; sent < body_bytes; sent += block.size()) {
    if (chunked && ::send(fd, size_line, std::strlen(size_line), MSG_NOSIGNAL) < 0) break;
    if (::send(fd, block.data(), block.size(), MSG_NOSIGNAL) < 0) break;  // the server stopped reading
    if (chunked && ::send(fd, "\r\n", 2, MSG_NOSIGNAL) < 0) break;
  }
  std::string answer;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return answer;
}

}  // namespace

// A 100 MB body, announced or chunked, is refused after the first 8 MiB with a SOAP fault
// naming the limit, quickly, and the server goes on serving.
TEST_F(ServeE2E, AHundredMegabyteBodyGetsItsFaultFast) {
  const std::size_t hundred_mb = 100u << 20;
  for (bool chunked : {false, true}) {
    std::string header = "POST /transport_1_0_2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n";
    header += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + std::to_string(hundred_mb) + "\r\n\r\n";
    auto t0 = std::chrono::steady_clock::now();
    std::string answer = push_body(smev3_port_, header, hundred_mb, chunked);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(answer.rfind("HTTP/1.1 500", 0), 0u) << (chunked ? "chunked: " : "announced: ") << answer.substr(0, 300);
    EXPECT_NE(answer.find("InvalidContent"), std::string::npos) << answer.substr(0, 600);
    EXPECT_NE(answer.find("8388608"), std::string::npos) << "names the limit: " << answer.substr(0, 600);
    EXPECT_LT(ms, 10000) << "refused without taking the whole body";
  }
  http::Client admin("127.0.0.1", static_cast<std::uint16_t>(admin_port_));
  auto health = admin.get("/admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(serve_->running());
}

namespace {

// The PASS/FAIL/SKIP lines of a run: status, file and result code, without the times.
std::vector<std::string> verdict_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("PASS", 0) != 0 && line.rfind("FAIL", 0) != 0 && line.rfind("SKIP", 0) != 0) continue;
    std::istringstream words(line);
    std::string status, file, code;
    words >> status >> file >> code;
    lines.push_back(status + " " + file + " " + code);
  }
  return lines;
}

}  // namespace

// --jobs runs scenarios side by side and still reports them in file order with the same
// verdicts; --shard i/N splits the files into N interleaved parts that together are all of them.
TEST(RunE2E, JobsKeepTheOrderAndShardsPartitionTheFiles) {
  const std::string dir = (kSrc / "scenarios").string();
  auto one = run_process({kBin, "run", dir, "--jobs", "1"}, std::chrono::seconds(120));
  auto four = run_process({kBin, "run", dir, "--jobs", "4"}, std::chrono::seconds(120));
  ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.out << four.err;
  auto sequential = verdict_lines(one.out);
  ASSERT_GE(sequential.size(), 20u) << one.out;
  EXPECT_EQ(verdict_lines(four.out), sequential);

  std::vector<std::string> joined;
  std::vector<std::string> a = verdict_lines(run_process({kBin, "run", dir, "--shard", "1/3"}).out);
  std::vector<std::string> b = verdict_lines(run_process({kBin, "run", dir, "--shard", "2/3"}).out);
  std::vector<std::string> c = verdict_lines(run_process({kBin, "run", dir, "--shard", "3/3", "--jobs", "2"}).out);
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(c.empty());
  // Interleaved: file k goes to shard k mod 3.
  for (std::size_t k = 0; k < sequential.size(); ++k) {
    const auto& part = k % 3 == 0 ? a : k % 3 == 1 ? b : c;
    ASSERT_LT(k / 3, part.size()) << k;
    EXPECT_EQ(part[k / 3], sequential[k]);
  }
  EXPECT_EQ(a.size() + b.size() + c.size(), sequential.size());

  for (const char* bad : {"0/2", "3/2", "2", "1/0", "1/2x"}) {
    auto r = run_process({kBin, "run", "--shard", bad});
    EXPECT_EQ(r.exit_code, 64) << bad;
    EXPECT_NE(r.err.find("--shard '" + std::string(bad) + "'"), std::string::npos) << r.err;
  }
  auto jobs = run_process({kBin, "run", "--jobs", "65"});
  EXPECT_EQ(jobs.exit_code, 64);
  EXPECT_NE(jobs.err.find("--jobs must be between 1 and 64"), std::string::npos) << jobs.err;
}
