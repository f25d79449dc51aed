#pragma once
// One identity check as the ИС runs it: build the вид сведений request from the scanned QR
// bytes and the face photo, send it over СМЭВ 3, and turn whatever comes back into what the
// operator must see.
#include <optional>
#include <string>

#include "client/smev3_consumer.hpp"
#include "core/time/clock.hpp"
#include "protocol/gosqr/contract.hpp"

namespace gosdoki::client {

struct CheckInput {
  Bytes qr_bytes;    // exactly what the decoder returned
  Bytes face_image;  // JPEG or PNG
  std::string purpose = "HOTEL";
  gosqr::Organization organization;
  gosqr::PointOfService point_of_service;
  std::optional<std::string> operator_id;
  std::optional<std::string> qr_source;
  std::optional<TimePoint> captured_at;  // default: now
};

struct CheckReport {
  enum class Status { confirmed, rejected, smev_error, error };
  Status status = Status::error;
  // OK, a resultCode, a SMEV fault name, client.* for local errors, or AGE_NOT_CONFIRMED: the
  // ИС's own refusal when ЕПГУ answered OK for an 18+ purpose but ageConfirmed18 is false.
  std::string code;
  std::string message;  // readable, Russian where it comes from ЕПГУ/СМЭВ
  std::optional<gosqr::CheckResponse> response;
  std::string request_message_id;
  std::string channel = "СМЭВ 3";
  Delivery delivery;
};

const char* status_name(CheckReport::Status s);  // "confirmed", "rejected", "smev_error", "error"

CheckReport run_check(Smev3Consumer& consumer, const CheckInput& input, const Clock& clock);

}  // namespace gosdoki::client
