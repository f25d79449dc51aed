#include "emulator/journal.hpp"

namespace gosdoki::emulator {

void Journal::record(JournalEvent e) {
  std::lock_guard lock(mu_);
  e.seq = ++seq_;
  if (events_.size() >= capacity_) {
    // Bounded: keep the newest; the reliability issue adds spilling to disk.
    events_.pop_front();
    ++dropped_;
  }
  events_.push_back(std::move(e));
}

std::vector<JournalEvent> Journal::snapshot() const {
  std::lock_guard lock(mu_);
  return {events_.begin(), events_.end()};
}

Journal::Page Journal::page(std::uint64_t since, std::size_t limit) const {
  std::lock_guard lock(mu_);
  Page p;
  p.dropped = dropped_;
  p.last = seq_;
  for (const auto& e : events_) {
    if (e.seq <= since) continue;
    if (p.events.size() == limit) {
      p.more = true;
      break;
    }
    p.events.push_back(e);
  }
  return p;
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
