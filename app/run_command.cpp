// `gosdoki-sandbox run`: scenario files in parallel (output in file order), filtered by tag or
// shard, reproducible from the manifest (--replay), with JUnit / JSON / HTML reports and the
// expected-failures ledger.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

#include "app/common.hpp"
#include "core/crypto/crypto.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "harness/evidence/bundle.hpp"
#include "harness/ledger/ledger.hpp"
#include "harness/report/report.hpp"
#include "harness/runner/external.hpp"
#include "harness/runner/runner.hpp"

namespace gosdoki::app {

namespace {

std::string sha256_hex(std::string_view text) {
  auto d = crypto::digest(crypto::DigestAlg::sha256, as_bytes(text));
  return d ? hex_encode(*d) : "";
}

std::string utc_now(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

bool write_text(const std::filesystem::path& file, const std::string& text) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    say_error("run", file.string() + ": cannot write the report");
    return false;
  }
  return true;
}

// Every document number and name of the fixture citizens: what --redact masks.
std::vector<std::string> personal_data(const harness::Fixtures& fx) {
  std::vector<std::string> out;
  for (const auto& c : fx.world.citizens) {
    for (const auto* s : {&c.last_name, &c.first_name, &c.middle_name, &c.birth_date, &c.birth_place}) out.push_back(*s);
    if (c.passport) {
      for (const auto* s : {&c.passport->series, &c.passport->number, &c.passport->issue_id, &c.passport->issued_by}) {
        out.push_back(*s);
      }
      // As the operator screen shows them: the department code as 770-736.
      const std::string& id = c.passport->issue_id;
      if (id.size() == 6) out.push_back(id.substr(0, 3) + "-" + id.substr(3));
    }
  }
  return out;
}

Result<std::vector<harness::ScenarioFile>> replay_files(const harness::RunManifest& m) {
  std::vector<harness::ScenarioFile> out;
  for (const auto& f : m.files) {
    auto text = harness::load_scenario_file(f.name);
    if (!text) return text.error();
    if (sha256_hex(text->text) != f.sha256) {
      return make_error("replay.changed", f.name + " has changed since the manifest was written (SHA-256 differs): "
                                                   "the replay would not run the same scenario");
    }
    out.push_back(std::move(*text));
  }
  return out;
}

}  // namespace

