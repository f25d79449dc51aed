#include "protocol/esia/client_secret.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/util/bytes.hpp"

namespace gosdoki::esia {

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

Result<std::string> url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        return make_error("form.encoding", "неверная %-последовательность в позиции " + std::to_string(i));
      }
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string TokenRequest::form() const {
  std::string out;
  auto add = [&](const char* k, const std::string& v) {
    if (v.empty()) return;
    out += (out.empty() ? "" : "&") + std::string(k) + "=" + url_encode(v);
  };
  add("client_id", client_id);
  add("client_secret", client_secret);
  add("scope", scope);
  add("timestamp", timestamp);
  add("state", state);
  add("redirect_uri", redirect_uri);
  add("client_certificate_hash", client_certificate_hash);
  add("grant_type", grant_type);
  add("code", code);
  add("token_type", token_type);
  return out;
}

Result<TokenRequest> TokenRequest::from_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  for (std::size_t pos = 0; pos <= body.size();) {
    auto amp = body.find('&', pos);
    auto part = body.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    pos = amp == std::string_view::npos ? body.size() + 1 : amp + 1;
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto k = url_decode(part.substr(0, eq));
    auto v = url_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
    if (!k) return k.error();
    if (auto bad = invalid_utf8_at(*k)) {
      return make_error("form.encoding", "имя поля не в UTF-8 (байт " + std::to_string(*bad) + ")");
    }
    if (k->size() > 64) return make_error("form.too_long", "имя поля длиннее 64 байт");
    if (!v) return make_error("form.encoding", "поле '" + *k + "': " + v.error().message);
    if (auto bad = invalid_utf8_at(*v)) {
      return make_error("form.encoding", "поле '" + *k + "' не в UTF-8 (байт " + std::to_string(*bad) + ")");
    }
    // No field of this request is anywhere near this long; a longer one is refused, not echoed.
    if (v->size() > kMaxFieldBytes) {
      return make_error("form.too_long", "поле '" + *k + "' длиннее " + std::to_string(kMaxFieldBytes) + " байт");
    }
    if (!fields.emplace(*k, *v).second) return make_error("form.repeated", "поле '" + *k + "' указано дважды");
  }
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string{} : it->second;
  };
  TokenRequest r;
  r.client_id = get("client_id");
  r.client_secret = get("client_secret");
  r.scope = get("scope");
  r.timestamp = get("timestamp");
  r.state = get("state");
  r.redirect_uri = get("redirect_uri");
  r.client_certificate_hash = get("client_certificate_hash");
  r.grant_type = get("grant_type");
  r.code = get("code");
  r.token_type = get("token_type");
  return r;
}

std::string signed_string(const TokenRequest& r) {
  std::string s = r.client_id + r.scope + r.timestamp + r.state + r.redirect_uri;
  if (r.grant_type == "authorization_code") s += r.code;
  return s;
}

Result<std::string> sign_client_secret(const crypto::PrivateKey& key, std::string_view signed_text) {
  auto sig = crypto::sign(key, as_bytes(signed_text));
  if (!sig) return sig.error();
  return base64url_encode(*sig);
}

Result<bool> verify_client_secret(const crypto::Certificate& cert, std::string_view signed_text,
                                  std::string_view client_secret) {
  auto raw = base64url_decode(client_secret);
  if (!raw) return make_error("esia.secret_encoding", "client_secret is not base64url: " + raw.error().message);
  return crypto::verify(cert, as_bytes(signed_text), *raw);
}

Result<std::string> certificate_hash(const crypto::Certificate& cert) {
  auto der = cert.der();
  auto h = crypto::digest(crypto::DigestAlg::streebog256, der);
  if (!h) return h.error();
  return hex_encode(*h);
}

std::string format_timestamp(TimePoint t) {
  using namespace std::chrono;
  auto msk = floor<seconds>(t) + minutes(180);
  auto day = floor<days>(msk);
  year_month_day ymd{day};
  hh_mm_ss hms{msk - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d.%02u.%02u %02ld:%02ld:%02lld +0300", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long long>(hms.seconds().count()));
  return buf;
}

Result<TimePoint> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  int y, mo, d, h, mi, s;
  char sign;
  int oh, om;
  std::string t(text);
  // yyyy.MM.dd HH:mm:ss ±hhmm
  if (t.size() != 25 || std::sscanf(t.c_str(), "%4d.%2d.%2d %2d:%2d:%2d %c%2d%2d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om) != 9 ||
      (sign != '+' && sign != '-') || t[4] != '.' || t[7] != '.' || t[10] != ' ' || t[19] != ' ') {
    return make_error("esia.timestamp", "timestamp '" + t + "' is not in the form yyyy.MM.dd HH:mm:ss ±hhmm");
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59 || oh > 14 || om > 59) {
    return make_error("esia.timestamp", "timestamp '" + t + "' is not a real date and time");
  }
  auto offset = minutes((oh * 60 + om) * (sign == '-' ? -1 : 1));
  auto local = sys_days{ymd} + hours(h) + minutes(mi) + seconds(s);
  return TimePoint{duration_cast<Micros>((local - offset).time_since_epoch())};
}

}  // namespace gosdoki::esia
