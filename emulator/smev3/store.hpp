#pragma once
// The queues of the emulated СМЭВ 3: one request queue and one response queue per recipient,
// at-least-once delivery (a message taken by Get* stays until it is acked and comes back after
// the redelivery delay), MessageID uniqueness.
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time/clock.hpp"

namespace gosdoki::emulator::smev3 {

// status: a status message for GetStatus (AsyncProcessingStatus of one of the recipient's own
// messages); original_message_id names that message, status the category, content_xml details.
enum class Kind { request, response, status };

struct StoredMessage {
  std::string id;  // СМЭВ message id = the sender's MessageID
  Kind kind = Kind::request;
  std::string sender, sender_name;
  std::string recipient, recipient_name;
  std::string type_ns;        // вид сведений namespace
  std::string business_root;  // root under MessagePrimaryContent; "" for rejections/statuses
  std::string node_id;
  std::string version = "1.3";       // message-exchange version it was sent in
  std::string content_xml;           // SenderProvided*Data, standalone (exclusive C14N)
  std::string sender_signature_xml;  // the sender's ds:Signature, standalone; "" when СМЭВ made it
  std::string attachments_xml;       // AttachmentContentList, standalone; "" when none
  std::string original_message_id;   // responses: the request they answer
  std::optional<std::string> reference_message_id;
  std::optional<std::string> transaction_code;  // requests: as sent; responses: the request's
  bool test_message = false;
  std::string reply_to;
  TimePoint sending_timestamp;
  std::optional<TimePoint> eol;
  std::string status;  // InteractionStatusType
  // delivery state
  bool in_flight = false;
  TimePoint visible_at{};
  int deliveries = 0;
};

// Where the answer to a request goes: kept after the request is acked, so SendResponse can
// be routed by its To (our ReplyTo) long after the provider took the request.
struct Route {
  std::string consumer, consumer_name;
  std::string provider;
  std::string type_ns;
  std::string node_id;
  std::optional<std::string> reference_message_id;
  std::optional<std::string> transaction_code;
};

struct Selector {
  std::optional<std::string> ns, root, node_id;
};

// Thrown when the store itself fails (disk full, the size limit, an I/O error): СМЭВ then answers
// SMEVFailure and nothing is accepted. Never thrown for a duplicate id (put() returns false).
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The queue store behind the service. Implementations: in memory (scenarios, tests) and SQLite
// in WAL mode (serve), so that what СМЭВ accepted survives a crash or a restart.
class MessageStore {
 public:
  virtual ~MessageStore() = default;
  // False when the id is already known (MessageIsAlreadySent).
  virtual bool put(const StoredMessage& m) = 0;
  // Remembers the id (and the route) without queuing it: a request СМЭВ rejected itself.
  virtual bool record_only(const StoredMessage& m) = 0;
  virtual bool seen(const std::string& id) const = 0;
  // First message for `recipient` of `kind` matching the selector that is not in flight (or
  // whose redelivery time has come); marks it in flight until now + redelivery.
  virtual std::optional<StoredMessage> take(const std::string& recipient, Kind kind, const Selector& s, TimePoint now,
                                            std::chrono::microseconds redelivery) = 0;
  // Removes an in-flight message addressed to `recipient`; false = TargetMessageIsNotFound.
  virtual bool ack(const std::string& recipient, const std::string& id) = 0;
  virtual std::optional<StoredMessage> find(const std::string& id) const = 0;
  virtual void set_status(const std::string& id, const std::string& status) = 0;
  // The last known status of any message ever accepted ("" when unknown).
  virtual std::string status(const std::string& id) const = 0;
  virtual std::size_t pending(const std::string& recipient, Kind kind) const = 0;
  virtual std::optional<Route> route(const std::string& request_id) const = 0;
};

class MemoryStore final : public MessageStore {
 public:
  bool put(const StoredMessage& m) override;
  bool record_only(const StoredMessage& m) override;
  bool seen(const std::string& id) const override;
  std::optional<StoredMessage> take(const std::string& recipient, Kind kind, const Selector& s, TimePoint now,
                                    std::chrono::microseconds redelivery) override;
  bool ack(const std::string& recipient, const std::string& id) override;
  std::optional<StoredMessage> find(const std::string& id) const override;
  void set_status(const std::string& id, const std::string& status) override;
  std::string status(const std::string& id) const override;
  std::size_t pending(const std::string& recipient, Kind kind) const override;
  std::optional<Route> route(const std::string& request_id) const override;

 private:
  struct Queued {
    StoredMessage message;
    std::uint64_t seq;
  };
  using QueueKey = std::pair<std::string, Kind>;  // recipient, kind
  mutable std::mutex mu_;
  std::map<std::string, Queued> messages_;                            // still in some queue
  std::map<QueueKey, std::map<std::uint64_t, std::string>> queues_;  // FIFO of ids per queue
  std::uint64_t next_seq_ = 0;
  std::map<std::string, std::string> history_;  // id -> last status, kept after ack
  std::map<std::string, Route> routes_;         // request id -> where its answers go
};

// Opens (creating if needed) a store in `path` (a file). Errors name the file. `max_bytes` > 0
// bounds the database file; a write beyond it throws StoreError (→ SMEVFailure).
Result<std::unique_ptr<MessageStore>> open_sqlite_store(const std::filesystem::path& path, std::uint64_t max_bytes = 0);

// Whether a stored message passes a selector (shared by both stores).
bool selector_matches(const StoredMessage& m, const Selector& s);

}  // namespace gosdoki::emulator::smev3
