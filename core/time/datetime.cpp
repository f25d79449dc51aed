#include "core/time/datetime.hpp"

#include <charconv>
#include <cstdio>

namespace gosdoki {
namespace {

using namespace std::chrono;

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc{};
}

Error bad(std::string_view text, const char* what) {
  return make_error("time.format", "'" + std::string(text) + "' is not a valid " + what);
}

}  // namespace

std::string format_datetime(TimePoint t, int offset_minutes) {
  auto local = t + minutes(offset_minutes);
  auto day = floor<days>(local);
  year_month_day ymd{day};
  auto tod = local - day;
  auto h = duration_cast<hours>(tod);
  auto m = duration_cast<minutes>(tod - h);
  auto s = duration_cast<seconds>(tod - h - m);
  auto ms = duration_cast<milliseconds>(tod - h - m - s);
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                static_cast<int>(m.count()), static_cast<int>(s.count()),
                static_cast<int>(ms.count()), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

Result<TimePoint> parse_datetime(std::string_view text) {
  int Y, M, D, h, m, s;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || !read_int(text, 0, 4, Y) || !read_int(text, 5, 2, M) ||
      !read_int(text, 8, 2, D) || !read_int(text, 11, 2, h) || !read_int(text, 14, 2, m) ||
      !read_int(text, 17, 2, s)) {
    return bad(text, "xs:dateTime (expected yyyy-MM-ddTHH:mm:ss[.fff][Z|±hh:mm])");
  }
  std::size_t pos = 19;
  long long frac_us = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    long long scale = 100000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) frac_us += (text[pos] - '0') * scale;
      scale /= 10;
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad(text, "xs:dateTime (empty fraction)");
  }
  int offset = kMoscowOffsetMinutes;
  if (pos < text.size()) {
    if (text[pos] == 'Z' && pos + 1 == text.size()) {
      offset = 0;
    } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() &&
               text[pos + 3] == ':') {
      int oh, om;
      if (!read_int(text, pos + 1, 2, oh) || !read_int(text, pos + 4, 2, om) || oh > 14 || om > 59) {
        return bad(text, "xs:dateTime (bad offset)");
      }
      offset = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    } else {
      return bad(text, "xs:dateTime (trailing characters)");
    }
  }
  year_month_day ymd{year{Y}, month{static_cast<unsigned>(M)}, day{static_cast<unsigned>(D)}};
  if (!ymd.ok() || h > 23 || m > 59 || s > 59) return bad(text, "xs:dateTime (out of range)");
  auto local = sys_days{ymd} + hours{h} + minutes{m} + seconds{s} + microseconds{frac_us};
  return TimePoint{local - minutes{offset}};
}

std::string format_date(TimePoint t, int offset_minutes) {
  year_month_day ymd{floor<days>(t + minutes(offset_minutes))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result<TimePoint> parse_date(std::string_view text, int offset_minutes) {
  int Y, M, D;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_int(text, 0, 4, Y) ||
      !read_int(text, 5, 2, M) || !read_int(text, 8, 2, D)) {
    return bad(text, "xs:date (expected yyyy-MM-dd)");
  }
  year_month_day ymd{year{Y}, month{static_cast<unsigned>(M)}, day{static_cast<unsigned>(D)}};
  if (!ymd.ok()) return bad(text, "xs:date (no such day)");
  return TimePoint{sys_days{ymd} - minutes{offset_minutes}};
}

Result<std::string> esia_date_to_iso(std::string_view t) {
  int Y, M, D;
  if (t.size() != 10 || t[2] != '.' || t[5] != '.' || !read_int(t, 0, 2, D) ||
      !read_int(t, 3, 2, M) || !read_int(t, 6, 4, Y)) {
    return bad(t, "date (expected dd.MM.yyyy)");
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", Y, M, D);
  return std::string(buf);
}

Result<Micros> parse_duration(std::string_view text) {
  if (text.empty()) return bad(text, "duration (e.g. 181s, 3m, 1h30m, 250ms)");
  Micros total{0};
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return bad(text, "duration (e.g. 181s, 3m, 1h30m, 250ms)");
    long long n = 0;
    auto r = std::from_chars(text.data() + start, text.data() + pos, n);
    if (r.ec != std::errc{}) return bad(text, "duration (too large)");
    std::size_t ustart = pos;
    while (pos < text.size() && (text[pos] < '0' || text[pos] > '9')) ++pos;
    std::string_view unit = text.substr(ustart, pos - ustart);
    long long unit_us;
    if (unit == "ms") unit_us = 1000LL;
    else if (unit == "s") unit_us = 1000000LL;
    else if (unit == "m" || unit == "min") unit_us = 60LL * 1000000;
    else if (unit == "h") unit_us = 3600LL * 1000000;
    else if (unit == "d") unit_us = 86400LL * 1000000;
    else return bad(text, "duration (units: ms, s, m, h, d)");
    // At most 100 years in all: beyond that every clock and timeout here is meaningless.
    constexpr long long kMax = 100LL * 366 * 86400 * 1000000;
    if (n > kMax / unit_us || total.count() + n * unit_us > kMax) return bad(text, "duration (more than 100 years)");
    total += Micros{n * unit_us};
  }
  return total;
}

std::string format_duration(Micros d) {
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  return std::to_string(ms / 1000) + "s";
}

int years_between(TimePoint birth, TimePoint at, int offset_minutes) {
  year_month_day b{floor<days>(birth + minutes(offset_minutes))};
  year_month_day a{floor<days>(at + minutes(offset_minutes))};
  int years = static_cast<int>(a.year()) - static_cast<int>(b.year());
  if (a.month() < b.month() || (a.month() == b.month() && a.day() < b.day())) --years;
  return years;
}

}  // namespace gosdoki
