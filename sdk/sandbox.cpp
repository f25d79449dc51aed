#include "gosdoki/sandbox.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/crypto/crypto.hpp"
#include "core/time/datetime.hpp"
#include "emulator/emulator.hpp"
#include "emulator/faults/fault_plan.hpp"
#include "emulator/registry/registry.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/esia/client_secret.hpp"

namespace gosdoki::sandbox {

struct Sandbox::Impl {
  Options options;
  std::unique_ptr<harness::FileSource> source;
  harness::Fixtures fixtures;
  std::unique_ptr<emulator::Emulator> emu;

  void start() {
    emulator::EmulatorOptions eo;
    eo.clock_frozen = options.freeze_clock;
    eo.clock_start = fixtures.scenario_clock;
    eo.lockstep = options.lockstep;
    if (!options.clock_start.empty()) {
      auto t = parse_datetime(options.clock_start);
      if (!t) throw std::invalid_argument("Options::clock_start: " + t.error().message);
      eo.clock_start = *t;
    }
    emulator::World world = fixtures.world;
    if (options.seed) world.settings.seed = options.seed;
    auto e = emulator::Emulator::start(std::move(world), eo);
    if (!e) throw std::runtime_error("GosDoki Sandbox: cannot start the emulator: " + e.error().message);
    emu = std::move(*e);
  }
};

Sandbox::Sandbox(const Options& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (auto st = crypto::init(); !st) throw std::runtime_error("GosDoki Sandbox: " + st.error().message);
  impl_->source = options.fixtures_dir.empty() ? harness::embedded_source("fixtures/") : harness::directory_source(options.fixtures_dir);
  auto fx = harness::load_fixtures(*impl_->source);
  if (!fx) throw std::runtime_error("GosDoki Sandbox: fixtures: " + fx.error().message);
  impl_->fixtures = std::move(*fx);
  impl_->start();
}

Sandbox::~Sandbox() {
  if (impl_ && impl_->emu) impl_->emu->stop();
}

std::string Sandbox::smev3_url() const { return impl_->emu->smev3_url(); }
std::string Sandbox::smev4_url() const { return impl_->emu->smev4_url(); }
std::string Sandbox::esia_token_url() const { return impl_->emu->esia_url() + esia::kTokenPath; }
std::string Sandbox::admin_url() const { return impl_->emu->admin_url(); }

std::string Sandbox::now() const { return format_datetime(impl_->emu->clock().now()); }
void Sandbox::advance(std::chrono::milliseconds by) {
  if (by.count() < 0) throw std::invalid_argument("advance: the clock does not go back (use set_clock)");
  impl_->emu->clock().advance(std::chrono::duration_cast<Micros>(by));
}
void Sandbox::set_clock(const std::string& t) {
  auto p = parse_datetime(t);
  if (!p) throw std::invalid_argument("set_clock: " + p.error().message);
  impl_->emu->clock().set(*p);
}

std::vector<std::uint8_t> Sandbox::issue_qr(const std::string& person, const std::string& app) {
  auto r = impl_->emu->issue_qr(person, app);
  if (!r) throw std::invalid_argument("issue_qr: " + r.error().message);
  return r->second;
}

std::vector<std::uint8_t> Sandbox::face(const std::string& person, const std::string& variant) const {
  auto f = harness::load_face(*impl_->source, impl_->fixtures, person, variant);
  if (!f) throw std::invalid_argument("face: " + f.error().message);
  return *f;
}

Credentials Sandbox::organisation(const std::string& id) const {
  const auto* o = impl_->fixtures.organisation(id);
  if (!o || !o->identity) {
    std::string known;
    for (const auto& k : impl_->fixtures.organisation_ids()) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("organisation '" + id + "' is not a fixture organisation with a key (known: " + known + ")");
  }
  return Credentials{o->org.mnemonic, o->identity->key.to_pem(), o->identity->certificate.pem()};
}

std::string Sandbox::smev_certificate_pem() const { return impl_->emu->world().smev.certificate.pem(); }
std::string Sandbox::ca_certificate_pem() const { return impl_->emu->world().ca.pem(); }

std::vector<JournalEvent> Sandbox::journal() const {
  std::vector<JournalEvent> out;
  for (const auto& e : impl_->emu->journal().snapshot()) {
    out.push_back({e.seq, format_datetime(e.at), e.channel, e.operation, e.participant, e.message_id, e.outcome});
  }
  return out;
}

std::size_t Sandbox::count(const std::string& channel, const std::string& operation, const std::string& outcome) const {
  return impl_->emu->journal().count(channel, operation, outcome);
}

void Sandbox::add_fault(const std::string& rule_json) {
  auto j = nlohmann::json::parse(rule_json, nullptr, false);
  if (j.is_discarded()) throw std::invalid_argument("add_fault: not JSON: " + rule_json);
  auto rule = emulator::fault_rule_from_json(j);
  if (!rule) throw std::invalid_argument("add_fault: " + rule.error().message);
  if (auto st = impl_->emu->add_fault(*rule); !st) throw std::invalid_argument("add_fault: " + st.error().message);
}

void Sandbox::clear_faults() { impl_->emu->faults().clear(); }

void Sandbox::remove_from_registry(const std::string& id) {
  const auto* o = impl_->fixtures.organisation(id);
  if (!o) throw std::invalid_argument("remove_from_registry: '" + id + "' is not a fixture organisation");
  if (!impl_->emu->registry().remove_organisation(o->org.mnemonic)) {
    throw std::invalid_argument("remove_from_registry: " + id + " is not in ЕПГУ's registry");
  }
}

int Sandbox::settle() { return impl_->emu->settle(); }

void Sandbox::reset() {
  impl_->emu->stop();
  impl_->emu.reset();
  impl_->start();
}

}  // namespace gosdoki::sandbox
