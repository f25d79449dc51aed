// Blocking keep-alive client with real timeouts: each call runs async operations on a private
// io_context, so a stuck peer costs at most the timeout.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "core/http/http.hpp"

namespace gosdoki::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct Client::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  template <class Op>
  boost::system::error_code run(Op&& op) {
    boost::system::error_code result = net::error::would_block;
    op(result);
    ioc.restart();
    ioc.run();
    return result;
  }

  boost::system::error_code connect() {
    stream.emplace(ioc);
    buffer.clear();
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return ec;
    stream->expires_after(timeout);
    return run([&](boost::system::error_code& out) {
      stream->async_connect(endpoints, [&](boost::system::error_code e, const tcp::endpoint&) { out = e; });
    });
  }

  Result<Response> exchange(const bhttp::request<bhttp::string_body>& req) {
    stream->expires_after(timeout);
    auto ec = run([&](boost::system::error_code& out) {
      bhttp::async_write(*stream, req, [&](boost::system::error_code e, std::size_t) { out = e; });
    });
    // A server may answer (413, …) and stop reading before the body is sent: read its answer.
    bool write_failed = static_cast<bool>(ec);
    std::string write_error = ec.message();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256u << 20);
    stream->expires_after(timeout);
    ec = run([&](boost::system::error_code& out) {
      bhttp::async_read(*stream, buffer, parser, [&](boost::system::error_code e, std::size_t) { out = e; });
    });
    if (ec == beast::error::timeout) {
      return make_error("http.timeout", "no answer from " + host + ":" + std::to_string(port) + " within " +
                                            std::to_string(timeout.count()) + " ms");
    }
    if (ec && write_failed) {
      return make_error("http.io", "sending to " + host + ":" + std::to_string(port) + ": " + write_error);
    }
    if (ec) return make_error("http.io", "reading from " + host + ":" + std::to_string(port) + ": " + ec.message());
    auto& res = parser.get();
    Response r;
    r.status = static_cast<int>(res.result_int());
    for (const auto& f : res) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.content_type = std::string(res[bhttp::field::content_type]);
    r.body = std::move(res.body());
    if (!res.keep_alive()) stream.reset();
    return r;
  }
};

Client::Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

Client::~Client() = default;

Result<Response> Client::request(const std::string& method, const std::string& target, const Headers& headers,
                                 const std::string& body) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
  req.set(bhttp::field::user_agent, "gosdoki-sandbox");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  // A kept-alive connection may have been closed by the server meanwhile: retry once on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = impl_->stream.has_value();
    if (!reused) {
      auto ec = impl_->connect();
      if (ec) {
        impl_->stream.reset();
        return make_error("http.connect", "cannot connect to " + impl_->host + ":" + std::to_string(impl_->port) +
                                              ": " + ec.message());
      }
    }
    auto r = impl_->exchange(req);
    if (r.ok()) return r;
    impl_->stream.reset();
    if (!reused || r.error().code == "http.timeout") return r;
  }
  return make_error("http.io", "connection to " + impl_->host + " failed");
}

}  // namespace gosdoki::http
