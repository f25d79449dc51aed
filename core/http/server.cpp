// The HTTP server: Beast + Asio C++20 coroutines, one coroutine per connection. Handlers of
// listeners marked `offload` run on a worker pool, so that slow requests on one port never
// stall another. Limits on header size, body size and the time to send the header and the
// whole request are enforced by the parser and per-request deadlines; connection limits are
// per listener. A listener may speak TLS (OpenSSL through Asio), with the same limits; the
// handshake counts against the header deadline.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <future>
#include <list>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/http/http.hpp"

namespace gosdoki::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
namespace ssl = net::ssl;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

beast::tcp_stream& lowest(beast::tcp_stream& s) { return s; }
beast::tcp_stream& lowest(TlsStream& s) { return beast::get_lowest_layer(s); }

}  // namespace

struct Server::Impl {
  struct Listener {
    Listener(tcp::acceptor a, Handler h, ErrorFormatter e, ListenerOptions o)
        : acceptor(std::move(a)), handler(std::move(h)), on_error(std::move(e)), options(o) {}
    tcp::acceptor acceptor;
    Handler handler;
    ErrorFormatter on_error;
    ListenerOptions options;
    std::shared_ptr<ssl::context> tls;  // set: this listener speaks HTTPS only
    // Shared with the sessions: a session frame may be destroyed after its listener (when the
    // io_context goes away), and its counter must still be there to decrement.
    std::shared_ptr<std::atomic<std::size_t>> connections = std::make_shared<std::atomic<std::size_t>>(0);
  };

  explicit Impl(ServerLimits l) : limits(l), workers(static_cast<std::size_t>(std::max(1, l.workers))) {}

  ServerLimits limits;
  net::io_context ioc;
  net::thread_pool workers;
  std::list<Listener> listeners;
  std::vector<std::thread> threads;
  std::once_flag stopped;
  bool started = false;

  Response refuse(const Listener& l, int status, const std::string& message) {
    if (l.on_error) return l.on_error(status, message);
    return text_response(status, message + "\n");
  }

