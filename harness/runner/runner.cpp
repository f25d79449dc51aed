#include "harness/runner/runner.hpp"
#include "harness/runner/app_steps.hpp"
#include "harness/runner/camera_capture.hpp"
#include "harness/runner/expect.hpp"
#include "harness/runner/external.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>

#include <unistd.h>

#include "client/checker.hpp"
#include "client/esia_client.hpp"
#include "client/smev4_channel.hpp"
#include "client/operator_screen.hpp"
#include "client/scan.hpp"
#include "client/terminal.hpp"
#include "core/time/datetime.hpp"
#include "emulator/emulator.hpp"
#include "emulator/epgu/provider.hpp"
#include "emulator/faults/fault_plan.hpp"
#include "emulator/registry/registry.hpp"
#include "protocol/esia/client_secret.hpp"

namespace gosdoki::harness {

Runner::Runner(const Fixtures& fixtures, const FileSource& source) : fixtures_(fixtures), source_(source) {}

std::uint64_t scenario_seed(std::uint64_t run_seed, const std::string& file) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : std::filesystem::path(file).filename().string()) h = (h ^ c) * 1099511628211ull;
  return (run_seed * 0x9E3779B97F4A7C15ull) ^ h;
}

void set_verdict(ScenarioOutcome& out, bool advisory, const std::string& review) {
  out.passed = out.failures.empty();
  if (out.skipped) out.verdict = "skipped";
  else if (!out.passed) out.verdict = advisory ? "warning" : "fail";
  else out.verdict = review.empty() ? "pass" : "review";
}

namespace {

client::Tamper tamper_of(const std::string& s, bool& ok) {
  ok = true;
  if (s.empty() || s == "none") return client::Tamper::none;
  if (s == "signed-content") return client::Tamper::signed_content;
  if (s == "signature-value") return client::Tamper::signature_value;
  if (s == "no-signature") return client::Tamper::no_signature;
  ok = false;
  return client::Tamper::none;
}

std::string arg(const Step& s, const std::string& k, const std::string& fallback = "") {
  auto it = s.args.find(k);
  return it == s.args.end() || it->second.empty() ? fallback : it->second;
}


Status apply_esia_args(client::EsiaClient& esia, const Step& step) {
  auto& c = esia.config();
  bool changed = false;
  for (const auto& [k, v] : step.args) {
    if (k.rfind("esia.", 0) != 0) continue;
    std::string key = k.substr(5);
    changed = true;
    if (key == "secret") {
      if (v != "wrong" && v != "right") return make_error("scenario.esia", "esia.secret is 'wrong' or 'right'");
      c.wrong_secret = v == "wrong";
    } else if (key == "certificateHash") {
      if (v != "pem" && v != "der") return make_error("scenario.esia", "esia.certificateHash is 'der' or 'pem'");
      c.pem_certificate_hash = v == "pem";
    } else if (key == "timestampSkew") {
      bool negative = !v.empty() && v[0] == '-';
      auto d = parse_duration(negative ? v.substr(1) : v);
      if (!d) return make_error("scenario.esia", "esia.timestampSkew: " + d.error().message);
      auto secs = std::chrono::duration_cast<std::chrono::seconds>(*d);
      c.timestamp_skew = negative ? -secs : secs;
    } else if (key == "scope") {
      c.scope = v;
    } else if (key == "refresh") {
      c.refresh = v != "false";
      changed = false;  // keeps the cached token: that is the point
    } else if (key == "reuseState") {
      c.reuse_state = v == "true";
    } else if (key == "certificate") {
      changed = false;  // chosen with the client
    } else {
      return make_error("scenario.esia", "unknown esia." + key +
                                             " (known: secret, certificateHash, timestampSkew, scope, refresh, reuseState, certificate)");
    }
  }
  if (changed) esia.forget();  // a changed request must really be sent
  return {};
}

// The business outcome the operator sees: status, code and the screen without channel ids.
std::vector<std::string> parity_differences(const ResultView& a, const ResultView& b) {
  std::vector<std::string> out;
  if (a.status != b.status) out.push_back("status " + a.status + " vs " + b.status);
  if (a.code != b.code) out.push_back("code " + a.code + " vs " + b.code);
  std::map<std::string, std::string> sa = a.screen, sb = b.screen;
  for (auto* m : {&sa, &sb}) {
    for (const char* k : {"messageId", "checkId", "checkedAt", "httpStatus", "signatureFault", "resultMessage"}) m->erase(k);
  }
  for (const auto& [k, v] : sa) {
    auto it = sb.find(k);
    if (it == sb.end()) out.push_back("screen " + k + " = '" + v + "' only on the first");
    else if (it->second != v) out.push_back("screen " + k + " '" + v + "' vs '" + it->second + "'");
  }
  for (const auto& [k, v] : sb) {
    if (!sa.count(k)) out.push_back("screen " + k + " = '" + v + "' only on the second");
  }
  return out;
}

}  // namespace

