// `serve` keeps the СМЭВ queues in SQLite: after a crash (SIGKILL) and a restart on the same
// data directory, an accepted answer is still there, an unacked one comes again, and an acked
// one is gone.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "core/util/uuid.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "tests/support/process.hpp"
#include "tests/support/serve.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;

testkit::Serve start(const std::filesystem::path& dir, int n) {
  auto s = testkit::start_serve(kBin, kSrc / "fixtures", dir, n);
  EXPECT_NE(s.admin, 0) << "serve did not start: " << s.proc->log();
  return s;
}

const harness::FileSource& testkit_source() {
  static auto src = harness::directory_source(kSrc / "fixtures");
  return *src;
}

const harness::Fixtures& testkit_fixtures() {
  static auto fx = *harness::load_fixtures(testkit_source());
  return fx;
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

// Under load, serve is killed (SIGKILL) three times at moments drawn from a fixed seed and
// restarted on the same data directory. Every SendRequest it answered with a MessageID must be
// answered by ЕПГУ in the end (requests in flight at the crash come again after the redelivery
// delay), every answer belongs to a request that was sent, and the journal on disk names every
// accepted request.
TEST(RestartE2E, KillsUnderLoadLoseNothingAccepted) {
  const auto& fx = testkit_fixtures();
  const auto& kp = *fx.organisation("hotel-sever")->identity;
  auto dir = testkit::temp_dir("crash-load");
  std::mt19937_64 rng(20261203);
  VirtualClock clock(*parse_datetime("2026-01-15T10:00:00+03:00"), true);
  UuidGenerator ids(clock, 7);
  std::mutex mu;
  std::set<std::string> attempted, accepted;
  // A request ЕПГУ answers at once with a refusal (an unknown QR): the answer is what we wait for.
  gosqr::CheckRequest req;
  req.timestamp = "2026-01-15T10:00:00+03:00";
  std::string bogus = "GQR1.M.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  req.qr_code = Bytes(bogus.begin(), bogus.end());
  req.face_image = *harness::load_face(testkit_source(), fx, "petrov-p", "office-light");
  req.face_image_captured_at = req.timestamp;
  req.purpose = "HOTEL";
  const auto& org = *fx.organisation("hotel-sever");
  req.organization = {org.org.ogrn, org.org.inn, org.org.kpp, org.org.name};
  req.point_of_service = org.point_of_service;
  const std::string business = gosqr::to_xml(req);

  auto sender = [&](int port, const std::atomic<bool>& stop) {
    auto c = std::make_unique<http::Client>("127.0.0.1", static_cast<std::uint16_t>(port), std::chrono::seconds(5));
    while (!stop) {
      s3::SenderProvidedRequestData data;
      {
        std::lock_guard lock(mu);
        data.message_id = ids.v1();
        attempted.insert(data.message_id);
      }
      data.business_xml = business;
      auto env = s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, data), kp.key, kp.certificate);
      ASSERT_TRUE(env);
      auto r = c->post("/transport_1_0_2/", "text/xml; charset=utf-8", *env, {{"SOAPAction", "\"urn:SendRequest\""}});
      if (!r) {  // the server died under us: not acknowledged, try again on a new connection
        c = std::make_unique<http::Client>("127.0.0.1", static_cast<std::uint16_t>(port), std::chrono::seconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      auto parsed = s3::parse_envelope(r->body);
      if (r->status == 200 && parsed && s3::read_metadata_answer(*parsed)) {
        std::lock_guard lock(mu);
        accepted.insert(data.message_id);
      }
    }
  };

  for (int round = 1; round <= 3; ++round) {
    auto s = start(dir, round);
    ASSERT_NE(s.smev3, 0);
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    for (int i = 0; i < 2; ++i) senders.emplace_back(sender, s.smev3, std::cref(stop));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(400, 1500)(rng)));
    s.proc->kill_hard();
    stop = true;
    for (auto& t : senders) t.join();
  }
  ASSERT_GE(accepted.size(), 10u) << "the load did not reach the server";

  auto s = start(dir, 4);
  ASSERT_NE(s.smev3, 0);
  http::Client admin("127.0.0.1", static_cast<std::uint16_t>(s.admin));
  http::Client c("127.0.0.1", static_cast<std::uint16_t>(s.smev3), std::chrono::seconds(10));
  std::map<std::string, int> answered;  // request MessageID → answers received
  std::size_t unknown = 0;
  for (int round = 0; round < 40; ++round) {
    s3::MessageTypeSelector sel;
    sel.timestamp = "2026-01-15T10:00:00.000+03:00";
    auto env = s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate);
    auto r = c.post("/transport_1_0_2/", "text/xml", *env, {{"SOAPAction", "\"urn:GetResponse\""}});
    ASSERT_TRUE(r);
    auto parsed = s3::parse_envelope(r->body);
    ASSERT_TRUE(parsed) << r->body;
    auto m = s3::read_get_response_response(*parsed);
    ASSERT_TRUE(m) << r->body;
    if (m->has_value()) {
      const auto& msg = **m;
      if (!attempted.count(msg.original_message_id)) ++unknown;
      ++answered[msg.original_message_id];
      auto ack = s3::sign_envelope(s3::build_ack(s3::Version::v1_3, msg.metadata.message_id, true), kp.key, kp.certificate);
      ASSERT_EQ(c.post("/transport_1_0_2/", "text/xml", *ack, {{"SOAPAction", "\"urn:Ack\""}})->status, 200);
      --round;  // only empty polls count towards giving up
      continue;
    }
    bool all = std::all_of(accepted.begin(), accepted.end(), [&](const std::string& id) { return answered.count(id) > 0; });
    if (all) break;
    // Requests ЕПГУ had taken, and answers the ИС had taken, before a crash come again after
    // the redelivery delay: move the shared clock past it and give ЕПГУ a moment.
    ASSERT_EQ(admin.post("/admin/clock", "application/json", R"({"advance":"61s"})")->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  std::size_t missing = 0;
  std::string some;
  for (const auto& id : accepted) {
    if (answered.count(id)) continue;
    if (++missing <= 5) some += " " + id;
  }
  EXPECT_EQ(missing, 0u) << "of " << accepted.size() << " accepted requests, " << missing << " never got an answer:" << some
                         << " (journal: " << (dir / "data/journal.jsonl").string() << ")";
  EXPECT_EQ(unknown, 0u) << "answers to requests nobody sent";
  std::size_t answers = 0;
  for (const auto& [id, n] : answered) answers += static_cast<std::size_t>(n);
  std::printf("[ crash ] 3 kills: %zu requests sent, %zu accepted, %zu answers received (%zu requests answered twice)\n",
              attempted.size(), accepted.size(), answers,
              static_cast<std::size_t>(std::count_if(answered.begin(), answered.end(), [](const auto& a) { return a.second > 1; })));

  // The journal on disk (read back by the restarted server) names every accepted request.
  std::set<std::string> journaled;
  for (std::uint64_t since = 0;;) {
    auto page = admin.get("/admin/journal?since=" + std::to_string(since) + "&limit=1000");
    ASSERT_TRUE(page);
    auto j = nlohmann::json::parse(page->body);
    for (const auto& e : j["events"]) {
      if (e["operation"] == "SendRequest" && e["outcome"] == "requestIsQueued") journaled.insert(e["messageId"].get<std::string>());
      since = e["seq"].get<std::uint64_t>();
    }
    if (!j.contains("next")) break;
  }
  std::size_t unjournaled = 0;
  for (const auto& id : accepted) unjournaled += journaled.count(id) ? 0 : 1;
  EXPECT_EQ(unjournaled, 0u) << "accepted requests missing from the journal";
  EXPECT_EQ(s.proc->terminate(), 0);
}
