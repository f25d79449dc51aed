// Both queue stores behave the same; the SQLite one keeps everything across a reopen.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "emulator/smev3/store.hpp"

using namespace gosdoki;
using namespace gosdoki::emulator::smev3;
using namespace std::chrono;

namespace {

StoredMessage msg(const std::string& id, Kind kind, const std::string& to, const std::string& root = "RequestGosQrDocs") {
  StoredMessage m;
  m.id = id;
  m.kind = kind;
  m.sender = "HTLSEV";
  m.sender_name = "Гостиница";
  m.recipient = to;
  m.type_ns = "urn://gosuslugi/gosqr-docs-emul/1.0.0";
  m.business_root = root;
  m.content_xml = "<t:SenderProvidedRequestData xmlns:t=\"urn:t\">" + id + "</t:SenderProvidedRequestData>";
  m.sending_timestamp = TimePoint{seconds{1768460400}};
  m.status = "requestIsQueued";
  return m;
}

const TimePoint kNow{seconds{1768460400}};

std::filesystem::path db_path() {
  return std::filesystem::temp_directory_path() / ("gosdoki-store-" + std::to_string(getpid()) + ".sqlite");
}

class StoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(db_path().string() + ext);
      auto s = open_sqlite_store(db_path());
      ASSERT_TRUE(s) << s.error().message;
      store_ = std::move(*s);
    } else {
      store_ = std::make_unique<MemoryStore>();
    }
  }
  void reopen() {
    if (!GetParam()) return;
    store_.reset();
    auto s = open_sqlite_store(db_path());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::unique_ptr<MessageStore> store_;
};

}  // namespace

TEST_P(StoreTest, FifoPerRecipientAtLeastOnceAndAck) {
  ASSERT_TRUE(store_->put(msg("a", Kind::request, "EPGU")));
  ASSERT_TRUE(store_->put(msg("b", Kind::request, "EPGU")));
  ASSERT_TRUE(store_->put(msg("c", Kind::request, "OTHER")));
  EXPECT_FALSE(store_->put(msg("a", Kind::request, "EPGU"))) << "an id is accepted once";
  EXPECT_TRUE(store_->seen("a"));
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 2u);

  auto first = store_->take("EPGU", Kind::request, {}, kNow, seconds{60});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "a");
  EXPECT_EQ(first->deliveries, 1);
  auto second = store_->take("EPGU", Kind::request, {}, kNow, seconds{60});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, "b") << "a is in flight";
  EXPECT_FALSE(store_->take("EPGU", Kind::request, {}, kNow + seconds{59}, seconds{60}));
  auto again = store_->take("EPGU", Kind::request, {}, kNow + seconds{60}, seconds{60});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "a") << "redelivered after the delay";
  EXPECT_EQ(again->deliveries, 2);

  EXPECT_FALSE(store_->ack("OTHER", "a")) << "only the recipient can ack";
  EXPECT_FALSE(store_->ack("OTHER", "c")) << "c was never taken";
  EXPECT_TRUE(store_->ack("EPGU", "a"));
  EXPECT_FALSE(store_->ack("EPGU", "a")) << "acked once";
  EXPECT_EQ(store_->status("a"), "requestIsProcessed");
  EXPECT_TRUE(store_->seen("a")) << "still known after the ack: no reuse of the id";
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 1u);
}

TEST_P(StoreTest, SelectorFiltersByTypeRootAndNode) {
  auto m1 = msg("r1", Kind::response, "HTLSEV", "ResponseGosQrDocs");
  auto m2 = msg("r2", Kind::response, "HTLSEV", "");  // a rejection: no business root
  m2.node_id = "node-2";
  auto m3 = msg("r3", Kind::response, "HTLSEV", "Other");
  m3.type_ns = "urn://other/1.0";
  for (const auto& m : {m1, m2, m3}) ASSERT_TRUE(store_->put(m));
  Selector by_root{std::string("urn://gosuslugi/gosqr-docs-emul/1.0.0"), std::string("ResponseGosQrDocs"), std::nullopt};
  auto a = store_->take("HTLSEV", Kind::response, by_root, kNow, seconds{60});
  auto b = store_->take("HTLSEV", Kind::response, by_root, kNow, seconds{60});
  auto c = store_->take("HTLSEV", Kind::response, by_root, kNow, seconds{60});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, "r1");
  EXPECT_EQ(b->id, "r2") << "a rejection of that вид сведений matches by namespace";
  EXPECT_FALSE(c) << "r3 is another вид сведений";
  Selector by_node{std::nullopt, std::nullopt, std::string("node-2")};
  // Only r2 carries node-2; after its redelivery time it is the one the node selector gets.
  auto n = store_->take("HTLSEV", Kind::response, by_node, kNow + seconds{200}, seconds{60});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->id, "r2");
}