// registry.remove / apply / approve / reject: the registry of organisations changes at run time.
Status Runner::registry_step(emulator::Emulator& em, const Step& step, const Scenario& s) const {
  auto& reg = em.registry();
  std::string org_id = arg(step, "organisation", s.organisation);
  const OrganisationFixture* org = fixtures_.organisation(org_id);
  if (step.kind == "registry.remove" || step.kind == "registry.apply") {
    if (!org) return make_error("scenario.registry", "organisation '" + org_id + "' is not in the fixtures");
    if (step.kind == "registry.remove") {
      if (!reg.remove_organisation(org->org.mnemonic)) {
        return make_error("scenario.registry", org_id + " is not in ЕПГУ's registry");
      }
      return {};
    }
    emulator::Organisation row = org->org;
    row.epgu_registry = true;
    reg.apply(row, em.clock().now());
    return {};
  }
  auto apps = reg.applications();
  auto pending = std::find_if(apps.rbegin(), apps.rend(), [](const auto& a) { return a.status == "pending"; });
  if (pending == apps.rend()) return make_error("scenario.registry", step.kind + ": there is no pending application");
  if (step.kind == "registry.approve") {
    auto a = reg.approve(pending->id, em.clock().now());
    if (!a) return a.error();
    return {};
  }
  auto a = reg.reject(pending->id, arg(step, "reason", "отклонена в сценарии"), em.clock().now());
  if (!a) return a.error();
  return {};
}
struct Runner::ChannelRun {
  ScenarioOutcome out;
  std::optional<ResultView> last;
  RunRecord record;
};

