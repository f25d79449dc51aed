#include "emulator/providers/agent.hpp"

#include <algorithm>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "emulator/epgu/provider.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::emulator {

namespace s3 = gosdoki::smev3;

class AgentConnection {
 public:
  explicit AgentConnection(const ProviderAgentConfig& c)
      : client(c.tls ? http::Client(c.host, c.port, std::chrono::seconds(30), *c.tls) : http::Client(c.host, c.port, std::chrono::seconds(30))) {}
  http::Client client;
};

ProviderAgent::ProviderAgent(const World& world, const Clock& clock, Journal& journal, ProviderAgentConfig config,
                             Answerer answerer)
    : world_(world),
      clock_(clock),
      journal_(journal),
      config_(std::move(config)),
      answerer_(std::move(answerer)),
      ids_(clock, config_.seed) {}

ProviderAgent::~ProviderAgent() { stop(); }

void ProviderAgent::start() {
  if (!threads_.empty()) return;
  for (int i = 0; i < std::max(1, config_.workers); ++i) threads_.emplace_back([this] { run(); });
}

void ProviderAgent::stop() {
  stop_ = true;
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void ProviderAgent::notify() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_one();
}

void ProviderAgent::run() {
  AgentConnection conn(config_);
  while (!stop_) {
    {
      std::unique_lock lock(mu_);
      // Woken on every queued request; the periodic wake-up picks up redeliveries.
      cv_.wait_for(lock, std::chrono::seconds(2), [this] { return pending_ || stop_; });
      pending_ = false;
    }
    while (!stop_ && handle_one(conn)) {
      // There may be more: let an idle worker take the next one meanwhile.
      if (config_.workers > 1) notify();
    }
  }
}

int ProviderAgent::drain() {
  AgentConnection conn(config_);
  int n = 0;
  while (handle_one(conn)) ++n;
  return n;
}

namespace {

Result<s3::Envelope> call(AgentConnection& conn, const std::string& path, const char* action, const std::string& body) {
  auto resp = conn.client.post(path, "text/xml; charset=utf-8", body, {{"SOAPAction", std::string("\"urn:") + action + "\""}});
  if (!resp) return resp.error();
  return s3::parse_message(resp->header("Content-Type"), resp->body);
}

}  // namespace

bool ProviderAgent::handle_one(AgentConnection& conn) {
  const Identity& me = *config_.identity;
  auto note = [&](const std::string& op, const std::string& id, const std::string& outcome) {
    journal_.record(JournalEvent{0, clock_.now(), config_.channel, op, me.mnemonic, id, outcome});
  };
  s3::MessageTypeSelector sel = config_.selector.value_or(s3::MessageTypeSelector{});
  sel.timestamp = format_datetime(clock_.now());
  auto get = s3::sign_envelope(s3::build_get_request(config_.version, sel), me.key, me.certificate);
  if (!get) return false;
  auto env = call(conn, config_.path, "GetRequest", *get);
  if (!env) {
    note("GetRequest", "", env.error().message);
    return false;
  }
  if (auto f = s3::read_fault(*env)) {
    note("GetRequest", "", f->name);
    return false;
  }
  auto msg = s3::read_get_request_response(*env);
  if (!msg) {
    note("GetRequest", "", msg.error().message);
    return false;
  }
  if (!msg->has_value()) return false;
  const s3::RequestMessage& rm = **msg;

  // ЭП-СМЭВ: the signature over Request must verify and be СМЭВ's own certificate.
  bool smev_ok = false;
  if (rm.smev_signature) {
    auto v = xmldsig::verify_signature(env->doc.get(), rm.smev_signature, s3::kSmevId);
    smev_ok = v && v->certificate.fingerprint_sha256() == world_.smev.certificate.fingerprint_sha256();
  }
  auto send_ack = [&](bool accepted) {
    auto ack = s3::sign_envelope(s3::build_ack(config_.version, rm.metadata.message_id, accepted), me.key, me.certificate);
    if (!ack) return;
    auto a = call(conn, config_.path, "Ack", *ack);
    if (a && s3::read_fault(*a)) note("Ack", rm.metadata.message_id, s3::read_fault(*a)->name);
  };
  if (!smev_ok) {
    send_ack(false);
    note("GetRequest", rm.metadata.message_id, "SMEV signature invalid: ignored");
    return true;
  }

  s3::SenderProvidedResponseData out;
  out.message_id = ids_.v1();
  out.to = rm.reply_to;
  note("check", rm.metadata.message_id, answerer_(rm, out));
  auto send = s3::sign_envelope(s3::build_send_response(config_.version, out), me.key, me.certificate);
  if (!send) {
    note("SendResponse", out.message_id, send.error().message);
    return true;
  }
  // The request is acked only once its answer is stored (or СМЭВ refused the answer for good):
  // a crash in between makes СМЭВ deliver the request again, never lose it.
  auto s = call(conn, config_.path, "SendResponse", *send);
  if (!s) {
    note("SendResponse", out.message_id, s.error().message + " (the request stays unacked: it comes again)");
    return false;
  }
  if (auto f = s3::read_fault(*s)) {
    note("SendResponse", out.message_id, f->name + ": " + f->faultstring);
    if (f->name == "SMEVFailure") return false;  // retried on redelivery
  }
  send_ack(true);
  return true;
}

Answerer epgu_answerer(EpguProvider& provider, const Clock& clock) {
  return [&provider, &clock](const s3::RequestMessage& rm, s3::SenderProvidedResponseData& out) -> std::string {
    auto request = gosqr::read_request(rm.business.node);
    if (!request) {
      out.rejections.push_back({"UNKNOWN_REQUEST_DESCRIPTION", "UNKNOWN_REQUEST_DESCRIPTION: " + request.error().message});
      return "UNKNOWN_REQUEST_DESCRIPTION";
    }
    CheckOutcome o = provider.check(*request, rm.metadata.sender_mnemonic, rm.data.test_message);
    if (o.smev3_reject_code) {
      out.rejections.push_back({*o.smev3_reject_code, o.rejection_description()});
    } else {
      o.response.timestamp = format_datetime(clock.now());
      out.business_xml = gosqr::to_xml(o.response);
    }
    return o.result_code;
  };
}

}  // namespace gosdoki::emulator
