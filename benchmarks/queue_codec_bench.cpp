// СМЭВ 3 queue operations at depths 10² to 10⁶ (both stores), QR encode and decode at the two
// frame sizes a scanner sees, envelope building and XSD validation. GOSDOKI_BENCH_MAX_DEPTH
// bounds the depths (CI runs the benchmarks once, briefly, up to 10⁴).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/image/image.hpp"
#include "core/qr/qr.hpp"
#include "core/util/process_stats.hpp"
#include "core/xml/xml.hpp"
#include "emulator/smev3/store.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/smev3/schema_files.hpp"
#include "core/crypto/crypto.hpp"

using namespace gosdoki;
namespace q = gosdoki::emulator::smev3;

namespace {

constexpr const char* kRecipient = "EPGU01";
// What a queued request weighs without a photo: the SenderProvidedRequestData of a check.
const std::string kContent(1024, 'c');

q::StoredMessage message(std::uint64_t n) {
  q::StoredMessage m;
  m.id = "m-" + std::to_string(n);
  m.kind = q::Kind::request;
  m.sender = "MNSV05";
  m.recipient = kRecipient;
  m.type_ns = "urn://gosuslugi/gosdoki/check/1.0.0";
  m.business_root = "CheckRequest";
  m.node_id = "node";
  m.content_xml = kContent;
  m.status = "requestIsQueued";
  return m;
}

std::int64_t max_depth() {
  const char* v = std::getenv("GOSDOKI_BENCH_MAX_DEPTH");
  return v ? std::atoll(v) : 1'000'000;
}

// A SQLite queue database with `depth` requests already queued, made once per depth (the
// store's own put() commits each message: 10⁶ of them would take minutes).
std::filesystem::path sqlite_with_depth(std::int64_t depth) {
  auto dir = std::filesystem::temp_directory_path() / "gosdoki-bench-queues";
  std::filesystem::create_directories(dir);
  auto path = dir / ("depth-" + std::to_string(depth) + ".sqlite");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  { auto s = q::open_sqlite_store(path); }  // creates the schema
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string sql =
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(depth - 1) +
      ") INSERT INTO messages(id, kind, sender, recipient, type_ns, business_root, node_id, content_xml, status) "
      "SELECT 'fill-' || i, 0, 'MNSV05', '" + kRecipient + "', 'urn://gosuslugi/gosdoki/check/1.0.0', 'CheckRequest', "
      "'node', '" + kContent + "', 'requestIsQueued' FROM n; "
      "INSERT INTO history(id, status) SELECT id, status FROM messages; COMMIT;";
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string e = err ? err : "?";
    sqlite3_free(err);
    sqlite3_close(db);
    throw std::runtime_error("filling the bench queue: " + e);
  }
  sqlite3_close(db);
  return path;
}

// One SendRequest's and one delivered request's worth of queue work at a steady depth: the
// DestinationOverflow check, put, then the provider's take and Ack of the oldest message.
void queue_cycle(benchmark::State& st, q::MessageStore& store, std::uint64_t& n) {
  auto now = TimePoint{} + std::chrono::hours(1);
  for (auto _ : st) {
    benchmark::DoNotOptimize(store.pending(kRecipient, q::Kind::request));
    if (!store.put(message(n++))) st.SkipWithError("put refused");
    auto m = store.take(kRecipient, q::Kind::request, {}, now, std::chrono::seconds(60));
    if (!m || !store.ack(kRecipient, m->id)) st.SkipWithError("take/ack failed");
  }
  st.counters["rss_MiB"] = static_cast<double>(process_stats().rss_bytes) / (1024.0 * 1024.0);
}

void BM_QueueSqlite(benchmark::State& st) {
  if (st.range(0) > max_depth()) {
    st.SkipWithError("depth above GOSDOKI_BENCH_MAX_DEPTH");
    return;
  }
  auto path = sqlite_with_depth(st.range(0));
  auto store = q::open_sqlite_store(path);
  if (!store) {
    st.SkipWithError(store.error().message.c_str());
    return;
  }
  std::uint64_t n = 0;
  queue_cycle(st, **store, n);
  store->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}