Runner::ChannelRun Runner::run_on(const Scenario& s, const std::string& channel, const RunOptions& options) const {
  auto started = std::chrono::steady_clock::now();
  ChannelRun run;
  ScenarioOutcome& out = run.out;
  out.file = s.where.file;
  out.name = s.name;
  out.channel = channel;
  std::optional<ResultView>& last = run.last;
  emulator::Emulator* live = nullptr;  // stopped before the record is handed out (its tap writes there)
  auto finish = [&]() {
    if (live) live->stop();
    out.passed = out.failures.empty();
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::move(run);
  };
  auto fail = [&](const Location& at, const std::string& what) { out.failures.push_back(at.str() + ": " + what); };

  if (!fixtures_.organisation(s.organisation)) {
    std::string known;
    for (const auto& id : fixtures_.organisation_ids()) known += (known.empty() ? "" : ", ") + id;
    fail(s.where, "given.organisation '" + s.organisation + "' is not in the fixtures (known: " + known + ")");
    return finish();
  }
  if (!s.person.empty() && !fixtures_.person(s.person)) {
    std::string known;
    for (const auto& id : fixtures_.person_ids()) known += (known.empty() ? "" : ", ") + id;
    fail(s.where, "given.person '" + s.person + "' is not in the fixtures (known: " + known + ")");
    return finish();
  }
  const std::uint64_t run_seed = options.seed ? options.seed : fixtures_.world.settings.seed;
  out.seed = scenario_seed(run_seed, s.where.file);
  emulator::EmulatorOptions eo;
  // An outside ИС polls on its own: the built-in providers then run by themselves.
  eo.lockstep = options.client_cmd.empty();
  eo.clock_frozen = true;
  std::mutex capture_mu;
  RunRecord& record = run.record;
  record.channel = channel;
  bool wants_signatures = s.expect && s.expect->signatures_valid;
  for (const auto& st : s.steps) wants_signatures = wants_signatures || (st.expect && st.expect->signatures_valid);
  if (options.capture || wants_signatures) {
    eo.tap = [&record, &capture_mu](const std::string& ch, const http::Request& rq, const http::Response& rs) {
      Exchange x;
      x.channel = ch;
      x.target = rq.target;
      if (ch == "smev3") {
        x.operation = rq.header("SOAPAction");
        x.operation.erase(std::remove(x.operation.begin(), x.operation.end(), '"'), x.operation.end());
        if (x.operation.rfind("urn:", 0) == 0) x.operation = x.operation.substr(4);
      } else {
        x.operation = ch == "esia" ? "token" : rq.path().substr(rq.path().rfind('/') + 1);
      }
      x.request = rq.body;
      x.request_type = rq.header("Content-Type");
      x.status = rs.status;
      x.answer = rs.body;
      x.answer_type = rs.content_type;
      std::lock_guard lock(capture_mu);
      record.exchanges.push_back(std::move(x));
    };
  }
  eo.clock_start = fixtures_.scenario_clock;
  if (s.clock) {
    auto t = parse_datetime(*s.clock);
    if (!t) {
      fail(s.where, "given.clock: " + t.error().message);
      return finish();
    }
    eo.clock_start = *t;
  }
  emulator::World world = fixtures_.world;
  world.settings.seed = out.seed;
  auto emu = emulator::Emulator::start(std::move(world), eo);
  if (!emu) {
    fail(s.where, "cannot start the emulator: " + emu.error().message);
    return finish();
  }
  emulator::Emulator& em = **emu;
  live = &em;
  record.organisation = fixtures_.organisation(s.organisation)->org.mnemonic;
  record.provider = em.world().epgu.mnemonic;
  if (s.rate_limit) em.provider().set_rate_limit(channel, *s.rate_limit);
  const emulator::Citizen* person = nullptr;
  for (const auto& c : em.world().citizens) {
    if (c.id == s.person) person = &c;
  }

  AppStepState app;  // what the citizen's phone shows
  std::optional<Bytes>& qr_png = app.qr_png;
  std::uint64_t seed = 1;
  std::map<std::string, std::unique_ptr<client::EsiaClient>> esia_clients;
  bool no_result = false;  // an outside ИС gave no result: already a failure, not "nothing ran"  // the ИС keeps its token between checks
  std::size_t last_result_step = 0;  // the top-level expect judges the step with this index
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    if (produces_result(s.steps[i].kind)) last_result_step = i;
  }
  for (std::size_t step_index = 0; step_index < s.steps.size(); ++step_index) {
    const Step& step = s.steps[step_index];
    if (is_app_step(step.kind)) {
      auto r = run_app_step(em, step, s.person, app);
      if (!r) {
        fail(step.where, r.error().message);
        return finish();
      }
      if (step.kind == "wallet.issue" && options.capture && qr_png) record.qr_png = *qr_png;
      if (!*r) continue;
      last = **r;
      out.last_code = last->code;
      if (step.expect) {
        check_expectation(*step.expect, *last, em.journal(), person, channel, out.failures);
      } else if (last->status != "confirmed" && step_index != last_result_step) {
        // Later steps need what this one failed to give (a QR, a Госкан screen).
        fail(step.where, step.kind + ": " + last->code + " (" + last->message + ")");
        return finish();
      }
    } else if (step.kind == "clock.advance") {
      auto d = parse_duration(arg(step, "by"));
      if (!d) {
        fail(step.where, d.error().message);
        return finish();
      }
      em.clock().advance(*d);
    } else if (step.kind == "fault") {
      auto rule = emulator::fault_rule_from_json(nlohmann::json::parse(arg(step, "rule")));
      if (!rule) {
        fail(step.where, rule.error().message);
        return finish();
      }
      if (auto st = em.add_fault(*rule); !st) {
        fail(step.where, "fault: " + st.error().message);
        return finish();
      }
    } else if (step.kind == "faults.clear") {
      em.faults().clear();
    } else if (step.kind.rfind("registry.", 0) == 0) {
      if (auto st = registry_step(em, step, s); !st) {
        fail(step.where, st.error().message);
        return finish();
      }
    } else if (step.kind == "client.check") {
      if (!qr_png) {
        fail(step.where, "client.check needs a QR: add a wallet.issue step before it");
        return finish();
      }
      const std::string which = arg(step, "qr", "current");
      if (which != "current" && which != "previous") {
        fail(step.where, "qr '" + which + "' is not current or previous");
        return finish();
      }
      if (which == "previous" && !app.previous_png) {
        fail(step.where, "qr: previous needs two wallet.issue steps before it");
        return finish();
      }
      // previous: the ИС scanned the QR the phone showed before its last refresh.
      const Bytes& shown_png = which == "previous" ? *app.previous_png : *qr_png;
      auto qr = client::scan_qr_bytes(shown_png, "the wallet's QR image");
      if (!qr) {
        // The ИС's scanner read nothing it could send (a screenshot's white square): the operator
        // is told so, and that is the step's result.
        last = ResultView{"error", qr.error().code, qr.error().message, "", 0, {}};
        out.last_code = last->code;
        if (step.expect) check_expectation(*step.expect, *last, em.journal(), person, channel, out.failures);
        continue;
      }
      std::string org_id = arg(step, "organisation", s.organisation);
      const OrganisationFixture* org = fixtures_.organisation(org_id);
      if (!org || !org->identity) {
        fail(step.where, "organisation '" + org_id + "' is not in the fixtures or has no key");
        return finish();
      }
      const KeyPair* kp = &*org->identity;
      std::string cert_name = arg(step, "certificate", arg(step, "esia.certificate"));
      if (!cert_name.empty()) {
        auto it = org->other_certificates.find(cert_name);
        if (it == org->other_certificates.end()) {
          fail(step.where, "organisation '" + org_id + "' has no certificate '" + cert_name + "'");
          return finish();
        }
        kp = &it->second;
      }
      auto face = load_face(source_, fixtures_, arg(step, "face.person", s.person), arg(step, "face.variant", "office-light"));
      if (!face) {
        fail(step.where, face.error().message);
        return finish();
      }
      std::optional<client::CameraScan> camera;
      if (auto frames = arg(step, "camera.frames", arg(step, "camera")); !frames.empty() && frames != "false") {
        // A webcam: the QR and the face come from one generated frame sequence.
        int n = frames == "true" ? 24 : std::atoi(frames.c_str());
        auto cam = camera_capture(shown_png, *face, n, out.seed * 131 + seed);
        if (!cam) {
          last = ResultView{"error", cam.error().code, cam.error().message, "", 0, {}};
          out.last_code = last->code;
          if (step.expect) check_expectation(*step.expect, *last, em.journal(), person, channel, out.failures);
          continue;
        }
        qr = cam->qr;
        face = cam->face_jpeg;
        camera = std::move(*cam);
      }
      if (auto v = arg(step, "faceVerdict"); !v.empty()) {
        // The scenario forces ЕПГУ's face verdict for this check, whatever the photo.
        bool known = false;
        for (auto verdict : {face::Verdict::match, face::Verdict::mismatch, face::Verdict::low_quality,
                             face::Verdict::presentation_attack}) {
          if (v == face::verdict_name(verdict)) {
            em.provider().force_next_face_verdict(verdict);
            known = true;
          }
        }
        if (!known) {
          fail(step.where, "faceVerdict '" + v + "' is not match, mismatch, low_quality or presentation_attack");
          return finish();
        }
      }
      client::CheckInput in = check_input(*org, *qr, *face, arg(step, "purpose"));
      if (auto ago = arg(step, "capturedAgo"); !ago.empty()) {
        // The photo was taken this long before the ИС sends it (faceImageCapturedAt).
        auto d = parse_duration(ago);
        if (!d) {
          fail(step.where, "capturedAgo: " + d.error().message);
          return finish();
        }
        in.captured_at = em.clock().now() - *d;
      }
      const std::string terminal = arg(step, "terminal");  // a biometric terminal sends with its own id
      if (!terminal.empty()) in.point_of_service.terminal_id = terminal;
      if (options.capture) record.face_image = *face;
      std::uint64_t step_seed = out.seed * 31 + seed++;
      std::optional<std::chrono::milliseconds> poll_timeout;
      if (auto pt = arg(step, "pollTimeout"); !pt.empty()) {
        auto d = parse_duration(pt);
        if (!d || *d < std::chrono::milliseconds(100) || *d > std::chrono::seconds(60)) {
          fail(step.where, "pollTimeout '" + pt + "': a duration from 100ms to 60s");
          return finish();
        }
        poll_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
      }
      std::optional<client::CheckReport> report;
      if (!options.client_cmd.empty()) {
        // The ИС under test does the check; its result JSON and its traffic are judged.
        const Expectation* want = step.expect ? &*step.expect : (s.expect ? &*s.expect : nullptr);
        const bool refused = want && want->status == "smev_error";
        auto before = em.journal().snapshot();
        const std::uint64_t since = before.empty() ? 0 : before.back().seq;
        ExternalCheck x{options.client_cmd,
                        std::filesystem::temp_directory_path() /
                            ("gosdoki-ext-" + std::to_string(::getpid()) + "-" + std::to_string(step_seed)),
                        shown_png, *face, em.admin_url(), em.smev3_url(), em.smev4_url(), em.esia_url(), org_id,
                        org->org.mnemonic, in.purpose, channel,
                        std::chrono::duration_cast<std::chrono::seconds>(poll_timeout.value_or(std::chrono::seconds(20))) +
                            std::chrono::seconds(40),
                        options.fixtures_dir};
        auto ran = run_external_check(x);
        std::error_code ec;
        std::filesystem::remove_all(x.work_dir, ec);
        if (!ran) {
          fail(step.where, ran.error().message);
          return finish();
        }
        out.last_screen = ran->out.substr(0, 4096);
        if (options.capture) record.screens.push_back(ran->out.substr(0, 65536));
        if (ran->timed_out) fail(step.where, "the ИС did not finish within " + std::to_string(x.timeout.count()) + " s: " + ran->command);
        if (want && want->status) {
          bool ok_expected = *want->status == "confirmed";
          if (!ran->timed_out && ok_expected != (ran->exit_code == 0)) {
            std::string how = ran->signal ? "was killed by signal " + std::to_string(ran->signal)
                                          : "exited " + std::to_string(ran->exit_code);
            fail(step.where, "the ИС " + how + ", expected exit " + (ok_expected ? "0" : "non-zero") +
                                 " for " + *want->status + " (" + ran->command + ")" +
                                 (ran->err.empty() ? "" : "; stderr: " + ran->err.substr(0, 300)));
          }
        }
        std::vector<emulator::JournalEvent> during;
        for (auto& e : em.journal().snapshot()) {
          if (e.seq > since) during.push_back(std::move(e));
        }
        for (const auto& w : judge_wire(during, org->org.mnemonic, channel, refused)) fail(step.where, "on the wire: " + w);
        auto view = ran->prefill ? view_of_prefill(*ran->prefill) : view_of_prefill(ran->out);
        if (!view) {
          fail(step.where, std::string(ran->prefill ? "the result the ИС wrote to {prefill}" : "the ИС wrote nothing to {prefill}, and its standard output") +
                               " is not the form-prefill JSON: " + view.error().message);
          last.reset();
          no_result = true;
          continue;
        }
        last = *view;
      } else if (channel == "smev3") {
        bool tamper_ok = false;
        client::ConsumerConfig cfg;
        cfg.smev3_url = em.smev3_url();
        cfg.identity = client::Identity{org->org.mnemonic, kp->key, kp->certificate};
        cfg.smev_certificate = em.world().smev.certificate;
        cfg.tamper = tamper_of(arg(step, "tamper"), tamper_ok);
        cfg.test_message = arg(step, "testMessage") == "true";
        cfg.before_poll = [&em] { em.settle(); };
        if (poll_timeout) cfg.poll_timeout = *poll_timeout;
        // The polls the back-off schedule fits in the timeout: counted, not timed (see max_polls).
        int polls = 0;
        for (std::chrono::microseconds waited{0}, pause = cfg.poll_first; waited + pause <= cfg.poll_timeout; ++polls) {
          waited += pause;
          pause = std::min(pause * 8 / 5, cfg.poll_max);
        }
        cfg.max_polls = std::max(1, polls);
        cfg.poll_timeout += std::chrono::seconds(30);  // a bound on wall time only
        if (!tamper_ok) {
          fail(step.where, "tamper '" + arg(step, "tamper") + "' is not one of none, signed-content, signature-value, no-signature");
          return finish();
        }
        client::Smev3Consumer consumer(cfg, em.clock(), step_seed);
        client::Smev3Channel ch(consumer);
        report = client::run_check(ch, in, em.clock());
      } else {
        auto& esia = esia_clients[org_id + "/" + cert_name];
        if (!esia) {
          client::EsiaClientConfig c;
          c.token_url = em.esia_url() + esia::kTokenPath;
          c.client_id = org->org.mnemonic;
          c.key = kp->key;
          c.certificate = kp->certificate;
          c.org_oid = org->org.esia_oid;
          esia = std::make_unique<client::EsiaClient>(c, em.clock(), step_seed * 7);
        }
        if (auto st = apply_esia_args(*esia, step); !st) {
          fail(step.where, st.error().message);
          return finish();
        }
        client::Smev4Channel ch({em.smev4_url(), org->org.mnemonic, true}, *esia, em.clock(), step_seed);
        report = client::run_check(ch, in, em.clock());
      }
      if (report) {
        out.last_screen = client::render_screen(*report, options.verbose);
        if (options.capture) record.screens.push_back(client::render_screen(*report, true));
        last = view_of(*report);
        if (camera) {
          last->screen["camera.qrFrame"] = std::to_string(camera->qr_frame);
          last->screen["camera.qrPass"] = camera->qr_pass;
          last->screen["camera.faceFrame"] = std::to_string(camera->face_frame);
          last->screen["camera.framesRead"] = std::to_string(camera->frames_read);
        }
        if (!terminal.empty()) {
          auto d = client::terminal_decision(*report);
          last->screen["terminal.id"] = terminal;
          last->screen["terminal.action"] = d.action;
          last->screen["terminal.display"] = d.display;
        }
      }
      out.last_code = last->code;
      if (step.expect) {
        check_expectation(*step.expect, *last, em.journal(), person, channel, out.failures);
        std::lock_guard lock(capture_mu);
        check_signatures(*step.expect, record.exchanges, channel, out.failures);
      }
    }
  }
  if (s.expect) {
    if (!last && !no_result) fail(s.expect->where, "nothing to check: no client.check, wallet.issue or goskan.scan ran");
    else if (last) check_expectation(*s.expect, *last, em.journal(), person, channel, out.failures);
    std::lock_guard lock(capture_mu);
    if (last) check_signatures(*s.expect, record.exchanges, channel, out.failures);
  }
  if (options.capture) {
    em.settle();
    record.journal = em.journal().snapshot();
  }
  em.stop();
  return finish();
}

