#pragma once
// A bounded, thread-safe record of what happened on the wire, for reports and expectations
// ("exactly one Ack"). In memory it keeps the newest `capacity` events; with a file (serve's
// --data-dir) every event is also appended to it as one JSON line before the call that made it
// is answered, so the whole history survives both the capacity limit and a crash.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
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

std::string journal_line(const JournalEvent& e);  // one JSON object, no newline
Result<JournalEvent> parse_journal_line(std::string_view line);

class Journal {
 public:
  explicit Journal(std::size_t capacity = 100000) : capacity_(capacity) {}
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  struct FileReport {
    std::uint64_t loaded = 0;  // events read back into memory from the file
    std::uint64_t last_seq = 0;
    bool torn_tail = false;    // the last line was cut by a crash and is ignored
  };
  // Appends to `file` from now on; the events already in it (its newest `capacity`, read from at
  // most the last 16 MiB) come back into memory and numbering continues after them. When the file
  // passes `max_bytes` it is renamed to <file>.1 (one older generation is kept).
  Result<FileReport> persist_to(const std::filesystem::path& file, std::uint64_t max_bytes = 256u << 20);

  void record(JournalEvent e);
  std::vector<JournalEvent> snapshot() const;
  struct Page {
    std::vector<JournalEvent> events;
    std::uint64_t dropped = 0;  // events no longer in memory (still in the file, if there is one)
    std::uint64_t last = 0;     // seq of the newest event
    bool more = false;
  };
  Page page(std::uint64_t since, std::size_t limit) const;
  std::size_t count(const std::string& channel, const std::string& operation, const std::string& outcome = "") const;
  std::size_t size() const;
  std::uint64_t dropped() const;
  std::uint64_t write_errors() const;

 private:
  void append_to_file(const JournalEvent& e);
  mutable std::mutex mu_;
  std::deque<JournalEvent> events_;
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::uint64_t dropped_ = 0;
  int fd_ = -1;
  std::filesystem::path file_;
  std::uint64_t file_bytes_ = 0, max_file_bytes_ = 0, write_errors_ = 0;
};

}  // namespace gosdoki::emulator
