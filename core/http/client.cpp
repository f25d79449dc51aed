// Blocking keep-alive client with real timeouts: each call runs async operations on a private
// io_context, so a stuck peer costs at most the timeout. Plain HTTP or HTTPS (the server's
// certificate checked against the CA the caller trusts, and its name or address).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/x509v3.h>

#include <optional>

#include "core/http/http.hpp"

namespace gosdoki::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

struct Client::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  std::optional<ClientTls> tls;
  std::optional<ssl::context> tls_ctx;
  std::string tls_error;  // a CA that could not be loaded: every request fails with it
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  std::optional<TlsStream> tls_stream;
  beast::flat_buffer buffer;

  bool last_write_failed = false;  // the last exchange could not send its request
  bool connected() const { return stream.has_value() || tls_stream.has_value(); }
  void reset() {
    stream.reset();
    tls_stream.reset();
  }
  beast::tcp_stream& lowest() { return tls_stream ? beast::get_lowest_layer(*tls_stream) : *stream; }

  template <class Op>
  boost::system::error_code run(Op&& op) {
    boost::system::error_code result = net::error::would_block;
    op(result);
    ioc.restart();
    ioc.run();
    return result;
  }

  boost::system::error_code connect(std::string& what) {
    reset();
    buffer.clear();
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return ec;
    if (tls_ctx) {
      tls_stream.emplace(ioc, *tls_ctx);
      SSL* ssl = tls_stream->native_handle();
      boost::system::error_code addr_ec;
      (void)net::ip::make_address(host, addr_ec);
      if (addr_ec) SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI for names, never for addresses
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (!addr_ec) X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
      else X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    } else {
      stream.emplace(ioc);
    }
    lowest().expires_after(timeout);
    ec = run([&](boost::system::error_code& out) {
      lowest().async_connect(endpoints, [&](boost::system::error_code e, const tcp::endpoint&) { out = e; });
    });
    if (ec || !tls_stream) return ec;
    lowest().expires_after(timeout);
    ec = run([&](boost::system::error_code& out) {
      tls_stream->async_handshake(ssl::stream_base::client, [&](boost::system::error_code e) { out = e; });
    });
    if (ec) {
      long verify = SSL_get_verify_result(tls_stream->native_handle());
      what = "TLS handshake: " + ec.message();
      if (verify != X509_V_OK) what += " (certificate: " + std::string(X509_verify_cert_error_string(verify)) + ")";
    }
    return ec;
  }

  template <class Stream>
  Result<Response> exchange(Stream& s, const bhttp::request<bhttp::string_body>& req) {
    lowest().expires_after(timeout);
    auto ec = run([&](boost::system::error_code& out) {
      bhttp::async_write(s, req, [&](boost::system::error_code e, std::size_t) { out = e; });
    });
    // A server may answer (413, …) and stop reading before the body is sent: read its answer.
    bool write_failed = static_cast<bool>(ec);
    last_write_failed = write_failed;
    std::string write_error = ec.message();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256u << 20);
    lowest().expires_after(timeout);
    ec = run([&](boost::system::error_code& out) {
      bhttp::async_read(s, buffer, parser, [&](boost::system::error_code e, std::size_t) { out = e; });
    });
    if (ec == beast::error::timeout) {
      return make_error("http.timeout", "no answer from " + host + ":" + std::to_string(port) + " within " +
                                            std::to_string(timeout.count()) + " ms");
    }
    if (ec && write_failed) {
      return make_error(parser.got_some() ? "http.io" : "http.no_answer",
                        "sending to " + host + ":" + std::to_string(port) + ": " + write_error);
    }
    // Nothing of an answer at all: the connection was already dead (a kept-alive one the server
    // closed), which request() may retry; anything else came from a server that got the request.
    if (ec && !parser.got_some()) {
      return make_error("http.no_answer", "reading from " + host + ":" + std::to_string(port) + ": " + ec.message());
    }
    if (ec) return make_error("http.io", "reading from " + host + ":" + std::to_string(port) + ": " + ec.message());
    auto& res = parser.get();
    Response r;
    r.status = static_cast<int>(res.result_int());
    for (const auto& f : res) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.content_type = std::string(res[bhttp::field::content_type]);
    r.body = std::move(res.body());
    if (!res.keep_alive()) reset();
    return r;
  }

  Result<Response> exchange(const bhttp::request<bhttp::string_body>& req) {
    if (tls_stream) return exchange(*tls_stream, req);
    return exchange(*stream, req);
  }
};

Client::Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

Client::Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout, ClientTls tls)
    : Client(std::move(host), port, timeout) {
  auto& ctx = impl_->tls_ctx.emplace(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  ctx.set_verify_mode(ssl::verify_peer);
  // Any certificate the caller trusts may end the chain (e.g. the served certificate itself).
  X509_STORE_set_flags(SSL_CTX_get_cert_store(ctx.native_handle()), X509_V_FLAG_PARTIAL_CHAIN);
  boost::system::error_code ec;
  ctx.add_certificate_authority(net::buffer(tls.ca_pem), ec);
  if (ec) impl_->tls_error = "the CA certificate (PEM) to trust cannot be loaded: " + ec.message();
  impl_->tls = std::move(tls);
}

Client::~Client() = default;

Result<Response> Client::request(const std::string& method, const std::string& target, const Headers& headers,
                                 const std::string& body) {
  if (!impl_->tls_error.empty()) return make_error("http.tls", impl_->tls_error);
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
  req.set(bhttp::field::user_agent, "gosdoki-sandbox");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  // A kept-alive connection may have been closed by the server meanwhile: retry once on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = impl_->connected();
    if (!reused) {
      std::string what;
      auto ec = impl_->connect(what);
      if (ec) {
        impl_->reset();
        return make_error(what.empty() ? "http.connect" : "http.tls",
                          "cannot connect to " + impl_->host + ":" + std::to_string(impl_->port) + ": " +
                              (what.empty() ? ec.message() : what));
      }
    }
    auto r = impl_->exchange(req);
    if (r.ok()) return r;
    impl_->reset();
    // Only a reused connection that gave no answer at all is retried (the server closed it while
    // idle), and a POST only when it could not even be sent: once sent, the server may have
    // processed it, and resending is the caller's decision (as Go's net/http does).
    const bool idempotent = method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
    if (!reused || r.error().code != "http.no_answer" || (!idempotent && !impl_->last_write_failed)) return r;
  }
  return make_error("http.io", "connection to " + impl_->host + " failed");
}

}  // namespace gosdoki::http
