#include "app/commands.hpp"
#include "app/common.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <mutex>
#include <optional>
#include <random>
#include <cstdio>
#include <iostream>
#include <thread>
#include <unistd.h>

#include "client/checker.hpp"
#include "client/esia_client.hpp"
#include "client/smev4_channel.hpp"
#include "client/operator_screen.hpp"
#include "client/scan.hpp"
#include "core/crypto/crypto.hpp"
#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/xml/xml.hpp"
#include "emulator/emulator.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "harness/fixtures/generate.hpp"

namespace gosdoki::app {

using nlohmann::json;

void say_error(const std::string& command, const std::string& what) {
  std::cerr << "gosdoki-sandbox " << command << ": " << what << "\n";
}

namespace {

std::unique_ptr<harness::FileSource> fixture_source(const CommonOptions& o) {
  if (o.fixtures) return harness::directory_source(*o.fixtures);
  if (const char* env = std::getenv("GOSDOKI_FIXTURES"); env && *env) return harness::directory_source(env);
  return harness::embedded_source("fixtures/");
}

}  // namespace

Result<harness::Fixtures> load_fixture_set(const CommonOptions& o, std::unique_ptr<harness::FileSource>& src) {
  src = fixture_source(o);
  return harness::load_fixtures(*src);
}

namespace {

Result<harness::Fixtures> load(const CommonOptions& o, std::unique_ptr<harness::FileSource>& src) {
  return load_fixture_set(o, src);
}

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }


}  // namespace