int run_scenarios(const RunOptions& o) {
  std::unique_ptr<harness::FileSource> src;
  auto fx = load_fixture_set(o.common, src);
  if (!fx) {
    say_error("run", fx.error().message);
    return kUsage;
  }
  harness::RunManifest manifest;
  manifest.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  manifest.seed = o.seed.value_or(fx->world.settings.seed);
  manifest.channel = o.channel;
  manifest.shard = o.shard;
  manifest.tags = o.tags;
  manifest.fixtures = fx->origin;
  manifest.redacted = o.redact;
  if (auto ej = src->read("emulator.json")) manifest.fixtures_sha256 = sha256_hex(*ej);
  Result<std::vector<harness::ScenarioFile>> files = std::vector<harness::ScenarioFile>{};
  if (o.replay) {
    if (!o.paths.empty() || o.seed || !o.channel.empty() || !o.shard.empty() || !o.tags.empty()) {
      say_error("run", "--replay takes the files, seed, channel and tags from the manifest: give no paths, --seed, --channel, "
                       "--shard or --tag with it");
      return kUsage;
    }
    auto text = read_file(*o.replay, 4u << 20);
    if (!text) {
      say_error("run", text.error().message);
      return kUsage;
    }
    auto m = harness::manifest_from_json(*text, o.replay->string());
    if (!m) {
      say_error("run", m.error().message);
      return kUsage;
    }
    if (!m->fixtures_sha256.empty() && m->fixtures_sha256 != manifest.fixtures_sha256) {
      say_error("run", "the fixtures differ from the manifest's (" + m->fixtures + "): give the same --fixtures");
      return kUsage;
    }
    manifest.seed = m->seed;
    manifest.redacted = manifest.redacted || m->redacted;
    manifest.channel = m->channel;
    manifest.tags = m->tags;
    manifest.shard = m->shard;
    files = replay_files(*m);
  } else if (o.plan == "conformance" && o.paths.empty()) {
    files = harness::builtin_suite("conformance");
  } else {
    files = harness::collect_scenarios(o.paths);
  }
  if (!files) {
    say_error("run", files.error().message);
    return kUsage;
  }
  if (o.client_cmd) {
    if (auto st = harness::check_client_cmd(*o.client_cmd); !st) {
      say_error("run", st.error().message);
      return kUsage;
    }
  }
  if (!o.plan.empty()) {
    if (o.plan != "conformance") {
      say_error("run", "--plan '" + o.plan + "': the plan is 'conformance'");
      return kUsage;
    }
    if (!o.evidence || o.ledger || !o.tags.empty() || !o.shard.empty()) {
      say_error("run", "--plan conformance needs --evidence DIR and takes no --ledger, --tag or --shard: a certifier's "
                       "plan runs whole and excuses nothing");
      return kUsage;
    }
  }
  if (o.evidence) {
    std::error_code ec;
    if (std::filesystem::exists(*o.evidence, ec) && !std::filesystem::is_empty(*o.evidence, ec)) {
      say_error("run", o.evidence->string() + " is not empty: --evidence writes a bundle into a new or empty folder");
      return kUsage;
    }
    if (!fx->sandbox) {
      say_error("run", "the fixtures have no sandbox key (emulator.json \"sandbox\") to sign the evidence bundle with");
      return kUsage;
    }
  }
  // Outputs are checked before the run, not after it.
  for (const auto* out : {&o.junit, &o.json, &o.html, &o.manifest}) {
    if (!*out) continue;
    std::error_code ec;
    auto parent = (*out)->has_parent_path() ? (*out)->parent_path() : std::filesystem::path(".");
    if (std::filesystem::is_directory(**out, ec)) {
      say_error("run", (*out)->string() + " is a folder; give a file name");
      return kUsage;
    }
    if (!std::filesystem::exists(parent, ec)) std::filesystem::create_directories(parent, ec);
    if (ec || ::access(parent.c_str(), W_OK) != 0) {
      say_error("run", (*out)->string() + ": cannot write into " + parent.string());
      return kUsage;
    }
  }
  if (o.jobs < 0 || o.jobs > 64) {
    say_error("run", "--jobs must be between 1 and 64 (0: one per core)");
    return kUsage;
  }
  const int jobs = o.jobs ? o.jobs : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  manifest.jobs = jobs;
  if (!o.shard.empty()) {
    unsigned part = 0, parts = 0;
    char tail = 0;
    if (std::sscanf(o.shard.c_str(), "%u/%u%c", &part, &parts, &tail) != 2 || parts == 0 || part == 0 || part > parts) {
      say_error("run", "--shard '" + o.shard + "': expected i/N with 1 <= i <= N, e.g. 2/4");
      return kUsage;
    }
    std::vector<harness::ScenarioFile> mine;
    for (std::size_t i = part - 1; i < files->size(); i += parts) mine.push_back(std::move((*files)[i]));
    *files = std::move(mine);
  }
  std::optional<harness::Ledger> ledger;
  if (o.ledger) {
    auto text = read_file(*o.ledger, 1u << 20);
    if (!text) {
      say_error("run", text.error().message);
      return kUsage;
    }
    auto l = harness::parse_ledger(*text, o.ledger->string());
    if (!l) {
      say_error("run", l.error().message);
      return kUsage;
    }
    ledger = std::move(*l);
  }
  // Parse everything first: a --tag filter needs the tags, and a broken file is reported in order.
  struct Item {
    harness::ScenarioFile file;
    Result<harness::Scenario> scenario;
  };
  std::vector<Item> items;
  std::vector<harness::ScenarioFile> sources;  // as run, for the evidence bundle
  std::size_t filtered = 0;
  for (auto& f : *files) {
    auto sc = harness::parse_scenario(f.text, f.name);
    if (sc && !manifest.tags.empty()) {
      bool any = false;
      for (const auto& t : manifest.tags) any = any || std::find(sc->tags.begin(), sc->tags.end(), t) != sc->tags.end();
      if (!any) {
        ++filtered;
        continue;
      }
    }
    manifest.files.push_back({f.name, sha256_hex(f.text)});
    sources.push_back(f);
    items.push_back({std::move(f), std::move(sc)});
  }
  if (items.empty()) {
    say_error("run", "no scenario has any of the tags given with --tag");
    return kUsage;
  }
  harness::Runner runner(*fx, *src);
  const bool reports = o.junit || o.json || o.html || o.evidence;
  harness::RunOptions ro;
  ro.verbose = o.verbose;
  ro.channel = manifest.channel;
  ro.seed = manifest.seed;
  ro.capture = reports;
  ro.client_cmd = o.client_cmd.value_or("");
  ro.fixtures_dir = o.common.fixtures;
  auto started = std::chrono::steady_clock::now();
  const bool tty = isatty(STDOUT_FILENO) != 0;
  std::cout << "GosDoki Sandbox · " << items.size() << " scenario" << (items.size() == 1 ? "" : "s")
            << (manifest.shard.empty() ? "" : " (shard " + manifest.shard + ")")
            << (filtered ? " · " + std::to_string(filtered) + " left out by --tag" : "") << " · seed " << manifest.seed
            << " · fixtures " << fx->origin << "\n"
            << "note: the вид сведений contract (urn://gosuslugi/gosqr-docs-emul/1.0.0) is emulated, not official\n";
  auto run_one = [&](const Item& it) {
    harness::ScenarioOutcome out;
    if (!it.scenario) {
      out.file = it.file.name;
      out.name = "(does not parse)";
      out.failures.push_back(it.scenario.error().message);
      harness::set_verdict(out, false, "");
      return out;
    }
    return runner.run(*it.scenario, ro);
  };
  auto progress = [&](std::size_t done) {
    if (!tty) return;
    const int width = 30;
    int filled = static_cast<int>(done * width / items.size());
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("\r\033[K[%s%s] %zu/%zu · %.1f s", std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                done, items.size(), secs);
    std::fflush(stdout);
  };
  auto print = [&](const harness::ScenarioOutcome& out) {
    if (tty) std::printf("\r\033[K");
    std::string file = std::filesystem::path(out.file).filename().string();
    static const std::map<std::string, std::pair<const char*, const char*>> kTag = {
        {"pass", {"PASS", "\033[32m"}},   {"fail", {"FAIL", "\033[31m"}},    {"warning", {"WARN", "\033[33m"}},
        {"review", {"REVW", "\033[36m"}}, {"skipped", {"SKIP", "\033[33m"}}};
    auto tag = kTag.count(out.verdict) ? kTag.at(out.verdict) : std::pair<const char*, const char*>{"????", ""};
    std::string label = tty ? std::string(tag.second) + tag.first + "\033[0m" : tag.first;
    if (out.verdict == "skipped") {
      std::printf("%s  %-32s %-28s %9s  %s\n", label.c_str(), file.c_str(), out.skip_reason.c_str(), "", out.name.c_str());
      return;
    }
    std::string code = out.last_code + (manifest.channel.empty() ? "" : " [" + out.channel + "]");
    std::printf("%s  %-32s %-28s %6lld ms  %s\n", label.c_str(), file.c_str(), code.c_str(),
                static_cast<long long>(out.elapsed.count()), out.name.c_str());
    for (const auto& msg : out.failures) std::printf("      %s\n", msg.c_str());
    if (out.verdict == "review") std::printf("      review: %s\n", out.review.c_str());
    if ((o.verbose || out.verdict == "fail") && !out.last_screen.empty()) std::cout << out.last_screen;
    std::fflush(stdout);
  };
  // Each scenario has its own emulator, so they run side by side; results are printed in file
  // order as soon as every earlier one is done, so the output is the same for any --jobs.
  std::vector<std::optional<harness::ScenarioOutcome>> results(items.size());
  std::mutex mu;
  std::condition_variable done;
  std::size_t next = 0;
  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::lock_guard lock(mu);
        if (next >= items.size()) return;
        i = next++;
      }
      auto out = run_one(items[i]);
      std::lock_guard lock(mu);
      results[i] = std::move(out);
      done.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < std::min<int>(jobs, static_cast<int>(items.size())); ++k) pool.emplace_back(worker);
  std::vector<harness::ScenarioOutcome> outcomes;
  std::vector<std::string> notes;
  const std::string today = utc_now("%Y-%m-%d");
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::unique_lock lock(mu);
    done.wait(lock, [&] { return results[i].has_value(); });
    auto out = std::move(*results[i]);
    lock.unlock();
    std::optional<std::string> ledger_note;
    if (ledger) ledger_note = harness::apply_ledger(*ledger, out, today);
    print(out);
    if (ledger_note) notes.push_back(*ledger_note);
    outcomes.push_back(std::move(out));
    progress(i + 1);
  }
  for (auto& t : pool) t.join();
  if (tty) std::printf("\r\033[K");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int exit_code = kOk;
  if (ledger) {
    for (const auto& e : ledger->entries) {
      bool ran = false;
      for (const auto& out : outcomes) ran = ran || ledger->find(out.file) == &e;
      if (!ran) notes.push_back(e.where.str() + ": " + e.scenario + " was not run");
    }
    for (const auto& n : notes) std::printf("ledger  %s\n", n.c_str());
    auto expired = harness::expired_entries(*ledger, today);
    for (const auto& e : expired) std::printf("LEDGER  %s\n", e.c_str());
    if (!expired.empty()) exit_code = kFailed;
  }
  auto sum = harness::summarise(outcomes, secs);
  std::printf("\n%d scenario%s: %d passed, %d failed", sum.total(), sum.total() == 1 ? "" : "s", sum.pass + sum.review, sum.fail);
  if (sum.warning) std::printf(", %d warning%s", sum.warning, sum.warning == 1 ? "" : "s");
  if (sum.review) std::printf(" (%d to review)", sum.review);
  if (sum.skipped) std::printf(", %d skipped", sum.skipped);
  std::printf(" (%.2f s)\n", secs);
  if (sum.fail) exit_code = kFailed;
  harness::Redactor redact = manifest.redacted ? harness::Redactor(personal_data(*fx)) : harness::Redactor();
  if (o.manifest && !write_text(*o.manifest, harness::manifest_json(manifest).dump(2) + "\n")) exit_code = kUsage;
  if (o.junit && !write_text(*o.junit, harness::junit_xml(manifest, outcomes, sum, redact))) exit_code = kUsage;
  if (o.json && !write_text(*o.json, harness::json_report(manifest, outcomes, sum, redact).dump(1, ' ', false,
                                                                                                 nlohmann::json::error_handler_t::replace) +
                                          "\n")) {
    exit_code = kUsage;
  }
  if (o.html && !write_text(*o.html, harness::html_report(manifest, outcomes, sum, redact))) exit_code = kUsage;
  if (o.evidence) {
    const bool final = sum.fail == 0 && sum.warning == 0 && exit_code == kOk;
    harness::BundleInput in{manifest, outcomes, sum, sources, o.plan, final, *fx->sandbox, redact};
    if (auto st = harness::write_bundle(*o.evidence, in); !st) {
      say_error("run", st.error().message);
      return kUsage;
    }
    std::printf("evidence: %s (%s), signed by the sandbox's key; check it with: gosdoki-sandbox evidence verify %s\n",
                o.evidence->string().c_str(), final ? "final" : "NOT FINAL", o.evidence->string().c_str());
    if (!o.plan.empty() && !final) {
      std::printf("conformance plan: %d failed, %d warning(s): the bundle is not final\n", sum.fail, sum.warning);
      exit_code = kFailed;
    }
  }
  return exit_code;
}

}  // namespace gosdoki::app