  static bhttp::response<bhttp::string_body> beast_response(const Response& r, bool keep_alive, unsigned version) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "gosdoki-sandbox");
    res.set(bhttp::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    res.body() = r.body;
    res.prepare_payload();
    return res;
  }

  template <class Stream>
  net::awaitable<void> pause(Stream& stream, std::chrono::milliseconds d) {
    net::steady_timer timer(lowest(stream).get_executor(), d);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  }

  template <class Stream>
  net::awaitable<void> write_response(Stream& stream, const Response& r, bool keep_alive, unsigned version) {
    auto res = beast_response(r, keep_alive, version);
    lowest(stream).expires_after(limits.read_timeout);
    co_await bhttp::async_write(stream, res, net::as_tuple(net::use_awaitable));
  }

  // Injected faults; returns false when the connection must end here.
  template <class Stream>
  net::awaitable<bool> write_faulty(Stream& stream, const Response& r, bool keep_alive, unsigned version) {
    const WireFault& w = r.wire;
    if (w.delay.count() > 0) co_await pause(stream, std::min(w.delay, limits.read_timeout));
    boost::system::error_code ignored;
    if (w.kind == WireFault::Kind::reset) {
      // SO_LINGER 0: close() sends RST instead of FIN, as a crashed peer or a middlebox does.
      lowest(stream).socket().set_option(net::socket_base::linger(true, 0), ignored);
      lowest(stream).socket().close(ignored);
      co_return false;
    }
    if (w.kind == WireFault::Kind::garbage_then_close) {
      static const std::string garbage = "\x16\x03\x01 not HTTP: injected garbage\r\n\x00\xff";
      lowest(stream).expires_after(limits.read_timeout);
      co_await net::async_write(stream, net::buffer(garbage), net::as_tuple(net::use_awaitable));
      lowest(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
      co_return false;
    }
    if (w.chunk_interval.count() <= 0) {
      co_await write_response(stream, r, keep_alive, version);
      co_return keep_alive;
    }
    // The whole message serialised, then sent a few bytes at a time (a slow link).
    auto res = beast_response(r, keep_alive, version);
    std::ostringstream os;
    os << res;
    const std::string wire = os.str();
    const std::size_t step = std::max<std::size_t>(1, w.chunk_bytes);
    auto give_up = std::chrono::steady_clock::now() + limits.read_timeout;
    for (std::size_t at = 0; at < wire.size(); at += step) {
      if (at > 0) co_await pause(stream, w.chunk_interval);
      if (std::chrono::steady_clock::now() > give_up) co_return false;
      lowest(stream).expires_after(limits.read_timeout);
      auto [ec, n] = co_await net::async_write(stream, net::buffer(wire.data() + at, std::min(step, wire.size() - at)),
                                               net::as_tuple(net::use_awaitable));
      (void)n;
      if (ec) co_return false;
    }
    co_return keep_alive;
  }

  // After refusing a request whose body is still arriving: stop sending, then read and discard
  // for a bounded time, so the client sees our answer instead of a reset.
  template <class Stream>
  net::awaitable<void> drain(Stream& stream) {
    boost::system::error_code ignored;
    lowest(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 65536> sink;
    std::size_t total = 0;
    lowest(stream).expires_after(std::chrono::seconds(2));
    while (total < limits.max_body_bytes * 8) {
      auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), net::as_tuple(net::use_awaitable));
      if (ec) break;
      total += n;
    }
  }

  // Reads one request; returns the error that ended it (none = a request is in the parser).
  template <class Stream>
  net::awaitable<boost::system::error_code> read_request(Stream& stream, beast::flat_buffer& buffer,
                                                         bhttp::request_parser<bhttp::string_body>& parser) {
    lowest(stream).expires_after(limits.header_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    (void)n;
    if (ec) co_return ec;
    if (!parser.is_done()) {
      lowest(stream).expires_after(limits.read_timeout);
      auto [ec2, n2] = co_await bhttp::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
      (void)n2;
      co_return ec2;
    }
    co_return boost::system::error_code{};
  }

  net::awaitable<void> session(tcp::socket socket, Listener& l) {
    struct Count {
      std::shared_ptr<std::atomic<std::size_t>> c;
      ~Count() { --*c; }
    } count{l.connections};
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    if (!l.tls) {
      beast::tcp_stream stream(std::move(socket));
      co_await serve_requests(stream, l, remote);
      co_return;
    }
    TlsStream stream(std::move(socket), *l.tls);
    lowest(stream).expires_after(limits.header_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, net::as_tuple(net::use_awaitable));
    if (ec) co_return;  // plain HTTP, a bad certificate check on the client side, or too slow: nobody to answer
    co_await serve_requests(stream, l, remote);
  }

  template <class Stream>
  net::awaitable<void> serve_requests(Stream& stream, Listener& l, const std::string& remote) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
      parser.body_limit(limits.max_body_bytes);
      auto ec = co_await read_request(stream, buffer, parser);
      if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
          ec == ssl::error::stream_truncated) {
        break;
      }
      if (ec == bhttp::error::body_limit) {
        co_await write_response(stream, refuse(l, 413, "request body exceeds the limit of " +
                                                           std::to_string(limits.max_body_bytes) + " bytes"),
                                false, 11);
        co_await drain(stream);
        break;
      }
      if (ec == bhttp::error::header_limit) {
        co_await write_response(stream, refuse(l, 431, "request header exceeds the limit of " +
                                                           std::to_string(limits.max_header_bytes) + " bytes"),
                                false, 11);
        break;
      }
      if (ec) {
        // Timeouts close the socket (Beast's stream deadline), so there is nobody to answer.
        if (parser.got_some() && ec != beast::error::timeout) {
          co_await write_response(stream, refuse(l, 400, "malformed HTTP request: " + ec.message()), false, 11);
        }
        break;
      }
      auto& req = parser.get();
      Request r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      for (const auto& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      r.body = std::move(req.body());
      r.remote = remote;
      Response resp;
      if (l.options.offload) co_await net::post(workers.get_executor(), net::use_awaitable);
      try {
        resp = l.handler(r);
      } catch (const std::exception& e) {
        resp = refuse(l, 500, std::string("internal error: ") + e.what());
      }
      if (l.options.offload) co_await net::post(lowest(stream).get_executor(), net::use_awaitable);
      bool keep = req.keep_alive();
      if (resp.wire.kind != WireFault::Kind::none || resp.wire.delay.count() > 0 || resp.wire.chunk_interval.count() > 0) {
        if (!co_await write_faulty(stream, resp, keep, req.version())) co_return;
        continue;
      }
      co_await write_response(stream, resp, keep, req.version());
      if (!keep) break;
    }
    boost::system::error_code ignored;
    lowest(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  net::awaitable<void> accept_loop(Listener& l) {
    for (;;) {
      auto [ec, socket] = co_await l.acceptor.async_accept(net::as_tuple(net::use_awaitable));
      if (ec) {
        if (ec == net::error::operation_aborted || !l.acceptor.is_open()) co_return;
        continue;
      }
      if (l.connections->load() >= l.options.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);  // over this listener's limit: refuse at once rather than queue
        continue;
      }
      ++*l.connections;
      net::co_spawn(ioc, session(std::move(socket), l), net::detached);
    }
  }
};

