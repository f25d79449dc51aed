#pragma once
// SMEV 3 message-exchange: the message model shared by the consumer, the provider and the
// emulated СМЭВ (domain/smev3.md §2). Everything here is prefix-agnostic.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gosdoki::smev3 {

enum class Version { v1_1, v1_2, v1_3 };
const char* version_name(Version v);  // "1.1", "1.2", "1.3"

struct Namespaces {
  std::string service, types, basic, faults;
};
const Namespaces& namespaces(Version v);
// The version whose types/basic/faults namespace this is, if any.
std::optional<Version> version_of_namespace(std::string_view uri);

inline constexpr const char* kSoapNs = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char* kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";

enum class Operation { SendRequest, SendResponse, GetRequest, GetResponse, Ack, GetStatus, GetIncomingQueueStatistics };
const char* operation_name(Operation op);                 // "SendRequest"
std::string request_element(Operation op);                // "SendRequestRequest"
std::string response_element(Operation op);               // "SendRequestResponse"
std::optional<Operation> operation_from_request_element(std::string_view local);

// Ids as the official client and СМЭВ use them (domain/smev3.md §2.11).
inline constexpr const char* kConsumerId = "SIGNED_BY_CONSUMER";
inline constexpr const char* kProviderId = "SIGNED_BY_PROVIDER";
inline constexpr const char* kCallerId = "SIGNED_BY_CALLER";
inline constexpr const char* kSmevId = "SIGNED_BY_SMEV";
inline constexpr const char* kAsyncSmevId = "SIGNED_ASYNC_BY_SMEV";

struct MessageTypeSelector {
  std::string id = kCallerId;
  std::optional<std::string> namespace_uri;  // with root_element: both or none
  std::optional<std::string> root_element;
  std::string timestamp;  // xs:dateTime
  std::optional<std::string> node_id;
};

// MTOM attachments (domain/smev3.md §7.1): the header is signed (inside SenderProvided*Data),
// the content travels beside it, unsigned, usually as an XOP part.
struct AttachmentHeader {
  std::string content_id;  // refers to AttachmentContent/Id
  std::optional<std::string> namespace_uri;  // 1.3
  std::string mime_type;
  std::optional<std::string> signature_pkcs7_b64;  // detached CMS over the content
};

struct AttachmentContent {
  std::string id;  // xs:ID
  std::string content;  // the bytes
};

struct SenderProvidedRequestData {
  std::string id = kConsumerId;
  std::string message_id;
  std::optional<std::string> reference_message_id;
  std::optional<std::string> transaction_code;
  std::optional<std::string> node_id;
  std::optional<std::string> eol;  // xs:dateTime
  std::string business_xml;        // the one element under MessagePrimaryContent
  // ЭП-СП: a ds:Signature over the business element (by its Id), placed in PersonalSignature.
  std::optional<std::string> personal_signature_xml;
  std::vector<AttachmentHeader> attachments;
  bool test_message = false;
};

struct Rejection {
  std::string code;  // ACCESS_DENIED | NO_DATA | UNKNOWN_REQUEST_DESCRIPTION | FAILURE
  std::string description;
};

struct RequestStatus {
  int code = 0;
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string description;
};

// A fault as data: the element name in the faults namespace plus its content.
struct FaultInfo {
  std::string name;         // "SignatureVerificationFault", "InvalidContent", "AccessDenied", …
  std::string faultcode;    // "soap:Server" / "soap:Client" (as written on the wire)
  std::string faultstring;  // Russian, human-readable
  std::string code;         // basic:Code (SmevFault-typed faults only)
  std::string description;  // basic:Description, "SMEV-100:…" style
  std::string signature_fault;                 // SignatureVerificationFault enum value
  std::vector<std::string> validation_errors;  // InvalidContent/ValidationError
  std::string root_element_local_name, root_element_namespace;  // BusinessDataTypeIsNotSupported
  long long permitted_size = -1, real_size = -1;                // AttachmentSizeLimitExceeded (real also QuoteLimitExceeded)
  long long remained_quota = -1;                                 // QuoteLimitExceeded
  std::string broker_address, destination_name;                  // DestinationOverflow
  bool is_void() const;  // the XSD type is basic:Void: the detail element is empty
};

struct AsyncProcessingStatus {
  std::string original_message_id;
  std::string status_category;  // basic:InteractionStatusType
  std::string details;
  std::optional<FaultInfo> fault;
};

struct SenderProvidedResponseData {
  std::string id = kProviderId;
  std::string message_id;
  std::string to;
  // Exactly one of these is set.
  std::string business_xml;
  std::vector<Rejection> rejections;
  std::optional<RequestStatus> status;
  std::optional<AsyncProcessingStatus> async_status;
};

struct MessageMetadata {
  std::string id;  // SIGNED_BY_SMEV when СМЭВ signs it, "" otherwise
  std::string message_id;
  std::string message_type;  // REQUEST | RESPONSE | BROADCAST
  std::string sender_mnemonic, sender_name;
  std::string sending_timestamp;
  std::string recipient_mnemonic, recipient_name;
  std::string delivery_timestamp;
  std::string status;  // basic:InteractionStatusType
};

// The same message-exchange XML in the namespaces of another version (a 1.1 consumer's request
// delivered to a 1.3 provider): the types/basic/faults namespace names are swapped, nothing else.
std::string convert_version(std::string_view xml, Version from, Version to);
std::optional<Version> version_from_name(std::string_view name);  // "1.3" → v1_3

// The interaction statuses of 1.3 (basic:InteractionStatusType).
bool is_interaction_status(std::string_view s, Version v);

}  // namespace gosdoki::smev3