BENCHMARK(BM_QueueSqlite)->RangeMultiplier(10)->Range(100, 1'000'000)->Unit(benchmark::kMicrosecond);

void BM_QueueMemory(benchmark::State& st) {
  if (st.range(0) > max_depth()) {
    st.SkipWithError("depth above GOSDOKI_BENCH_MAX_DEPTH");
    return;
  }
  q::MemoryStore store;
  std::uint64_t n = 0;
  for (std::int64_t i = 0; i < st.range(0); ++i) store.put(message(n++));
  queue_cycle(st, store, n);
}
BENCHMARK(BM_QueueMemory)->RangeMultiplier(10)->Range(100, 1'000'000)->Unit(benchmark::kMicrosecond);

const std::string kToken = "GQR1.M.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

void BM_QrEncode(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(qr::render(kToken));
}
BENCHMARK(BM_QrEncode);

// The token as a webcam at the АРМ sees it: a 1280×720 grey frame, the code about a third of
// its height, off centre, on a mid-grey background.
image::Image webcam_frame() {
  auto code = *qr::render(kToken);
  auto small = image::resize(code, 240, 240);
  image::Image frame = image::make(1280, 720, 1, 128);
  for (int y = 0; y < small.height; ++y) {
    std::copy(small.row(y), small.row(y) + small.width, frame.row(y + 300) + 700);
  }
  return frame;
}

void BM_QrDecode(benchmark::State& st) {
  image::Image img = st.range(0) == 600 ? image::resize(*qr::render(kToken), 600, 600) : webcam_frame();
  if (!qr::decode(img)) {
    st.SkipWithError("the frame does not decode");
    return;
  }
  for (auto _ : st) benchmark::DoNotOptimize(qr::decode(img));
  st.SetLabel(std::to_string(img.width) + "x" + std::to_string(img.height));
}
BENCHMARK(BM_QrDecode)->Arg(600)->Arg(1280)->Unit(benchmark::kMicrosecond);

void BM_BuildGetResponse(benchmark::State& st) {
  smev3::MessageTypeSelector sel;
  sel.timestamp = "2026-01-15T10:00:00.000+03:00";
  for (auto _ : st) benchmark::DoNotOptimize(smev3::build_get_response(smev3::Version::v1_3, sel));
}
BENCHMARK(BM_BuildGetResponse);

void BM_XsdValidateGetResponse(benchmark::State& st) {
  xml::init();
  auto schema = smev3::load_own_schema(smev3::Version::v1_3, smev3::SchemaPart::all);
  if (!schema) {
    st.SkipWithError(schema.error().message.c_str());
    return;
  }
  smev3::MessageTypeSelector sel;
  sel.timestamp = "2026-01-15T10:00:00.000+03:00";
  (void)crypto::init();
  auto key = *crypto::PrivateKey::generate(crypto::KeyKind::gost2012_256);
  crypto::CertificateSpec spec{{{"CN", "bench"}}, TimePoint{}, TimePoint{} + std::chrono::hours(24 * 365 * 100), false, 7, ""};
  auto cert = *crypto::issue_certificate(spec, key, nullptr, key);
  auto text = smev3::sign_envelope(smev3::build_get_response(smev3::Version::v1_3, sel), key, cert);
  if (!text) {
    st.SkipWithError(text.error().message.c_str());
    return;
  }
  auto parsed = smev3::parse_envelope(*text);
  if (!parsed) {
    st.SkipWithError(parsed.error().message.c_str());
    return;
  }
  if (!schema->validate_element(parsed->body_element).empty()) {
    st.SkipWithError("the signed GetResponse does not validate");
    return;
  }
  for (auto _ : st) benchmark::DoNotOptimize(schema->validate_element(parsed->body_element));
}
BENCHMARK(BM_XsdValidateGetResponse);

}  // namespace
