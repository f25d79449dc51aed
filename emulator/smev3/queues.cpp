// The consumer's and provider's side of the queues: Get* (with redelivery and EOL), Ack,
// GetStatus and its status queue, the 1.1 queue statistics, and the СМЭВ-made asynchronous
// rejection. The rest of the service (dispatch, checks, Send*) is in service.cpp.
#include "emulator/smev3/service.hpp"

#include "core/time/datetime.hpp"
#include "protocol/smev3/envelope.hpp"

namespace gosdoki::emulator::smev3 {

namespace s3 = gosdoki::smev3;

void Service::push_status(const std::string& recipient, const std::string& about, const std::string& category,
                          const std::string& details) {
  StoredMessage st;
  st.id = ids_.v1();
  st.kind = Kind::status;
  st.recipient = recipient;
  st.original_message_id = about;
  st.status = category;
  st.content_xml = details;
  st.sending_timestamp = clock_.now();
  store_.put(st);
}

Service::Answer Service::get_status(const s3::Envelope& env) {
  auto call = s3::read_get_status(env);
  if (!call) {
    journal("GetStatus", "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->timestamp_node, true);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal("GetStatus", "", "", f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  // Status messages are handed out once: GetStatus has no Ack in the schema (emulator choice).
  auto m = store_.take(caller.mnemonic, Kind::status, Selector{}, clock_.now(), world_.settings.redelivery_delay);
  if (!m) {
    journal("GetStatus", caller.mnemonic, "", "empty");
    return {s3::build_empty_get_status_response(env.version), std::nullopt};
  }
  store_.ack(caller.mnemonic, m->id);
  journal("GetStatus", caller.mnemonic, m->original_message_id, m->status);
  s3::AsyncProcessingStatus a{m->original_message_id, m->status, m->content_xml, std::nullopt};
  return {sign(s3::build_get_status_response(env.version, a)), std::nullopt};
}

Service::Answer Service::queue_statistics(const s3::Envelope& env) {
  auto call = s3::read_get_incoming_queue_statistics(env);
  if (!call) {
    journal("GetIncomingQueueStatistics", "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->timestamp_node);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal("GetIncomingQueueStatistics", "", "", f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  journal("GetIncomingQueueStatistics", caller.mnemonic, "", "ok");
  // Queue names are ours (the real ones are not public): <mnemonic>.requests / .responses.
  return {s3::build_get_incoming_queue_statistics_response(
              {{caller.mnemonic + ".requests", static_cast<long long>(store_.pending(caller.mnemonic, Kind::request))},
               {caller.mnemonic + ".responses", static_cast<long long>(store_.pending(caller.mnemonic, Kind::response))}}),
          std::nullopt};
}

void Service::reject_async(const StoredMessage& request, const std::vector<std::string>& errors, Version v) {
  // The answer comes from СМЭВ itself, into the consumer's response queue.
  s3::SenderProvidedResponseData d;
  d.id = s3::kAsyncSmevId;
  d.message_id = ids_.v1();
  d.to = request.reply_to;
  s3::AsyncProcessingStatus a;
  a.original_message_id = request.id;
  a.status_category = "requestIsRejectedBySmev";
  a.details = "Бизнес-данные сообщения не соответствуют схеме, зарегистрированной в СМЭВ";
  FaultInfo f;
  f.name = "InvalidContent";
  f.code = "028122";
  std::string first = errors.empty() ? std::string{} : errors.front();
  f.description = "SMEV-403:Бизнес-данные сообщения не соответствуют схеме, зарегистрированной в СМЭВ: " + first;
  if (f.description.size() > 4000) f.description.resize(4000);
  f.validation_errors = errors;
  a.fault = f;
  d.async_status = a;
  StoredMessage r;
  r.id = d.message_id;
  r.kind = Kind::response;
  r.sender = "smev";
  r.sender_name = "СМЭВ";
  r.recipient = request.sender;
  r.recipient_name = request.sender_name;
  r.type_ns = request.type_ns;
  r.node_id = request.node_id;
  r.content_xml = s3::render_sender_provided_response_data(v, d);
  r.version = s3::version_name(v);
  r.original_message_id = request.id;
  r.reference_message_id = request.reference_message_id;
  r.sending_timestamp = clock_.now();
  r.status = "responseIsQueued";
  store_.put(std::move(r));
}

Service::Answer Service::get_message(const s3::Envelope& env, Kind kind, const FaultHit* hit) {
  const char* op = kind == Kind::request ? "GetRequest" : "GetResponse";
  auto call = s3::read_selector_call(env);
  if (!call) {
    journal(op, "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->selector_node, true);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal(op, "", "", f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  Selector sel{call->selector.namespace_uri, call->selector.root_element, call->selector.node_id};
  if (sel.ns) {
    auto type = kind == Kind::request ? registry_.business_type_by_request(*sel.ns, *sel.root)
                                      : registry_.business_type_by_response(*sel.ns, *sel.root);
    if (!type) {
      journal(op, caller.mnemonic, "", "UnknownMessageType");
      return {{}, unknown_message_type("{" + *sel.ns + "}" + *sel.root + " не зарегистрирован")};
    }
    if (kind == Kind::request && type->provider != caller.mnemonic) {
      journal(op, caller.mnemonic, "", "UnknownMessageType");
      return {{}, unknown_message_type("ИС " + caller.mnemonic + " не является поставщиком {" + *sel.ns + "}" + *sel.root)};
    }
  }
  auto now = clock_.now();
  auto m = store_.take(caller.mnemonic, kind, sel, now, world_.settings.redelivery_delay);
  // A message whose EOL passed in the queue is not delivered any more; its sender is told.
  while (m && m->eol && *m->eol <= now) {
    store_.ack(caller.mnemonic, m->id);
    store_.set_status(m->id, "cancelled");
    journal(op, caller.mnemonic, m->id, "EndOfLifeReached");
    if (m->sender != "smev") {
      push_status(m->sender, m->id, "cancelled", "EOL " + format_datetime(*m->eol) + " истёк до доставки");
    }
    m = store_.take(caller.mnemonic, kind, sel, now, world_.settings.redelivery_delay);
  }
  if (m && hit && hit->rule.action == "drop") {
    // Taken (in flight until the redelivery time), but the answer says the queue is empty: a
    // delivery lost between СМЭВ and the ИС. It comes back after the redelivery delay.
    journal(op, caller.mnemonic, m->id, "dropped (injected)");
    if (hit->rule.travel == "redelivery" && travel_) travel_(now + world_.settings.redelivery_delay);
    m.reset();
    return {kind == Kind::request ? s3::build_empty_get_request_response(env.version)
                                  : s3::build_empty_get_response_response(env.version),
            std::nullopt};
  }
  if (!m) {
    journal(op, caller.mnemonic, "", "empty");
    return {kind == Kind::request ? s3::build_empty_get_request_response(env.version)
                                  : s3::build_empty_get_response_response(env.version),
            std::nullopt};
  }
  s3::MessageMetadata md;
  md.message_id = m->id;
  md.message_type = kind == Kind::request ? "REQUEST" : "RESPONSE";
  md.sender_mnemonic = m->sender;
  md.sender_name = m->sender_name;
  md.sending_timestamp = format_datetime(m->sending_timestamp);
  md.recipient_mnemonic = m->recipient;
  md.recipient_name = m->recipient_name;
  md.delivery_timestamp = format_datetime(now);
  md.status = "messageIsDelivered";
  // A message sent in another version goes out in the caller's (the consumer's signature then
  // covers the original namespaces only: emulator behaviour, see docs/smev3.md).
  auto from = s3::version_from_name(m->version).value_or(env.version);
  std::string content = s3::convert_version(m->content_xml, from, env.version);
  std::string body;
  if (kind == Kind::request) {
    s3::DeliveredRequest d{content, md, m->reply_to, m->sender_signature_xml,
                           s3::convert_version(m->attachments_xml, from, env.version)};
    body = sign(s3::build_get_request_response(env.version, d));
  } else {
    s3::DeliveredResponse d{m->original_message_id, m->transaction_code, m->reference_message_id, content, md,
                            m->sender_signature_xml};
    body = sign(s3::build_get_response_response(env.version, d));
  }
  journal(op, caller.mnemonic, m->id, m->deliveries > 1 ? "redelivered" : "ok");
  if (m->deliveries == 1 && m->sender != "smev") {
    push_status(m->sender, m->id, "messageIsDelivered", "сообщение получено ИС " + caller.mnemonic);
  }
  return {std::move(body), std::nullopt};
}

Service::Answer Service::ack(const s3::Envelope& env) {
  auto call = s3::read_ack(env);
  if (!call) {
    journal("Ack", "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->target_node);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal("Ack", "", call->message_id, f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  if (!store_.ack(caller.mnemonic, call->message_id)) {
    journal("Ack", caller.mnemonic, call->message_id, "TargetMessageIsNotFound");
    return {{}, target_not_found(call->message_id)};
  }
  journal("Ack", caller.mnemonic, call->message_id, call->accepted.value_or(true) ? "ok" : "accepted=false");
  return {s3::build_ack_response(env.version), std::nullopt};
}

}  // namespace gosdoki::emulator::smev3
