#pragma once
// Reading SMEV 3 envelopes strictly, on both sides: what the XSD of the version requires
// (element order, cardinality, simple-type lexical forms) is checked here and reported with the
// element path, so that the emulator can answer InvalidContent the way СМЭВ does.
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::smev3 {

struct Envelope {
  xml::DocPtr doc;
  xmlNode* body_element = nullptr;  // the single element inside soap:Body
  bool has_header = false;
  Version version = Version::v1_3;  // from the namespace of body_element (faults: detail)
  std::string local;                // local name of body_element
  bool mtom = false;                // it came as multipart/related (answer in kind)
  int xop_resolved = 0;             // xop:Include elements inlined before anything read it
};

// Error codes: the xml.* codes of xml::parse, smev3.not_soap (not a SOAP 1.1 envelope),
// smev3.invalid_content (with the element path).
Result<Envelope> parse_envelope(std::string_view text, const xml::ParseLimits& limits = {});
// The same for an HTTP body of either framing: text/xml, or MTOM (multipart/related, XOP),
// whose xop:Include elements are inlined first. Adds mtom.* error codes.
Result<Envelope> parse_message(std::string_view content_type, std::string_view body,
                               const xml::ParseLimits& limits = {});

struct Business {
  xmlNode* node = nullptr;  // the element under MessagePrimaryContent, or null
  std::string ns;
  std::string root;
};

// ---- calls (what СМЭВ receives) ----
struct SendRequestCall {
  SenderProvidedRequestData data;
  xmlNode* data_node = nullptr;
  xmlNode* signature_wrapper = nullptr;  // CallerInformationSystemSignature, may be null
  xmlNode* personal_signature = nullptr; // ЭП-СП over the business element, may be null
  Business business;
  xmlNode* attachment_contents = nullptr;  // AttachmentContentList, may be null
  std::vector<AttachmentContent> contents;
};
Result<SendRequestCall> read_send_request(const Envelope& env);

struct SelectorCall {  // GetRequest, GetResponse
  MessageTypeSelector selector;
  xmlNode* selector_node = nullptr;
  xmlNode* signature_wrapper = nullptr;
};
Result<SelectorCall> read_selector_call(const Envelope& env);

struct AckCall {
  std::string message_id;
  std::optional<bool> accepted;
  std::string id;
  xmlNode* target_node = nullptr;
  xmlNode* signature_wrapper = nullptr;
};
Result<AckCall> read_ack(const Envelope& env);

struct GetStatusCall {
  std::string timestamp;
  xmlNode* timestamp_node = nullptr;
  xmlNode* signature_wrapper = nullptr;
};
Result<GetStatusCall> read_get_status(const Envelope& env);
// 1.1 GetIncomingQueueStatistics: the same Timestamp + optional signature, plus NodeID.
struct QueueStatisticsCall {
  std::optional<std::string> node_id;
  xmlNode* timestamp_node = nullptr;
  xmlNode* signature_wrapper = nullptr;
};
Result<QueueStatisticsCall> read_get_incoming_queue_statistics(const Envelope& env);

struct SendResponseCall {
  SenderProvidedResponseData data;
  xmlNode* data_node = nullptr;
  xmlNode* signature_wrapper = nullptr;
  Business business;
};
Result<SendResponseCall> read_send_response(const Envelope& env);

// ---- answers (what participants receive) ----
std::optional<FaultInfo> read_fault(const Envelope& env);  // when the body is soap:Fault

struct MetadataAnswer {  // SendRequestResponse, SendResponseResponse
  MessageMetadata metadata;
  xmlNode* smev_signature = nullptr;
};
Result<MetadataAnswer> read_metadata_answer(const Envelope& env);

struct ResponseMessage {
  std::string original_message_id;
  SenderProvidedResponseData data;
  xmlNode* data_node = nullptr;
  Business business;
  MessageMetadata metadata;
  xmlNode* smev_signature = nullptr;    // over Response (Id SIGNED_BY_SMEV)
  xmlNode* sender_signature = nullptr;  // the provider's, over SenderProvidedResponseData
};
// nullopt = empty queue.
Result<std::optional<ResponseMessage>> read_get_response_response(const Envelope& env);

struct RequestMessage {
  SenderProvidedRequestData data;
  std::vector<AttachmentContent> contents;
  xmlNode* data_node = nullptr;
  Business business;
  MessageMetadata metadata;
  std::string reply_to;
  xmlNode* smev_signature = nullptr;    // over Request (Id SIGNED_BY_SMEV)
  xmlNode* sender_signature = nullptr;  // the consumer's, over SenderProvidedRequestData
};
Result<std::optional<RequestMessage>> read_get_request_response(const Envelope& env);

struct StatusMessage {
  AsyncProcessingStatus status;
  xmlNode* smev_signature = nullptr;  // over AsyncProcessingStatusData
};
// nullopt = no status waiting.
Result<std::optional<StatusMessage>> read_get_status_response(const Envelope& env);

// Serialises an element so that it stands alone and keeps its signature valid (exclusive C14N).
Result<std::string> standalone(xmlDoc* doc, xmlNode* element);

}  // namespace gosdoki::smev3
