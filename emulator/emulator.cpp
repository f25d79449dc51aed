#include "emulator/emulator.hpp"
#include "emulator/faults/fault_plan.hpp"

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/uuid.hpp"
#include "emulator/admin/admin.hpp"
#include "emulator/epgu/provider.hpp"
#include "emulator/esia/oauth.hpp"
#include "emulator/esia/store.hpp"
#include "emulator/providers/agent.hpp"
#include "emulator/providers/contract_pack.hpp"
#include "emulator/registry/registry.hpp"
#include "emulator/smev3/service.hpp"
#include "emulator/smev3/store.hpp"
#include "emulator/smev4/service.hpp"

namespace gosdoki::emulator {

namespace {
http::ServerLimits limits_for(const EmulatorOptions& o) {
  http::ServerLimits l = o.http_limits;
  l.workers = std::max(1, o.threads);
  return l;
}
}  // namespace

struct Emulator::Impl {
  World world;
  EmulatorOptions options;
  VirtualClock clock;
  Journal journal{options.journal_capacity};  // after `options`: members are made in this order
  Registry registry;
  EsiaStore esia;
  Wallet wallet;
  UuidGenerator smev_ids;
  FaultPlan faults;
  std::unique_ptr<smev3::MessageStore> store;
  smev3::Service service;
  EpguProvider provider;
  EsiaOAuth esia_oauth;
  Smev4Service smev4;
  AdminApi admin;
  http::Server server;
  std::unique_ptr<ProviderAgent> agent;      // the built-in ЕПГУ
  Identity emu_identity;                     // СМЭВ's test-environment emulator recipient
  std::unique_ptr<ProviderAgent> emu_agent;  // when a contract pack routes to it
  std::uint16_t smev3_port = 0, admin_port = 0, esia_port = 0, smev4_port = 0;

  Impl(World w, const EmulatorOptions& o, std::unique_ptr<smev3::MessageStore> s)
      : world(std::move(w)),
        options(o),
        clock(o.clock_start.value_or(system_now()), o.clock_frozen),
        esia(world.citizens),
        wallet(clock, world.qr_hmac_key, world.settings, world.settings.seed * 7 + 1),
        smev_ids(clock, world.settings.seed * 7 + 2),
        faults(world.settings.seed * 7 + 8),
        store(std::move(s)),
        service(world, registry, clock, journal, *store, smev_ids, faults),
        provider(registry, esia, wallet, clock, world.settings, world.settings.seed * 7 + 3),
        esia_oauth(world, registry, clock, journal, world.settings.seed * 7 + 6),
        smev4(esia_oauth, provider, clock, journal),
        admin(AdminDeps{clock, wallet, esia, journal, [this] { return info(); }, o.admin_token, &service, &registry, &provider, &faults,
                        &world.settings}),
        server(limits_for(o)) {
    load_registry(registry, world);
    service.set_time_travel([this](TimePoint t) {
      if (t > clock.now()) clock.set(t);
    });
    // `emu` signs with СМЭВ's own key: it is part of СМЭВ's test environment.
    emu_identity = Identity{kEmuMnemonic, "Эмулятор СМЭВ (тестовая среда)", world.smev.key, world.smev.certificate};
  }