Server::Server(ServerLimits limits) : impl_(std::make_unique<Impl>(limits)) {}

Server::~Server() {
  stop();
  // Destroying the pool would join the stuck worker: leave it (the process is about to exit).
  if (abandoned_) (void)impl_.release();
}

Result<std::uint16_t> Server::listen(const std::string& address, std::uint16_t port, Handler handler,
                                     ErrorFormatter on_error, ListenerOptions options) {
  boost::system::error_code ec;
  auto addr = net::ip::make_address(address, ec);
  if (ec) return make_error("http.listen", "'" + address + "' is not an IP address");
  tcp::endpoint ep(addr, port);
  tcp::acceptor acc(impl_->ioc);
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error("http.listen", "cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                         ec.message());
  }
  std::shared_ptr<ssl::context> tls;
  if (!options.tls_certificate_pem.empty() || !options.tls_key_pem.empty()) {
    tls = std::make_shared<ssl::context>(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls->use_certificate_chain(net::buffer(options.tls_certificate_pem), ec);
    if (ec) return make_error("http.tls", "the TLS certificate (PEM) cannot be used: " + ec.message());
    tls->use_private_key(net::buffer(options.tls_key_pem), ssl::context::pem, ec);
    if (ec) return make_error("http.tls", "the TLS private key (PEM) cannot be used: " + ec.message());
    if (SSL_CTX_check_private_key(tls->native_handle()) != 1) {
      return make_error("http.tls", "the TLS private key does not belong to the certificate");
    }
  }
  std::uint16_t bound = acc.local_endpoint().port();
  auto& l = impl_->listeners.emplace_back(std::move(acc), std::move(handler), std::move(on_error), options);
  l.tls = std::move(tls);
  return bound;
}

void Server::start(int threads) {
  if (impl_->started) return;
  impl_->started = true;
  for (auto& l : impl_->listeners) net::co_spawn(impl_->ioc, impl_->accept_loop(l), net::detached);
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void Server::stop(std::chrono::milliseconds grace) {
  if (!impl_) return;
  std::call_once(impl_->stopped, [this, grace] {
    net::post(impl_->ioc, [this] {
      for (auto& l : impl_->listeners) {
        boost::system::error_code ignored;
        l.acceptor.close(ignored);
      }
    });
    impl_->ioc.stop();
    for (auto& t : impl_->threads) {
      if (t.joinable()) t.join();
    }
    // A handler may still run on a worker (a pathological request): wait a bounded time.
    impl_->workers.stop();
    auto joined = std::async(std::launch::async, [this] { impl_->workers.join(); });
    if (joined.wait_for(grace) != std::future_status::ready) {
      abandoned_ = true;
      // The worker keeps running; the caller must not destroy what it uses (serve exits instead).
      new std::future<void>(std::move(joined));  // NOLINT: deliberately leaked, see above
    }
  });
}

bool Server::abandoned() const { return abandoned_; }

}  // namespace gosdoki::http
