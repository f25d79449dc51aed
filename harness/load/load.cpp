#include "harness/load/load.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

#include "client/esia_client.hpp"
#include "client/smev4_channel.hpp"
#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/process_stats.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"

namespace gosdoki::harness {

using nlohmann::json;
namespace s3 = gosdoki::smev3;
using Steady = std::chrono::steady_clock;

namespace {

http::Headers bearer(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

Result<json> admin_json(http::Client& c, const std::string& method, const std::string& target, const std::string& token,
                        const std::string& body = {}) {
  http::Headers h = bearer(token);
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  auto r = c.request(method, target, h, body);
  if (!r) return r.error();
  auto j = json::parse(r->body, nullptr, false);
  if (r->status != 200 || j.is_discarded()) {
    std::string detail = j.is_object() && j.contains("detail") && j["detail"].is_string() ? j["detail"].get<std::string>() : r->body.substr(0, 200);
    return make_error("load.admin", method + " " + target + ": HTTP " + std::to_string(r->status) + ": " + detail);
  }
  return j;
}

std::optional<ServerSample> sample(http::Client& c, const std::string& token) {
  auto j = admin_json(c, "GET", "/admin/process", token);
  if (!j) return std::nullopt;
  ServerSample s;
  s.rss_bytes = j->value("rssBytes", 0ull);
  s.peak_rss_bytes = j->value("peakRssBytes", 0ull);
  s.open_fds = j->value("openFds", 0ull);
  s.threads = j->value("threads", 0ull);
  if (j->contains("journal")) s.journal_events = (*j)["journal"].value("events", 0ull);
  s.cpu_seconds = j->value("cpuSeconds", 0.0);
  if (j->contains("crypto")) {
    const auto& cc = (*j)["crypto"];
    s.crypto = {cc.value("signs", 0ull), cc.value("verifies", 0ull), cc.value("certificateChecks", 0ull),
                cc.value("gostDigests", 0ull), cc.value("gostDigestBytes", 0ull)};
  }
  return s;
}

// What one finished operation says: "" = success, else its code, and the full text.
struct Outcome {
  std::string code;
  std::string message;
};

// Envelopes signed before the run; each is sent once (СМЭВ refuses a replayed signature).
struct PresignedPool {
  std::vector<std::string> envelopes;
  std::atomic<std::size_t> next{0};
  const std::string* take() {
    std::size_t i = next.fetch_add(1);
    return i < envelopes.size() ? &envelopes[i] : nullptr;
  }
};

struct Endpoints {
  std::string smev3_url, smev4_base, esia_url;
  TimePoint now;
  bool frozen = false;
};

class Worker {
 public:
  Worker(int index, const LoadOptions& o, const Fixtures& fx, const OrganisationFixture& org, const Bytes& face,
         const Endpoints& ep, const http::Url& admin, PresignedPool& pool)
      : o_(o), org_(org), face_(face), pool_(pool), clock_(ep.now, ep.frozen), admin_(admin.host, admin.port),
        device_("load-client-" + std::to_string(index)) {
    auto seed = static_cast<std::uint64_t>(Steady::now().time_since_epoch().count()) ^ (0x9e3779b97f4a7c15ull * (index + 1));
    if (o.operation == "check") {
      client::ConsumerConfig cfg;
      cfg.smev3_url = ep.smev3_url;
      cfg.identity = client::Identity{org.org.mnemonic, org.identity->key, org.identity->certificate};
      cfg.smev_certificate = fx.world.smev.certificate;
      cfg.poll_timeout = o.poll_timeout;
      consumer_ = std::make_unique<client::Smev3Consumer>(cfg, clock_, seed);
      channel_ = std::make_unique<client::Smev3Channel>(*consumer_);
    } else if (o.operation == "check-smev4") {
      client::EsiaClientConfig ec;
      ec.token_url = ep.esia_url;
      ec.client_id = org.org.mnemonic;
      ec.key = org.identity->key;
      ec.certificate = org.identity->certificate;
      ec.org_oid = org.org.esia_oid;
      esia_ = std::make_unique<client::EsiaClient>(ec, clock_, seed ^ 0x5bd1e995);
      channel_ = std::make_unique<client::Smev4Channel>(client::Smev4Config{ep.smev4_base, org.org.mnemonic, true}, *esia_, clock_, seed);
    } else {
      auto u = http::parse_url(ep.smev3_url);
      smev3_target_ = u ? u->target : "/";
      smev3_ = std::make_unique<http::Client>(u ? u->host : "127.0.0.1", u ? u->port : 0, o.poll_timeout);
    }
  }

  // One operation; `elapsed` covers only the measured part (not the untimed wallet QR).
  // nullopt: nothing left to send (the presigned envelopes are used up).
  std::optional<Outcome> run_once(Steady::duration& elapsed) {
    if (channel_) return check(elapsed);
    return get_response(elapsed);
  }

 private:
  Outcome check(Steady::duration& elapsed) {
    json body{{"person", o_.person}, {"device", device_}, {"image", false}};
    auto issued = admin_json(admin_, "POST", "/admin/wallet/issue", o_.admin_token, body.dump());
    if (!issued) return {"load.wallet", issued.error().message};
    std::string token = (*issued)["token"].get<std::string>();
    auto in = check_input(org_, Bytes(token.begin(), token.end()), face_);
    auto t0 = Steady::now();
    auto report = client::run_check(*channel_, in, clock_);
    elapsed = Steady::now() - t0;
    if (report.code == "OK") return {};
    return {report.code.empty() ? std::string("error") : report.code, report.message};
  }

  std::optional<Outcome> get_response(Steady::duration& elapsed) {
    std::string signed_now;
    const std::string* text = nullptr;
    auto t0 = Steady::now();
    if (o_.presign) {
      text = pool_.take();
      if (!text) return std::nullopt;
    } else {
      s3::MessageTypeSelector sel;
      sel.timestamp = format_datetime(clock_.now());
      auto env = s3::build_get_response(s3::Version::v1_3, sel);
      t0 = Steady::now();
      auto signed_env = s3::sign_envelope(env, org_.identity->key, org_.identity->certificate);
      if (!signed_env) return Outcome{"load.sign", signed_env.error().message};
      signed_now = std::move(*signed_env);
      text = &signed_now;
    }
    auto r = smev3_->post(smev3_target_, "text/xml; charset=utf-8", *text, {{"SOAPAction", "\"urn:GetResponse\""}});
    elapsed = Steady::now() - t0;
    if (!r) return Outcome{"http", r.error().message};
    if (r->status == 200) return Outcome{};
    auto parsed = s3::parse_message(r->header("Content-Type"), r->body);
    if (parsed) {
      if (auto fault = s3::read_fault(*parsed)) {
        return Outcome{fault->name + (fault->signature_fault.empty() ? "" : "/" + fault->signature_fault), fault->faultstring};
      }
    }
    return Outcome{"HTTP " + std::to_string(r->status), r->body.substr(0, 300)};
  }

  const LoadOptions& o_;
  const OrganisationFixture& org_;
  const Bytes& face_;
  PresignedPool& pool_;
  VirtualClock clock_;
  http::Client admin_;
  std::string device_;
  std::unique_ptr<client::Smev3Consumer> consumer_;
  std::unique_ptr<client::EsiaClient> esia_;
  std::unique_ptr<client::Channel> channel_;
  std::unique_ptr<http::Client> smev3_;
  std::string smev3_target_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

Result<LoadReport> run_load(const LoadOptions& o, const Fixtures& fx, const FileSource& source) {
  if (std::find(std::begin(kLoadOperations), std::end(kLoadOperations), o.operation) == std::end(kLoadOperations)) {
    return make_error("load.operation", "unknown operation '" + o.operation +
                                            "' (check, check-smev4, get-response)");
  }
  if (o.clients < 1 || o.clients > 256) return make_error("load.clients", "--clients must be 1 to 256");
  if (o.presign && o.operation != "get-response") {
    return make_error("load.presign", "--presign applies to --operation get-response only");
  }
  if (o.presign > kMaxPresign) {
    return make_error("load.presign", "--presign must be at most " + std::to_string(kMaxPresign) + " (each is held in memory)");
  }
  if (o.duration <= std::chrono::milliseconds(0) || o.duration > std::chrono::hours(24)) {
    return make_error("load.duration", "--duration must be more than 0 and at most 24h");
  }
  const OrganisationFixture* org = fx.organisation(o.organisation);
  if (!org || !org->identity) return make_error("load.org", "'" + o.organisation + "' is not a fixture organisation with a key");
  Bytes face;
  if (o.operation.rfind("check", 0) == 0) {
    auto f = load_face(source, fx, o.person, "office-light");
    if (!f) return make_error("load.person", "--person '" + o.person + "': " + f.error().message);
    face = std::move(*f);
  }
  auto admin = http::parse_url(o.emulator);
  if (!admin) return make_error("load.emulator", "--emulator: " + admin.error().message);
  http::Client control(admin->host, admin->port, std::chrono::seconds(5));
  auto info = admin_json(control, "GET", "/admin/info", o.admin_token);
  if (!info) return make_error("load.unreachable", info.error().message + " (is `gosdoki-sandbox serve` running?)");
  Endpoints ep;
  ep.smev3_url = (*info)["smev3"]["1.3"].get<std::string>();
  ep.esia_url = (*info)["esia"]["token"].get<std::string>();
  std::string check = (*info)["smev4"]["check"].get<std::string>();
  ep.smev4_base = check.substr(0, check.find('/', check.find("//") + 2));
  auto now = parse_datetime((*info)["clock"]["now"].get<std::string>());
  ep.now = now ? *now : system_now();
  ep.frozen = (*info)["clock"].value("frozen", false);

  LoadReport rep;
  rep.operation = o.operation;
  rep.clients = o.clients;
  std::optional<CryptoCosts> costs;
  if (o.bound) {
    auto c = calibrate(*org, std::chrono::milliseconds(1000));
    if (c) costs = *c;
    else rep.warnings.push_back("no crypto bound: " + c.error().message);
  }
  PresignedPool pool;
  if (o.presign) {
    pool.envelopes.reserve(o.presign);
    VirtualClock clock(ep.now, ep.frozen);
    for (std::uint64_t i = 0; i < o.presign; ++i) {
      s3::MessageTypeSelector sel;
      sel.timestamp = format_datetime(clock.now());
      auto text = s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), org->identity->key, org->identity->certificate);
      if (!text) return make_error("load.sign", text.error().message);
      pool.envelopes.push_back(std::move(*text));
    }
  }
  rep.before = sample(control, o.admin_token);
  auto client_before = crypto::operation_counts();
  double client_cpu_before = process_stats().cpu_seconds;

  std::atomic<std::uint64_t> started{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<double> latencies;
  auto deadline = Steady::now() + o.duration;
  auto t_start = Steady::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      Worker w(i, o, fx, *org, face, ep, *admin, pool);
      std::vector<double> mine;
      std::uint64_t ok = 0;
      std::map<std::string, std::uint64_t> errs;
      std::string first;
      while (!stop.load() && Steady::now() < deadline) {
        if (o.max_operations && started.fetch_add(1) >= o.max_operations) break;
        Steady::duration took{};
        auto outcome = w.run_once(took);
        if (!outcome) break;
        const Outcome& out = *outcome;
        if (out.code.empty()) {
          ++ok;
          mine.push_back(std::chrono::duration<double, std::milli>(took).count());
        } else {
          ++errs[out.code];
          if (first.empty()) first = out.code + ": " + out.message;
        }
      }
      std::lock_guard lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      rep.ok += ok;
      for (const auto& [k, v] : errs) {
        rep.error_codes[k] += v;
        rep.errors += v;
      }
      if (rep.first_error.empty()) rep.first_error = first;
    });
  }
  // Sample the server while the clients run; the largest RSS is the peak.
  std::thread sampler([&] {
    http::Client c(admin->host, admin->port, std::chrono::seconds(5));
    while (!stop.load()) {
      if (auto s = sample(c, o.admin_token)) {
        std::lock_guard lock(mu);
        if (!rep.peak || s->rss_bytes > rep.peak->rss_bytes) rep.peak = s;
      }
      auto until = Steady::now() + o.sample_every;
      while (!stop.load() && Steady::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  for (auto& t : threads) t.join();
  rep.seconds = std::chrono::duration<double>(Steady::now() - t_start).count();
  stop = true;
  sampler.join();
  rep.after = sample(control, o.admin_token);
  auto client_used = crypto::operation_counts() - client_before;
  double client_cpu = process_stats().cpu_seconds - client_cpu_before;
  if (costs && rep.before && rep.after && rep.ok > 0) {
    BoundReport b;
    b.costs = *costs;
    b.cores = std::max(1u, std::thread::hardware_concurrency());
    b.server = rep.after->crypto - rep.before->crypto;
    b.client = client_used;
    auto per_op = [&](double seconds) { return 1000.0 * seconds / static_cast<double>(rep.ok + rep.errors); };
    b.server_cpu_ms_per_op = per_op(rep.after->cpu_seconds - rep.before->cpu_seconds);
    b.client_cpu_ms_per_op = per_op(client_cpu);
    b.crypto_us_per_op = crypto_us_per_operation(b.server + b.client, rep.ok + rep.errors, *costs);
    b.crypto_bound_per_s = bound_per_second(b.crypto_us_per_op, b.cores);
    if (o.operation == "get-response") b.envelope_bound_per_s = bound_per_second(costs->envelope_verify_us, b.cores);
    rep.bound = b;
  }
  std::sort(latencies.begin(), latencies.end());
  rep.per_second = rep.seconds > 0 ? static_cast<double>(rep.ok) / rep.seconds : 0;
  rep.presigned = o.presign;
  if (o.presign && rep.ok + rep.errors < o.presign) {
    rep.warnings.push_back("sent " + std::to_string(rep.ok + rep.errors) + " of the " + std::to_string(o.presign) +
                           " presigned envelopes: --duration or --max-operations ended the run first");
  }
  rep.p50_ms = percentile(latencies, 0.50);
  rep.p90_ms = percentile(latencies, 0.90);
  rep.p99_ms = percentile(latencies, 0.99);
  rep.max_ms = latencies.empty() ? 0 : latencies.back();
  if (rep.error_codes.count("RATE_LIMIT") || rep.error_codes.count("rate_limit_exceeded")) {
    rep.warnings.push_back("the emulator's rate limit refused checks: start serve with --rate-limit-smev3 0 --rate-limit-smev4 0");
  }
  if (!rep.before) rep.warnings.push_back("GET /admin/process failed: no server memory figures");
  return rep;
}

std::string render_load_report(const LoadReport& r) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "load: " << r.operation << ", " << r.clients << " clients, " << r.seconds << " s\n"
      << "  ok " << r.ok << ", errors " << r.errors << ", " << r.per_second << "/s\n"
      << std::setprecision(2) << "  latency ms: p50 " << r.p50_ms << ", p90 " << r.p90_ms << ", p99 " << r.p99_ms << ", max "
      << r.max_ms << "\n";
  for (const auto& [code, n] : r.error_codes) out << "  error " << code << ": " << n << "\n";
  if (!r.first_error.empty()) out << "  first error: " << r.first_error << "\n";
  auto mb = [](std::uint64_t b) { return static_cast<double>(b) / (1024.0 * 1024.0); };
  out << std::setprecision(1);
  if (r.before && r.after) {
    out << "  server RSS MiB: before " << mb(r.before->rss_bytes) << ", peak " << mb(r.peak ? r.peak->rss_bytes : 0)
        << ", after " << mb(r.after->rss_bytes) << "; open fds before " << r.before->open_fds << ", after "
        << r.after->open_fds << "; threads " << r.after->threads << "\n";
  }
  if (r.bound) {
    const auto& b = *r.bound;
    double ops = static_cast<double>(r.ok + r.errors);
    auto each = [&](std::uint64_t n) { return static_cast<double>(n) / ops; };
    auto all = b.server + b.client;
    out << std::setprecision(1) << "  crypto measured now: sign " << b.costs.sign_us << " µs, verify " << b.costs.verify_us
        << " µs, Streebog " << b.costs.streebog_mb_per_s << " MB/s, parse+verify of a signed GetResponse "
        << b.costs.envelope_verify_us << " µs\n"
        << std::setprecision(2) << "  per operation (server + this tool): signs " << each(all.signs) << ", verifies "
        << each(all.verifies) << ", certificate checks " << each(all.certificate_checks) << ", Streebog "
        << std::setprecision(1) << each(all.gost_digest_bytes) / 1024.0 << " KiB → crypto " << b.crypto_us_per_op / 1000.0
        << " ms\n"
        << "  CPU per operation: server " << b.server_cpu_ms_per_op << " ms, this tool " << b.client_cpu_ms_per_op << " ms\n"
        << "  crypto bound on " << b.cores << " cores: " << b.crypto_bound_per_s << "/s; reached "
        << (b.crypto_bound_per_s > 0 ? 100.0 * r.per_second / b.crypto_bound_per_s : 0) << " %\n";
    if (b.envelope_bound_per_s > 0) {
      out << "  envelope bound (parse + C14N + transform + digest + verify) on " << b.cores << " cores: " << b.envelope_bound_per_s
          << "/s; reached " << 100.0 * r.per_second / b.envelope_bound_per_s << " %\n";
    }
  }
  for (const auto& w : r.warnings) out << "  warning: " << w << "\n";
  return out.str();
}

std::string load_report_json(const LoadReport& r) {
  auto s = [](const std::optional<ServerSample>& x) -> json {
    if (!x) return nullptr;
    return {{"rssBytes", x->rss_bytes}, {"peakRssBytes", x->peak_rss_bytes}, {"openFds", x->open_fds},
            {"threads", x->threads}, {"journalEvents", x->journal_events}, {"cpuSeconds", x->cpu_seconds}};
  };
  json j{{"operation", r.operation}, {"clients", r.clients},         {"seconds", r.seconds},
         {"ok", r.ok},               {"errors", r.errors},           {"errorCodes", r.error_codes},
         {"perSecond", r.per_second}, {"latencyMs", {{"p50", r.p50_ms}, {"p90", r.p90_ms}, {"p99", r.p99_ms}, {"max", r.max_ms}}},
         {"server", {{"before", s(r.before)}, {"peak", s(r.peak)}, {"after", s(r.after)}}},
         {"firstError", r.first_error}, {"warnings", r.warnings}, {"presigned", r.presigned}};
  if (r.bound) {
    const auto& b = *r.bound;
    auto counts = [](const crypto::OperationCounts& c) -> json {
      return {{"signs", c.signs}, {"verifies", c.verifies}, {"certificateChecks", c.certificate_checks},
              {"gostDigests", c.gost_digests}, {"gostDigestBytes", c.gost_digest_bytes}};
    };
    j["bound"] = {{"costs", {{"signUs", b.costs.sign_us}, {"verifyUs", b.costs.verify_us},
                             {"streebogMBps", b.costs.streebog_mb_per_s}, {"envelopeVerifyUs", b.costs.envelope_verify_us}}},
                  {"cores", b.cores},
                  {"serverCrypto", counts(b.server)},
                  {"clientCrypto", counts(b.client)},
                  {"serverCpuMsPerOp", b.server_cpu_ms_per_op},
                  {"clientCpuMsPerOp", b.client_cpu_ms_per_op},
                  {"cryptoUsPerOp", b.crypto_us_per_op},
                  {"cryptoBoundPerSecond", b.crypto_bound_per_s},
                  {"envelopeBoundPerSecond", b.envelope_bound_per_s > 0 ? json(b.envelope_bound_per_s) : json(nullptr)},
                  {"ratioToCryptoBound", b.crypto_bound_per_s > 0 ? r.per_second / b.crypto_bound_per_s : 0.0},
                  {"ratioToEnvelopeBound", b.envelope_bound_per_s > 0 ? json(r.per_second / b.envelope_bound_per_s) : json(nullptr)}};
  }
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace gosdoki::harness
