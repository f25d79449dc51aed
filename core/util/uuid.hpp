#pragma once
// RFC 4122 UUIDs. SMEV MessageIDs are lowercase time-based (version 1) UUIDs whose embedded
// time comes from the emulator's virtual clock, so staleness checks follow scenario time.
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time/clock.hpp"

namespace gosdoki {

struct UuidInfo {
  int version = 0;
  bool rfc4122_variant = false;
  std::optional<TimePoint> time;  // version 1 only
};

// Lowercase canonical form only (the SMEV basic:UUID pattern).
bool is_lowercase_uuid(std::string_view s);
// Parses any-case canonical text; reports version, variant and (v1) the embedded time.
Result<UuidInfo> inspect_uuid(std::string_view s);

class UuidGenerator {
 public:
  // `seed` fixes node id, clock sequence and v4 randomness, for reproducible runs.
  UuidGenerator(const Clock& clock, std::uint64_t seed);
  std::string v1();                 // time from the clock; strictly increasing per generator
  std::string v1_at(TimePoint t);   // a v1 with a chosen time (for stale-id scenarios)
  std::string v4();

 private:
  std::string format_v1(std::uint64_t ticks);
  const Clock& clock_;
  std::mutex mu_;
  std::mt19937_64 rng_;
  std::uint64_t node_;
  std::uint16_t clock_seq_;
  std::uint64_t last_ticks_ = 0;
};

}  // namespace gosdoki
