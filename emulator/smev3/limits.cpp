// The СМЭВ 3 checks whose rules or thresholds the public material leaves open — each one an
// emulator choice kept in Settings and documented in docs/smev3.md — and the faults a test
// injects through the admin API.
#include <algorithm>

#include <nlohmann/json.hpp>
#include <cctype>

#include "emulator/smev3/service.hpp"

namespace gosdoki::emulator::smev3 {

namespace s3 = gosdoki::smev3;

namespace {

bool is_uuid_text(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_base64_text(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

// The faults each operation declares in the WSDL binding (domain/smev3.md §2): what may be injected.
bool declared_by(const std::string& op, const std::string& fault) {
  static const std::set<std::string> common{"InvalidContent", "SMEVFailure", "SignatureVerificationFault",
                                            "SenderIsNotRegistered"};
  static const std::set<std::string> send{"BusinessDataTypeIsNotSupported", "RecipientIsNotFound", "DestinationOverflow",
                                          "AttachmentContentMiscoordination", "AttachmentSizeLimitExceeded",
                                          "QuoteLimitExceeded", "MessageIsAlreadySent", "InvalidMessageIdFormat",
                                          "StaleMessageId"};
  if (common.count(fault)) return true;
  if (op == "SendRequest") {
    return send.count(fault) || fault == "AccessDenied" || fault == "PersonalAccessDenied" ||
           fault == "TransactionCodeInvalid" || fault == "EndOfLifeReached";
  }
  if (op == "SendResponse") return send.count(fault) || fault == "IncorrectResponseContentType";
  if (op == "GetRequest" || op == "GetResponse" || op == "GetStatus") return fault == "UnknownMessageType";
  if (op == "Ack") return fault == "TargetMessageIsNotFound";
  return false;
}

}  // namespace

std::optional<FaultInfo> Service::check_transaction_code(const std::optional<std::string>& code) const {
  if (!code || world_.settings.transaction_code_check == "off") return std::nullopt;
  // The two observed shapes (domain/smev3.md §2.2): a bare UUID, or
  // "<uuid>|<20 digits>|<base64 signature>".
  const std::string& c = *code;
  if (is_uuid_text(c)) return std::nullopt;
  auto bar1 = c.find('|');
  auto bar2 = bar1 == std::string::npos ? std::string::npos : c.find('|', bar1 + 1);
  if (bar2 != std::string::npos && is_uuid_text(std::string_view(c).substr(0, bar1))) {
    auto digits = std::string_view(c).substr(bar1 + 1, bar2 - bar1 - 1);
    bool ok_digits = digits.size() == 20 && std::all_of(digits.begin(), digits.end(), [](char d) {
                       return d >= '0' && d <= '9';
                     });
    if (ok_digits && is_base64_text(std::string_view(c).substr(bar2 + 1))) return std::nullopt;
  }
  std::string shown = c.size() > 80 ? c.substr(0, 80) + "…" : c;
  return transaction_code_invalid("'" + shown + "' — ожидается UUID или UUID|20 цифр|подпись в base64 (serve --transaction-code-check off отключает проверку)");
}

std::optional<FaultInfo> Service::check_queue_room(const std::string& recipient, Kind kind) const {
  std::size_t limit = world_.settings.max_queue_depth;
  if (limit == 0) return std::nullopt;
  std::size_t depth = store_.pending(recipient, kind);
  if (depth < limit) return std::nullopt;
  return destination_overflow("gosdoki-sandbox", recipient + (kind == Kind::request ? ".requests" : ".responses"), depth);
}

std::optional<FaultInfo> Service::check_personal_access(const Participant& caller, const crypto::Certificate& personal,
                                                        Version v) const {
  // Emulator rule: the ЭП-СП must be of a person of the sending organisation — when its
  // certificate names an ОГРН, it is the sender's.
  std::string ogrn = personal.subject_field("OGRN");
  auto org = registry_.organisation_by_mnemonic(caller.mnemonic);
  if (ogrn.empty() || !org || ogrn == org->ogrn) return std::nullopt;
  std::string detail = "сертификат ЭП-СП " + personal.subject_text() + " выдан для ОГРН " + ogrn + ", а отправитель " +
                       caller.mnemonic + " — ОГРН " + org->ogrn;
  if (v == Version::v1_1) return access_denied(detail);  // 1.1 has no PersonalAccessDenied
  return personal_access_denied(detail);
}

std::optional<FaultInfo> Service::reserve_quota(const std::string& sender, long long bytes) {
  const auto quota = static_cast<long long>(world_.settings.attachment_quota_bytes);
  if (quota == 0 || bytes == 0) return std::nullopt;
  // A quota per sender per day of Moscow time, by the virtual clock.
  auto msk = clock_.now().time_since_epoch() + std::chrono::hours(3);
  long long day = std::chrono::duration_cast<std::chrono::hours>(msk).count() / 24;
  std::lock_guard lock(quota_mu_);
  auto& use = quota_used_[sender];
  if (use.first != day) use = {day, 0};
  long long remained = quota - use.second;
  if (bytes > remained) return quota_exceeded(remained, bytes);
  use.second += bytes;
  return std::nullopt;
}

void Service::release_quota(const std::string& sender, long long bytes) {
  if (bytes == 0) return;
  std::lock_guard lock(quota_mu_);
  auto it = quota_used_.find(sender);
  if (it != quota_used_.end()) it->second.second = std::max(0LL, it->second.second - bytes);
}

Status Service::check_rule(const FaultRule& rule) const {
  if (rule.channel != "smev3" || rule.action != "soapFault") return {};
  if (rule.operation != "*" && !declared_by(rule.operation, rule.fault)) {
    return make_error("inject.fault", "the WSDL does not declare fault '" + rule.fault + "' for " + rule.operation);
  }
  if (rule.operation == "*" && !declared_by("SendRequest", rule.fault)) {
    return make_error("inject.fault", "for operation '*' the fault must be one every operation declares (SMEVFailure)");
  }
  return {};
}

Status Service::inject_fault(const std::string& operation, const std::string& fault, int count) {
  if (count < 1 || count > 1000000) return make_error("inject.count", "count must be 1..1000000");
  auto rule = fault_rule_from_json(nlohmann::json{{"operation", operation}, {"action", "soapFault"}, {"fault", fault}, {"count", count}});
  if (!rule) return make_error("inject.operation", rule.error().message);
  if (operation == "*") return make_error("inject.operation", "name one operation");
  if (auto st = check_rule(*rule); !st) return st;
  faults_.add(*rule);
  return {};
}

void Service::near_miss(const http::Request& req, const std::string& operation, const FaultInfo& fault) {
  constexpr std::size_t kMaxBody = 1u << 20;
  NearMiss n{clock_.now(), operation, fault.name, fault.signature_fault, fault.faultstring, req.header("Content-Type"),
             req.body.size() > kMaxBody ? req.body.substr(0, kMaxBody) : req.body};
  std::lock_guard lock(near_mu_);
  near_.push_back(std::move(n));
  while (near_.size() > kNearMisses) near_.pop_front();
}

std::vector<Service::NearMiss> Service::near_misses() const {
  std::lock_guard lock(near_mu_);
  return {near_.begin(), near_.end()};
}

}  // namespace gosdoki::emulator::smev3
