#pragma once
// The subcommands of gosdoki-sandbox as plain functions over option structs; main.cpp only
// parses arguments (CLI11 stays in that one translation unit).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gosdoki::app {

// Exit codes shared by the commands.
enum Exit : int {
  kOk = 0,
  kFailed = 1,     // scenarios failed / the check was refused by ЕПГУ
  kSmevError = 2,  // a СМЭВ fault or a transport problem
  kUsage = 64,     // bad arguments or unreadable input files
};

struct CommonOptions {
  std::optional<std::filesystem::path> fixtures;  // default: built in
};

struct RunOptions {
  CommonOptions common;
  std::vector<std::filesystem::path> paths;
  bool verbose = false;
  std::string channel;  // "" (each scenario's own) | smev3 | smev4 | both
  int jobs = 0;         // scenarios run at once, each with its own emulator; 0 = this machine's cores (at most 8)
  std::string shard;    // "i/N": only every N-th scenario file from the i-th (1-based), for CI shards
  std::optional<std::uint64_t> seed;  // default: the fixtures' seed
  std::vector<std::string> tags;      // run only scenarios with any of these tags
  std::optional<std::filesystem::path> junit, json, html, manifest, replay, ledger;
  bool redact = false;  // document numbers, names and faces out of the reports
  std::optional<std::filesystem::path> evidence;  // write the signed evidence bundle here
  std::string plan;  // "conformance": the built-in conformance suite (or PATHs), final bundle only if all pass
  std::optional<std::string> client_cmd;  // the ИС under test, run per client.check (harness/runner/external.hpp)
};

struct EvidenceVerifyOptions {
  CommonOptions common;
  std::filesystem::path bundle;
  std::optional<std::filesystem::path> ca;  // trusted CA (PEM); default: the fixtures' test CA
};
int evidence_verify(const EvidenceVerifyOptions& o);
int run_scenarios(const RunOptions& o);

struct ServeOptions {
  CommonOptions common;
  std::string bind = "127.0.0.1";
  std::string admin_bind = "127.0.0.1";
  std::string admin_token;
  std::optional<std::uint64_t> seed;  // default: random, so tokens and ids differ per run
  std::uint16_t smev3_port = 5000;
  std::uint16_t admin_port = 8090;
  std::uint16_t esia_port = 8070;
  std::uint16_t smev4_port = 8171;  // the ПОДД agent's API gateway port (domain/gosdoki.md §6.2)
  int rate_limit_smev3 = 2000, rate_limit_smev4 = 2000;
  std::string esia_jwt_alg = "RS256";
  int threads = 2;
  int provider_workers = 2;
  std::optional<std::string> clock;  // xs:dateTime to start from; default: real time
  bool frozen = false;
  std::string signature_check = "enforce";
  std::optional<std::filesystem::path> port_file;
  std::filesystem::path data_dir = "gosdoki-data";  // СМЭВ queues (SQLite); empty = in memory
  std::uint64_t store_max_mb = 0;                   // bound on the queue database (0 = none)
  std::vector<std::filesystem::path> contract_packs;  // more виды сведений (docs/smev3.md)
  // СМЭВ limits whose real values are not public (docs/smev3.md "Limits").
  std::size_t queue_limit = 100000;
  std::uint64_t attachment_quota = 1ull << 30;
  std::uint64_t max_attachment_bytes = 5u << 20;
  std::string transaction_code_check = "shape";
  std::int64_t redelivery_seconds = 60;
  std::int64_t stale_hours = 48;
  std::int64_t replay_window_seconds = 3600;  // 0 = replayed signed Get*/GetStatus are not refused
  std::uint64_t journal_max_mb = 256;         // journal.jsonl rotated past this (0 = never)
  std::size_t journal_events = 20000;         // kept in memory; all of them are in journal.jsonl
  // HTTP limits of every listener (docs/reliability.md).
  std::uint64_t max_body_kb = 8 * 1024, max_header_kb = 16;
  std::string header_timeout = "10s", read_timeout = "30s";
  std::size_t max_connections = 512;
  bool tls = false;  // HTTPS on every listener, with the fixtures' pki/tls-server certificate unless given
  std::optional<std::filesystem::path> tls_cert, tls_key;
};
int serve(const ServeOptions& o);