ScenarioOutcome Runner::run(const Scenario& s, const RunOptions& options) const {
  ScenarioOutcome out = run_channels(s, options);
  out.tags = s.tags;
  out.clauses = s.clauses;
  out.basis = s.basis;
  out.review = s.review;
  if (!options.capture) out.records.clear();
  set_verdict(out, s.advisory, s.review);
  return out;
}

ScenarioOutcome Runner::run_channels(const Scenario& s, const RunOptions& options) const {
  if (!options.client_cmd.empty()) {
    // The reference ИС's test hooks (a tampered signature, another certificate, a TestMessage,
    // ЕСИА mistakes) cannot be asked of an outside ИС.
    for (const auto& step : s.steps) {
      for (const auto& [k, v] : step.args) {
        if (step.kind == "client.check" && (k == "tamper" || k == "certificate" || k == "testMessage" || k.rfind("esia.", 0) == 0)) {
          ScenarioOutcome out;
          out.file = s.where.file;
          out.name = s.name;
          out.channel = options.channel;
          out.skipped = true;
          out.skip_reason = "uses the reference ИС's " + k;
          return out;
        }
      }
    }
  }
  auto applies = [&](const std::string& c) { return std::find(s.channels.begin(), s.channels.end(), c) != s.channels.end(); };
  std::vector<std::string> channels;
  if (options.channel.empty()) {
    channels = {s.channel};
  } else if (options.channel == "both") {
    for (const char* c : {"smev3", "smev4"}) {
      if (applies(c)) channels.push_back(c);
    }
  } else if (applies(options.channel)) {
    channels = {options.channel};
  }
  if (channels.empty()) {
    ScenarioOutcome out;
    out.file = s.where.file;
    out.name = s.name;
    out.channel = options.channel;
    out.passed = true;
    out.skipped = true;
    std::string list;
    for (const auto& c : s.channels) list += (list.empty() ? "" : ", ") + c;
    out.skip_reason = "applies to " + list + " only";
    return out;
  }
  ChannelRun first = run_on(s, channels.front(), options);
  first.out.records.push_back(std::move(first.record));
  if (channels.size() == 1) return first.out;
  ChannelRun second = run_on(s, channels.back(), options);
  ScenarioOutcome out = first.out;
  out.records.push_back(std::move(second.record));
  out.channel = channels.front() + "+" + channels.back();
  out.elapsed += second.out.elapsed;
  for (const auto& f : second.out.failures) out.failures.push_back("[" + channels.back() + "] " + f);
  for (auto& f : out.failures) {
    if (f.rfind("[", 0) != 0) f = "[" + channels.front() + "] " + f;
  }
  if (first.last && second.last) {
    for (const auto& d : parity_differences(*first.last, *second.last)) {
      out.failures.push_back(s.where.str() + ": parity: " + d + " (" + channels.front() + " vs " + channels.back() + ")");
    }
  }
  out.passed = out.failures.empty();
  return out;
}

}  // namespace gosdoki::harness
