#pragma once
// One identity check as the ИС runs it: build the вид сведений request from the scanned QR
// bytes and the face photo, send it over a channel (СМЭВ 3 or СМЭВ 4), and turn whatever comes
// back into what the operator must see.
#include <optional>
#include <string>

#include "client/channel.hpp"
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

// Builds the request from the scan and the photo, sends it over `channel`, applies the ИС's own
// 18+ rule.
CheckReport run_check(Channel& channel, const CheckInput& input, const Clock& clock);

// СМЭВ 3 as a channel: the consumer's send/poll/ack, the answer classified.
class Smev3Channel final : public Channel {
 public:
  explicit Smev3Channel(Smev3Consumer& consumer) : consumer_(consumer) {}
  std::string name() const override { return "smev3"; }
  std::string display_name() const override { return "СМЭВ 3"; }
  CheckReport send(const gosqr::CheckRequest& request) override;

 private:
  Smev3Consumer& consumer_;
};

}  // namespace gosdoki::client
