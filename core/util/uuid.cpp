#include "core/util/uuid.hpp"

#include <cstdio>

namespace gosdoki {
namespace {

// 100-ns intervals between 1582-10-15 (Gregorian reform, the UUID epoch) and 1970-01-01.
constexpr std::uint64_t kGregorianOffset = 0x01B21DD213814000ULL;

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool canonical_shape(std::string_view s, bool lower_only) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
      continue;
    }
    int v = hexval(s[i]);
    if (v < 0) return false;
    if (lower_only && s[i] >= 'A' && s[i] <= 'F') return false;
  }
  return true;
}

std::uint64_t hex_field(std::string_view s, std::size_t pos, std::size_t len) {
  std::uint64_t v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) v = (v << 4) | static_cast<std::uint64_t>(hexval(s[i]));
  return v;
}

std::uint64_t ticks_of(TimePoint t) {
  auto us = t.time_since_epoch().count();
  return static_cast<std::uint64_t>(us) * 10 + kGregorianOffset;
}

}  // namespace

bool is_lowercase_uuid(std::string_view s) { return canonical_shape(s, true); }

Result<UuidInfo> inspect_uuid(std::string_view s) {
  if (!canonical_shape(s, false)) {
    return make_error("uuid.format", "'" + std::string(s) + "' is not a UUID in canonical 8-4-4-4-12 form");
  }
  UuidInfo info;
  info.version = hexval(s[14]);
  int variant = hexval(s[19]);
  info.rfc4122_variant = (variant & 0xC) == 0x8;
  if (info.version == 1) {
    std::uint64_t time_low = hex_field(s, 0, 8);
    std::uint64_t time_mid = hex_field(s, 9, 4);
    std::uint64_t time_hi = hex_field(s, 15, 3);
    std::uint64_t ticks = (time_hi << 48) | (time_mid << 32) | time_low;
    if (ticks >= kGregorianOffset) {
      info.time = TimePoint{Micros{static_cast<long long>((ticks - kGregorianOffset) / 10)}};
    } else {
      info.time = TimePoint{Micros{-static_cast<long long>((kGregorianOffset - ticks) / 10)}};
    }
  }
  return info;
}

UuidGenerator::UuidGenerator(const Clock& clock, std::uint64_t seed) : clock_(clock), rng_(seed) {
  // Random node with the multicast bit set, as RFC 4122 §4.5 asks when no MAC is used.
  node_ = (rng_() & 0xFFFFFFFFFFFFULL) | 0x010000000000ULL;
  clock_seq_ = static_cast<std::uint16_t>(rng_() & 0x3FFF);
}

std::string UuidGenerator::format_v1(std::uint64_t ticks) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04x-%012llx",
                static_cast<unsigned long long>(ticks & 0xFFFFFFFFULL),
                static_cast<unsigned long long>((ticks >> 32) & 0xFFFFULL),
                static_cast<unsigned long long>(((ticks >> 48) & 0x0FFFULL) | 0x1000ULL),
                static_cast<unsigned>((clock_seq_ & 0x3FFF) | 0x8000),
                static_cast<unsigned long long>(node_));
  return buf;
}

std::string UuidGenerator::v1() {
  std::lock_guard lock(mu_);
  std::uint64_t ticks = ticks_of(clock_.now());
  if (ticks <= last_ticks_) ticks = last_ticks_ + 1;  // same virtual instant: next tick
  last_ticks_ = ticks;
  return format_v1(ticks);
}

std::string UuidGenerator::v1_at(TimePoint t) {
  std::lock_guard lock(mu_);
  return format_v1(ticks_of(t));
}

std::string UuidGenerator::v4() {
  std::lock_guard lock(mu_);
  std::uint64_t a = rng_(), b = rng_();
  a = (a & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xFFFF),
                static_cast<unsigned long long>(a & 0xFFFF),
                static_cast<unsigned long long>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace gosdoki
