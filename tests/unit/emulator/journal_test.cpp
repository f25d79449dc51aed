// The journal file: every event on disk as one JSON line, read back after a restart (a line cut
// by a crash ignored), numbering continued, the file rotated at its size bound.
#include <gtest/gtest.h>

#include <fstream>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "emulator/journal.hpp"

using namespace gosdoki;
using emulator::Journal;
using emulator::JournalEvent;

namespace {

std::filesystem::path fresh(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("gosdoki-journal-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d / "journal.jsonl";
}

JournalEvent ev(const std::string& op, const std::string& id) {
  return JournalEvent{0, *parse_datetime("2026-01-15T10:00:00+03:00"), "smev3", op, "HOTEL01", id, "ok"};
}

std::size_t lines(const std::filesystem::path& f) {
  std::ifstream in(f);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) ++n;
  return n;
}

}  // namespace

TEST(JournalFile, EveryEventIsALineAndComesBackAfterARestart) {
  auto file = fresh("restart");
  {
    Journal j(3);
    ASSERT_TRUE(j.persist_to(file));
    for (int i = 1; i <= 5; ++i) j.record(ev("SendRequest", "m" + std::to_string(i)));
    EXPECT_EQ(j.size(), 3u);
    EXPECT_EQ(j.dropped(), 2u);
  }
  EXPECT_EQ(lines(file), 5u) << "the capacity bounds memory, not the file";
  Journal again(3);
  auto rep = again.persist_to(file);
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_EQ(rep->loaded, 3u);
  EXPECT_EQ(rep->last_seq, 5u);
  EXPECT_FALSE(rep->torn_tail);
  auto snap = again.snapshot();
  ASSERT_EQ(snap.size(), 3u);
  EXPECT_EQ(snap.front().message_id, "m3");
  EXPECT_EQ(snap.back().message_id, "m5");
  EXPECT_EQ(snap.back().at, *parse_datetime("2026-01-15T07:00:00Z"));
  again.record(ev("Ack", "m5"));
  EXPECT_EQ(again.snapshot().back().seq, 6u) << "numbering continues after the restart";
  EXPECT_EQ(again.page(0, 10).dropped, 3u);
}

TEST(JournalFile, ALineCutByACrashIsIgnoredAndTheNextEventStartsOnItsOwnLine) {
  auto file = fresh("torn");
  {
    Journal j;
    ASSERT_TRUE(j.persist_to(file));
    j.record(ev("SendRequest", "a"));
    j.record(ev("SendRequest", "b"));
  }
  {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << R"({"seq":3,"at":"2026-01-15T07:00:00Z","chan)";  // killed in the middle of a write
  }
  Journal j;
  auto rep = j.persist_to(file);
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->torn_tail);
  EXPECT_EQ(rep->loaded, 2u);
  j.record(ev("Ack", "c"));
  Journal third;
  auto rep3 = third.persist_to(file);
  ASSERT_TRUE(rep3);
  EXPECT_FALSE(rep3->torn_tail);
  ASSERT_EQ(rep3->loaded, 3u);
  EXPECT_EQ(third.snapshot().back().message_id, "c");
  EXPECT_EQ(third.snapshot().back().seq, 3u);
}

TEST(JournalFile, RotatesPastItsSizeBound) {
  auto file = fresh("rotate");
  Journal j;
  std::size_t one = emulator::journal_line([] {
                      auto e = ev("SendRequest", "x");
                      e.seq = 1;
                      return e;
                    }()).size() + 1;
  ASSERT_TRUE(j.persist_to(file, one * 4));
  for (int i = 0; i < 6; ++i) j.record(ev("SendRequest", "x"));
  auto old = file;
  old += ".1";
  EXPECT_EQ(lines(old), 4u);
  EXPECT_EQ(lines(file), 2u);
  EXPECT_EQ(j.write_errors(), 0u);
}

TEST(JournalFile, BytesThatAreNotUtf8AreWrittenAsValidJson) {
  auto e = ev("SendRequest", std::string("id\xA4", 3));
  auto line = emulator::journal_line(e);
  auto back = emulator::parse_journal_line(line);
  ASSERT_TRUE(back) << line;
  EXPECT_EQ(back->message_id, "id\xEF\xBF\xBD");
  EXPECT_FALSE(emulator::parse_journal_line(R"({"seq":1})"));
  EXPECT_FALSE(emulator::parse_journal_line("not json"));
}
