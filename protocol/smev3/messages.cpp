#include "protocol/smev3/messages.hpp"

#include <array>

namespace gosdoki::smev3 {

const char* version_name(Version v) {
  switch (v) {
    case Version::v1_1: return "1.1";
    case Version::v1_2: return "1.2";
    case Version::v1_3: return "1.3";
  }
  return "?";
}

namespace {
Namespaces make(const char* v) {
  std::string base = "urn://x-artefacts-smev-gov-ru/services/message-exchange/";
  return Namespaces{base + v, base + "types/" + v, base + "types/basic/" + v, base + "types/faults/" + v};
}
}  // namespace

const Namespaces& namespaces(Version v) {
  static const std::array<Namespaces, 3> all{make("1.1"), make("1.2"), make("1.3")};
  return all[static_cast<std::size_t>(v)];
}

std::optional<Version> version_of_namespace(std::string_view uri) {
  for (Version v : {Version::v1_1, Version::v1_2, Version::v1_3}) {
    const auto& n = namespaces(v);
    if (uri == n.types || uri == n.basic || uri == n.faults || uri == n.service) return v;
  }
  return std::nullopt;
}

const char* operation_name(Operation op) {
  switch (op) {
    case Operation::SendRequest: return "SendRequest";
    case Operation::SendResponse: return "SendResponse";
    case Operation::GetRequest: return "GetRequest";
    case Operation::GetResponse: return "GetResponse";
    case Operation::Ack: return "Ack";
    case Operation::GetStatus: return "GetStatus";
    case Operation::GetIncomingQueueStatistics: return "GetIncomingQueueStatistics";
  }
  return "?";
}

std::string request_element(Operation op) { return std::string(operation_name(op)) + "Request"; }
std::string response_element(Operation op) { return std::string(operation_name(op)) + "Response"; }

std::optional<Operation> operation_from_request_element(std::string_view local) {
  for (Operation op : {Operation::SendRequest, Operation::SendResponse, Operation::GetRequest, Operation::GetResponse,
                       Operation::Ack, Operation::GetStatus, Operation::GetIncomingQueueStatistics}) {
    if (local == request_element(op)) return op;
  }
  return std::nullopt;
}

std::string convert_version(std::string_view xml, Version from, Version to) {
  std::string out(xml);
  if (from == to) return out;
  const auto& a = namespaces(from);
  const auto& b = namespaces(to);
  for (auto [f, t] : {std::pair{&a.types, &b.types}, std::pair{&a.basic, &b.basic}, std::pair{&a.faults, &b.faults}}) {
    const std::string needle = *f + "\"", repl = *t + "\"";  // whole attribute values only
    for (std::size_t p = 0; (p = out.find(needle, p)) != std::string::npos; p += repl.size()) out.replace(p, needle.size(), repl);
  }
  return out;
}

std::optional<Version> version_from_name(std::string_view name) {
  if (name == "1.1") return Version::v1_1;
  if (name == "1.2") return Version::v1_2;
  if (name == "1.3") return Version::v1_3;
  return std::nullopt;
}

bool FaultInfo::is_void() const {
  // Faults whose XSD type is basic:Void (smev-message-exchange-faults): no Code/Description.
  static const std::array<std::string_view, 12> kVoid{
      "UnknownMessageType",  "MessageIsAlreadySent", "InvalidMessageIdFormat",       "StaleMessageId",
      "AttachmentContentMiscoordination", "AccessDenied", "SMEVFailure", "IncorrectResponseContentType",
      "RecipientIsNotFound", "SenderIsNotRegistered", "RequestIsNotFound",       "TargetMessageIsNotFound"};
  for (auto n : kVoid) {
    if (name == n) return true;
  }
  return false;
}

bool is_interaction_status(std::string_view s, Version v) {
  static const std::array<std::string_view, 13> k13{
      "doesNotExist",     "requestIsQueued",          "requestIsAcceptedBySmev",  "requestIsRejectedBySmev",
      "requestIsProcessed", "underProcessing",        "responseIsQueued",         "responseIsAcceptedBySmev",
      "responseIsRejectedBySmev", "responseIsProcessed", "cancelled",            "messageIsArchived",
      "messageIsDelivered"};
  static const std::array<std::string_view, 8> k11{
      "doesNotExist",    "requestIsQueued", "requestIsAcceptedBySmev", "requestIsRejectedBySmev",
      "underProcessing", "responseIsAcceptedBySmev", "cancelled",      "responseIsDelivered"};
  if (v == Version::v1_1) {
    for (auto x : k11) if (x == s) return true;
    return false;
  }
  for (auto x : k13) if (x == s) return true;
  return false;
}

}  // namespace gosdoki::smev3
