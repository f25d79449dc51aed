#pragma once
// Refuses a signed GetRequest / GetResponse / GetStatus that arrives again byte for byte (the
// same SignatureValue): a captured envelope cannot be replayed to take another ИС's answers or
// to drain a queue. ГОСТ signatures are randomised, so a client that signs each call anew never
// repeats a value. Bounded: values are kept for `window` of emulator time and at most
// `capacity` of them (the oldest go first).
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time/clock.hpp"

namespace gosdoki::emulator::smev3 {

class ReplayGuard {
 public:
  explicit ReplayGuard(std::size_t capacity = 100000) : capacity_(capacity) {}
  // When the value was already presented within the window: when it was first seen. Otherwise
  // remembers it and returns nullopt.
  std::optional<TimePoint> check(std::string_view signature_value, TimePoint now, std::chrono::seconds window);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::size_t capacity_;
  std::unordered_map<std::string, TimePoint> seen_;  // 16 bytes of SHA-256 of the value → first seen
  std::deque<std::pair<std::string, TimePoint>> order_;
};

}  // namespace gosdoki::emulator::smev3
