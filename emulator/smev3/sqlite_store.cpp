// The СМЭВ 3 queues in SQLite, WAL mode, one connection behind a mutex. Every accepted
// message is committed before the HTTP answer is written, so a crash or restart of `serve`
// loses nothing СМЭВ acknowledged. synchronous=NORMAL: durable across process crashes
// (kill -9); a power loss may drop the last commits (docs/reliability.md).
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "emulator/smev3/store.hpp"

namespace gosdoki::emulator::smev3 {
namespace {

long long us(TimePoint t) { return t.time_since_epoch().count(); }
int kind_code(Kind k) { return k == Kind::request ? 0 : k == Kind::response ? 1 : 2; }
Kind kind_from(long long v) { return v == 0 ? Kind::request : v == 1 ? Kind::response : Kind::status; }
TimePoint tp(long long v) { return TimePoint{Micros{v}}; }

[[noreturn]] void fail(sqlite3* db, const char* what) {
  throw StoreError(std::string("очереди СМЭВ (SQLite): ") + what + ": " + sqlite3_errmsg(db));
}

void expect_done(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_DONE) fail(db, what);
}

// Statements prepared once per store and reused: preparing costs more than running most of
// them (benchmarks/README.md, BM_QueueSqlite).
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() {
    for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  sqlite3* db() const { return db_; }
  sqlite3_stmt* get(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) fail(db_, "prepare");
    cache_.emplace(sql, s);
    return s;
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// A statement borrowed from the cache: reset and unbound when done, never finalized here.
class Stmt {
 public:
  Stmt(StatementCache& cache, const std::string& sql) : s_(cache.get(sql)) {}
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& opt_text(int i, const std::optional<std::string>& v) {
    if (v) return text(i, *v);
    sqlite3_bind_null(s_, i);
    return *this;
  }
  Stmt& integer(int i, long long v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  std::string col_text(int i) const {
    auto* p = sqlite3_column_text(s_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, i)))
             : std::string{};
  }
  std::optional<std::string> col_opt(int i) const {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) return std::nullopt;
    return col_text(i);
  }
  long long col_int(int i) const { return sqlite3_column_int64(s_, i); }
  bool col_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  bool ok() const { return s_ != nullptr; }

 private:
  sqlite3_stmt* s_ = nullptr;
};

constexpr const char* kColumns =
    "id, kind, sender, sender_name, recipient, recipient_name, type_ns, business_root, node_id, content_xml, "
    "sender_signature_xml, original_message_id, reference_message_id, reply_to, sending_ts, eol, status, in_flight, "
    "visible_at, deliveries, transaction_code, test_message, version, attachments_xml";

StoredMessage row(const Stmt& s) {
  StoredMessage m;
  m.id = s.col_text(0);
  m.kind = kind_from(s.col_int(1));
  m.sender = s.col_text(2);
  m.sender_name = s.col_text(3);
  m.recipient = s.col_text(4);
  m.recipient_name = s.col_text(5);
  m.type_ns = s.col_text(6);
  m.business_root = s.col_text(7);
  m.node_id = s.col_text(8);
  m.content_xml = s.col_text(9);
  m.sender_signature_xml = s.col_text(10);
  m.original_message_id = s.col_text(11);
  m.reference_message_id = s.col_opt(12);
  m.reply_to = s.col_text(13);
  m.sending_timestamp = tp(s.col_int(14));
  if (!s.col_null(15)) m.eol = tp(s.col_int(15));
  m.status = s.col_text(16);
  m.in_flight = s.col_int(17) != 0;
  m.visible_at = tp(s.col_int(18));
  m.deliveries = static_cast<int>(s.col_int(19));
  m.transaction_code = s.col_opt(20);
  m.test_message = s.col_int(21) != 0;
  m.version = s.col_text(22);
  m.attachments_xml = s.col_text(23);
  return m;
}

