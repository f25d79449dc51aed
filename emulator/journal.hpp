#pragma once
// A bounded, thread-safe record of what happened on the wire, for reports and expectations
// ("exactly one Ack"). The scenario issue extends it (spill to disk, diagrams).
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/time/clock.hpp"

namespace gosdoki::emulator {

struct JournalEvent {
  std::uint64_t seq = 0;
  TimePoint at;
  std::string channel;      // "smev3", "wallet", "admin", "epgu"
  std::string operation;    // "SendRequest", "GetResponse", "Ack", "issue", …
  std::string participant;  // mnemonic or person id
  std::string message_id;
  std::string outcome;      // "ok", "empty", or the fault / result code
};

class Journal {
 public:
  explicit Journal(std::size_t capacity = 100000) : capacity_(capacity) {}
  void record(JournalEvent e);
  std::vector<JournalEvent> snapshot() const;
  struct Page {
    std::vector<JournalEvent> events;
    std::uint64_t dropped = 0;  // events pushed out by the capacity limit so far
    std::uint64_t last = 0;     // seq of the newest event
    bool more = false;
  };
  Page page(std::uint64_t since, std::size_t limit) const;
  std::size_t count(const std::string& channel, const std::string& operation, const std::string& outcome = "") const;

 private:
  mutable std::mutex mu_;
  std::deque<JournalEvent> events_;
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace gosdoki::emulator