struct WalletIssueOptions {
  std::string emulator = "http://127.0.0.1:8090";
  std::string admin_token;
  std::string person;
  std::string app = "mpgu";
  std::filesystem::path out = "qr.png";
};
int wallet_issue(const WalletIssueOptions& o);

struct ClientCheckOptions {
  CommonOptions common;
  std::string emulator = "http://127.0.0.1:8090";
  std::string admin_token;
  std::optional<std::string> smev3_url;
  std::filesystem::path qr, face;
  std::string organisation = "hotel-sever";
  std::optional<std::string> purpose;
  std::optional<std::filesystem::path> prefill;
  std::string timeout = "20s";
  bool verbose = false;
  bool test_message = false;
  std::string channel = "smev3";  // smev3 | smev4
  std::optional<std::string> smev4_url, esia_url;
};
int client_check(const ClientCheckOptions& o);

// Госкан: the checker's Gosuslugi app scans a QR image and shows what ЕПГУ answers.
struct GoskanScanOptions {
  CommonOptions common;
  std::string emulator = "http://127.0.0.1:8090";
  std::filesystem::path qr;
  std::string checker;  // a fixture person id or an ЕСИА OID
  std::string purpose = "AGE_18_GOODS";
  std::optional<std::filesystem::path> photo_out, json_out;
};
int goskan_scan_command(const GoskanScanOptions& o);

struct Smev3VerifyOptions {
  std::filesystem::path file;
  std::optional<std::string> content_type;
  std::optional<std::filesystem::path> expect_octets;
  std::optional<std::filesystem::path> dump;
  bool print_octets = false;
};
int smev3_verify(const Smev3VerifyOptions& o);

// The registry of organisations on a running `serve`: list, apply (pending until approved),
// approve, reject, remove.
struct RegistryOptions {
  CommonOptions common;
  std::string emulator = "http://127.0.0.1:8090";
  std::string admin_token;
  std::string action;        // list | apply | approve | reject | remove
  std::string organisation;  // fixture id (apply, remove)
  std::string application;   // ZV-… (approve, reject)
  std::string reason;
};
int registry_command(const RegistryOptions& o);

// Many concurrent ИС clients against a running `serve` (harness/load): throughput, latency
// percentiles, errors, the server's memory.
struct LoadCommandOptions {
  CommonOptions common;
  std::string emulator = "http://127.0.0.1:8090";
  std::string admin_token;
  std::string operation = "check";
  int clients = 4;
  std::string duration = "10s";
  std::uint64_t max_operations = 0;
  std::string organisation = "hotel-sever";
  std::string person = "petrov-p";
  std::uint64_t presign = 0;
  bool no_bound = false;
  std::optional<std::filesystem::path> write_envelope;  // write one signed GetResponse and stop
  std::optional<std::filesystem::path> json_out;
};
int load_command(const LoadCommandOptions& o);

struct FixturesGenerateOptions {
  std::filesystem::path out = "fixtures";
  std::uint64_t seed = 20260115;
  bool pki = false;
};
int fixtures_generate(const FixturesGenerateOptions& o);

// Webcam sequences (app/frames_command.cpp, docs/scanning.md).
struct FramesGenerateOptions {
  CommonOptions common;
  std::string person;
  std::filesystem::path out;  // a folder, or file.mjpeg / file.y4m
  std::uint64_t seed = 1;
  int frames = 40;
  std::string token;                       // the QR payload; default: issued by a wallet here
  std::optional<std::filesystem::path> qr;  // or the payload of this QR image
};
int frames_generate(const FramesGenerateOptions& o);

struct FramesScanOptions {
  std::filesystem::path source;
  std::optional<std::filesystem::path> face_out;
  int max_frames = 300;
  bool no_retries = false;
};
int frames_scan(const FramesScanOptions& o);

}  // namespace gosdoki::app
