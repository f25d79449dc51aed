#include "core/time/clock.hpp"

namespace gosdoki {

TimePoint system_now() {
  return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

VirtualClock::VirtualClock() : base_(system_now()), steady_base_(Steady::now()) {}

VirtualClock::VirtualClock(TimePoint start, bool frozen)
    : base_(start), steady_base_(Steady::now()), frozen_(frozen) {}

TimePoint VirtualClock::now() const {
  std::lock_guard lock(mu_);
  if (frozen_) return base_;
  return base_ + std::chrono::duration_cast<Micros>(Steady::now() - steady_base_);
}

void VirtualClock::set(TimePoint t) {
  std::lock_guard lock(mu_);
  base_ = t;
  steady_base_ = Steady::now();
}

void VirtualClock::advance(Micros d) {
  std::lock_guard lock(mu_);
  base_ += d;
}

void VirtualClock::freeze() {
  std::lock_guard lock(mu_);
  if (frozen_) return;
  base_ += std::chrono::duration_cast<Micros>(Steady::now() - steady_base_);
  frozen_ = true;
}

void VirtualClock::run() {
  std::lock_guard lock(mu_);
  if (!frozen_) return;
  steady_base_ = Steady::now();
  frozen_ = false;
}

bool VirtualClock::frozen() const {
  std::lock_guard lock(mu_);
  return frozen_;
}

}  // namespace gosdoki
