// gosdoki-sandbox: argument parsing only; the commands live in commands.cpp.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/commands.hpp"
#include "harness/load/load.hpp"
#include "core/crypto/crypto.hpp"
#include "core/xml/xml.hpp"

int main(int argc, char** argv) {
  using namespace gosdoki::app;
  gosdoki::xml::init();
  (void)gosdoki::crypto::init();

  CLI::App cli{"GosDoki Sandbox: the ГосДоки QR identity check (ИС ЮЛ → СМЭВ 3 → ЕПГУ → ЕСИА) offline, end to end"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "gosdoki-sandbox 0.1.0");

  std::string fixtures;
  auto add_fixtures = [&](CLI::App* c) {
    c->add_option("--fixtures", fixtures, "fixture directory (default: the set built into this binary)");
  };
  auto common = [&]() {
    CommonOptions c;
    if (!fixtures.empty()) c.fixtures = fixtures;
    return c;
  };

  RunOptions run;
  std::vector<std::string> run_paths;
  auto* run_cmd = cli.add_subcommand("run", "run scenario files or directories (default: the built-in smoke suite)");
  run_cmd->add_option("paths", run_paths, "scenario files (*.yaml) or directories");
  run_cmd->add_flag("-v,--verbose", run.verbose, "print every operator screen and the SOAP calls");
  run_cmd->add_option("--channel", run.channel,
                      "smev3 | smev4 | both (each scenario over every channel it applies to, outcomes compared); "
                      "default: each scenario's given.channel")
      ->check(CLI::IsMember({"smev3", "smev4", "both"}));
  run_cmd->add_option("--jobs,-j", run.jobs, "scenarios run at once, each with its own emulator (1..64; default: one per core, at most 8); output keeps file order")
      ->capture_default_str();
  run_cmd->add_option("--shard", run.shard, "i/N: run only the i-th of N interleaved parts of the files (CI sharding)");
  run_cmd->add_option("--seed", run.seed, "seed of every random choice (ids, keys' nonces aside, probabilistic faults); default: the fixtures'")
      ->check(CLI::Validator(
          [](std::string& v) { return v.find_first_not_of("0123456789") == std::string::npos && !v.empty() ? std::string() : "a non-negative whole number"; },
          "UINT"));
  run_cmd->add_option("--tag", run.tags, "run only scenarios with this tag (repeatable: any of them)");
  run_cmd->add_option("--junit", run.junit, "write a JUnit XML report here");
  run_cmd->add_option("--json", run.json, "write a JSON report here (every message, the journals)");
  run_cmd->add_option("--html", run.html, "write the HTML report here (QR, faces, messages, sequence diagrams)");
  run_cmd->add_option("--manifest", run.manifest, "write the run manifest here (what --replay repeats)");
  run_cmd->add_option("--replay", run.replay, "run again what a manifest describes: the same files (checked by SHA-256), seed, channel");
  run_cmd->add_option("--ledger", run.ledger, "expected-failures ledger (YAML): listed failures are warnings until they expire");
  run_cmd->add_flag("--redact", run.redact, "mask document numbers, names and faces in the reports (and the bundle)");
  run_cmd->add_option("--evidence", run.evidence, "write the signed evidence bundle into this new folder");
  run_cmd->add_option("--client-cmd", run.client_cmd,
                      "the ИС under test, run for every client.check: a shell command with {qr} {face} {prefill} {admin} "
                      "{smev3} {smev4} {esia} {org} {mnemonic} {purpose} {channel}; judged by its result JSON, exit code and traffic");
  run_cmd->add_option("--plan", run.plan, "conformance: the built-in conformance suite (or PATHs); the bundle is final only if all pass")
      ->check(CLI::IsMember({"conformance"}));

  EvidenceVerifyOptions ev;
  std::string ev_bundle;
  auto* evidence_cmd = cli.add_subcommand("evidence", "certifier's evidence bundles");
  evidence_cmd->require_subcommand(1);
  auto* ev_verify = evidence_cmd->add_subcommand("verify", "check a bundle offline: signature, every file's hashes, nothing added");
  ev_verify->add_option("bundle", ev_bundle, "the bundle folder")->required();
  ev_verify->add_option("--ca", ev.ca, "trusted CA certificate (PEM); default: the fixtures' test CA");
  add_fixtures(ev_verify);
  add_fixtures(run_cmd);

  ServeOptions serve_o;
  std::string serve_clock, serve_port_file;
  auto* serve_cmd = cli.add_subcommand("serve", "run the emulator (СМЭВ 3, СМЭВ 4, ЕСИА, ЕПГУ, wallet, admin API) on loopback for an external ИС");
  serve_cmd->add_option("--bind", serve_o.bind, "address for СМЭВ 3")->capture_default_str();
  serve_cmd->add_option("--admin-bind", serve_o.admin_bind, "address for the admin API (not loopback: needs --admin-token)")
      ->capture_default_str();
  serve_cmd->add_option("--admin-token", serve_o.admin_token, "require Authorization: Bearer TOKEN on the admin API");
  std::uint64_t serve_seed = 0;
  auto* seed_opt = serve_cmd->add_option("--seed", serve_seed, "fix all randomness (default: random per start)");
  serve_cmd->add_option("--smev3-port", serve_o.smev3_port, "СМЭВ 3 port (0 = any free)")->capture_default_str();
  serve_cmd->add_option("--admin-port", serve_o.admin_port, "admin API port (0 = any free)")->capture_default_str();
  serve_cmd->add_option("--threads", serve_o.threads, "I/O threads")->capture_default_str();
  serve_cmd->add_option("--provider-workers", serve_o.provider_workers, "threads of the built-in ЕПГУ taking requests (1..16)")->capture_default_str();
  serve_cmd->add_option("--clock", serve_clock, "start the virtual clock at this xs:dateTime (default: now)");
  serve_cmd->add_flag("--frozen", serve_o.frozen, "keep the clock still until moved through the admin API");
  serve_cmd->add_option("--signature-check", serve_o.signature_check, "enforce | warn | off")->capture_default_str();
  serve_cmd->add_option("--port-file", serve_port_file, "write the bound ports as JSON to this file");
  std::string data_dir = "gosdoki-data";
  bool in_memory = false;
  serve_cmd->add_option("--data-dir", data_dir, "directory for the СМЭВ queues (SQLite, survives restarts)")->capture_default_str();
  serve_cmd->add_flag("--in-memory", in_memory, "keep the queues in memory only");
  serve_cmd->add_option("--esia-port", serve_o.esia_port, "ЕСИА token endpoint port (0 = any free)")->capture_default_str();
  serve_cmd->add_option("--smev4-port", serve_o.smev4_port, "СМЭВ 4 agent gateway port (0 = any free)")->capture_default_str();
  serve_cmd->add_option("--rate-limit-smev3", serve_o.rate_limit_smev3, "checks per minute per ИС over СМЭВ 3 (0 = off)")
      ->capture_default_str();
  serve_cmd->add_option("--rate-limit-smev4", serve_o.rate_limit_smev4, "checks per minute per ИС over СМЭВ 4 (0 = off)")
      ->capture_default_str();
  serve_cmd->add_option("--esia-jwt-alg", serve_o.esia_jwt_alg, "RS256 | GOST3410_2012_256")
      ->capture_default_str()
      ->check(CLI::IsMember({"RS256", "GOST3410_2012_256"}));
  serve_cmd->add_option("--contract-pack", serve_o.contract_packs,
                        "directory with a contract.json: register another вид сведений (repeatable; docs/smev3.md)");
  serve_cmd->add_option("--store-max-mb", serve_o.store_max_mb, "bound on the queue database; beyond it SMEVFailure (0 = none)")
      ->capture_default_str();
  serve_cmd->add_option("--queue-limit", serve_o.queue_limit, "messages per recipient queue before DestinationOverflow (0 = none)")
      ->capture_default_str();
  serve_cmd->add_option("--attachment-quota", serve_o.attachment_quota,
                        "attachment bytes per sender per Moscow day before QuoteLimitExceeded (0 = none)")
      ->capture_default_str();
  serve_cmd->add_option("--max-attachment-bytes", serve_o.max_attachment_bytes,
                        "attachment bytes per message before AttachmentSizeLimitExceeded")
      ->capture_default_str();
  serve_cmd->add_option("--transaction-code-check", serve_o.transaction_code_check,
                        "shape (the observed forms) | off")->capture_default_str();
  serve_cmd->add_option("--redelivery-delay", serve_o.redelivery_seconds, "seconds before an unacked message comes again")
      ->capture_default_str();
  serve_cmd->add_option("--stale-window", serve_o.stale_hours, "hours after which a MessageID is StaleMessageId")
      ->capture_default_str();
  serve_cmd->add_option("--replay-window", serve_o.replay_window_seconds,
                        "seconds during which a signed GetRequest/GetResponse/GetStatus sent again is refused (0 = off)")
      ->capture_default_str();
  serve_cmd->add_option("--max-body-kb", serve_o.max_body_kb, "largest HTTP request body (KiB); beyond it 413 / a fault")
      ->capture_default_str();
  serve_cmd->add_option("--max-header-kb", serve_o.max_header_kb, "largest HTTP request header (KiB); beyond it 431")
      ->capture_default_str();
  serve_cmd->add_option("--header-timeout", serve_o.header_timeout, "time to send the request line and headers")
      ->capture_default_str();
  serve_cmd->add_option("--read-timeout", serve_o.read_timeout, "time to send a whole request")->capture_default_str();
  serve_cmd->add_option("--max-connections", serve_o.max_connections, "open connections per СМЭВ port (over it: closed at once)")
      ->capture_default_str();
  std::string tls_cert, tls_key;
  serve_cmd->add_flag("--tls", serve_o.tls, "HTTPS only on every port (test PKI certificate for localhost/127.0.0.1)");
  serve_cmd->add_option("--tls-cert", tls_cert, "PEM certificate (with its chain) for --tls instead of the test one");
  serve_cmd->add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  serve_cmd->add_option("--journal-events", serve_o.journal_events,
                        "journal events kept in memory for GET /admin/journal (all are in journal.jsonl)")
      ->capture_default_str();
  serve_cmd->add_option("--journal-max-mb", serve_o.journal_max_mb,
                        "rotate <data-dir>/journal.jsonl to journal.jsonl.1 past this size (0 = never)")
      ->capture_default_str();
  add_fixtures(serve_cmd);

  WalletIssueOptions wallet_o;
  std::string wallet_out = "qr.png";
  auto* wallet_cmd = cli.add_subcommand("wallet", "the citizen's app (МПГУ)");
  wallet_cmd->require_subcommand(1);
  auto* issue_cmd = wallet_cmd->add_subcommand("issue", "issue a QR for a citizen on a running emulator and save it as PNG");
  issue_cmd->add_option("--person", wallet_o.person, "fixture person id, e.g. petrov-p")->required();
  issue_cmd->add_option("--out", wallet_out, "PNG file to write")->capture_default_str();
  issue_cmd->add_option("--app", wallet_o.app, "mpgu (МПГУ, TTL 180 s) | max (MAX Цифровой ID, TTL 30 s, status only)")->capture_default_str();
  issue_cmd->add_option("--emulator", wallet_o.emulator, "admin URL of a running `serve`")->capture_default_str();
  issue_cmd->add_option("--admin-token", wallet_o.admin_token, "the --admin-token of that `serve`, if it has one");

  GoskanScanOptions goskan_o;
  std::string goskan_photo, goskan_json;
  auto* goskan_cmd = cli.add_subcommand("goskan", "Госкан: the checker's own Gosuslugi app");
  goskan_cmd->require_subcommand(1);
  auto* goskan_scan = goskan_cmd->add_subcommand("scan", "scan a QR image as a checker and show what the phone shows (no ИС, no СМЭВ)");
  goskan_scan->add_option("--qr", goskan_o.qr, "image (PNG/JPEG) of the citizen's QR code")->required();
  goskan_scan->add_option("--checker", goskan_o.checker, "the checker: a fixture person id or an ЕСИА OID")->required();
  goskan_scan->add_option("--purpose", goskan_o.purpose, "what to show: AGE_18_GOODS (the age fact), HOTEL (identity), …")
      ->capture_default_str();
  goskan_scan->add_option("--emulator", goskan_o.emulator, "admin URL of a running `serve`")->capture_default_str();
  goskan_scan->add_option("--photo-out", goskan_photo, "write the trusted photo (JPEG) here");
  goskan_scan->add_option("--json", goskan_json, "write the app API's answer (without the photo) here");
  add_fixtures(goskan_scan);

  RegistryOptions reg_o;
  auto* reg_cmd = cli.add_subcommand("registry", "ЕПГУ's registry of organisations on a running `serve` (admin API)");
  reg_cmd->require_subcommand(1);
  auto reg_common = [&](CLI::App* c) {
    c->add_option("--emulator", reg_o.emulator, "admin URL of a running `serve`")->capture_default_str();
    c->add_option("--admin-token", reg_o.admin_token, "the --admin-token of that `serve`, if it has one");
  };
  auto* reg_list = reg_cmd->add_subcommand("list", "the organisations in the registry");
  reg_common(reg_list);
  auto* reg_apps = reg_cmd->add_subcommand("applications", "applications to the registry and their status");
  reg_common(reg_apps);
  auto* reg_apply = reg_cmd->add_subcommand("apply", "a fixture organisation applies to be added (pending until approved)");
  reg_apply->add_option("--org", reg_o.organisation, "fixture organisation, e.g. hotel-sever")->required();
  reg_common(reg_apply);
  add_fixtures(reg_apply);
  auto* reg_remove = reg_cmd->add_subcommand("remove", "take an organisation out of the registry");
  reg_remove->add_option("--org", reg_o.organisation, "fixture organisation, e.g. hotel-sever")->required();
  reg_common(reg_remove);
  add_fixtures(reg_remove);
  auto* reg_approve = reg_cmd->add_subcommand("approve", "approve a pending application: the organisation is registered");
  reg_approve->add_option("application", reg_o.application, "application id, e.g. ZV-000001")->required();
  reg_common(reg_approve);
  auto* reg_reject = reg_cmd->add_subcommand("reject", "reject a pending application");
  reg_reject->add_option("application", reg_o.application, "application id, e.g. ZV-000001")->required();
  reg_reject->add_option("--reason", reg_o.reason, "why (shown in ORG_NOT_REGISTERED)");
  reg_common(reg_reject);

  ClientCheckOptions check_o;
  std::string qr, face, prefill, smev3_url, purpose;
  auto* client_cmd = cli.add_subcommand("client", "the organisation's system (ИС ЮЛ)");
  client_cmd->require_subcommand(1);
  auto* check_cmd = client_cmd->add_subcommand("check", "scan a QR image, send it with a face photo over СМЭВ 3 or СМЭВ 4, show the result");
  check_cmd->add_option("--qr", qr, "image (PNG/JPEG) with the citizen's QR code")->required();
  check_cmd->add_option("--face", face, "face photo (JPEG/PNG, at least 480×640)")->required();
  check_cmd->add_option("--org", check_o.organisation, "fixture organisation sending the request")->capture_default_str();
  check_cmd->add_option("--purpose", purpose, "purpose of the check (default: the organisation's first)");
  check_cmd->add_option("--emulator", check_o.emulator, "admin URL of a running `serve`")->capture_default_str();
  check_cmd->add_option("--smev3-url", smev3_url, "СМЭВ 3 endpoint (default: asked from the emulator)");
  check_cmd->add_option("--admin-token", check_o.admin_token, "the --admin-token of that `serve`, if it has one");
  check_cmd->add_option("--prefill", prefill, "write the form-prefill JSON to this file");
  check_cmd->add_option("--timeout", check_o.timeout, "how long to poll for the answer")->capture_default_str();
  check_cmd->add_flag("-v,--verbose", check_o.verbose, "list the SOAP calls");
  check_cmd->add_option("--channel", check_o.channel, "smev3 (SOAP, asynchronous) | smev4 (REST with an ЕСИА token)")
      ->capture_default_str()
      ->check(CLI::IsMember({"smev3", "smev4"}));
  check_cmd->add_option("--smev4-url", check_o.smev4_url, "СМЭВ 4 gateway (default: asked from the emulator)");
  check_cmd->add_option("--esia-url", check_o.esia_url, "ЕСИА token endpoint (default: asked from the emulator)");
  check_cmd->add_flag("--test-message", check_o.test_message, "send as a СМЭВ TestMessage: ЕПГУ answers but keeps the QR unused");
  add_fixtures(check_cmd);

  Smev3VerifyOptions verify_o;
  std::string verify_file, verify_ct, verify_expect, verify_dump;
  auto* smev3_cmd = cli.add_subcommand("smev3", "СМЭВ 3 tools");
  smev3_cmd->require_subcommand(1);
  auto* verify_cmd = smev3_cmd->add_subcommand("verify", "check every signature in an envelope and explain any failure");
  verify_cmd->add_option("file", verify_file, "the message (plain XML or a saved MTOM body)")->required();
  verify_cmd->add_option("--content-type", verify_ct, "the HTTP Content-Type it came with (for MTOM)");
  verify_cmd->add_option("--expect-octets", verify_expect, "your transform's output, to diff against ours");
  verify_cmd->add_option("--dump", verify_dump, "write octets, SignedInfo, signature and key per signature here");
  verify_cmd->add_flag("--print-octets", verify_o.print_octets, "print the transformed octets and canonical SignedInfo");

  LoadCommandOptions load_o;
  std::string load_json;
  auto* load_cmd = cli.add_subcommand("load", "drive a running `serve` with many concurrent ИС clients doing real signed work");
  load_cmd->add_option("--emulator", load_o.emulator, "admin URL of a running `serve`")->capture_default_str();
  load_cmd->add_option("--admin-token", load_o.admin_token, "the --admin-token of that `serve`, if it has one");
  load_cmd->add_option("--operation", load_o.operation,
                       "check (whole check over СМЭВ 3) | check-smev4 | get-response (signed, empty queue)")
      ->capture_default_str()
      ->check(CLI::IsMember({"check", "check-smev4", "get-response"}));
  load_cmd->add_option("--clients", load_o.clients, "concurrent clients (threads), 1..256")->capture_default_str();
  load_cmd->add_option("--duration", load_o.duration, "how long to run, e.g. 30s, 10m")->capture_default_str();
  load_cmd->add_option("--max-operations", load_o.max_operations, "stop after this many operations (0 = run for --duration)");
  load_cmd->add_option("--org", load_o.organisation, "fixture organisation the clients speak for")->capture_default_str();
  load_cmd->add_option("--person", load_o.person, "fixture citizen whose QR the checks carry")->capture_default_str();
  load_cmd->add_option("--presign", load_o.presign,
                       "get-response: sign this many envelopes before the run and send only those (the tool's signing left out; "
                       "0 = sign as sent)")
      ->check(CLI::Range(std::uint64_t{0}, gosdoki::harness::kMaxPresign));
  std::string load_envelope;
  load_cmd->add_option("--write-envelope", load_envelope,
                       "write one signed GetResponse of --org to this file and stop (the body for wrk and other tools)");
  load_cmd->add_flag("--no-bound", load_o.no_bound, "skip measuring this machine's crypto costs (about 1 s) and the bound");
  load_cmd->add_option("--json", load_json, "also write the figures as JSON to this file");
  add_fixtures(load_cmd);

  FixturesGenerateOptions gen_o;
  std::string gen_out = "fixtures";
  auto* fixtures_cmd = cli.add_subcommand("fixtures", "synthetic test data");
  fixtures_cmd->require_subcommand(1);
  auto* gen_cmd = fixtures_cmd->add_subcommand("generate", "remake citizens, organisations and faces from a seed (and the PKI with --pki)");
  gen_cmd->add_option("--out", gen_out, "directory to write")->capture_default_str();
  gen_cmd->add_option("--seed", gen_o.seed, "seed for all generated data")->capture_default_str();
  gen_cmd->add_flag("--pki", gen_o.pki, "also remake the test PKI (new keys: certificates change)");

  FramesGenerateOptions frames_gen;
  FramesScanOptions frames_scan_o;
  std::string frames_qr, frames_face_out;
  auto* frames_cmd = cli.add_subcommand("frames", "webcam frame sequences: make them with ground truth, read them as the ИС's camera");
  frames_cmd->require_subcommand(1);
  auto* frames_gen_cmd = frames_cmd->add_subcommand("generate", "write a 1280x720 webcam sequence (folder, .mjpeg or .y4m) and its ground truth JSON");
  frames_gen_cmd->add_option("--person", frames_gen.person, "fixture person id, e.g. petrov-p")->required();
  frames_gen_cmd->add_option("--out", frames_gen.out, "a folder, or a file ending in .mjpeg or .y4m")->required();
  frames_gen_cmd->add_option("--seed", frames_gen.seed, "seed of the room, the poses and the distortions")->capture_default_str();
  frames_gen_cmd->add_option("--frames", frames_gen.frames, "frames in the sequence (8..10000)")->capture_default_str();
  frames_gen_cmd->add_option("--token", frames_gen.token, "the QR payload (default: a token issued by a wallet of the fixtures)");
  frames_gen_cmd->add_option("--qr", frames_qr, "take the payload from this QR image (as `wallet issue` writes)");
  add_fixtures(frames_gen_cmd);
  auto* frames_scan_cmd = frames_cmd->add_subcommand("scan", "find the QR code and the face photo in a sequence (folder, MJPEG, Y4M)");
  frames_scan_cmd->add_option("source", frames_scan_o.source, "a folder of PNG/JPEG frames, an MJPEG or a Y4M file")->required();
  frames_scan_cmd->add_option("--face-out", frames_face_out, "write the face photo (480x640 JPEG, as the ИС sends it) here");
  frames_scan_cmd->add_option("--max-frames", frames_scan_o.max_frames, "frames read looking for the QR")->capture_default_str();
  frames_scan_cmd->add_flag("--no-retries", frames_scan_o.no_retries, "decode each frame once, without the preprocessed retries");

  // "gosdoki-sandbox bogus": say which word is not a command (CLI11 would only say that one is required).
  if (argc >= 2 && argv[1][0] != '-') {
    std::string first = argv[1];
    bool known = false;
    for (const auto* sub : cli.get_subcommands([](const CLI::App*) { return true; })) known = known || sub->get_name() == first;
    if (!known) {
      std::fprintf(stderr, "gosdoki-sandbox: '%s' is not a command (commands: run, serve, wallet, client, load, registry, smev3, fixtures, frames, evidence; "
                           "see --help)\n", first.c_str());
      return kUsage;
    }
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = cli.exit(e);
    return rc == 0 ? 0 : kUsage;
  }

  if (*ev_verify) {
    ev.common = common();
    ev.bundle = ev_bundle;
    return evidence_verify(ev);
  }
  if (*run_cmd) {
    run.common = common();
    for (const auto& p : run_paths) run.paths.emplace_back(p);
    return run_scenarios(run);
  }
  if (*serve_cmd) {
    serve_o.common = common();
    if (!serve_clock.empty()) serve_o.clock = serve_clock;
    if (!serve_port_file.empty()) serve_o.port_file = serve_port_file;
    serve_o.data_dir = in_memory ? std::filesystem::path{} : std::filesystem::path(data_dir);
    if (seed_opt->count() > 0) serve_o.seed = serve_seed;
    if (!tls_cert.empty()) serve_o.tls_cert = tls_cert;
    if (!tls_key.empty()) serve_o.tls_key = tls_key;
    return serve(serve_o);
  }
  if (*issue_cmd) {
    wallet_o.out = wallet_out;
    return wallet_issue(wallet_o);
  }
  if (*check_cmd) {
    check_o.common = common();
    check_o.qr = qr;
    check_o.face = face;
    if (!prefill.empty()) check_o.prefill = prefill;
    if (!smev3_url.empty()) check_o.smev3_url = smev3_url;
    if (!purpose.empty()) check_o.purpose = purpose;
    return client_check(check_o);
  }
  if (*goskan_scan) {
    goskan_o.common = common();
    if (!goskan_photo.empty()) goskan_o.photo_out = goskan_photo;
    if (!goskan_json.empty()) goskan_o.json_out = goskan_json;
    return goskan_scan_command(goskan_o);
  }
  if (*verify_cmd) {
    verify_o.file = verify_file;
    if (!verify_ct.empty()) verify_o.content_type = verify_ct;
    if (!verify_expect.empty()) verify_o.expect_octets = verify_expect;
    if (!verify_dump.empty()) verify_o.dump = verify_dump;
    return smev3_verify(verify_o);
  }
  if (*load_cmd) {
    load_o.common = common();
    if (!load_json.empty()) load_o.json_out = load_json;
    if (!load_envelope.empty()) load_o.write_envelope = load_envelope;
    return load_command(load_o);
  }
  if (*gen_cmd) {
    gen_o.out = gen_out;
    return fixtures_generate(gen_o);
  }
  if (*frames_gen_cmd) {
    frames_gen.common = common();
    if (!frames_qr.empty()) frames_gen.qr = frames_qr;
    return frames_generate(frames_gen);
  }
  if (*frames_scan_cmd) {
    if (!frames_face_out.empty()) frames_scan_o.face_out = frames_face_out;
    return frames_scan(frames_scan_o);
  }
  for (auto [sub, action] : {std::pair<CLI::App*, const char*>{reg_list, "list"}, {reg_apps, "applications"},
                             {reg_apply, "apply"}, {reg_remove, "remove"}, {reg_approve, "approve"}, {reg_reject, "reject"}}) {
    if (*sub) {
      reg_o.common = common();
      reg_o.action = action;
      return registry_command(reg_o);
    }
  }
  return kUsage;
}
