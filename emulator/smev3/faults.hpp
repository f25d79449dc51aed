#pragma once
// The faults the emulated СМЭВ 3 raises, with the wire details of domain/smev3.md §4:
// faultcode, a Russian faultstring, and for SmevFault-typed faults Code + "SMEV-NNN:" text.
#include <string>
#include <vector>

#include "emulator/model.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::emulator::smev3 {

using gosdoki::smev3::FaultInfo;

FaultInfo invalid_content(const std::vector<std::string>& errors);
FaultInfo signature_fault(const std::string& kind, const std::string& detail);  // kind: the enum value
// The same with the whole text given (attachments: "Проверка подписи на вложении …").
FaultInfo signature_fault_text(const std::string& kind, const std::string& text);
FaultInfo sender_not_registered(const std::string& detail);
FaultInfo access_denied(const std::string& detail);
FaultInfo business_type_not_supported(const std::string& ns, const std::string& root);
FaultInfo invalid_message_id(const std::string& id, const std::string& detail);
FaultInfo stale_message_id(const std::string& id, const std::string& detail);
FaultInfo message_already_sent(const std::string& id);
FaultInfo end_of_life(const std::string& eol);
FaultInfo target_not_found(const std::string& id);
FaultInfo unknown_message_type(const std::string& detail);
FaultInfo recipient_not_found(const std::string& detail);
FaultInfo incorrect_response_type(const std::string& detail);
FaultInfo smev_failure(const std::string& detail);
FaultInfo attachment_miscoordination(const std::string& detail);
FaultInfo attachment_size_exceeded(long long permitted, long long real);
FaultInfo quota_exceeded(long long remained, long long real);
FaultInfo destination_overflow(const std::string& broker, const std::string& destination, std::size_t depth);
FaultInfo transaction_code_invalid(const std::string& detail);
FaultInfo personal_access_denied(const std::string& detail);
// Any catalogue fault by its element name (injection); unknown names give SMEVFailure.
FaultInfo fault_by_name(const std::string& name, const std::string& detail, const Settings& settings);

}  // namespace gosdoki::emulator::smev3
