#include "emulator/journal.hpp"

namespace gosdoki::emulator {

void Journal::record(JournalEvent e) {
  std::lock_guard lock(mu_);
  e.seq = ++seq_;
  if (events_.size() >= capacity_) {
    // Bounded: keep the newest; the reliability issue adds spilling to disk.
    events_.erase(events_.begin());
    ++dropped_;
  }
  events_.push_back(std::move(e));
}

std::vector<JournalEvent> Journal::snapshot() const {
  std::lock_guard lock(mu_);
  return events_;
}

std::size_t Journal::count(const std::string& channel, const std::string& operation, const std::string& outcome) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& e : events_) {
    if (e.channel == channel && e.operation == operation && (outcome.empty() || e.outcome == outcome)) ++n;
  }
  return n;
}

}  // namespace gosdoki::emulator
