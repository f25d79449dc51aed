// The builder half of the corpus: what protocol/smev3/envelope.hpp emits. See own_schema_corpus.hpp.
#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/crypto/crypto.hpp"
#include "core/time/datetime.hpp"
#include "protocol/smev3/envelope.hpp"
#include "tests/unit/protocol/own_schema_corpus.hpp"

namespace gosdoki::testkit::own_schema {

namespace s3 = gosdoki::smev3;
using s3::Version;

namespace {

constexpr const char* kDummySignature =
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/></ds:Signature>";

struct Keys {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

const Keys& keys() {
  static const Keys k = [] {
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::ec_p256);
    if (!key) throw std::runtime_error(key.error().message);
    crypto::CertificateSpec spec;
    spec.subject = {{"CN", "own schema test"}, {"C", "RU"}};
    spec.not_before = system_now() - std::chrono::hours(24);
    spec.not_after = system_now() + std::chrono::hours(24);
    auto cert = crypto::issue_certificate(spec, *key, nullptr, *key);
    if (!cert) throw std::runtime_error(cert.error().message);
    return Keys{*key, *cert};
  }();
  return k;
}

s3::FaultInfo fault_info(const std::string& name, bool with_text) {
  s3::FaultInfo f;
  f.name = name;
  f.faultcode = "soap:Server";
  f.faultstring = "ошибка";
  if (with_text) {
    f.code = "gosdoki:TEST";
    f.description = "SMEV-100:описание";
  }
  if (name == "InvalidContent") f.validation_errors = {"line 1: something"};
  if (name == "SignatureVerificationFault") f.signature_fault = "SignatureIsInvalid";
  if (name == "BusinessDataTypeIsNotSupported") {
    f.root_element_local_name = "Check";
    f.root_element_namespace = "urn://example/check/1.0";
  }
  return f;
}

// `full` as in Send*Response (signed by SMEV, so with an Id); otherwise a minimal broadcast.
s3::MessageMetadata builder_metadata(bool full) {
  s3::MessageMetadata m;
  m.message_type = full ? "REQUEST" : "BROADCAST";
  m.sending_timestamp = "2024-05-01T10:00:00.000+03:00";
  if (full) {
    m.id = s3::kSmevId;
    m.message_id = kMid;
    m.sender_mnemonic = "ORG01";
    m.sender_name = "ИС организации";
    m.recipient_mnemonic = "PROV01";
    m.recipient_name = "Поставщик";
    m.delivery_timestamp = "2024-05-01T10:00:01.000+03:00";
    m.status = "messageIsDelivered";
  }
  return m;
}

}  // namespace

// What protocol/smev3/envelope.hpp produces for version v. Expectations: 1.2 and 1.3 must
// accept all of it except the builder limitations marked "iii"; 1.1 differs where its shapes do.
std::vector<Doc> builder_corpus(Version v) {
  std::vector<Doc> out;
  auto add = [&](std::string name, std::string text, std::string expect) {
    out.push_back({"builder: " + std::move(name), std::move(text), std::move(expect)});
  };
  auto sig = [](const s3::UnsignedEnvelope& e) { return s3::with_signature(e, kDummySignature); };
  const std::string business = "<q:Check xmlns:q=\"urn://example/check/1.0\"><q:Code>1</q:Code></q:Check>";

  s3::SenderProvidedRequestData rq;
  rq.message_id = kMid;
  rq.business_xml = business;
  add("SendRequest minimal, unsigned", s3::build_send_request(v, rq).text, "vvv");
  rq.reference_message_id = kMid2;
  rq.transaction_code = "b12d52e6-8b8c-11eb-9086-e2bf794ac2e9";
  rq.node_id = "node-1";
  rq.eol = "2024-05-02T10:00:00.000+03:00";
  rq.test_message = true;
  add("SendRequest with every optional part", sig(s3::build_send_request(v, rq)), "vvv");
  auto really_signed = s3::sign_envelope(s3::build_send_request(v, rq), keys().key, keys().cert);
  add("SendRequest with a real signature", really_signed ? *really_signed : "signing failed", "vvv");

  s3::MessageTypeSelector sel;
  sel.timestamp = "2024-05-01T10:00:00.000+03:00";
  add("GetResponse, any type, unsigned", s3::build_get_response(v, sel).text, "vvv");
  sel.namespace_uri = "urn://example/check/1.0";
  sel.root_element = "CheckResponse";
  sel.node_id = "node-1";
  add("GetRequest with type and node", sig(s3::build_get_request(v, sel)), "vvv");
  add("GetResponse with type and node", sig(s3::build_get_response(v, sel)), "vvv");

  add("Ack accepted=true", sig(s3::build_ack(v, kMid, true)), "vvv");
  add("Ack accepted=false", sig(s3::build_ack(v, kMid, false)), "vvv");
  add("Ack without accepted (1.1: the builder adds accepted=true)", sig(s3::build_ack(v, kMid, std::nullopt)), "vvv");

  s3::SenderProvidedResponseData rs;
  rs.message_id = kMid2;
  rs.to = "eyJzaWQiOjF9";
  rs.business_xml = "<q:CheckResponse xmlns:q=\"urn://example/check/1.0\"/>";
  add("SendResponse with business content", sig(s3::build_send_response(v, rs)), "vvv");
  rs.business_xml.clear();
  rs.rejections = {{"NO_DATA", "нет данных"}, {"ACCESS_DENIED", "нет доступа"}};
  add("SendResponse with rejections", sig(s3::build_send_response(v, rs)), "vvv");
  rs.rejections.clear();
  rs.status = s3::RequestStatus{7, {{"k", "v"}, {"k2", ""}}, "в работе"};
  add("SendResponse with a status", sig(s3::build_send_response(v, rs)), "vvv");
  rs.status.reset();
  rs.async_status = s3::AsyncProcessingStatus{kMid, "requestIsRejectedBySmev", "", std::nullopt};
  add("SendResponse with an async status", sig(s3::build_send_response(v, rs)), "vvv");
  for (const char* name : {"InvalidContent", "SignatureVerificationFault", "BusinessDataTypeIsNotSupported"}) {
    rs.async_status = s3::AsyncProcessingStatus{kMid, "requestIsRejectedBySmev", "отклонено", fault_info(name, true)};
    add(std::string("async status with SmevFault typed ") + name, sig(s3::build_send_response(v, rs)), "vvv");
  }
  // Limitation: the builder writes xsi:type="f:<name>", and only some faults have a type.
  rs.async_status = s3::AsyncProcessingStatus{kMid, "requestIsRejectedBySmev", "", fault_info("AccessDenied", false)};
  add("async status with an untyped SmevFault AccessDenied", sig(s3::build_send_response(v, rs)), "vvv");

  add("SendRequestResponse, full metadata", sig(s3::build_send_request_response(v, builder_metadata(true))), "vvv");
  add("SendResponseResponse, minimal metadata", s3::build_send_response_response(v, builder_metadata(false)).text,
      "vvv");

  s3::SenderProvidedResponseData answer;
  answer.message_id = kMid2;
  answer.to = "eyJzaWQiOjF9";
  answer.business_xml = "<q:CheckResponse xmlns:q=\"urn://example/check/1.0\"/>";
  // Inside Request/Response the metadata has no Id: the Id SIGNED_BY_SMEV is on Request/Response.
  s3::MessageMetadata inner = builder_metadata(true);
  inner.id.clear();
  s3::DeliveredResponse dr;
  dr.original_message_id = kMid;
  dr.original_transaction_code = "b12d52e6-8b8c-11eb-9086-e2bf794ac2e9";
  dr.reference_message_id = kMid;
  dr.sender_provided_xml = s3::render_sender_provided_response_data(v, answer);
  dr.metadata = inner;
  dr.sender_signature_xml = kDummySignature;
  add("GetResponseResponse with a provider answer", sig(s3::build_get_response_response(v, dr)), "vvv");
  answer.business_xml.clear();
  answer.id = s3::kAsyncSmevId;
  answer.async_status =
      s3::AsyncProcessingStatus{kMid, "requestIsRejectedBySmev", "схема", fault_info("InvalidContent", true)};
  s3::DeliveredResponse own;
  own.original_message_id = kMid;
  own.sender_provided_xml = s3::render_sender_provided_response_data(v, answer);
  own.metadata = inner;
  add("GetResponseResponse with SMEV's own async status", sig(s3::build_get_response_response(v, own)), "vvv");

  s3::SenderProvidedRequestData delivered;
  delivered.message_id = kMid;
  delivered.business_xml = business;
  std::string consumer = s3::build_send_request(v, delivered).text;
  auto from = consumer.find("<t:SenderProvidedRequestData");
  auto to = consumer.find("</t:SenderProvidedRequestData>") + std::string("</t:SenderProvidedRequestData>").size();
  std::string spd_xml = consumer.substr(from, to - from);
  spd_xml.insert(std::string("<t:SenderProvidedRequestData").size(),
                 " xmlns:t=\"" + s3::namespaces(v).types + "\" xmlns:b=\"" + s3::namespaces(v).basic + "\"");
  s3::DeliveredRequest dq;
  dq.sender_provided_xml = spd_xml;
  dq.metadata = inner;
  dq.reply_to = "eyJzaWQiOjF9";
  dq.sender_signature_xml = kDummySignature;
  add("GetRequestResponse with a request", sig(s3::build_get_request_response(v, dq)), "vvv");
  dq.reply_to.clear();
  add("GetRequestResponse without ReplyTo", sig(s3::build_get_request_response(v, dq)), "ivv");

  add("GetStatus", sig(s3::build_get_status(v, "2024-05-01T10:00:00.000+03:00")), "vvv");
  add("GetStatus unsigned (the signature is mandatory there)",
      s3::build_get_status(v, "2024-05-01T10:00:00.000+03:00").text, "iii");
  s3::AsyncProcessingStatus status{kMid, "requestIsAcceptedBySmev", "принято", std::nullopt};
  add("GetStatusResponse with a status", sig(s3::build_get_status_response(v, status)), "vvv");
  status.details.clear();
  status.status_category = "messageIsDelivered";  // not a 1.1 status
  add("GetStatusResponse, 1.2/1.3 status", sig(s3::build_get_status_response(v, status)), "ivv");
  add("empty GetStatusResponse", s3::build_empty_get_status_response(v), "vvv");
  add("empty GetResponseResponse", s3::build_empty_get_response_response(v), "vvv");
  add("empty GetRequestResponse", s3::build_empty_get_request_response(v), "vvv");
  add("AckResponse", s3::build_ack_response(v), "vvv");

  for (const char* name :
       {"UnknownMessageType", "MessageIsAlreadySent", "InvalidMessageIdFormat", "StaleMessageId",
        "AttachmentContentMiscoordination", "AccessDenied", "SMEVFailure", "IncorrectResponseContentType",
        "RecipientIsNotFound", "SenderIsNotRegistered", "RequestIsNotFound", "TargetMessageIsNotFound"}) {
    add(std::string("fault ") + name, s3::build_fault(v, fault_info(name, false)), "vvv");
  }
  for (const char* kind : {"PoorSOAPEnvelopeFormat", "NoSignatureFound", "IncorrectSignatureTarget",
                           "SignatureIsInvalid", "CertificateIsNotFound", "CertificateIsExpired"}) {
    auto f = fault_info("SignatureVerificationFault", true);
    f.signature_fault = kind;
    add(std::string("fault SignatureVerificationFault/") + kind, s3::build_fault(v, f), "vvv");
  }
  add("fault InvalidContent", s3::build_fault(v, fault_info("InvalidContent", true)), "vvv");
  add("fault InvalidContent, no text", s3::build_fault(v, fault_info("InvalidContent", false)), "vvv");
  auto no_errors = fault_info("InvalidContent", true);
  no_errors.validation_errors.clear();
  add("fault InvalidContent without errors (the builder adds one)", s3::build_fault(v, no_errors), "vvv");
  add("fault BusinessDataTypeIsNotSupported", s3::build_fault(v, fault_info("BusinessDataTypeIsNotSupported", true)),
      "vvv");
  add("fault TransactionCodeInvalid", s3::build_fault(v, fault_info("TransactionCodeInvalid", true)), "vvv");
  add("fault PersonalAccessDenied", s3::build_fault(v, fault_info("PersonalAccessDenied", true)), "ivv");
  add("fault EndOfLifeReached with a text (Void in 1.1: written empty)", s3::build_fault(v, fault_info("EndOfLifeReached", true)), "vvv");
  add("fault EndOfLifeReached without a text", s3::build_fault(v, fault_info("EndOfLifeReached", false)), "vvv");
  auto size = fault_info("AttachmentSizeLimitExceeded", true);
  size.permitted_size = 5242880;
  size.real_size = 5242881;
  add("fault AttachmentSizeLimitExceeded", s3::build_fault(v, size), "vvv");
  auto quota = fault_info("QuoteLimitExceeded", true);
  quota.remained_quota = 1000;
  quota.real_size = 4096;
  add("fault QuoteLimitExceeded", s3::build_fault(v, quota), "vvv");
  auto overflow = fault_info("DestinationOverflow", true);
  overflow.broker_address = "gosdoki-sandbox://127.0.0.1";
  overflow.destination_name = "EPGU.requests";
  add("fault DestinationOverflow", s3::build_fault(v, overflow), "vvv");
  return out;
}

}  // namespace gosdoki::testkit::own_schema
