#pragma once
// The emulated СМЭВ 3 message-exchange endpoint: SOAP over HTTP, one handler for all versions
// (paths as in the test environment), synchronous checks as SOAP faults, queues behind.
#include <array>
#include <deque>
#include <atomic>
#include <memory>
#include <functional>
#include <map>
#include <mutex>
#include <vector>
#include <variant>
#include <optional>
#include <string>

#include "core/http/http.hpp"
#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "emulator/journal.hpp"
#include "emulator/smev3/replay_guard.hpp"
#include "emulator/model.hpp"
#include "emulator/registry/registry.hpp"
#include "emulator/faults/fault_plan.hpp"
#include "emulator/smev3/faults.hpp"
#include "emulator/smev3/store.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"

namespace gosdoki::emulator::smev3 {

using gosdoki::smev3::Version;

// /transport_1_0_2/ → 1.3, /smev/v1.2/ws → 1.2, /smev/v1.1/ws → 1.1
std::optional<Version> version_for_path(const std::string& path);
std::string path_for_version(Version v);

class Service {
 public:
  Service(const World& world, const Registry& registry, const Clock& clock, Journal& journal, MessageStore& store,
          UuidGenerator& ids, FaultPlan& faults);

  http::Response handle(const http::Request& req);
  http::Response dispatch(const http::Request& req);
  // For requests the HTTP layer refuses (too large, malformed framing): a SOAP fault.
  http::Response refuse(int status, const std::string& message) const;
  // Called after a request is queued for a provider (so the built-in ЕПГУ need not poll).
  void set_on_request_queued(std::function<void(const std::string& recipient)> cb) { on_request_ = std::move(cb); }
  // Sees every exchange on the endpoint (request body, HTTP status, answer body): for reports,
  // journals and the tests that check every envelope against the official schemas.
  using Tap = std::function<void(const std::string& request, int status, const std::string& answer)>;
  void set_tap(Tap tap) { tap_ = std::move(tap); }

  // The next `count` calls of `operation` get `fault` (one the WSDL declares for it) instead of
  // being processed (POST /admin/smev3/faults): a soapFault rule of the fault plan. Any rule
  // added to the plan (POST /admin/faults) is checked here the same way, after the WSDL check.
  Status inject_fault(const std::string& operation, const std::string& fault, int count);
  Status check_rule(const FaultRule& rule) const;
  // The envelopes СМЭВ refused lately (newest last, at most kNearMisses, each at most 1 MiB): what
  // GET /admin/near-misses explains signature by signature, so a developer sees why.
  struct NearMiss {
    TimePoint at;
    std::string operation, fault, signature_fault, message;
    std::string content_type, request;
  };
  static constexpr std::size_t kNearMisses = 20;
  std::vector<NearMiss> near_misses() const;
  // Queue time travel (a `drop` rule with travel: redelivery): moves the virtual clock.
  void set_time_travel(std::function<void(TimePoint)> travel) { travel_ = std::move(travel); }

 private:
  struct Caller {
    Participant participant;
  };
  struct Answer {
    std::string body;
    std::optional<FaultInfo> fault;
  };

  Answer run_operation(gosdoki::smev3::Operation op, Version v, const gosdoki::smev3::Envelope& env,
                       const FaultHit* hit = nullptr);
  // The operation's answer as HTTP (SOAP, MTOM when configured; a fault as HTTP 500).
  http::Response answer(gosdoki::smev3::Operation op, Version v, const gosdoki::smev3::Envelope& env, const FaultHit* hit,
                        const http::Request& req);
  void near_miss(const http::Request& req, const std::string& operation, const FaultInfo& fault);
  Answer send_request(const gosdoki::smev3::Envelope& env);
  Answer get_message(const gosdoki::smev3::Envelope& env, Kind kind, const FaultHit* hit = nullptr);
  Answer ack(const gosdoki::smev3::Envelope& env);
  Answer send_response(const gosdoki::smev3::Envelope& env);
  Answer get_status(const gosdoki::smev3::Envelope& env);
  Answer queue_statistics(const gosdoki::smev3::Envelope& env);
  // Queues a status message for GetStatus of `recipient` about its message `about`.
  void push_status(const std::string& recipient, const std::string& about, const std::string& category,
                   const std::string& details);

  // ЭП-ОВ check and identification of the caller by its certificate; `refuse_replay`: a
  // signature already presented (ReplayGuard) is refused (the Get* and GetStatus calls).
  std::variant<Caller, FaultInfo> authenticate(const gosdoki::smev3::Envelope& env, xmlNode* wrapper, xmlNode* signed_el,
                                               bool refuse_replay = false);
  std::optional<FaultInfo> check_message_id(const std::string& id);
  std::optional<FaultInfo> check_attachments(const gosdoki::smev3::SendRequestCall& call);
  std::vector<std::string> schema_errors(const gosdoki::smev3::Envelope& env, bool& message_id_only) const;
  std::optional<FaultInfo> check_personal_signature(const gosdoki::smev3::Envelope& env,
                                                    const gosdoki::smev3::SendRequestCall& call, const Participant& caller);
  std::optional<FaultInfo> check_transaction_code(const std::optional<std::string>& code) const;
  std::optional<FaultInfo> check_queue_room(const std::string& recipient, Kind kind) const;
  std::optional<FaultInfo> check_personal_access(const Participant& caller, const crypto::Certificate& personal,
                                                 Version v) const;
  std::optional<FaultInfo> reserve_quota(const std::string& sender, long long bytes);
  void release_quota(const std::string& sender, long long bytes);
  std::string sign(const gosdoki::smev3::UnsignedEnvelope& e) const;
  std::string reply_to_for(const StoredMessage& m, std::uint64_t sid) const;
  void reject_async(const StoredMessage& request, const std::vector<std::string>& errors, Version v);
  void journal(const std::string& op, const std::string& participant, const std::string& id, const std::string& outcome);

  const World& world_;
  const Registry& registry_;
  const Clock& clock_;
  Journal& journal_;
  MessageStore& store_;
  UuidGenerator& ids_;
  std::function<void(const std::string&)> on_request_;
  Tap tap_;
  std::array<std::shared_ptr<const xml::Schema>, 3> schemas_;  // by Version
  std::atomic<std::uint64_t> sid_{30000};
  mutable std::mutex quota_mu_;
  std::map<std::string, std::pair<long long, long long>> quota_used_;  // sender -> (Moscow day, bytes)
  FaultPlan& faults_;
  std::function<void(TimePoint)> travel_;
  mutable std::mutex near_mu_;
  std::deque<NearMiss> near_;
  ReplayGuard replays_;
};

}  // namespace gosdoki::emulator::smev3
