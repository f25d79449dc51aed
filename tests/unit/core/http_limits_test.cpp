// The HTTP server's own limits, each by its trigger: a header over the limit is 431 in the
// listener's dialect; a client that trickles its header (slow loris) or never sends the body it
// announced is cut off at its deadline; connections over a listener's limit are closed at once.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/http/http.hpp"

using namespace gosdoki;
using Steady = std::chrono::steady_clock;

namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Reads until the server closes (or 10 s pass); returns what it sent.
std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

class HttpLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerLimits l;
    l.max_header_bytes = 1024;
    l.max_body_bytes = 4096;
    l.header_timeout = std::chrono::milliseconds(300);
    l.read_timeout = std::chrono::milliseconds(600);
    server_ = std::make_unique<http::Server>(l);
    auto port = server_->listen(
        "127.0.0.1", 0, [](const http::Request& r) { return http::text_response(200, "ok " + r.body); },
        [](int status, const std::string& msg) { return http::json_response(status, "{\"limit\":\"" + msg + "\"}"); },
        http::ListenerOptions{3, false, {}, {}});
    ASSERT_TRUE(port);
    port_ = *port;
    server_->start(1);
  }
  void TearDown() override { server_->stop(); }
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

}  // namespace

TEST_F(HttpLimits, AnOversizedHeaderIs431InTheListenersDialect) {
  http::Client c("127.0.0.1", port_, std::chrono::seconds(5));
  auto r = c.request("GET", "/", {{"X-Big", std::string(2000, 'a')}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->content_type.rfind("application/json", 0), 0u) << r->content_type;
  EXPECT_NE(r->body.find("1024 bytes"), std::string::npos) << r->body;
  http::Client again("127.0.0.1", port_, std::chrono::seconds(5));
  EXPECT_EQ(again.get("/")->status, 200) << "the server goes on";
}

TEST_F(HttpLimits, ABodyOverTheLimitIs413) {
  http::Client c("127.0.0.1", port_, std::chrono::seconds(5));
  auto r = c.post("/", "text/plain", std::string(5000, 'b'));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("4096 bytes"), std::string::npos) << r->body;
}

TEST_F(HttpLimits, ASlowLorisIsCutOffAtTheHeaderDeadline) {
  int fd = connect_to(port_);
  ASSERT_GE(fd, 0);
  auto t0 = Steady::now();
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  // One byte every 50 ms: every byte arrives well within any per-read timeout, but the header
  // as a whole never completes.
  bool cut = false;
  for (int i = 0; i < 60 && !cut; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    cut = ::send(fd, "a", 1, MSG_NOSIGNAL) < 0;
  }
  std::string answer = read_all(fd);
  auto waited = Steady::now() - t0;
  ::close(fd);
  EXPECT_TRUE(answer.empty()) << "no answer to a request that never arrived: " << answer;
  EXPECT_LT(waited, std::chrono::seconds(3)) << "held far beyond the 300 ms header deadline";
  http::Client c("127.0.0.1", port_, std::chrono::seconds(5));
  EXPECT_EQ(c.get("/")->status, 200);
}

TEST_F(HttpLimits, AnAnnouncedBodyThatNeverComesIsCutOffAtTheReadDeadline) {
  int fd = connect_to(port_);
  ASSERT_GE(fd, 0);
  auto t0 = Steady::now();
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly this";
  ASSERT_GT(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), 0);
  std::string answer = read_all(fd);
  auto waited = Steady::now() - t0;
  ::close(fd);
  EXPECT_TRUE(answer.empty()) << answer;
  EXPECT_LT(waited, std::chrono::seconds(3));
}

TEST_F(HttpLimits, ConnectionsOverTheListenersLimitAreClosedAtOnce) {
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    held.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the server accept them
  int extra = connect_to(port_);
  ASSERT_GE(extra, 0);
  const std::string req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)::send(extra, req.data(), req.size(), MSG_NOSIGNAL);
  EXPECT_TRUE(read_all(extra).empty()) << "the fourth connection is closed unanswered";
  ::close(extra);
  for (int fd : held) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  http::Client c("127.0.0.1", port_, std::chrono::seconds(5));
  EXPECT_EQ(c.get("/")->status, 200) << "room again once they are gone";
}
