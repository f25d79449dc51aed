#include "emulator/epgu/agent.hpp"

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::emulator {

namespace s3 = gosdoki::smev3;

class AgentConnection {
 public:
  AgentConnection(const std::string& host, std::uint16_t port) : client(host, port, std::chrono::seconds(30)) {}
  http::Client client;
};

EpguAgent::EpguAgent(const World& world, EpguProvider& provider, const Clock& clock, Journal& journal,
                     std::uint64_t seed, std::string host, std::uint16_t port, std::string path, s3::Version version)
    : world_(world),
      provider_(provider),
      clock_(clock),
      journal_(journal),
      ids_(clock, seed),
      host_(std::move(host)),
      port_(port),
      path_(std::move(path)),
      version_(version) {}

EpguAgent::~EpguAgent() { stop(); }

void EpguAgent::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void EpguAgent::stop() {
  stop_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EpguAgent::notify() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

void EpguAgent::run() {
  AgentConnection conn(host_, port_);
  while (!stop_) {
    {
      std::unique_lock lock(mu_);
      // Woken on every queued request; the periodic wake-up picks up redeliveries.
      cv_.wait_for(lock, std::chrono::seconds(2), [this] { return pending_ || stop_; });
      pending_ = false;
    }
    while (!stop_ && handle_one(conn)) {
    }
  }
}

int EpguAgent::drain() {
  AgentConnection conn(host_, port_);
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

bool EpguAgent::handle_one(AgentConnection& conn) {
  auto note = [&](const std::string& op, const std::string& id, const std::string& outcome) {
    journal_.record(JournalEvent{0, clock_.now(), "epgu", op, world_.epgu.mnemonic, id, outcome});
  };
  s3::MessageTypeSelector sel;
  sel.namespace_uri = gosqr::kNamespace;
  sel.root_element = gosqr::kRequestRoot;
  sel.timestamp = format_datetime(clock_.now());
  auto get = s3::sign_envelope(s3::build_get_request(version_, sel), world_.epgu.key, world_.epgu.certificate);
  if (!get) return false;
  auto env = call(conn, path_, "GetRequest", *get);
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
  auto ack = s3::sign_envelope(s3::build_ack(version_, rm.metadata.message_id, smev_ok), world_.epgu.key,
                               world_.epgu.certificate);
  if (ack) {
    auto a = call(conn, path_, "Ack", *ack);
    if (a && s3::read_fault(*a)) note("Ack", rm.metadata.message_id, s3::read_fault(*a)->name);
  }
  if (!smev_ok) {
    note("GetRequest", rm.metadata.message_id, "SMEV signature invalid: ignored");
    return true;
  }

  s3::SenderProvidedResponseData out;
  out.message_id = ids_.v1();
  out.to = rm.reply_to;
  auto request = gosqr::read_request(rm.business.node);
  if (!request) {
    out.rejections.push_back({"UNKNOWN_REQUEST_DESCRIPTION", "UNKNOWN_REQUEST_DESCRIPTION: " + request.error().message});
    note("check", rm.metadata.message_id, "UNKNOWN_REQUEST_DESCRIPTION");
  } else {
    CheckOutcome o = provider_.check(*request, rm.metadata.sender_mnemonic, rm.data.test_message);
    note("check", rm.metadata.message_id, o.result_code);
    if (o.smev3_reject_code) {
      out.rejections.push_back({*o.smev3_reject_code, o.rejection_description()});
    } else {
      o.response.timestamp = format_datetime(clock_.now());
      out.business_xml = gosqr::to_xml(o.response);
    }
  }
  auto send = s3::sign_envelope(s3::build_send_response(version_, out), world_.epgu.key, world_.epgu.certificate);
  if (!send) {
    note("SendResponse", out.message_id, send.error().message);
    return true;
  }
  auto s = call(conn, path_, "SendResponse", *send);
  if (!s) note("SendResponse", out.message_id, s.error().message);
  else if (auto f = s3::read_fault(*s)) note("SendResponse", out.message_id, f->name + ": " + f->faultstring);
  return true;
}

}  // namespace gosdoki::emulator
