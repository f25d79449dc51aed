#pragma once
// Building SMEV 3 envelopes, both the calls of a consumer/provider and the answers of СМЭВ.
// Envelopes are written as text (fast, exact control of prefixes and whitespace), then signed:
// the detached signature goes into the sibling wrapper element.
#include <optional>
#include <vector>
#include <string>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"
#include "protocol/smev3/messages.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::smev3 {

// An envelope whose signature is still to be made. `text` is complete XML without the
// wrapper; `<wrapper_qname>…ds:Signature…</wrapper_qname>` goes at byte `insert_at`.
struct UnsignedEnvelope {
  std::string text;
  std::size_t insert_at = 0;
  std::string wrapper_qname;  // e.g. "t:CallerInformationSystemSignature"
  std::string signed_id;      // Id of the element the signature covers
};

// Signs and inserts the wrapper. The result is the exact text to send: never reformat it.
Result<std::string> sign_envelope(const UnsignedEnvelope& env, const crypto::PrivateKey& key,
                                  const crypto::Certificate& cert, const xmldsig::SignOptions& options = {});
// The same envelope with a given (possibly foreign or broken) ds:Signature text inserted.
std::string with_signature(const UnsignedEnvelope& env, const std::string& signature_xml);

// ---- calls of the participants (consumer / provider) ----
// `contents`: the AttachmentContentList for the headers in `data.attachments` (inline Base64;
// MTOM framing is a separate step, see mtom.hpp).
UnsignedEnvelope build_send_request(Version v, const SenderProvidedRequestData& data,
                                    const std::vector<AttachmentContent>& contents = {});
UnsignedEnvelope build_get_response(Version v, const MessageTypeSelector& selector);
UnsignedEnvelope build_get_request(Version v, const MessageTypeSelector& selector);
UnsignedEnvelope build_ack(Version v, const std::string& message_id, std::optional<bool> accepted,
                           const std::string& id = kCallerId);
UnsignedEnvelope build_send_response(Version v, const SenderProvidedResponseData& data);
// GetStatus: the signed basic:Timestamp (current time) asks for the next status message.
UnsignedEnvelope build_get_status(Version v, const std::string& timestamp, const std::string& id = kCallerId);
// 1.1 only: how many messages wait in the caller's queues.
UnsignedEnvelope build_get_incoming_queue_statistics(const std::string& timestamp,
                                                     const std::optional<std::string>& node_id = std::nullopt,
                                                     const std::string& id = kCallerId);

// A standalone SenderProvidedResponseData element (with its namespace declarations); used
// inside SendResponse and by СМЭВ for its own asynchronous status messages.
std::string render_sender_provided_response_data(Version v, const SenderProvidedResponseData& data);

// ---- answers of СМЭВ ----
UnsignedEnvelope build_send_request_response(Version v, const MessageMetadata& metadata);
UnsignedEnvelope build_send_response_response(Version v, const MessageMetadata& metadata);

struct DeliveredResponse {
  std::string original_message_id;
  std::optional<std::string> original_transaction_code;
  std::optional<std::string> reference_message_id;
  std::string sender_provided_xml;   // the provider's SenderProvidedResponseData, verbatim
  MessageMetadata metadata;
  std::string sender_signature_xml;  // the provider's ds:Signature, verbatim; "" for СМЭВ's own
};
UnsignedEnvelope build_get_response_response(Version v, const DeliveredResponse& r);

struct DeliveredRequest {
  std::string sender_provided_xml;   // the consumer's SenderProvidedRequestData, verbatim
  MessageMetadata metadata;
  std::string reply_to;
  std::string sender_signature_xml;  // the consumer's ds:Signature, verbatim
  std::string attachment_contents_xml;  // AttachmentContentList, verbatim, or ""
};
UnsignedEnvelope build_get_request_response(Version v, const DeliveredRequest& r);

// GetStatusResponse with one status; СМЭВ signs AsyncProcessingStatusData (Id SIGNED_BY_SMEV).
UnsignedEnvelope build_get_status_response(Version v, const AsyncProcessingStatus& status);
std::string build_empty_get_status_response(Version v);
struct QueueStatistic {
  std::string queue_name;
  long long pending = 0;
};
std::string build_get_incoming_queue_statistics_response(const std::vector<QueueStatistic>& queues);
std::string build_empty_get_response_response(Version v);
std::string build_empty_get_request_response(Version v);
std::string build_ack_response(Version v);
std::string build_fault(Version v, const FaultInfo& fault);

}  // namespace gosdoki::smev3