int serve(const ServeOptions& o) {
  std::unique_ptr<harness::FileSource> src;
  auto fx = load(o.common, src);
  if (!fx) {
    say_error("serve", fx.error().message);
    return kUsage;
  }
  if (o.signature_check != "enforce" && o.signature_check != "warn" && o.signature_check != "off") {
    say_error("serve", "--signature-check must be enforce, warn or off");
    return kUsage;
  }
  fx->world.settings.signature_check = o.signature_check;
  if (o.transaction_code_check != "shape" && o.transaction_code_check != "off") {
    say_error("serve", "--transaction-code-check must be shape or off");
    return kUsage;
  }
  if (o.redelivery_seconds < 1 || o.redelivery_seconds > 30 * 86400) {
    say_error("serve", "--redelivery-delay must be 1 .. 2592000 seconds");
    return kUsage;
  }
  if (o.stale_hours < 1 || o.stale_hours > 24 * 366) {
    say_error("serve", "--stale-window must be 1 .. 8784 hours");
    return kUsage;
  }
  if (o.replay_window_seconds < 0 || o.replay_window_seconds > 30 * 86400) {
    say_error("serve", "--replay-window must be 0 (off) .. 2592000 seconds");
    return kUsage;
  }
  if (o.journal_max_mb > (1ull << 20) || o.journal_events < 100 || o.journal_events > 10000000) {
    say_error("serve", "--journal-max-mb must be at most 1048576 (1 TiB) and --journal-events 100 .. 10000000");
    return kUsage;
  }
  if (o.max_attachment_bytes < 1 || o.max_attachment_bytes > (1ull << 30)) {
    say_error("serve", "--max-attachment-bytes must be 1 .. 1073741824 (and an HTTP body is at most 8 MiB anyway)");
    return kUsage;
  }
  if (o.store_max_mb > (1ull << 22)) {
    say_error("serve", "--store-max-mb must be at most 4194304 (4 TiB)");
    return kUsage;
  }
  auto& limits = fx->world.settings;
  limits.transaction_code_check = o.transaction_code_check;
  limits.redelivery_delay = std::chrono::seconds(o.redelivery_seconds);
  limits.stale_message_window = std::chrono::hours(o.stale_hours);
  limits.replay_window = std::chrono::seconds(o.replay_window_seconds);
  limits.max_attachment_bytes = static_cast<std::size_t>(o.max_attachment_bytes);
  limits.max_queue_depth = o.queue_limit;
  limits.attachment_quota_bytes = static_cast<std::size_t>(o.attachment_quota);
  if (o.rate_limit_smev3 < 0 || o.rate_limit_smev4 < 0) {
    say_error("serve", "--rate-limit-smev3/--rate-limit-smev4 must be 0 (off) or more");
    return kUsage;
  }
  limits.rate_limit_smev3_per_minute = o.rate_limit_smev3;
  limits.rate_limit_smev4_per_minute = o.rate_limit_smev4;
  limits.esia_jwt_alg = o.esia_jwt_alg;
  if (o.threads < 1 || o.threads > 64) {
    say_error("serve", "--threads must be between 1 and 64");
    return kUsage;
  }
  if (o.provider_workers < 1 || o.provider_workers > 16) {
    say_error("serve", "--provider-workers must be between 1 and 16");
    return kUsage;
  }
  {
    std::vector<std::pair<std::string, std::uint16_t>> ports{
        {"--smev3-port", o.smev3_port}, {"--admin-port", o.admin_port}, {"--esia-port", o.esia_port}, {"--smev4-port", o.smev4_port}};
    for (std::size_t i = 0; i < ports.size(); ++i) {
      for (std::size_t k = i + 1; k < ports.size(); ++k) {
        if (ports[i].second != 0 && ports[i].second == ports[k].second) {
          say_error("serve", ports[i].first + " and " + ports[k].first + " must differ");
          return kUsage;
        }
      }
    }
  }
  bool admin_loopback = o.admin_bind == "127.0.0.1" || o.admin_bind == "::1" || o.admin_bind.rfind("127.", 0) == 0;
  if (!admin_loopback && o.admin_token.empty()) {
    say_error("serve", "the admin API on " + o.admin_bind + " (not loopback) needs --admin-token: anyone who reaches it "
                       "can move the clock and issue QR codes");
    return kUsage;
  }
  // Reproducible runs are for `run`; a long-lived emulator must not hand out the same tokens
  // and ids after every restart.
  fx->world.settings.seed = o.seed ? *o.seed : std::random_device{}() * 0x9E3779B97F4A7C15ULL + std::random_device{}();
  emulator::EmulatorOptions eo;
  {
    auto header_timeout = parse_duration(o.header_timeout);
    auto read_timeout = parse_duration(o.read_timeout);
    if (!header_timeout || !read_timeout) {
      say_error("serve", !header_timeout ? "--header-timeout: " + header_timeout.error().message
                                         : "--read-timeout: " + read_timeout.error().message);
      return kUsage;
    }
    using std::chrono::milliseconds;
    auto ht = std::chrono::duration_cast<milliseconds>(*header_timeout), rt = std::chrono::duration_cast<milliseconds>(*read_timeout);
    if (ht < milliseconds(100) || ht > std::chrono::hours(1) || rt < ht || rt > std::chrono::hours(1)) {
      say_error("serve", "--header-timeout must be 100ms .. 1h and --read-timeout from it to 1h");
      return kUsage;
    }
    if (o.max_body_kb < 1 || o.max_body_kb > (1u << 20) || o.max_header_kb < 1 || o.max_header_kb > 1024 ||
        o.max_connections < 1 || o.max_connections > 100000) {
      say_error("serve", "--max-body-kb must be 1 .. 1048576, --max-header-kb 1 .. 1024, --max-connections 1 .. 100000");
      return kUsage;
    }
    eo.http_limits.header_timeout = ht;
    eo.http_limits.read_timeout = rt;
    eo.http_limits.max_body_bytes = static_cast<std::size_t>(o.max_body_kb) << 10;
    eo.http_limits.max_header_bytes = static_cast<std::size_t>(o.max_header_kb) << 10;
    eo.max_connections = o.max_connections;
  }
  if (o.tls_cert.has_value() != o.tls_key.has_value() || (o.tls_cert && !o.tls)) {
    say_error("serve", "--tls-cert and --tls-key go together, with --tls");
    return kUsage;
  }
  if (o.tls) {
    auto cert = o.tls_cert ? read_file(*o.tls_cert) : src->read("pki/tls-server.pem");
    auto key = o.tls_key ? read_file(*o.tls_key) : src->read("pki/tls-server.key");
    if (!cert || !key) {
      say_error("serve", "--tls: " + (!cert ? cert.error().message : key.error().message));
      return kUsage;
    }
    eo.tls_certificate_pem = *cert;
    eo.tls_key_pem = *key;
  }
  eo.bind = o.bind;
  eo.admin_bind = o.admin_bind;
  eo.admin_token = o.admin_token;
  eo.smev3_port = o.smev3_port;
  eo.admin_port = o.admin_port;
  eo.esia_port = o.esia_port;
  eo.smev4_port = o.smev4_port;
  eo.threads = o.threads;
  eo.provider_workers = o.provider_workers;
  eo.clock_frozen = o.frozen;
  eo.data_dir = o.data_dir;
  eo.store_max_bytes = o.store_max_mb << 20;
  eo.journal_max_bytes = o.journal_max_mb << 20;
  eo.journal_capacity = o.journal_events;
  eo.contract_packs = o.contract_packs;
  if (o.clock) {
    auto t = parse_datetime(*o.clock);
    if (!t) {
      say_error("serve", "--clock: " + t.error().message);
      return kUsage;
    }
    eo.clock_start = *t;
  }
  auto emu = emulator::Emulator::start(fx->world, eo);
  if (!emu) {
    say_error("serve", emu.error().message);
    return kUsage;
  }
  if (o.port_file) {
    json ports{{"smev3", (*emu)->smev3_port()}, {"admin", (*emu)->admin_port()}, {"esia", (*emu)->esia_port()},
               {"smev4", (*emu)->smev4_port()}};
    if (auto st = write_file(*o.port_file, ports.dump() + "\n"); !st) {
      say_error("serve", st.error().message);
      return kUsage;
    }
  }
  std::cout << "GosDoki Sandbox emulator is up (fixtures " << fx->origin << ")\n"
            << "  СМЭВ 3 1.3 : " << (*emu)->smev3_url(smev3::Version::v1_3) << "\n"
            << "  СМЭВ 4     : " << (*emu)->smev4_url() << "/<мнемоника ИС>/gosqr/api/gosqr/v1/check\n"
            << "  ЕСИА       : " << (*emu)->esia_url() << "/aas/oauth2/v3/te\n"
            << "  admin API  : " << (*emu)->admin_url() << "/admin/info\n"
            << "  ЕПГУ       : " << fx->world.epgu.mnemonic << " (built-in provider)\n"
            << "  clock      : " << format_datetime((*emu)->clock().now()) << (o.frozen ? " (frozen)" : "") << "\n"
            << "  queues     : " << (o.data_dir.empty() ? std::string("in memory (--in-memory)")
                                                        : (o.data_dir / "smev3-queues.sqlite").string() + " (SQLite, WAL)")
            << "\n";
  for (const auto& dir : o.contract_packs) std::cout << "  pack       : " << dir.string() << "\n";
  std::cout << "the вид сведений contract is emulated (urn://gosuslugi/gosqr-docs-emul/1.0.0). Ctrl-C stops.\n"
            << std::flush;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cout << "stopping…\n" << std::flush;
  if (!(*emu)->stop()) {
    std::cout << "a request was still being handled after 5 s; exiting without waiting for it\n" << std::flush;
    std::_Exit(kOk);
  }
  std::cout << "stopped\n";
  return kOk;
}

