#include <charconv>

#include "core/http/http.hpp"

namespace gosdoki::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string find_header(const Headers& h, std::string_view name) {
  for (const auto& [k, v] : h) {
    if (iequals(k, name)) return v;
  }
  return {};
}

}  // namespace

std::string Request::header(std::string_view name) const { return find_header(headers, name); }
std::string Response::header(std::string_view name) const { return find_header(headers, name); }

std::string Request::path() const {
  auto q = target.find('?');
  return q == std::string::npos ? target : target.substr(0, q);
}

std::string Request::query() const {
  auto q = target.find('?');
  return q == std::string::npos ? std::string{} : target.substr(q + 1);
}

Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::string Url::base() const { return scheme + "://" + host + ":" + std::to_string(port); }

Result<Url> parse_url(std::string_view url) {
  // Built with append: GCC 12 gives a false -Wrestrict for "'" + std::string(...) at -O2.
  auto bad = [&](const char* why) {
    std::string m = "'";
    m += url;
    m += why;
    return make_error("http.url", m);
  };
  Url u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    return bad("' is not a URL (expected http://host:port/path)");
  }
  u.scheme = std::string(url.substr(0, sep));
  if (u.scheme != "http") {
    return bad("': only http:// is supported here");
  }
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  auto colon = hostport.rfind(':');
  if (colon == std::string_view::npos) {
    u.host = std::string(hostport);
  } else {
    u.host = std::string(hostport.substr(0, colon));
    unsigned port = 0;
    auto ps = hostport.substr(colon + 1);
    auto r = std::from_chars(ps.data(), ps.data() + ps.size(), port);
    if (r.ec != std::errc{} || r.ptr != ps.data() + ps.size() || port == 0 || port > 65535) {
      return bad("': bad port");
    }
    u.port = static_cast<std::uint16_t>(port);
  }
  if (u.host.empty()) return bad("': no host");
  return u;
}

Result<Response> Client::post(const std::string& target, const std::string& content_type,
                              const std::string& body, const Headers& extra) {
  Headers h = extra;
  h.emplace_back("Content-Type", content_type);
  return request("POST", target, h, body);
}

Result<Response> Client::get(const std::string& target) { return request("GET", target); }

}  // namespace gosdoki::http
