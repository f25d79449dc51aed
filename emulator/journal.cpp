#include "emulator/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#include "core/time/datetime.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

std::string journal_line(const JournalEvent& e) {
  json j{{"seq", e.seq},         {"at", format_datetime(e.at)}, {"channel", e.channel}, {"operation", e.operation},
         {"participant", e.participant}, {"messageId", e.message_id}, {"outcome", e.outcome}};
  // Bytes from the wire may not be UTF-8: replaced, never a throw on the request path.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<JournalEvent> parse_journal_line(std::string_view line) {
  auto j = json::parse(line, nullptr, false);
  if (!j.is_object()) return make_error("journal.line", "not a JSON object");
  JournalEvent e;
  try {
    e.seq = j.at("seq").get<std::uint64_t>();
    auto at = parse_datetime(j.at("at").get<std::string>());
    if (!at) return make_error("journal.line", "field 'at': " + at.error().message);
    e.at = *at;
    e.channel = j.at("channel").get<std::string>();
    e.operation = j.at("operation").get<std::string>();
    e.participant = j.at("participant").get<std::string>();
    e.message_id = j.at("messageId").get<std::string>();
    e.outcome = j.at("outcome").get<std::string>();
  } catch (const json::exception& ex) {
    return make_error("journal.line", ex.what());
  }
  return e;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

Result<Journal::FileReport> Journal::persist_to(const std::filesystem::path& file, std::uint64_t max_bytes) {
  FileReport rep;
  std::deque<JournalEvent> loaded;
  std::error_code ec;
  auto size = std::filesystem::exists(file, ec) ? std::filesystem::file_size(file, ec) : 0;
  if (size > 0) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("journal.open", "cannot read " + file.string());
    constexpr std::uint64_t kTail = 16u << 20;  // start-up stays fast however long the history is
    std::uint64_t from = size > kTail ? size - kTail : 0;
    in.seekg(static_cast<std::streamoff>(from));
    std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Split first (cheap), then parse only the lines that will be kept: start-up stays short.
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    if (from > 0) {  // the tail starts inside a line: skip it
      auto nl = tail.find('\n');
      pos = nl == std::string::npos ? tail.size() : nl + 1;
    }
    while (pos < tail.size()) {
      auto nl = tail.find('\n', pos);
      if (nl == std::string::npos) {  // no newline after it: the write was cut by a crash
        rep.torn_tail = true;
        break;
      }
      lines.emplace_back(tail.data() + pos, nl - pos);
      pos = nl + 1;
    }
    std::size_t first = lines.size() > capacity_ ? lines.size() - capacity_ : 0;
    for (std::size_t i = first; i < lines.size(); ++i) {
      auto e = parse_journal_line(lines[i]);
      if (e) loaded.push_back(std::move(*e));
      else if (i + 1 == lines.size()) rep.torn_tail = true;  // a cut line that happens to end in '\n'
    }
  }
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("journal.open", "cannot append to " + file.string() + ": " + std::strerror(errno));
  if (rep.torn_tail) {
    // Terminate the cut line, so the next event starts on a line of its own.
    if (::write(fd, "\n", 1) != 1) {
      ::close(fd);
      return make_error("journal.open", "cannot write to " + file.string() + ": " + std::strerror(errno));
    }
  }
  std::lock_guard lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  file_ = file;
  file_bytes_ = size + (rep.torn_tail ? 1 : 0);
  max_file_bytes_ = max_bytes;
  rep.loaded = loaded.size();
  rep.last_seq = loaded.empty() ? 0 : loaded.back().seq;
  if (rep.last_seq > seq_) {
    events_ = std::move(loaded);
    seq_ = rep.last_seq;
    dropped_ = seq_ - events_.size();
  }
  return rep;
}

void Journal::append_to_file(const JournalEvent& e) {
  std::string line = journal_line(e);
  line += '\n';
  if (max_file_bytes_ && file_bytes_ + line.size() > max_file_bytes_) {
    std::error_code ec;
    std::filesystem::path old = file_;
    old += ".1";
    std::filesystem::rename(file_, old, ec);
    int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (!ec && fd >= 0) {
      ::close(fd_);
      fd_ = fd;
      file_bytes_ = 0;
    } else if (fd >= 0) {
      ::close(fd);
    }
  }
  // One write(2) per line: the kernel has it once this returns, so a killed process loses none.
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ++write_errors_;
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  file_bytes_ += line.size();
}

void Journal::record(JournalEvent e) {
  std::lock_guard lock(mu_);
  e.seq = ++seq_;
  if (fd_ >= 0) append_to_file(e);
  if (events_.size() >= capacity_) {
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

std::size_t Journal::size() const {
  std::lock_guard lock(mu_);
  return events_.size();
}

std::uint64_t Journal::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::uint64_t Journal::write_errors() const {
  std::lock_guard lock(mu_);
  return write_errors_;
}

}  // namespace gosdoki::emulator
