#include "client/smev3_consumer.hpp"

#include <functional>
#include <thread>

#include "core/time/datetime.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::client {

namespace s3 = gosdoki::smev3;

struct Smev3Consumer::Impl {
  ConsumerConfig cfg;
  const Clock& clock;
  UuidGenerator ids;
  http::Url url;
  std::unique_ptr<http::Client> http;
  std::vector<std::string> trace;

  Impl(ConsumerConfig c, const Clock& clk, std::uint64_t seed) : cfg(std::move(c)), clock(clk), ids(clk, seed) {
    if (cfg.node_id.empty()) cfg.node_id = "node-" + ids.v4().substr(0, 8);
  }

  Result<std::string> signed_call(const s3::UnsignedEnvelope& env) {
    return s3::sign_envelope(env, cfg.identity.key, cfg.identity.certificate);
  }

  Result<s3::Envelope> post(const char* action, const std::string& body) {
    auto r = http->post(url.target, "text/xml; charset=utf-8", body, {{"SOAPAction", std::string("\"urn:") + action + "\""}});
    if (!r) return r.error();
    auto env = s3::parse_message(r->header("Content-Type"), r->body);  // plain or MTOM
    if (!env) {
      // A proxy's 502/503/429 or garbage is worth another try; a 200 that is not SOAP is not.
      bool transient = r->status == 429 || r->status >= 500;
      return make_error(transient ? "client.transient" : "client.bad_answer",
                        std::string(action) + ": HTTP " + std::to_string(r->status) +
                            ", the answer is not a SOAP envelope: " + env.error().message);
    }
    trace.push_back(std::string(action) + " → HTTP " + std::to_string(r->status) + " " + env->local);
    return env;
  }

  static bool transient(const Error& e) { return e.code.rfind("http.", 0) == 0 || e.code == "client.transient"; }

  // One call with retries of transient failures; `body(attempt)` makes the envelope to send.
  // `refused_on_retry`: a fault that, on a retry, means the lost first attempt did its work.
  Result<s3::Envelope> call(const char* action, const std::function<Result<std::string>(int)>& body,
                            const char* refused_on_retry = nullptr) {
    std::chrono::milliseconds pause = cfg.retry_pause;
    for (int attempt = 1;; ++attempt) {
      auto text = body(attempt);
      if (!text) return text.error();
      auto env = post(action, *text);
      std::string why;
      if (env) {
        auto f = s3::read_fault(*env);
        if (!f) return env;
        if (attempt > 1 && refused_on_retry && f->name == refused_on_retry) {
          trace.push_back(std::string(action) + ": " + f->name + " on retry " + std::to_string(attempt) +
                          ": the lost attempt had got through");
          retried_through = true;
          return env;
        }
        if (f->name != "SMEVFailure") return env;
        why = "SMEVFailure: " + f->faultstring;
      } else if (transient(env.error())) {
        why = env.error().message;
      } else {
        return env;
      }
      if (attempt >= cfg.max_attempts) {
        return make_error("client.transport", std::string(action) + ": gave up after " + std::to_string(attempt) +
                                                  " attempts; last: " + why);
      }
      trace.push_back(std::string(action) + ": attempt " + std::to_string(attempt) + " failed (" + why + "), retrying");
      std::this_thread::sleep_for(pause);
      pause *= 2;
    }
  }
  bool retried_through = false;  // the last call() was answered by refused_on_retry

  bool smev_signature_ok(const s3::Envelope& env, xmlNode* wrapper) {
    if (!wrapper) return false;
    auto v = xmldsig::verify_signature(env.doc.get(), wrapper, s3::kSmevId);
    if (!v) {
      trace.push_back("ЭП-СМЭВ: " + v.error().message);
      return false;
    }
    if (v->certificate.fingerprint_sha256() != cfg.smev_certificate.fingerprint_sha256()) {
      trace.push_back("ЭП-СМЭВ: signed by " + v->certificate.subject_text() + ", not the trusted СМЭВ certificate");
      return false;
    }
    return true;
  }
};

Smev3Consumer::Smev3Consumer(ConsumerConfig config, const Clock& clock, std::uint64_t seed)
    : impl_(std::make_unique<Impl>(std::move(config), clock, seed)) {}

Smev3Consumer::~Smev3Consumer() = default;

namespace {

void flip_base64_char(std::string& s, std::size_t pos) { s[pos] = s[pos] == 'A' ? 'B' : 'A'; }

}  // namespace

