// Injected wire faults as a client meets them: a reset is an error with nothing received, and
// the client does not resend a request the server may have processed; garbage is an error; a
// late or trickled answer arrives whole; a kept-alive connection still works after a slow one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "core/http/http.hpp"

using namespace gosdoki;
using Steady = std::chrono::steady_clock;

namespace {

struct WireServer {
  http::Server server;
  std::uint16_t port = 0;
  std::atomic<int> calls{0};
  explicit WireServer(http::WireFault fault) {
    auto p = server.listen("127.0.0.1", 0, [this, fault](const http::Request& r) {
      ++calls;
      auto resp = http::text_response(200, std::string(2000, 'x') + r.target);
      if (r.target == "/faulty") resp.wire = fault;
      return resp;
    });
    port = *p;
    server.start(1);
  }
};

}  // namespace

TEST(HttpWireFault, AResetIsAnErrorAndTheRequestIsNotSentTwice) {
  http::WireFault f;
  f.kind = http::WireFault::Kind::reset;
  WireServer s(f);
  http::Client c("127.0.0.1", s.port, std::chrono::seconds(5));
  ASSERT_TRUE(c.get("/fine"));  // the connection is now kept alive: a retry would be tempting
  auto r = c.post("/faulty", "text/plain", "a request that is not safe to repeat");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "http.no_answer") << r.error().message;
  EXPECT_EQ(s.calls.load(), 2) << "the server processed the POST once; the client must not have resent it";
  EXPECT_TRUE(c.get("/fine")) << "a new connection after the reset";
  // A GET is safe to repeat: a reset on a kept-alive connection is retried once.
  auto g = c.get("/faulty");
  EXPECT_FALSE(g);
  EXPECT_EQ(s.calls.load(), 5) << "/fine, then /faulty twice";
}

TEST(HttpWireFault, GarbageIsAnError) {
  http::WireFault f;
  f.kind = http::WireFault::Kind::garbage_then_close;
  WireServer s(f);
  http::Client c("127.0.0.1", s.port, std::chrono::seconds(5));
  auto r = c.get("/faulty");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "http.io") << r.error().message;
  EXPECT_EQ(s.calls.load(), 1);
}

TEST(HttpWireFault, LateAndTrickledAnswersArriveWhole) {
  http::WireFault f;
  f.delay = std::chrono::milliseconds(150);
  f.chunk_interval = std::chrono::milliseconds(5);
  f.chunk_bytes = 100;
  WireServer s(f);
  http::Client c("127.0.0.1", s.port, std::chrono::seconds(5));
  auto t0 = Steady::now();
  auto r = c.get("/faulty");
  auto took = Steady::now() - t0;
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body, std::string(2000, 'x') + "/faulty");
  // ≥ 2000 bytes of body in 100-byte pieces: at least 20 pauses of 5 ms after the 150 ms delay.
  EXPECT_GE(took, std::chrono::milliseconds(150 + 20 * 5));
  auto again = c.get("/fine");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, std::string(2000, 'x') + "/fine");
}