http::Headers auth(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

Result<json> admin_get(const http::Url& base, const std::string& path, const std::string& token) {
  http::Client c(base.host, base.port, std::chrono::seconds(10));
  auto r = c.request("GET", path, auth(token));
  if (!r) return r.error();
  auto j = json::parse(r->body, nullptr, false);
  if (r->status != 200 || j.is_discarded()) {
    std::string detail = j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : r->body;
    return make_error("admin.http", base.base() + path + ": HTTP " + std::to_string(r->status) + ": " + detail);
  }
  return j;
}

int wallet_issue(const WalletIssueOptions& o) {
  if (auto st = check_writable(o.out); !st) {
    say_error("wallet issue", "--out " + st.error().message);
    return kUsage;
  }
  auto url = http::parse_url(o.emulator);
  if (!url) {
    say_error("wallet issue", "--emulator: " + url.error().message);
    return kUsage;
  }
  http::Client c(url->host, url->port, std::chrono::seconds(10));
  json body{{"person", o.person}, {"app", o.app}};
  auto r = c.post("/admin/wallet/issue", "application/json", body.dump(), auth(o.admin_token));
  if (!r) {
    say_error("wallet issue", r.error().message + " (is `gosdoki-sandbox serve` running?)");
    return kSmevError;
  }
  auto j = json::parse(r->body, nullptr, false);
  if (r->status != 200 || !j.is_object() || !j.contains("png")) {
    if (!j.is_object() || !j.contains("detail")) {
      say_error("wallet issue", o.emulator + " answered HTTP " + std::to_string(r->status) +
                                    " without an admin API problem report: is it the admin port of `serve`?");
      return kSmevError;
    }
    say_error("wallet issue", "the emulator refused: " + j["detail"].get<std::string>());
    return kUsage;
  }
  auto png = base64_decode(j["png"].get<std::string>());
  if (!png) {
    say_error("wallet issue", "bad PNG from the emulator: " + png.error().message);
    return kSmevError;
  }
  if (auto st = write_file(o.out, as_view(*png)); !st) {
    say_error("wallet issue", st.error().message);
    return kUsage;
  }
  std::cout << "QR for " << o.person << " (" << o.app << ") written to " << o.out.string() << "\n"
            << "  issued  " << j["issuedAt"].get<std::string>() << "\n"
            << "  expires " << j["expiresAt"].get<std::string>() << " (one-time; a new QR revokes this one)\n";
  return kOk;
}

int client_check(const ClientCheckOptions& o) {
  const std::string cmd = "client check";
  if (o.prefill) {
    if (auto st = check_writable(*o.prefill); !st) {
      say_error(cmd, "--prefill " + st.error().message);
      return kUsage;
    }
  }
  if (o.purpose && !gosqr::is_purpose(*o.purpose)) {
    say_error(cmd, "--purpose '" + *o.purpose + "' is not a purpose (AGE_18_GOODS, AGE_RESTRICTED_EVENT, PREMISES_ACCESS, "
                   "POSTAL, FINANCIAL, MFC, TELECOM, PRIVATE_MEDICAL, HOTEL)");
    return kUsage;
  }
  auto qr = client::scan_qr_file(o.qr);
  if (!qr) {
    say_error(cmd, "--qr " + qr.error().message);
    return kUsage;
  }
  auto face = client::read_face_file(o.face);
  if (!face) {
    say_error(cmd, "--face " + face.error().message);
    return kUsage;
  }
  // The photo travels Base64 inside one SOAP message, and СМЭВ takes at most 8 MiB.
  if (face->size() > client::kMaxFaceBytes) {
    say_error(cmd, "--face " + o.face.string() + ": " + std::to_string(face->size() / 1000) +
                       " KB; it cannot travel in one СМЭВ message (at most " + std::to_string(client::kMaxFaceBytes / 1000) +
                       " KB here; ЕПГУ accepts 20 KB – 2 MB)");
    return kUsage;
  }
  auto timeout = parse_duration(o.timeout);
  if (!timeout) {
    say_error(cmd, "--timeout: " + timeout.error().message);
    return kUsage;
  }
  std::unique_ptr<harness::FileSource> src;
  auto fx = load(o.common, src);
  if (!fx) {
    say_error(cmd, fx.error().message);
    return kUsage;
  }
  const harness::OrganisationFixture* org = fx->organisation(o.organisation);
  if (!org || !org->identity) {
    std::string known;
    for (const auto& id : fx->organisation_ids()) known += (known.empty() ? "" : ", ") + id;
    say_error(cmd, "--org '" + o.organisation + "' is not a fixture organisation (known: " + known + ")");
    return kUsage;
  }
  auto admin = http::parse_url(o.emulator);
  if (!admin) {
    say_error(cmd, "--emulator: " + admin.error().message);
    return kUsage;
  }
  // The emulator owns the clock: the ИС takes its time from there, so MessageIDs, capture time
  // and EOL agree with scenario time.
  VirtualClock clock;
  std::string smev3_url, smev4_url, esia_url;
  auto info = admin_get(*admin, "/admin/info", o.admin_token);
  if (!info) {
    bool enough = o.channel == "smev3" ? o.smev3_url.has_value() : (o.smev4_url && o.esia_url);
    if (!enough) {
      say_error(cmd, info.error().message + " (is `gosdoki-sandbox serve` running? or give " +
                         (o.channel == "smev3" ? "--smev3-url" : "--smev4-url and --esia-url") + ")");
      return kSmevError;
    }
  } else {
    smev3_url = (*info)["smev3"]["1.3"].get<std::string>();
    if (info->contains("esia")) esia_url = (*info)["esia"]["token"].get<std::string>();
    if (info->contains("smev4")) {
      std::string check = (*info)["smev4"]["check"].get<std::string>();
      smev4_url = check.substr(0, check.find('/', check.find("//") + 2));
    }
    if (auto t = parse_datetime((*info)["clock"]["now"].get<std::string>())) clock.set(*t);
  }
  if (o.smev3_url) smev3_url = *o.smev3_url;
  if (o.smev4_url) smev4_url = *o.smev4_url;
  if (o.esia_url) esia_url = *o.esia_url;
  if (o.channel == "smev4") {
    for (auto [flag, url] : {std::pair<const char*, const std::string*>{"--smev4-url", &smev4_url}, {"--esia-url", &esia_url}}) {
      if (auto u = http::parse_url(*url); !u) {
        say_error(cmd, std::string(flag) + ": " + u.error().message);
        return kUsage;
      }
    }
  }
  client::ConsumerConfig cfg;
  cfg.smev3_url = smev3_url;
  cfg.identity = client::Identity{org->org.mnemonic, org->identity->key, org->identity->certificate};
  cfg.smev_certificate = fx->world.smev.certificate;
  cfg.poll_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  cfg.test_message = o.test_message;
  client::Smev3Consumer consumer(cfg, clock, static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  client::CheckInput in = harness::check_input(*org, *qr, *face, o.purpose.value_or(""));
  auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  client::CheckReport report;
  if (o.channel == "smev4") {
    client::EsiaClientConfig ec;
    ec.token_url = esia_url;
    ec.client_id = org->org.mnemonic;
    ec.key = org->identity->key;
    ec.certificate = org->identity->certificate;
    ec.org_oid = org->org.esia_oid;
    client::EsiaClient esia(ec, clock, seed ^ 0x5bd1e995);
    client::Smev4Channel channel({smev4_url, org->org.mnemonic, true}, esia, clock, seed);
    report = client::run_check(channel, in, clock);
  } else {
    client::Smev3Channel channel(consumer);
    report = client::run_check(channel, in, clock);
  }
  std::cout << client::render_screen(report, o.verbose);
  if (o.prefill) {
    if (auto st = write_file(*o.prefill, client::prefill_json(report)); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
  }
  switch (report.status) {
    case client::CheckReport::Status::confirmed: return kOk;
    case client::CheckReport::Status::rejected: return kFailed;
    default: return kSmevError;
  }
}

int fixtures_generate(const FixturesGenerateOptions& o) {
  harness::GenerateOptions g{o.out, o.seed, o.pki};
  auto s = harness::generate_fixtures(g);
  if (!s) {
    say_error("fixtures generate", s.error().message);
    return kUsage;
  }
  std::cout << "fixtures written to " << o.out.string() << " (seed " << o.seed << "): " << s->persons << " persons, "
            << s->faces << " face images, " << s->organisations << " organisations, "
            << (s->pki_regenerated ? std::to_string(s->certificates) + " new certificates"
                                   : "test PKI kept (use --pki to remake it)" +
                                         (s->certificates ? ", " + std::to_string(s->certificates) + " missing certificates added"
                                                          : std::string()))
            << "\n";
  return kOk;
}

}  // namespace gosdoki::app
