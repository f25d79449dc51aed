// `serve` keeps the СМЭВ queues in SQLite: after a crash (SIGKILL) and a restart on the same
// data directory, an accepted answer is still there, an unacked one comes again, and an acked
// one is gone.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;

struct Serve {
  std::unique_ptr<testkit::Background> proc;
  int smev3 = 0, admin = 0;
};

Serve start(const std::filesystem::path& dir, int n) {
  auto port_file = dir / ("ports-" + std::to_string(n) + ".json");
  Serve s;
  auto log_dir = dir / ("log-" + std::to_string(n));
  std::filesystem::create_directories(log_dir);
  s.proc = std::make_unique<testkit::Background>(
      std::vector<std::string>{kBin, "serve", "--smev3-port", "0", "--admin-port", "0", "--esia-port", "0", "--smev4-port", "0", "--port-file", port_file.string(),
                               "--fixtures", (kSrc / "fixtures").string(), "--data-dir", (dir / "data").string(),
                               "--clock", "2026-01-15T10:00:00+03:00", "--frozen"},
      log_dir);
  for (int i = 0; i < 600 && !std::filesystem::exists(port_file); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto ports = read_file(port_file);
  EXPECT_TRUE(ports) << "serve did not start: " << s.proc->log();
  if (ports) {
    auto j = nlohmann::json::parse(*ports);
    s.smev3 = j["smev3"];
    s.admin = j["admin"];
  }
  return s;
}

}  // namespace

TEST(RestartE2E, AcceptedMessagesSurviveACrash) {
  auto src = harness::directory_source(kSrc / "fixtures");
  auto fx = harness::load_fixtures(*src);
  ASSERT_TRUE(fx) << fx.error().message;
  const auto& kp = *fx->organisation("hotel-sever")->identity;
  auto dir = testkit::temp_dir("restart");

  auto s1 = start(dir, 1);
  auto qr = dir / "q.png";
  std::string admin1 = "http://127.0.0.1:" + std::to_string(s1.admin);
  ASSERT_EQ(testkit::run_process({kBin, "wallet", "issue", "--person", "petrov-p", "--out", qr.string(), "--emulator", admin1})
                .exit_code,
            0);
  // The ИС gives up polling at once: ЕПГУ's answer stays in its queue, unread.
  auto gave_up = testkit::run_process({kBin, "client", "check", "--qr", qr.string(), "--face",
                                       (kSrc / "fixtures/faces/petrov-p/office-light.jpg").string(), "--emulator", admin1,
                                       "--fixtures", (kSrc / "fixtures").string(), "--timeout", "1ms"});
  EXPECT_EQ(gave_up.exit_code, 2) << gave_up.out << gave_up.err;
  http::Client a1("127.0.0.1", static_cast<std::uint16_t>(s1.admin));
  bool answered = false;
  for (int i = 0; i < 200 && !answered; ++i) {
    auto j = a1.get("/admin/journal");
    answered = j && j->body.find("\"operation\":\"SendResponse\",\"outcome\":\"ok\"") != std::string::npos;
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(answered) << "ЕПГУ did not answer";
  s1.proc->kill_hard();

  auto get_response = [&](int port) {
    http::Client c("127.0.0.1", static_cast<std::uint16_t>(port));
    s3::MessageTypeSelector sel;
    sel.timestamp = "2026-01-15T10:00:00.000+03:00";
    auto env = s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate);
    auto r = c.post("/transport_1_0_2/", "text/xml", *env, {{"SOAPAction", "\"urn:GetResponse\""}});
    EXPECT_TRUE(r);
    auto parsed = s3::parse_envelope(r->body);
    EXPECT_TRUE(parsed) << r->body;
    auto m = s3::read_get_response_response(*parsed);
    EXPECT_TRUE(m) << r->body;
    return m && m->has_value() ? std::optional<std::string>((*m)->metadata.message_id) : std::nullopt;
  };

  auto s2 = start(dir, 2);
  auto first = get_response(s2.smev3);
  ASSERT_TRUE(first) << "the answer accepted before the crash is there after it";
  EXPECT_FALSE(get_response(s2.smev3)) << "taken, not acked: in flight";
  s2.proc->kill_hard();

  auto s3p = start(dir, 3);
  EXPECT_FALSE(get_response(s3p.smev3)) << "still in flight after the restart (60 s redelivery delay)";
  http::Client a3("127.0.0.1", static_cast<std::uint16_t>(s3p.admin));
  ASSERT_EQ(a3.post("/admin/clock", "application/json", R"({"advance":"61s"})")->status, 200);
  auto again = get_response(s3p.smev3);
  ASSERT_TRUE(again) << "unacked: delivered again";
  EXPECT_EQ(*again, *first);
  http::Client c("127.0.0.1", static_cast<std::uint16_t>(s3p.smev3));
  auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, *again, true), kp.key, kp.certificate);
  auto acked = c.post("/transport_1_0_2/", "text/xml", *ack, {{"SOAPAction", "\"urn:Ack\""}});
  ASSERT_TRUE(acked);
  EXPECT_EQ(acked->status, 200) << acked->body;
  EXPECT_EQ(s3p.proc->terminate(), 0);

  auto s4 = start(dir, 4);
  http::Client a4("127.0.0.1", static_cast<std::uint16_t>(s4.admin));
  ASSERT_EQ(a4.post("/admin/clock", "application/json", R"({"advance":"1h"})")->status, 200);
  EXPECT_FALSE(get_response(s4.smev3)) << "acked messages are gone for good";
  EXPECT_EQ(s4.proc->terminate(), 0);
}
