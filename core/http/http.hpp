#pragma once
// Plain request/response values so that Beast and Asio stay inside server.cpp and client.cpp
// (each Beast translation unit costs seconds to compile).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace gosdoki::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string target;  // path and query as received
  Headers headers;
  std::string body;
  std::string remote;  // peer address
  std::string header(std::string_view name) const;  // case-insensitive; "" when absent
  std::string path() const;                         // target without the query
  std::string query() const;                        // after '?', "" when none
};

// How the server puts a response on the wire: normally, or deliberately badly (fault injection,
// emulator/faults): late, a few bytes at a time, cut by a TCP reset, or replaced by garbage.
struct WireFault {
  enum class Kind { none, reset, garbage_then_close };
  Kind kind = Kind::none;
  std::chrono::milliseconds delay{0};           // before the first byte (a timer: no thread waits)
  std::chrono::milliseconds chunk_interval{0};  // > 0: the answer goes out in small pieces this far apart
  std::size_t chunk_bytes = 256;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Headers headers;
  std::string body;
  WireFault wire;
  std::string header(std::string_view name) const;
};

Response text_response(int status, std::string body);
Response json_response(int status, std::string body);

using Handler = std::function<Response(const Request&)>;
// Builds the reply for a request the server itself refuses (too large, bad framing), in the
// listener's own dialect: a SOAP fault, an HTTP problem JSON, …
using ErrorFormatter = std::function<Response(int status, const std::string& message)>;

struct ServerLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8u << 20;
  std::chrono::milliseconds header_timeout{10000};  // request line and headers, so slow clients free their slot soon
  std::chrono::milliseconds read_timeout{30000};    // the whole request
  int workers = 2;  // threads that run handlers of listeners marked `offload`
};

struct ListenerOptions {
  std::size_t max_connections = 512;  // per listener: a flood on one port leaves the others usable
  // Run the handler on the worker pool instead of the I/O thread (for handlers that do real
  // work, like signature checks), so slow requests never stall cheap ones on other listeners.
  bool offload = false;
  // Both set: HTTPS only on this listener (TLS 1.2+; the certificate PEM may carry its chain).
  std::string tls_certificate_pem, tls_key_pem;
};

class Server {
 public:
  explicit Server(ServerLimits limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds now (port 0 = ephemeral) and returns the bound port. Call before start().
  Result<std::uint16_t> listen(const std::string& address, std::uint16_t port, Handler handler,
                               ErrorFormatter on_error = {}, ListenerOptions options = {});
  void start(int threads);
  // Idempotent. Stops accepting, waits up to `grace` for running handlers, then returns; a
  // handler still running after that is abandoned (detached) so that shutdown never hangs.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // True when stop() gave up on a running handler: exit the process rather than clean up.
  bool abandoned() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool abandoned_ = false;
};

struct Url {
  std::string scheme;
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";
  std::string base() const;  // scheme://host:port
};
Result<Url> parse_url(std::string_view url);

// HTTPS: the server's certificate must chain to this CA and name the host (or IP address).
struct ClientTls {
  std::string ca_pem;
};

// A keep-alive HTTP/1.1 client for one host. Not thread-safe: one per thread.
class Client {
 public:
  Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout, ClientTls tls);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Result<Response> request(const std::string& method, const std::string& target,
                           const Headers& headers = {}, const std::string& body = {});
  Result<Response> post(const std::string& target, const std::string& content_type,
                        const std::string& body, const Headers& extra = {});
  Result<Response> get(const std::string& target);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gosdoki::http