  std::string info() const {
    nlohmann::json j;
    const std::string scheme = options.tls_certificate_pem.empty() ? "http://" : "https://";
    std::string base = scheme + options.bind + ":" + std::to_string(smev3_port);
    j["product"] = "GosDoki Sandbox emulator";
    j["contract"] = "the вид сведений urn://gosuslugi/gosqr-docs-emul/1.0.0 is an emulator contract, not an official schema";
    j["smev3"] = {{"1.3", base + smev3::path_for_version(smev3::Version::v1_3)},
                  {"1.2", base + smev3::path_for_version(smev3::Version::v1_2)},
                  {"1.1", base + smev3::path_for_version(smev3::Version::v1_1)}};
    j["admin"] = scheme + options.admin_bind + ":" + std::to_string(admin_port) + "/admin/";
    // The emulated МПГУ app API (the checker's Госкан) shares the admin listener.
    j["mpgu"] = {{"goskanScan", scheme + options.admin_bind + ":" + std::to_string(admin_port) + "/mpgu/v1/goskan/scan"}};
    j["esia"] = {{"token", scheme + options.bind + ":" + std::to_string(esia_port) + "/aas/oauth2/v3/te"}};
    std::string s4 = scheme + options.bind + ":" + std::to_string(smev4_port);
    j["smev4"] = {{"check", s4 + "/<mnemonic>/gosqr/api/gosqr/v1/check"}, {"openapi", s4 + "/openapi/gosqr.json"}};
    j["smevMnemonic"] = world.smev.mnemonic;
    j["epguMnemonic"] = world.epgu.mnemonic;
    j["clock"] = {{"now", format_datetime(clock.now())}, {"frozen", clock.frozen()}};
    return j.dump();
  }
};

Emulator::Emulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Emulator::~Emulator() {
  if (!stop()) (void)impl_.release();  // a handler still runs on our state: never free it under it
}

Result<std::unique_ptr<Emulator>> Emulator::start(World world, const EmulatorOptions& options) {
  if (auto m = face::make_matcher(world.settings.face_matcher, world.settings.face_threshold); !m) return m.error();
  std::unique_ptr<smev3::MessageStore> store;
  if (options.data_dir.empty()) {
    store = std::make_unique<smev3::MemoryStore>();
  } else {
    auto opened = smev3::open_sqlite_store(options.data_dir / "smev3-queues.sqlite", options.store_max_bytes);
    if (!opened) return opened.error();
    store = std::move(*opened);
  }
  std::vector<ContractPack> packs;
  for (const auto& dir : options.contract_packs) {
    auto pack = load_contract_pack(dir);
    if (!pack) return pack.error();
    packs.push_back(std::move(*pack));
  }
  auto impl = std::make_unique<Impl>(std::move(world), options, std::move(store));
  Impl* p = impl.get();
  if (!options.data_dir.empty()) {
    auto journal = p->journal.persist_to(options.data_dir / "journal.jsonl", options.journal_max_bytes);
    if (!journal) return journal.error();
  }
  bool routes_to_emu = false;
  for (const auto& pack : packs) {
    register_contract_pack(p->registry, pack);
    routes_to_emu = routes_to_emu || pack.type.provider == kEmuMnemonic;
  }
  if (routes_to_emu) {
    p->registry.add_participant(Participant{p->emu_identity.mnemonic, p->emu_identity.name, p->emu_identity.certificate});
  }
  if (options.smev3_tap) p->service.set_tap(options.smev3_tap);
  auto listener = [&](std::size_t max_connections, bool offload) {
    return http::ListenerOptions{max_connections, offload, options.tls_certificate_pem, options.tls_key_pem};
  };
  auto smev_port = p->server.listen(
      options.bind, options.smev3_port,
      [p](const http::Request& r) {
        auto a = p->service.handle(r);
        if (p->options.tap) p->options.tap("smev3", r, a);
        return a;
      },
      [p](int status, const std::string& msg) { return p->service.refuse(status, msg); },
      listener(options.max_connections, true));
  if (!smev_port) return smev_port.error();
  p->smev3_port = *smev_port;
  auto admin_port = p->server.listen(
      options.admin_bind, options.admin_port, [p](const http::Request& r) { return p->admin.handle(r); },
      [](int status, const std::string& msg) { return AdminApi::problem(status, "Request refused", msg); },
      listener(64, false));
  if (!admin_port) return admin_port.error();
  p->admin_port = *admin_port;
  auto esia_port = p->server.listen(
      options.bind, options.esia_port, [p](const http::Request& r) {
        auto a = with_transport_faults(p->faults, p->journal, p->clock, "esia", "token", r,
                                       [p](const http::Request& q) { return p->esia_oauth.handle(q); });
        if (p->options.tap) p->options.tap("esia", r, a);
        return a;
      },
      [](int status, const std::string& msg) {
        return http::json_response(status, nlohmann::json{{"error", "invalid_request"},
                                                          {"error_description", "ESIA-007003: " + msg}}
                                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      },
      listener(std::max<std::size_t>(1, options.max_connections / 2), true));
  if (!esia_port) return esia_port.error();
  p->esia_port = *esia_port;
  auto smev4_port = p->server.listen(
      options.bind, options.smev4_port, [p](const http::Request& r) {
        auto a = with_transport_faults(p->faults, p->journal, p->clock, "smev4", "check", r,
                                       [p](const http::Request& q) { return p->smev4.handle(q); });
        if (p->options.tap) p->options.tap("smev4", r, a);
        return a;
      },
      [](int status, const std::string& msg) {
        return Smev4Service::error(status, status == 413 ? "payload_too_large" : "bad_request", msg);
      },
      listener(options.max_connections, true));
  if (!smev4_port) return smev4_port.error();
  p->smev4_port = *smev4_port;
  p->server.start(options.threads);
  auto agent_config = [&](const char* channel, const Identity& id, std::uint64_t seed) {
    ProviderAgentConfig c;
    c.channel = channel;
    c.identity = &id;
    c.host = options.bind;
    c.port = p->smev3_port;
    c.path = smev3::path_for_version(smev3::Version::v1_3);
    c.seed = seed;
    c.workers = options.provider_workers;
    // Over TLS the agent trusts the test CA and the served certificate itself (which may be the
    // operator's own, from another CA).
    if (!options.tls_certificate_pem.empty()) c.tls = http::ClientTls{p->world.ca.pem() + "\n" + options.tls_certificate_pem};
    return c;
  };
  if (options.run_epgu) {
    auto c = agent_config("epgu", p->world.epgu, p->world.settings.seed * 7 + 4);
    gosdoki::smev3::MessageTypeSelector sel;
    sel.namespace_uri = gosqr::kNamespace;
    sel.root_element = gosqr::kRequestRoot;
    c.selector = sel;
    p->agent = std::make_unique<ProviderAgent>(p->world, p->clock, p->journal, c, epgu_answerer(p->provider, p->clock));
  }
  if (options.run_epgu && routes_to_emu) {
    p->emu_agent = std::make_unique<ProviderAgent>(p->world, p->clock, p->journal,
                                                   agent_config("emu", p->emu_identity, p->world.settings.seed * 7 + 5),
                                                   emu_answerer(std::move(packs)));
  }
  p->service.set_on_request_queued(
      [epgu = p->agent.get(), emu = p->emu_agent.get(), epgu_mnemonic = p->world.epgu.mnemonic](const std::string& r) {
        if (epgu && r == epgu_mnemonic) epgu->notify();
        if (emu && r == kEmuMnemonic) emu->notify();
      });
  if (!options.lockstep) {
    if (p->agent) p->agent->start();
    if (p->emu_agent) p->emu_agent->start();
  }
  return std::unique_ptr<Emulator>(new Emulator(std::move(impl)));
}

int Emulator::settle() {
  if (!impl_->options.lockstep) return 0;
  int n = 0;
  for (int round = 0; round < 100; ++round) {  // an answer may queue more work (a contract pack's chain)
    int k = (impl_->agent ? impl_->agent->drain() : 0) + (impl_->emu_agent ? impl_->emu_agent->drain() : 0);
    if (k == 0) break;
    n += k;
  }
  return n;
}

bool Emulator::stop() {
  if (!impl_) return true;
  if (impl_->agent) impl_->agent->stop();
  if (impl_->emu_agent) impl_->emu_agent->stop();
  impl_->server.stop();
  return !impl_->server.abandoned();
}

std::uint16_t Emulator::smev3_port() const { return impl_->smev3_port; }
std::uint16_t Emulator::admin_port() const { return impl_->admin_port; }
std::uint16_t Emulator::esia_port() const { return impl_->esia_port; }
std::uint16_t Emulator::smev4_port() const { return impl_->smev4_port; }
std::string Emulator::esia_url() const { return "http://" + impl_->options.bind + ":" + std::to_string(impl_->esia_port); }
std::string Emulator::smev4_url() const { return "http://" + impl_->options.bind + ":" + std::to_string(impl_->smev4_port); }
EpguProvider& Emulator::provider() { return impl_->provider; }
Registry& Emulator::registry() { return impl_->registry; }

std::string Emulator::smev3_url(smev3::Version v) const {
  return "http://" + impl_->options.bind + ":" + std::to_string(impl_->smev3_port) + smev3::path_for_version(v);
}

std::string Emulator::admin_url() const {
  return "http://" + impl_->options.admin_bind + ":" + std::to_string(impl_->admin_port);
}

std::string Emulator::info_json() const { return impl_->info(); }
VirtualClock& Emulator::clock() { return impl_->clock; }
FaultPlan& Emulator::faults() { return impl_->faults; }

Status Emulator::add_fault(const FaultRule& rule) {
  if (auto st = impl_->service.check_rule(rule); !st) return st;
  impl_->faults.add(rule);
  impl_->journal.record(JournalEvent{0, impl_->clock.now(), "admin", "inject", "", "", fault_rule_to_json(rule).dump()});
  return {};
}
Wallet& Emulator::wallet() { return impl_->wallet; }
Journal& Emulator::journal() { return impl_->journal; }
const World& Emulator::world() const { return impl_->world; }

Result<Emulator::AppQr> Emulator::show_qr(const std::string& person_id, const std::string& app, const std::string& device) {
  auto c = impl_->esia.by_id(person_id);
  if (!c) return make_error("wallet.person", "no person '" + person_id + "' in the fixtures");
  const std::string on = device.empty() ? default_device(*c) : device;
  auto issued = issue_from_app(impl_->wallet, *c, app, on, impl_->clock.now(), impl_->world.settings);
  if (!issued) return issued.error();
  AppQr out{*issued, std::nullopt};
  if (!issued->record) {
    impl_->journal.record(JournalEvent{0, impl_->clock.now(), "wallet", "refused", person_id, app, issued->screen.code});
    return out;
  }
  auto png = render_qr_png(issued->record->token);
  if (!png) return png.error();
  out.png = std::move(*png);
  impl_->journal.record(JournalEvent{0, impl_->clock.now(), "wallet", "issue", person_id, issued->record->sid, app});
  return out;
}

Result<std::pair<QrRecord, Bytes>> Emulator::issue_qr(const std::string& person_id, const std::string& app) {
  auto shown = show_qr(person_id, app);
  if (!shown) return shown.error();
  if (!shown->png) {
    return make_error("wallet.refused", "the " + app + " app of '" + person_id + "' shows no QR: " + shown->result.screen.code +
                                            " (" + shown->result.screen.text + ")");
  }
  return std::make_pair(*shown->result.record, *shown->png);
}

Status Emulator::update_citizen(const std::string& person_id, const std::function<void(Citizen&)>& change) {
  if (!impl_->esia.update(person_id, change)) return make_error("citizen.person", "no person '" + person_id + "' in the fixtures");
  impl_->journal.record(JournalEvent{0, impl_->clock.now(), "esia", "update", person_id, "", ""});
  return {};
}

}  // namespace gosdoki::emulator
