#pragma once
// The ИС as a СМЭВ 3 consumer: SendRequest, GetResponse polling with a signed
// MessageTypeSelector, verification of ЭП-СМЭВ, Ack — the official client's sequence.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crypto.hpp"
#include "core/http/http.hpp"
#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::client {

struct Identity {
  std::string mnemonic;
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};

// Test hooks to make a deliberately bad message (fault scenarios).
enum class Tamper { none, signed_content, signature_value, no_signature };

struct ConsumerConfig {
  std::string smev3_url;  // e.g. http://127.0.0.1:5000/transport_1_0_2/
  smev3::Version version = smev3::Version::v1_3;
  Identity identity;
  crypto::Certificate smev_certificate;  // the ЭП-СМЭВ certificate we trust
  std::chrono::milliseconds poll_timeout{20000};
  // GetResponse polling: the first poll after poll_first, each pause 1.6 times the last, at most
  // poll_max. A built-in provider answers in milliseconds; every empty poll costs a signature on
  // each side, so polling fast for long spends the cores the answer needs (benchmarks/README.md).
  std::chrono::microseconds poll_first{3000};
  std::chrono::microseconds poll_max{250000};
  // > 0: stop after this many GetResponse polls even before poll_timeout (the scenario runner
  // counts polls rather than time, so a run's journal does not depend on the machine's speed).
  int max_polls = 0;
  // The node of the ИС this consumer speaks for (SenderProvidedRequestData/NodeID, and the
  // NodeID of its GetResponse selector), so several operators of one ИС each get their own
  // answers. Empty = a node id made up per consumer.
  std::string node_id;
  bool test_message = false;  // mark requests as СМЭВ TestMessage (the provider changes no data)
  // Transient failures — the connection lost or reset, an answer that is not HTTP or not SOAP,
  // HTTP 429/5xx without a SOAP fault, the SOAP fault SMEVFailure — are retried up to this many
  // attempts per call, pausing retry_pause, then twice that, … Get* and Ack are signed afresh
  // each time (a signature seen before is refused as a replay); a SendRequest is sent again as
  // it was, and MessageIsAlreadySent then means the first one got through.
  int max_attempts = 4;
  // Called before each GetResponse poll (the scenario runner lets a lockstep emulator's
  // providers work there); empty = nothing.
  std::function<void()> before_poll;
  std::chrono::milliseconds retry_pause{20};
  Tamper tamper = Tamper::none;
};

// What came back, classified.
struct Delivery {
  enum class Kind { business, rejected, status, smev_async, fault, error };
  Kind kind = Kind::error;
  std::string request_message_id;
  std::string business_xml;  // Kind::business: the element under MessagePrimaryContent
  std::vector<smev3::Rejection> rejections;
  std::optional<smev3::AsyncProcessingStatus> async_status;
  std::optional<smev3::FaultInfo> fault;
  std::string error;  // Kind::error
  bool smev_signature_valid = false;
  std::string provider_mnemonic;
  std::vector<std::string> trace;  // one line per SOAP call, for --verbose
};

class Smev3Consumer {
 public:
  Smev3Consumer(ConsumerConfig config, const Clock& clock, std::uint64_t seed);
  ~Smev3Consumer();
  // Sends the business element, waits for its answer, acks it. Never throws.
  Delivery request(const std::string& business_xml, const std::string& response_ns, const std::string& response_root);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gosdoki::client
