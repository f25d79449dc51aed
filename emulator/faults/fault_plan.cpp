#include "emulator/faults/fault_plan.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/time/datetime.hpp"

namespace gosdoki::emulator {

using nlohmann::json;

namespace {

const std::set<std::string> kSmev3Operations = {"SendRequest", "GetRequest",   "GetResponse",
                                                "Ack",         "SendResponse", "GetStatus",
                                                "GetIncomingQueueStatistics", "*"};
const std::set<std::string> kActions = {"latency", "slowBody", "soapFault", "httpStatus", "reset", "garbage", "drop"};

Result<Micros> duration_field(const json& j, const char* name) {
  if (!j.is_string()) return make_error("fault.field", std::string("'") + name + "' must be a duration string like \"200ms\"");
  auto d = parse_duration(j.get<std::string>());
  if (!d) return make_error("fault.field", std::string("'") + name + "': " + d.error().message);
  if (*d > std::chrono::seconds(20)) return make_error("fault.field", std::string("'") + name + "' is at most 20s");
  return *d;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

}  // namespace

Result<FaultRule> fault_rule_from_json(const json& j) {
  auto bad = [](const std::string& what) { return make_error("fault.field", what); };
  if (!j.is_object()) return bad("a fault is an object like {\"operation\":\"GetResponse\",\"action\":\"drop\"}");
  static const std::set<std::string> known = {"channel", "operation", "action",      "fault", "status", "latency",
                                              "interval", "travel",   "skip",        "count", "probability"};
  for (const auto& [k, v] : j.items()) {
    if (!known.count(k)) return bad("unknown field '" + k + "' (known: " + join(known) + ")");
  }
  FaultRule r;
  auto str = [&](const char* k, std::string& out) -> Status {
    if (!j.contains(k)) return {};
    if (!j[k].is_string()) return bad(std::string("'") + k + "' must be a string");
    out = j[k].get<std::string>();
    return {};
  };
  for (auto [k, out] : {std::pair<const char*, std::string*>{"channel", &r.channel}, {"operation", &r.operation},
                        {"action", &r.action}, {"fault", &r.fault}, {"travel", &r.travel}}) {
    if (auto st = str(k, *out); !st) return st.error();
  }
  if (r.channel != "smev3" && r.channel != "smev4" && r.channel != "esia") {
    return bad("channel '" + r.channel + "' is not smev3, smev4 or esia");
  }
  if (r.operation.empty()) r.operation = r.channel == "smev4" ? "check" : r.channel == "esia" ? "token" : "";
  if (r.channel == "smev3" && r.operation.empty()) {
    return bad("'operation' is required on smev3: one of " + join(kSmev3Operations));
  }
  if (r.action.empty()) return bad("'action' is required: one of " + join(kActions));
  if (r.channel == "smev3" && !kSmev3Operations.count(r.operation)) {
    return bad("operation '" + r.operation + "' is not a СМЭВ 3 operation (" + join(kSmev3Operations) + ")");
  }
  if (r.channel == "smev4" && r.operation != "check") return bad("the smev4 operation is 'check'");
  if (r.channel == "esia" && r.operation != "token") return bad("the esia operation is 'token'");
  if (!kActions.count(r.action)) return bad("action '" + r.action + "' is not one of " + join(kActions));
  if (r.action == "soapFault") {
    if (r.channel != "smev3") return bad("soapFault is for the smev3 channel (smev4 and esia: httpStatus)");
    if (r.fault.empty()) return bad("soapFault needs 'fault': the fault's element name, e.g. SMEVFailure");
  }
  // Each field belongs to one action: a field another action needs is a mistake, not a no-op.
  static const std::map<std::string, std::string> kFieldAction = {
      {"fault", "soapFault"}, {"status", "httpStatus"}, {"latency", "latency"}, {"interval", "slowBody"}, {"travel", "drop"}};
  for (const auto& [field, action] : kFieldAction) {
    if (j.contains(field) && r.action != action) return bad("'" + field + "' goes with action " + action + ", not " + r.action);
  }
  // Whole numbers are read as 64-bit and range-checked, so 4294967296 is not silently 0.
  auto whole = [&](const char* k, long long lo, long long hi, long long& out) -> Status {
    if (!j[k].is_number_integer()) return bad(std::string("'") + k + "' must be a whole number " + std::to_string(lo) + ".." + std::to_string(hi));
    bool in_range = j[k].is_number_unsigned() ? j[k].get<unsigned long long>() <= static_cast<unsigned long long>(hi)
                                              : (j[k].get<long long>() >= lo && j[k].get<long long>() <= hi);
    if (!in_range) return bad(std::string("'") + k + "' must be " + std::to_string(lo) + ".." + std::to_string(hi));
    out = j[k].get<long long>();
    return {};
  };
  if (r.action == "httpStatus") {
    if (!j.contains("status")) return bad("httpStatus needs 'status': 400..599");
    long long v = 0;
    if (auto st = whole("status", 400, 599, v); !st) return st.error();
    r.http_status = static_cast<int>(v);
  }
  if (r.action == "latency") {
    if (!j.contains("latency")) return bad("latency needs 'latency': \"200ms\" or [\"50ms\", \"300ms\"] (random by seed)");
    const json& l = j["latency"];
    if (l.is_array()) {
      if (l.size() != 2) return bad("'latency' as a range is [min, max]");
      auto lo = duration_field(l[0], "latency[0]");
      if (!lo) return lo.error();
      auto hi = duration_field(l[1], "latency[1]");
      if (!hi) return hi.error();
      if (*hi < *lo) return bad("'latency': max is below min");
      r.latency_min = *lo;
      r.latency_max = *hi;
    } else {
      auto d = duration_field(l, "latency");
      if (!d) return d.error();
      r.latency_min = r.latency_max = *d;
    }
  }
  if (r.action == "slowBody") {
    if (!j.contains("interval")) return bad("slowBody needs 'interval': the pause between pieces, e.g. \"20ms\"");
    auto d = duration_field(j["interval"], "interval");
    if (!d) return d.error();
    if (d->count() <= 0) return bad("'interval' must be above zero");
    r.chunk_interval = *d;
  }
  if (r.action == "drop") {
    if (r.channel != "smev3" || (r.operation != "GetResponse" && r.operation != "GetRequest")) {
      return bad("drop is for the smev3 GetRequest and GetResponse calls");
    }
    if (!r.travel.empty() && r.travel != "redelivery") return bad("'travel' is \"redelivery\" (or absent)");
  }
  auto integer = [&](const char* k, int& out, int lo, int hi) -> Status {
    if (!j.contains(k)) return {};
    long long v = 0;
    if (auto st = whole(k, lo, hi, v); !st) return st.error();
    out = static_cast<int>(v);
    return {};
  };
  if (auto st = integer("skip", r.skip, 0, 1000000); !st) return st.error();
  if (auto st = integer("count", r.count, 0, 1000000); !st) return st.error();
  if (j.contains("probability")) {
    if (!j["probability"].is_number()) return bad("'probability' must be a number in (0, 1]");
    r.probability = j["probability"].get<double>();
    if (!(r.probability > 0 && r.probability <= 1)) return bad("'probability' must be in (0, 1]");
  }
  return r;
}

json fault_rule_to_json(const FaultRule& r) {
  json j{{"channel", r.channel}, {"operation", r.operation}, {"action", r.action}, {"skip", r.skip},
         {"count", r.count},     {"probability", r.probability}, {"seen", r.seen},  {"hits", r.hits}};
  if (!r.fault.empty()) j["fault"] = r.fault;
  if (r.http_status) j["status"] = r.http_status;
  if (r.action == "latency") {
    j["latency"] = r.latency_min == r.latency_max ? json(format_duration(r.latency_min))
                                                  : json::array({format_duration(r.latency_min), format_duration(r.latency_max)});
  }
  if (r.chunk_interval.count()) j["interval"] = format_duration(r.chunk_interval);
  if (!r.travel.empty()) j["travel"] = r.travel;
  return j;
}

void FaultPlan::add(FaultRule rule) {
  std::lock_guard lock(mu_);
  rules_.push_back(std::move(rule));
}

std::optional<FaultHit> FaultPlan::take(const std::string& channel, const std::string& operation) {
  std::lock_guard lock(mu_);
  std::optional<FaultHit> hit;
  for (auto& r : rules_) {
    if (r.channel != channel || (r.operation != "*" && r.operation != operation)) continue;
    if (r.count > 0 && r.hits >= r.count) continue;
    ++r.seen;
    if (hit || r.seen <= r.skip) continue;
    if (r.probability < 1.0 && std::uniform_real_distribution<double>(0, 1)(rng_) >= r.probability) continue;
    ++r.hits;
    FaultHit h{r, r.latency_min};
    if (r.latency_max > r.latency_min) {
      h.latency = Micros(std::uniform_int_distribution<long long>(r.latency_min.count(), r.latency_max.count())(rng_));
    }
    hit = std::move(h);
  }
  return hit;
}

std::vector<FaultRule> FaultPlan::rules() const {
  std::lock_guard lock(mu_);
  return rules_;
}

void FaultPlan::clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

void FaultPlan::reseed(std::uint64_t seed) {
  std::lock_guard lock(mu_);
  rng_.seed(seed);
}

http::Response with_transport_faults(FaultPlan& plan, Journal& journal, const Clock& clock, const std::string& channel,
                                     const std::string& operation, const http::Request& request,
                                     const std::function<http::Response(const http::Request&)>& handler) {
  if (request.method != "POST") return handler(request);
  auto hit = plan.take(channel, operation);
  if (!hit) return handler(request);
  const FaultRule& r = hit->rule;
  auto note = [&](const std::string& outcome) {
    journal.record(JournalEvent{0, clock.now(), channel, operation, "", "", outcome});
  };
  if (r.action == "httpStatus") {
    note("HTTP " + std::to_string(r.http_status) + " (injected)");
    http::Response out;
    out.status = r.http_status;
    out.content_type = "application/problem+json";
    out.body = json{{"type", "about:blank"}, {"title", "Injected fault"}, {"status", r.http_status},
                    {"detail", "HTTP " + std::to_string(r.http_status) + " injected by the emulator's fault plan"}}
                   .dump();
    return out;
  }
  http::Response out = handler(request);
  if (auto outcome = apply_wire_fault(*hit, out); !outcome.empty()) note(outcome);
  return out;
}

std::string apply_wire_fault(const FaultHit& hit, http::Response& out) {
  const std::string& action = hit.rule.action;
  if (action == "latency") out.wire.delay = std::chrono::duration_cast<std::chrono::milliseconds>(hit.latency);
  if (action == "slowBody") {
    out.wire.chunk_interval = std::chrono::duration_cast<std::chrono::milliseconds>(hit.rule.chunk_interval);
    out.wire.chunk_bytes = 64;
  }
  if (action != "reset" && action != "garbage") return "";
  // Processed, then the answer is lost on the way back: the client cannot tell whether it was.
  out.wire.kind = action == "reset" ? http::WireFault::Kind::reset : http::WireFault::Kind::garbage_then_close;
  return action + " (injected, after processing)";
}

}  // namespace gosdoki::emulator