TEST_P(StoreTest, RoutesAndRecordedOnlyMessages) {
  auto m = msg("q1", Kind::request, "EPGU");
  m.node_id = "n1";
  m.reference_message_id = "ref-1";
  ASSERT_TRUE(store_->record_only(m));
  EXPECT_TRUE(store_->seen("q1"));
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 0u) << "recorded, not queued";
  auto r = store_->route("q1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->consumer, "HTLSEV");
  EXPECT_EQ(r->provider, "EPGU");
  EXPECT_EQ(r->node_id, "n1");
  EXPECT_EQ(r->reference_message_id, std::optional<std::string>("ref-1"));
  EXPECT_FALSE(store_->record_only(m));
  store_->set_status("q1", "requestIsRejectedBySmev");
  EXPECT_EQ(store_->status("q1"), "requestIsRejectedBySmev");
}

TEST_P(StoreTest, SurvivesAReopenWithInFlightState) {
  auto m = msg("p1", Kind::response, "HTLSEV", "ResponseGosQrDocs");
  m.eol = kNow + hours{1};
  m.reference_message_id = "root";
  ASSERT_TRUE(store_->put(m));
  ASSERT_TRUE(store_->put(msg("p2", Kind::response, "HTLSEV", "ResponseGosQrDocs")));
  ASSERT_TRUE(store_->take("HTLSEV", Kind::response, {}, kNow, seconds{60}));
  reopen();
  auto p2 = store_->take("HTLSEV", Kind::response, {}, kNow, seconds{60});
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->id, "p2") << "p1 is still in flight after the reopen";
  auto p1 = store_->take("HTLSEV", Kind::response, {}, kNow + seconds{60}, seconds{60});
  ASSERT_TRUE(p1) << "unacked p1 comes again";
  EXPECT_EQ(p1->id, "p1");
  EXPECT_EQ(p1->deliveries, 2);
  EXPECT_EQ(p1->content_xml, m.content_xml);
  EXPECT_EQ(p1->eol, m.eol);
  EXPECT_EQ(p1->reference_message_id, m.reference_message_id);
  EXPECT_EQ(p1->sender_name, "Гостиница");
  EXPECT_TRUE(store_->seen("p1"));
}

// pending() is kept by put and ack rather than counted each time: it must agree with what is
// queued after every kind of change, and after a reopen.
TEST_P(StoreTest, PendingFollowsPutTakeAckAndReopen) {
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 0u);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->put(msg("r" + std::to_string(i), Kind::request, "EPGU")));
  ASSERT_TRUE(store_->put(msg("a0", Kind::response, "EPGU")));
  ASSERT_FALSE(store_->put(msg("r0", Kind::request, "EPGU")));  // a duplicate is not queued twice
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 5u);
  EXPECT_EQ(store_->pending("EPGU", Kind::response), 1u);
  EXPECT_EQ(store_->pending("HTLSEV", Kind::request), 0u);
  auto m = store_->take("EPGU", Kind::request, {}, kNow, seconds(60));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, "r0");
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 5u);  // in flight is still queued
  ASSERT_TRUE(store_->ack("EPGU", m->id));
  EXPECT_FALSE(store_->ack("EPGU", m->id));
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 4u);
  reopen();
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 4u);
  ASSERT_TRUE(store_->put(msg("r9", Kind::request, "EPGU")));
  EXPECT_EQ(store_->pending("EPGU", Kind::request), 5u);
  // FIFO order survives: r1 is next.
  auto next = store_->take("EPGU", Kind::request, {}, kNow, seconds(60));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, "r1");
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? std::string("sqlite") : std::string("memory"); });

TEST(SqliteStore, RefusesAFileThatIsNotItsDatabase) {
  auto path = std::filesystem::temp_directory_path() / ("gosdoki-notdb-" + std::to_string(getpid()));
  { std::ofstream(path) << "this is not sqlite"; }
  auto s = open_sqlite_store(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find(path.string()), std::string::npos) << s.error().message;
  std::filesystem::remove(path);
}