class SqliteStore final : public MessageStore {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db), closer_{db}, cache_(db) {}

  bool put(const StoredMessage& m) override {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    if (!remember(m)) return false;
    Stmt ins(cache_, (std::string("INSERT INTO messages(") + kColumns +
                   ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24)").c_str());
    ins.text(1, m.id).integer(2, kind_code(m.kind)).text(3, m.sender).text(4, m.sender_name);
    ins.text(5, m.recipient).text(6, m.recipient_name).text(7, m.type_ns).text(8, m.business_root).text(9, m.node_id);
    ins.text(10, m.content_xml).text(11, m.sender_signature_xml).text(12, m.original_message_id);
    ins.opt_text(13, m.reference_message_id).text(14, m.reply_to).integer(15, us(m.sending_timestamp));
    if (m.eol) ins.integer(16, us(*m.eol));
    else ins.null(16);
    ins.text(17, m.status).integer(18, m.in_flight ? 1 : 0).integer(19, us(m.visible_at)).integer(20, m.deliveries);
    ins.opt_text(21, m.transaction_code).integer(22, m.test_message ? 1 : 0).text(23, m.version).text(24, m.attachments_xml);
    expect_done(db_, ins.step(), "insert");
    tx.commit();
    if (auto it = depth_.find({m.recipient, kind_code(m.kind)}); it != depth_.end()) ++it->second;
    return true;
  }

  bool record_only(const StoredMessage& m) override {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    if (!remember(m)) return false;
    tx.commit();
    return true;
  }

  bool seen(const std::string& id) const override {
    std::lock_guard lock(mu_);
    Stmt s(cache_, "SELECT 1 FROM history WHERE id = ?1");
    s.text(1, id);
    return s.step() == SQLITE_ROW;
  }

  std::optional<StoredMessage> take(const std::string& recipient, Kind kind, const Selector& sel, TimePoint now,
                                    std::chrono::microseconds redelivery) override {
    std::lock_guard lock(mu_);
    // Most polls find an empty queue: known from the kept depth, without touching the database.
    if (depth_locked(recipient, kind) == 0) return std::nullopt;
    Tx tx(db_, true);
    Stmt q(cache_, (std::string("SELECT ") + kColumns +
                 " FROM messages WHERE recipient = ?1 AND kind = ?2 AND (in_flight = 0 OR visible_at <= ?3)"
                 " ORDER BY seq")
                    .c_str());
    q.text(1, recipient).integer(2, kind_code(kind)).integer(3, us(now));
    while (q.step() == SQLITE_ROW) {
      StoredMessage m = row(q);
      if (!selector_matches(m, sel)) continue;
      m.in_flight = true;
      m.visible_at = now + redelivery;
      ++m.deliveries;
      Stmt u(cache_, "UPDATE messages SET in_flight = 1, visible_at = ?1, deliveries = ?2 WHERE id = ?3");
      u.integer(1, us(m.visible_at)).integer(2, m.deliveries).text(3, m.id);
      expect_done(db_, u.step(), "take");
      tx.commit();
      return m;
    }
    return std::nullopt;
  }

  bool ack(const std::string& recipient, const std::string& id) override {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    Stmt k(cache_, "SELECT kind FROM messages WHERE id = ?1 AND recipient = ?2 AND in_flight = 1");
    k.text(1, id).text(2, recipient);
    if (k.step() != SQLITE_ROW) return false;
    Kind kind = kind_from(k.col_int(0));
    Stmt d(cache_, "DELETE FROM messages WHERE id = ?1");
    d.text(1, id);
    expect_done(db_, d.step(), "ack");
    Stmt h(cache_, "UPDATE history SET status = ?1 WHERE id = ?2");
    h.text(1, kind == Kind::request ? "requestIsProcessed" : kind == Kind::response ? "responseIsProcessed" : "delivered")
        .text(2, id);
    expect_done(db_, h.step(), "ack status");
    tx.commit();
    if (auto it = depth_.find({recipient, kind_code(kind)}); it != depth_.end() && it->second > 0) --it->second;
    return true;
  }

  std::optional<StoredMessage> find(const std::string& id) const override {
    std::lock_guard lock(mu_);
    Stmt q(cache_, std::string("SELECT ") + kColumns + " FROM messages WHERE id = ?1");
    q.text(1, id);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return row(q);
  }

  void set_status(const std::string& id, const std::string& status) override {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    Stmt a(cache_, "UPDATE messages SET status = ?1 WHERE id = ?2");
    a.text(1, status).text(2, id);
    expect_done(db_, a.step(), "status");
    Stmt b(cache_, "UPDATE history SET status = ?1 WHERE id = ?2");
    b.text(1, status).text(2, id);
    expect_done(db_, b.step(), "status");
    tx.commit();
  }

  std::string status(const std::string& id) const override {
    std::lock_guard lock(mu_);
    Stmt q(cache_, "SELECT status FROM history WHERE id = ?1");
    q.text(1, id);
    return q.step() == SQLITE_ROW ? q.col_text(0) : std::string{};
  }

  std::size_t pending(const std::string& recipient, Kind kind) const override {
    std::lock_guard lock(mu_);
    return depth_locked(recipient, kind);
  }

  std::optional<Route> route(const std::string& request_id) const override {
    std::lock_guard lock(mu_);
    Stmt q(cache_, "SELECT consumer, consumer_name, provider, type_ns, node_id, reference_message_id, transaction_code "
                "FROM routes WHERE id = ?1");
    q.text(1, request_id);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return Route{q.col_text(0), q.col_text(1), q.col_text(2), q.col_text(3), q.col_text(4), q.col_opt(5), q.col_opt(6)};
  }

 private:
  // BEGIN IMMEDIATE … COMMIT, rolled back unless committed.
  class Tx {
   public:
    // Deferred for take(): most polls find nothing and then never write (one connection, under
    // the store's mutex, so the later upgrade to a write cannot meet another writer).
    explicit Tx(sqlite3* db, bool deferred = false) : db_(db) {
      if (sqlite3_exec(db_, deferred ? "BEGIN" : "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, "begin");
    }
    ~Tx() {
      if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
      if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, "commit");
      done_ = true;
    }

   private:
    sqlite3* db_;
    bool done_ = false;
  };

  // Counted once per queue, then kept by put and ack: count(*) walks the whole queue, and every
  // SendRequest (the DestinationOverflow check) and every poll asks. Called with mu_ held.
  std::size_t depth_locked(const std::string& recipient, Kind kind) const {
    auto key = std::make_pair(recipient, kind_code(kind));
    if (auto it = depth_.find(key); it != depth_.end()) return it->second;
    Stmt q(cache_, "SELECT count(*) FROM messages WHERE recipient = ?1 AND kind = ?2");
    q.text(1, recipient).integer(2, kind_code(kind));
    std::size_t n = q.step() == SQLITE_ROW ? static_cast<std::size_t>(q.col_int(0)) : 0;
    depth_.emplace(std::move(key), n);
    return n;
  }

  bool remember(const StoredMessage& m) {
    Stmt h(cache_, "INSERT OR IGNORE INTO history(id, status) VALUES (?1, ?2)");
    h.text(1, m.id).text(2, m.status);
    expect_done(db_, h.step(), "history");
    if (sqlite3_changes(db_) == 0) return false;  // the id is known: MessageIsAlreadySent
    if (m.kind == Kind::request) {
      Stmt r(cache_, "INSERT OR REPLACE INTO routes(id, consumer, consumer_name, provider, type_ns, node_id, "
                  "reference_message_id, transaction_code) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
      r.text(1, m.id).text(2, m.sender).text(3, m.sender_name).text(4, m.recipient).text(5, m.type_ns);
      r.text(6, m.node_id).opt_text(7, m.reference_message_id).opt_text(8, m.transaction_code);
      expect_done(db_, r.step(), "route");
    }
    return true;
  }

  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  };
  mutable std::mutex mu_;
  sqlite3* db_;
  Closer closer_;                 // declared before the cache: the statements are finalized first
  mutable StatementCache cache_;
  mutable std::map<std::pair<std::string, int>, std::size_t> depth_;  // (recipient, kind) → messages queued
};

constexpr const char* kSchema = R"SQL(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', 'gosdoki-smev3-queues-4');
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,
  sender TEXT, sender_name TEXT, recipient TEXT NOT NULL, recipient_name TEXT, type_ns TEXT, business_root TEXT,
  node_id TEXT, content_xml TEXT NOT NULL, sender_signature_xml TEXT, original_message_id TEXT,
  reference_message_id TEXT, reply_to TEXT, sending_ts INTEGER, eol INTEGER, status TEXT,
  in_flight INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL DEFAULT 0, deliveries INTEGER NOT NULL DEFAULT 0,
  transaction_code TEXT, test_message INTEGER NOT NULL DEFAULT 0, version TEXT NOT NULL DEFAULT '1.3', attachments_xml TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS messages_queue ON messages(recipient, kind, seq);
CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, status TEXT);
CREATE TABLE IF NOT EXISTS routes (id TEXT PRIMARY KEY, consumer TEXT, consumer_name TEXT, provider TEXT,
  type_ns TEXT, node_id TEXT, reference_message_id TEXT, transaction_code TEXT);
)SQL";

}  // namespace

Result<std::unique_ptr<MessageStore>> open_sqlite_store(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return make_error("store.open", path.string() + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "schema error";
    sqlite3_free(err);
    sqlite3_close(db);
    return make_error("store.open", path.string() + ": " + msg + " (not a GosDoki Sandbox queue database?)");
  }
  if (max_bytes > 0) {
    // SQLite counts pages; a write past the last one fails with SQLITE_FULL.
    sqlite3_stmt* ps = nullptr;
    long long page = 4096;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &ps, nullptr) == SQLITE_OK && sqlite3_step(ps) == SQLITE_ROW) {
      page = sqlite3_column_int64(ps, 0);
    }
    sqlite3_finalize(ps);
    long long pages = std::max<long long>(1, static_cast<long long>(max_bytes) / page);
    sqlite3_exec(db, ("PRAGMA max_page_count = " + std::to_string(pages)).c_str(), nullptr, nullptr, nullptr);
  }
  return std::unique_ptr<MessageStore>(std::make_unique<SqliteStore>(db));
}

}  // namespace gosdoki::emulator::smev3
