#pragma once
// The seam between "what the ИС asks" and "how it travels": СМЭВ 3 (SOAP, asynchronous) and
// СМЭВ 4 (REST, synchronous) today, СВОКС when it is published. A channel takes the request of
// the вид сведений and gives back what the operator must see; everything above it — building
// the request from the scan, the 18+ rule, the screen, the scenarios — is the same for all.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/gosqr/contract.hpp"

namespace gosdoki::client {

struct CheckReport {
  enum class Status { confirmed, rejected, smev_error, error };
  Status status = Status::error;
  // OK, a resultCode, a channel refusal (a СМЭВ 3 fault name, an ЕСИА code such as
  // ESIA-007053, a СМЭВ 4 error code such as access_denied_system), client.* for local errors,
  // or AGE_NOT_CONFIRMED: the ИС's own refusal when ЕПГУ answered OK for an 18+ purpose but
  // ageConfirmed18 is false.
  std::string code;
  std::string message;  // readable, Russian where it comes from ЕПГУ/СМЭВ/ЕСИА
  std::optional<gosqr::CheckResponse> response;
  std::string request_message_id;  // СМЭВ 3 MessageID, or the СМЭВ 4 X-Request-Id
  std::string channel = "СМЭВ 3";
  std::string signature_fault;     // СМЭВ 3 SignatureVerificationFault value, when that was the refusal
  int http_status = 0;             // СМЭВ 4
  std::vector<std::string> trace;  // one line per call, for --verbose
};

const char* status_name(CheckReport::Status s);  // "confirmed", "rejected", "smev_error", "error"

class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string name() const = 0;          // "smev3", "smev4": what scenarios and --channel say
  virtual std::string display_name() const = 0;  // "СМЭВ 3"
  // Sends one request and classifies the answer. Never throws.
  virtual CheckReport send(const gosqr::CheckRequest& request) = 0;
};

// "QR_EXPIRED: Срок действия…" → "QR_EXPIRED" when the prefix is one of our result codes.
std::string result_code_prefix(const std::string& description);

}  // namespace gosdoki::client
