#include "harness/runner/app_steps.hpp"

#include <nlohmann/json.hpp>

#include "client/goskan.hpp"
#include "client/scan.hpp"
#include "core/image/image.hpp"
#include "emulator/apps/apps.hpp"

namespace gosdoki::harness {
namespace {

std::string arg(const Step& s, const std::string& k, const std::string& fallback = "") {
  auto it = s.args.find(k);
  return it == s.args.end() ? fallback : it->second;
}

Result<std::optional<ResultView>> issue(emulator::Emulator& em, const Step& step, const std::string& person,
                                        AppStepState& state) {
  const std::string app = arg(step, "app", "mpgu");
  auto shown = em.show_qr(person, app, arg(step, "device"));
  if (!shown) return shown.error();
  const auto& screen = shown->result.screen;
  state.app = app;
  state.previous_png = std::move(state.qr_png);
  state.qr_png = shown->png;  // a refusal leaves the phone without a QR
  ResultView v;
  v.status = shown->png ? "confirmed" : "rejected";
  v.code = screen.code;
  v.message = screen.text;
  v.screen["app.title"] = screen.title;
  v.screen["app.text"] = screen.text;
  v.screen["app.name"] = app;
  if (shown->result.record) {
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(shown->result.record->expires_at -
                                                                       shown->result.record->issued_at);
    v.screen["qr.ttlSeconds"] = std::to_string(ttl.count());
    v.screen["qr.source"] = std::string(1, shown->result.record->source);
  }
  return std::optional<ResultView>(v);
}

// Screenshots of the QR show a white square (MAX; the Gosuslugi app forbids them too).
Result<std::optional<ResultView>> screenshot(AppStepState& state) {
  if (!state.qr_png) return make_error("step.order", "wallet.screenshot needs a QR on the phone: add a wallet.issue step before it");
  auto info = image::probe(*state.qr_png);
  if (!info) return info.error();
  auto white = image::encode_png(image::make(info->width, info->height, 1, 255));
  if (!white) return white.error();
  state.qr_png = std::move(*white);
  return std::optional<ResultView>{};
}

Result<std::optional<ResultView>> update(emulator::Emulator& em, const Step& step, const std::string& person) {
  Status failed;
  auto st = em.update_citizen(arg(step, "person", person), [&](emulator::Citizen& c) {
    for (const auto& [k, v] : step.args) {
      if (k == "person" || !failed) continue;
      if (auto changed = emulator::change_citizen(c, k, v); !changed) failed = changed;
    }
  });
  if (!st) return st.error();
  if (!failed) return failed.error();
  return std::optional<ResultView>{};
}

Result<std::optional<ResultView>> goskan(emulator::Emulator& em, const Step& step, const std::string& person,
                                         const AppStepState& state) {
  const std::string checker_id = arg(step, "checker");
  if (checker_id.empty()) return make_error("step.args", "goskan.scan needs 'checker': the fixture person who scans");
  const emulator::Citizen* checker = nullptr;
  for (const auto& c : em.world().citizens) {
    if (c.id == checker_id) checker = &c;
  }
  if (!checker) return make_error("step.args", "goskan.scan: no person '" + checker_id + "' in the fixtures");
  ResultView v;
  if (!state.qr_png) return make_error("step.order", "goskan.scan needs a QR: add a wallet.issue step before it");
  auto text = client::scan_qr_bytes(*state.qr_png, "the phone's screen");
  if (!text) {
    // The scanner finds nothing to send (a screenshot, a white square): the phone says so.
    v.status = "error";
    v.code = text.error().code;
    v.message = text.error().message;
    return std::optional<ResultView>(v);
  }
  auto info = nlohmann::json::parse(em.info_json());
  const std::string url = info["mpgu"]["goskanScan"].get<std::string>();
  const std::string oid = arg(step, "checkerOid", checker->oid);
  auto r = client::goskan_scan(url, oid, *text, arg(step, "purpose", "AGE_18_GOODS"));
  if (!r) {
    v.status = "error";
    v.code = r.error().code;
    v.message = r.error().message;
    return std::optional<ResultView>(v);
  }
  (void)person;
  v.status = r->result_code == "OK" ? "confirmed" : "rejected";
  v.code = r->result_code;
  auto j = nlohmann::json::parse(r->json);
  v.message = j.value("message", std::string{});
  flatten_json(j, "", v.screen);
  if (j.contains("statuses")) {
    std::string list;
    for (const auto& s : j["statuses"]) list += (list.empty() ? "" : ",") + s.get<std::string>();
    v.screen["statuses"] = list;
  }
  return std::optional<ResultView>(v);
}

}  // namespace

Result<std::optional<ResultView>> run_app_step(emulator::Emulator& em, const Step& step, const std::string& given_person,
                                               AppStepState& state) {
  const std::string person = arg(step, "person", given_person);
  if (step.kind == "wallet.issue") return issue(em, step, person, state);
  if (step.kind == "wallet.screenshot") return screenshot(state);
  if (step.kind == "citizen.update") return update(em, step, person);
  if (step.kind == "goskan.scan") return goskan(em, step, person, state);
  return make_error("step.kind", "not an app step: " + step.kind);
}

}  // namespace gosdoki::harness