Delivery Smev3Consumer::request(const std::string& business_xml, const std::string& response_ns,
                                const std::string& response_root) {
  Impl& d = *impl_;
  d.trace.clear();
  Delivery out;
  auto error = [&](std::string msg) {
    out.kind = Delivery::Kind::error;
    out.error = std::move(msg);
    out.trace = d.trace;
    return out;
  };
  auto refused = [&](const s3::FaultInfo& f) {
    out.kind = Delivery::Kind::fault;
    out.fault = f;
    out.trace = d.trace;
    return out;
  };
  auto url = http::parse_url(d.cfg.smev3_url);
  if (!url) return error(url.error().message);
  d.url = *url;
  d.http = std::make_unique<http::Client>(url->host, url->port, std::chrono::seconds(30));

  s3::SenderProvidedRequestData data;
  data.message_id = d.ids.v1();
  data.node_id = d.cfg.node_id;
  data.test_message = d.cfg.test_message;
  data.business_xml = business_xml;
  out.request_message_id = data.message_id;
  auto unsigned_env = s3::build_send_request(d.cfg.version, data);
  std::string body;
  if (d.cfg.tamper == Tamper::no_signature) {
    body = unsigned_env.text;
  } else {
    auto signed_env = d.signed_call(unsigned_env);
    if (!signed_env) return error("signing SendRequest: " + signed_env.error().message);
    body = std::move(*signed_env);
    if (d.cfg.tamper == Tamper::signed_content) {
      // Change the signed MessageID after signing: still a valid UUID v1, no longer what was signed.
      auto p = body.find("<t:MessageID>") + std::string("<t:MessageID>").size() + 35;
      body[p] = body[p] == '0' ? '1' : '0';
    } else if (d.cfg.tamper == Tamper::signature_value) {
      flip_base64_char(body, body.find("<ds:SignatureValue>") + std::string("<ds:SignatureValue>").size() + 10);
    }
  }
  d.retried_through = false;
  auto sent = d.call("SendRequest", [&](int) -> Result<std::string> { return body; }, "MessageIsAlreadySent");
  if (!sent) return error(sent.error().message);
  if (!d.retried_through) {
    if (auto f = s3::read_fault(*sent)) return refused(*f);
    auto md = s3::read_metadata_answer(*sent);
    if (!md) return error("SendRequestResponse: " + md.error().message);
    if (!d.smev_signature_ok(*sent, md->smev_signature)) return error("SendRequestResponse: ЭП-СМЭВ does not verify");
    out.provider_mnemonic = md->metadata.recipient_mnemonic;
  }

  auto deadline = std::chrono::steady_clock::now() + d.cfg.poll_timeout;
  std::chrono::microseconds pause = d.cfg.poll_first;
  for (int polls = 0; std::chrono::steady_clock::now() < deadline && (d.cfg.max_polls == 0 || polls < d.cfg.max_polls); ++polls) {
    std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(pause, deadline - std::chrono::steady_clock::now()));
    pause = std::min(pause * 8 / 5, d.cfg.poll_max);
    if (d.cfg.before_poll) d.cfg.before_poll();
    s3::MessageTypeSelector sel;
    sel.namespace_uri = response_ns;
    sel.root_element = response_root;
    sel.node_id = d.cfg.node_id;
    sel.timestamp = format_datetime(d.clock.now());
    auto env = d.call("GetResponse", [&](int attempt) -> Result<std::string> {
      if (attempt > 1) sel.timestamp = format_datetime(d.clock.now());
      auto get = d.signed_call(s3::build_get_response(d.cfg.version, sel));
      if (!get) return make_error("client.sign", "signing GetResponse: " + get.error().message);
      return get;
    });
    if (!env) return error(env.error().message);
    if (auto f = s3::read_fault(*env)) return refused(*f);
    auto msg = s3::read_get_response_response(*env);
    if (!msg) return error("GetResponseResponse: " + msg.error().message);
    if (!msg->has_value() || (*msg)->original_message_id != data.message_id) {
      // Empty queue, or an answer to another of our requests (left for whoever waits for it).
      continue;
    }
    const s3::ResponseMessage& rm = **msg;
    out.smev_signature_valid = d.smev_signature_ok(*env, rm.smev_signature);
    // Everything taken must be acked, errors too; accepted=false when ЭП-СМЭВ failed.
    d.retried_through = false;
    auto acked = d.call("Ack", [&](int) -> Result<std::string> {
      auto ack = d.signed_call(s3::build_ack(d.cfg.version, rm.metadata.message_id, out.smev_signature_valid));
      if (!ack) return make_error("client.sign", "signing Ack: " + ack.error().message);
      return ack;
    }, "TargetMessageIsNotFound");
    if (!acked) return error(acked.error().message);
    if (auto f = s3::read_fault(*acked); f && !d.retried_through) {
      return error("Ack refused: " + f->name + ": " + f->faultstring);
    }
    if (!out.smev_signature_valid) return error("the answer's ЭП-СМЭВ does not verify; acked with accepted=false");
    out.trace = d.trace;
    if (!rm.data.business_xml.empty()) {
      out.kind = Delivery::Kind::business;
      out.business_xml = rm.data.business_xml;
    } else if (!rm.data.rejections.empty()) {
      out.kind = Delivery::Kind::rejected;
      out.rejections = rm.data.rejections;
    } else if (rm.data.async_status) {
      out.kind = Delivery::Kind::smev_async;
      out.async_status = rm.data.async_status;
    } else {
      out.kind = Delivery::Kind::status;
    }
    return out;
  }
  if (d.cfg.max_polls) {
    return error("no answer to MessageID " + data.message_id + " after " + std::to_string(d.cfg.max_polls) + " polls");
  }
  return error("no answer to MessageID " + data.message_id + " within " + std::to_string(d.cfg.poll_timeout.count()) + " ms");
}

}  // namespace gosdoki::client
