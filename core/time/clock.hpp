#pragma once
// One clock for the whole emulator: every time it uses (UUID v1, EOL, TTL, JWT, certificate
// validity) comes from here, so scenarios move time instead of sleeping.
#include <chrono>
#include <mutex>

namespace gosdoki {

using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Micros>;  // UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// Real time shifted and optionally frozen. Thread-safe.
class VirtualClock final : public Clock {
 public:
  // Starts running from the current system time.
  VirtualClock();
  // Starts at `start`, frozen or running.
  VirtualClock(TimePoint start, bool frozen);

  TimePoint now() const override;
  void set(TimePoint t);
  void advance(Micros d);
  void freeze();
  void run();
  bool frozen() const;

 private:
  using Steady = std::chrono::steady_clock;
  mutable std::mutex mu_;
  TimePoint base_;
  Steady::time_point steady_base_;
  bool frozen_ = false;
};

TimePoint system_now();

}  // namespace gosdoki
