#include "protocol/smev3/envelope.hpp"

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"

namespace gosdoki::smev3 {
namespace {

using xml::escape_attr;
using xml::escape_text;

constexpr const char* kEnvOpen =
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header/><soap:Body>";
constexpr const char* kEnvClose = "</soap:Body></soap:Envelope>";
// СМЭВ's own answers carry no soap:Header (as in the captured messages).
constexpr const char* kSmevEnvOpen = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";

// Participants write types as "t:" and basic as "b:"; СМЭВ (Apache CXF) writes types as "ns2:",
// basic as the default namespace and faults as "ns3:", as in the captured messages.
std::string participant_root_open(Version v, const std::string& element) {
  const auto& n = namespaces(v);
  return "<t:" + element + " xmlns:t=\"" + n.types + "\" xmlns:b=\"" + n.basic + "\">";
}

std::string smev_root_open(Version v, const std::string& element) {
  const auto& n = namespaces(v);
  return "<ns2:" + element + " xmlns=\"" + n.basic + "\" xmlns:ns2=\"" + n.types + "\" xmlns:ns3=\"" + n.faults + "\">";
}

void el(std::string& out, const char* qname, const std::string& value) {
  out += '<';
  out += qname;
  out += '>';
  out += escape_text(value);
  out += "</";
  out += qname;
  out += '>';
}

void opt(std::string& out, const char* qname, const std::optional<std::string>& value) {
  if (value) el(out, qname, *value);
}

std::string selector_xml(const MessageTypeSelector& s) {
  std::string out = "<b:MessageTypeSelector Id=\"" + escape_attr(s.id) + "\">";
  if (s.namespace_uri && s.root_element) {
    el(out, "b:NamespaceURI", *s.namespace_uri);
    el(out, "b:RootElementLocalName", *s.root_element);
  }
  el(out, "b:Timestamp", s.timestamp);
  opt(out, "b:NodeID", s.node_id);
  out += "</b:MessageTypeSelector>";
  return out;
}

UnsignedEnvelope selector_call(Version v, const char* element, const MessageTypeSelector& s) {
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(v, element) + selector_xml(s);
  e.insert_at = e.text.size();
  e.text += std::string("</t:") + element + ">" + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = s.id;
  return e;
}

// 1.1 knows fewer interaction statuses: the nearest one of its list.
std::string status_for(Version v, const std::string& status) {
  if (v != Version::v1_1 || status.empty() || is_interaction_status(status, v)) return status;
  if (status == "messageIsDelivered" || status == "responseIsProcessed" || status == "requestIsProcessed") {
    return "responseIsDelivered";
  }
  if (status == "responseIsQueued") return "responseIsAcceptedBySmev";
  if (status == "messageIsArchived") return "cancelled";
  return "underProcessing";
}

// Writes metadata with an explicit prefix for the types namespace (ns2 on СМЭВ's side), in the
// shape of the version: 1.1 requires Sender, DestinationName and SupplementaryData (values as
// observed in real 1.1 traffic: "unknown", "not detected", "NotDetected").
std::string metadata_xml(Version v, const MessageMetadata& m) {
  const bool v11 = v == Version::v1_1;
  std::string out = "<ns2:MessageMetadata";
  if (!m.id.empty()) out += " Id=\"" + escape_attr(m.id) + "\"";
  out += '>';
  if (!m.message_id.empty()) el(out, "ns2:MessageId", m.message_id);
  el(out, "ns2:MessageType", m.message_type);
  if (v11 || !m.sender_mnemonic.empty() || !m.sender_name.empty()) {
    out += "<ns2:Sender>";
    if (v11 || !m.sender_mnemonic.empty()) el(out, "ns2:Mnemonic", m.sender_mnemonic);
    el(out, "ns2:HumanReadableName", m.sender_name);
    out += "</ns2:Sender>";
  }
  el(out, "ns2:SendingTimestamp", m.sending_timestamp);
  if (v11) el(out, "ns2:DestinationName", "unknown");
  if (!m.recipient_mnemonic.empty() || !m.recipient_name.empty()) {
    out += "<ns2:Recipient>";
    if (v11 || !m.recipient_mnemonic.empty()) el(out, "ns2:Mnemonic", m.recipient_mnemonic);
    el(out, "ns2:HumanReadableName", m.recipient_name);
    out += "</ns2:Recipient>";
  }
  if (v11) {
    out += "<ns2:SupplementaryData><ns2:DetectedContentTypeName>not detected</ns2:DetectedContentTypeName>"
           "<ns2:InteractionType>NotDetected</ns2:InteractionType></ns2:SupplementaryData>";
  }
  if (!m.delivery_timestamp.empty()) el(out, "ns2:DeliveryTimestamp", m.delivery_timestamp);
  if (!m.status.empty()) el(out, "ns2:Status", status_for(v, m.status));
  out += "</ns2:MessageMetadata>";
  return out;
}

UnsignedEnvelope metadata_answer(Version v, const char* element, const MessageMetadata& m) {
  UnsignedEnvelope e;
  e.text = kSmevEnvOpen + smev_root_open(v, element) + metadata_xml(v, m);
  e.insert_at = e.text.size();
  e.text += std::string("</ns2:") + element + ">" + kEnvClose;
  e.wrapper_qname = "ns2:SMEVSignature";
  e.signed_id = m.id;
  return e;
}

// Fault content in the faults namespace with prefix `fp` and basic with prefix `bp`.
std::string fault_body(const FaultInfo& f, const std::string& fp, const std::string& bp) {
  std::string out;
  if (!f.code.empty()) out += "<" + bp + "Code>" + escape_text(f.code) + "</" + bp + "Code>";
  if (!f.description.empty()) out += "<" + bp + "Description>" + escape_text(f.description) + "</" + bp + "Description>";
  if (f.name == "SignatureVerificationFault") {
    out += "<" + fp + "SignatureVerificationFault>" + escape_text(f.signature_fault) + "</" + fp +
           "SignatureVerificationFault>";
  } else if (f.name == "InvalidContent") {
    if (f.validation_errors.empty()) {  // the schema wants at least one
      out += "<" + fp + "ValidationError errorPosition=\"-1\">" + escape_text(f.description) + "</" + fp + "ValidationError>";
    }
    for (const auto& ve : f.validation_errors) {
      out += "<" + fp + "ValidationError errorPosition=\"-1\">" + escape_text(ve) + "</" + fp + "ValidationError>";
    }
  } else if (f.name == "AttachmentSizeLimitExceeded") {
    out += "<" + fp + "PermittedTotalAttachmentSize>" + std::to_string(f.permitted_size) + "</" + fp +
           "PermittedTotalAttachmentSize>";
    out += "<" + fp + "RealTotalAttachmentSize>" + std::to_string(f.real_size) + "</" + fp + "RealTotalAttachmentSize>";
  } else if (f.name == "QuoteLimitExceeded") {
    out += "<" + fp + "RemainedTotalQuoteSize>" + std::to_string(f.remained_quota) + "</" + fp + "RemainedTotalQuoteSize>";
    out += "<" + fp + "RealTotalAttachmentSize>" + std::to_string(f.real_size) + "</" + fp + "RealTotalAttachmentSize>";
  } else if (f.name == "DestinationOverflow") {
    out += "<" + fp + "MessageBrokerAddress>" + escape_text(f.broker_address) + "</" + fp + "MessageBrokerAddress>";
    out += "<" + fp + "DestinationName>" + escape_text(f.destination_name) + "</" + fp + "DestinationName>";
  } else if (f.name == "BusinessDataTypeIsNotSupported") {
    out += "<" + fp + "RootElementLocalName>" + escape_text(f.root_element_local_name) + "</" + fp +
           "RootElementLocalName>";
    out += "<" + fp + "RootElementNamespaceURI>" + escape_text(f.root_element_namespace) + "</" + fp +
           "RootElementNamespaceURI>";
  }
  return out;
}

}  // namespace

Result<std::string> sign_envelope(const UnsignedEnvelope& env, const crypto::PrivateKey& key,
                                  const crypto::Certificate& cert, const xmldsig::SignOptions& options) {
  auto doc = xml::parse(env.text);
  if (!doc) return make_error("smev3.build", "internal: built envelope does not parse: " + doc.error().message);
  auto sig = xmldsig::sign_element(doc->get(), env.signed_id, key, cert, options);
  if (!sig) return sig.error();
  return with_signature(env, *sig);
}

std::string with_signature(const UnsignedEnvelope& env, const std::string& signature_xml) {
  std::string out;
  out.reserve(env.text.size() + signature_xml.size() + 100);
  out.append(env.text, 0, env.insert_at);
  out += '<';
  out += env.wrapper_qname;
  out += '>';
  out += signature_xml;
  out += "</";
  out += env.wrapper_qname;
  out += '>';
  out.append(env.text, env.insert_at, std::string::npos);
  return out;
}

UnsignedEnvelope build_send_request(Version v, const SenderProvidedRequestData& d,
                                    const std::vector<AttachmentContent>& contents) {
  std::string body = "<t:SenderProvidedRequestData Id=\"" + escape_attr(d.id) + "\">";
  el(body, "t:MessageID", d.message_id);
  opt(body, "t:ReferenceMessageID", d.reference_message_id);
  opt(body, "t:TransactionCode", d.transaction_code);
  opt(body, "t:NodeID", d.node_id);
  opt(body, "t:EOL", d.eol);
  body += "<b:MessagePrimaryContent>" + d.business_xml + "</b:MessagePrimaryContent>";
  if (d.personal_signature_xml) body += "<t:PersonalSignature>" + *d.personal_signature_xml + "</t:PersonalSignature>";
  if (!d.attachments.empty()) {
    body += "<b:AttachmentHeaderList>";
    for (const auto& a : d.attachments) {
      body += "<b:AttachmentHeader>";
      el(body, "b:contentId", a.content_id);
      if (v != Version::v1_1) opt(body, "b:NamespaceUri", a.namespace_uri);
      el(body, "b:MimeType", a.mime_type);
      opt(body, "b:SignaturePKCS7", a.signature_pkcs7_b64);
      body += "</b:AttachmentHeader>";
    }
    body += "</b:AttachmentHeaderList>";
  }
  if (d.test_message) body += "<t:TestMessage/>";
  body += "</t:SenderProvidedRequestData>";
  if (!contents.empty()) {
    body += "<b:AttachmentContentList>";
    for (const auto& c : contents) {
      body += "<b:AttachmentContent>";
      el(body, "b:Id", c.id);
      el(body, "b:Content", base64_encode(c.content));
      body += "</b:AttachmentContent>";
    }
    body += "</b:AttachmentContentList>";
  }
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(v, "SendRequestRequest") + body;
  e.insert_at = e.text.size();
  e.text += std::string("</t:SendRequestRequest>") + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = d.id;
  return e;
}

UnsignedEnvelope build_get_response(Version v, const MessageTypeSelector& s) {
  return selector_call(v, "GetResponseRequest", s);
}

UnsignedEnvelope build_get_request(Version v, const MessageTypeSelector& s) {
  return selector_call(v, "GetRequestRequest", s);
}

UnsignedEnvelope build_ack(Version v, const std::string& message_id, std::optional<bool> accepted,
                           const std::string& id) {
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(v, "AckRequest") + "<b:AckTargetMessage Id=\"" + escape_attr(id) + "\"";
  if (!accepted && v == Version::v1_1) accepted = true;  // required in 1.1
  if (accepted) e.text += std::string(" accepted=\"") + (*accepted ? "true" : "false") + "\"";
  e.text += ">" + escape_text(message_id) + "</b:AckTargetMessage>";
  e.insert_at = e.text.size();
  e.text += std::string("</t:AckRequest>") + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = id;
  return e;
}

std::string render_sender_provided_response_data(Version v, const SenderProvidedResponseData& d) {
  const auto& n = namespaces(v);
  std::string out = "<t:SenderProvidedResponseData xmlns:t=\"" + n.types + "\" xmlns:b=\"" + n.basic + "\"";
  if (d.async_status && d.async_status->fault) out += std::string(" xmlns:f=\"") + n.faults + "\" xmlns:xsi=\"" + kXsiNs + "\"";
  out += " Id=\"" + escape_attr(d.id) + "\">";
  el(out, "t:MessageID", d.message_id);
  el(out, "t:To", d.to);
  if (!d.business_xml.empty()) {
    out += "<b:MessagePrimaryContent>" + d.business_xml + "</b:MessagePrimaryContent>";
  } else if (!d.rejections.empty()) {
    for (const auto& r : d.rejections) {
      out += "<t:RequestRejected>";
      el(out, "t:RejectionReasonCode", r.code);
      el(out, "t:RejectionReasonDescription", r.description);
      out += "</t:RequestRejected>";
    }
  } else if (d.status) {
    out += "<t:RequestStatus><t:StatusCode>" + std::to_string(d.status->code) + "</t:StatusCode>";
    for (const auto& [k, val] : d.status->parameters) {
      out += "<t:StatusParameter>";
      el(out, "t:Key", k);
      el(out, "t:Value", val);
      out += "</t:StatusParameter>";
    }
    el(out, "t:StatusDescription", d.status->description);
    out += "</t:RequestStatus>";
  } else if (d.async_status) {
    const auto& a = *d.async_status;
    out += "<t:AsyncProcessingStatus>";
    el(out, "t:OriginalMessageId", a.original_message_id);
    el(out, "t:StatusCategory", a.status_category);
    if (!a.details.empty()) el(out, "t:StatusDetails", a.details);
    if (a.fault) {
      // xsi:type only names a fault that has a complex type of its own (derived from SmevFault).
      bool typed = a.fault->name == "InvalidContent" || a.fault->name == "BusinessDataTypeIsNotSupported" ||
                   a.fault->name == "SignatureVerificationFault";
      out += typed ? "<t:SmevFault xsi:type=\"f:" + a.fault->name + "\">" : std::string("<t:SmevFault>");
      out += fault_body(*a.fault, "f:", "b:") + "</t:SmevFault>";
    }
    out += "</t:AsyncProcessingStatus>";
  }
  out += "</t:SenderProvidedResponseData>";
  return out;
}

UnsignedEnvelope build_send_response(Version v, const SenderProvidedResponseData& d) {
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(v, "SendResponseRequest") + render_sender_provided_response_data(v, d);
  e.insert_at = e.text.size();
  e.text += std::string("</t:SendResponseRequest>") + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = d.id;
  return e;
}

UnsignedEnvelope build_get_status(Version v, const std::string& timestamp, const std::string& id) {
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(v, "GetStatusRequest") + "<b:Timestamp Id=\"" + escape_attr(id) + "\">" +
           escape_text(timestamp) + "</b:Timestamp>";
  e.insert_at = e.text.size();
  e.text += std::string("</t:GetStatusRequest>") + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = id;
  return e;
}

UnsignedEnvelope build_get_incoming_queue_statistics(const std::string& timestamp,
                                                     const std::optional<std::string>& node_id, const std::string& id) {
  UnsignedEnvelope e;
  e.text = kEnvOpen + participant_root_open(Version::v1_1, "GetIncomingQueueStatisticsRequest");
  opt(e.text, "t:NodeID", node_id);
  e.text += "<b:Timestamp Id=\"" + escape_attr(id) + "\">" + escape_text(timestamp) + "</b:Timestamp>";
  e.insert_at = e.text.size();
  e.text += std::string("</t:GetIncomingQueueStatisticsRequest>") + kEnvClose;
  e.wrapper_qname = "t:CallerInformationSystemSignature";
  e.signed_id = id;
  return e;
}

std::string build_get_incoming_queue_statistics_response(const std::vector<QueueStatistic>& queues) {
  // No СМЭВ signature on this answer (domain/smev3.md §1.3).
  std::string out = std::string(kSmevEnvOpen) + smev_root_open(Version::v1_1, "GetIncomingQueueStatisticsResponse");
  for (const auto& q : queues) {
    out += "<ns2:QueueStatistics queueName=\"" + escape_attr(q.queue_name) + "\" pendingMessageNumber=\"" +
           std::to_string(q.pending) + "\"/>";
  }
  out += std::string("</ns2:GetIncomingQueueStatisticsResponse>") + kEnvClose;
  return out;
}

UnsignedEnvelope build_get_status_response(Version v, const AsyncProcessingStatus& a) {
  std::string inner = "<ns2:AsyncProcessingStatusData Id=\"" + std::string(kSmevId) + "\"><ns2:AsyncProcessingStatus>";
  el(inner, "ns2:OriginalMessageId", a.original_message_id);
  el(inner, "ns2:StatusCategory", a.status_category);
  if (!a.details.empty()) el(inner, "ns2:StatusDetails", a.details);
  inner += "</ns2:AsyncProcessingStatus></ns2:AsyncProcessingStatusData>";
  UnsignedEnvelope e;
  e.text = kSmevEnvOpen + smev_root_open(v, "GetStatusResponse") + "<ns2:SmevAsyncProcessingMessage>" + inner;
  e.insert_at = e.text.size();
  e.text += std::string("</ns2:SmevAsyncProcessingMessage></ns2:GetStatusResponse>") + kEnvClose;
  e.wrapper_qname = "ns2:SMEVSignature";
  e.signed_id = kSmevId;
  return e;
}

std::string build_empty_get_status_response(Version v) {
  const auto& n = namespaces(v);
  return std::string(kSmevEnvOpen) + "<ns2:GetStatusResponse xmlns=\"" + n.basic + "\" xmlns:ns2=\"" + n.types +
         "\" xmlns:ns3=\"" + n.faults + "\"/>" + kEnvClose;
}

UnsignedEnvelope build_send_request_response(Version v, const MessageMetadata& m) {
  return metadata_answer(v, "SendRequestResponse", m);
}

UnsignedEnvelope build_send_response_response(Version v, const MessageMetadata& m) {
  return metadata_answer(v, "SendResponseResponse", m);
}

UnsignedEnvelope build_get_response_response(Version v, const DeliveredResponse& r) {
  std::string inner = "<ns2:Response Id=\"" + std::string(kSmevId) + "\">";
  el(inner, "ns2:OriginalMessageId", r.original_message_id);
  opt(inner, "ns2:OriginalTransactionCode", r.original_transaction_code);
  opt(inner, "ns2:ReferenceMessageID", r.reference_message_id);
  inner += r.sender_provided_xml;
  inner += metadata_xml(v, r.metadata);
  if (!r.sender_signature_xml.empty()) {
    inner += "<ns2:SenderInformationSystemSignature>" + r.sender_signature_xml + "</ns2:SenderInformationSystemSignature>";
  }
  inner += "</ns2:Response>";
  UnsignedEnvelope e;
  e.text = kSmevEnvOpen + smev_root_open(v, "GetResponseResponse") + "<ns2:ResponseMessage>" + inner;
  e.insert_at = e.text.size();
  e.text += std::string("</ns2:ResponseMessage></ns2:GetResponseResponse>") + kEnvClose;
  e.wrapper_qname = "ns2:SMEVSignature";
  e.signed_id = kSmevId;
  return e;
}

UnsignedEnvelope build_get_request_response(Version v, const DeliveredRequest& r) {
  std::string inner = "<ns2:Request Id=\"" + std::string(kSmevId) + "\">";
  inner += r.sender_provided_xml;
  inner += metadata_xml(v, r.metadata);
  if (!r.reply_to.empty()) el(inner, "ns2:ReplyTo", r.reply_to);
  if (!r.sender_signature_xml.empty()) {
    inner += "<ns2:SenderInformationSystemSignature>" + r.sender_signature_xml + "</ns2:SenderInformationSystemSignature>";
  }
  inner += "</ns2:Request>";
  inner += r.attachment_contents_xml;  // unsigned, after Request
  UnsignedEnvelope e;
  e.text = kSmevEnvOpen + smev_root_open(v, "GetRequestResponse") + "<ns2:RequestMessage>" + inner;
  e.insert_at = e.text.size();
  e.text += std::string("</ns2:RequestMessage></ns2:GetRequestResponse>") + kEnvClose;
  e.wrapper_qname = "ns2:SMEVSignature";
  e.signed_id = kSmevId;
  return e;
}

std::string build_empty_get_response_response(Version v) {
  const auto& n = namespaces(v);
  return std::string(kSmevEnvOpen) + "<ns2:GetResponseResponse xmlns=\"" + n.basic + "\" xmlns:ns2=\"" + n.types +
         "\" xmlns:ns3=\"" + n.faults + "\"/>" + kEnvClose;
}

std::string build_empty_get_request_response(Version v) {
  const auto& n = namespaces(v);
  return std::string(kSmevEnvOpen) + "<ns2:GetRequestResponse xmlns=\"" + n.basic + "\" xmlns:ns2=\"" + n.types +
         "\" xmlns:ns3=\"" + n.faults + "\"/>" + kEnvClose;
}

std::string build_ack_response(Version v) {
  const auto& n = namespaces(v);
  return std::string(kSmevEnvOpen) + "<ns2:AckResponse xmlns=\"" + n.basic + "\" xmlns:ns2=\"" + n.types +
         "\" xmlns:ns3=\"" + n.faults + "\"/>" + kEnvClose;
}

std::string build_fault(Version v, const FaultInfo& f) {
  const auto& n = namespaces(v);
  std::string out = std::string(kSmevEnvOpen) + "<soap:Fault><faultcode>" + escape_text(f.faultcode) +
                    "</faultcode><faultstring>" + escape_text(f.faultstring) + "</faultstring><detail>";
  std::string open = "<ns3:" + f.name + " xmlns:ns3=\"" + n.faults + "\" xmlns:ns2=\"" + n.types + "\" xmlns=\"" +
                     n.basic + "\"";
  if (f.is_void() || (v == Version::v1_1 && f.name == "EndOfLifeReached")) {  // Void in 1.1
    out += open + "/>";
  } else {
    out += open + ">" + fault_body(f, "ns3:", "") + "</ns3:" + f.name + ">";
  }
  out += "</detail></soap:Fault>";
  out += kEnvClose;
  return out;
}

}  // namespace gosdoki::smev3
