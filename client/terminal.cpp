#include "client/terminal.hpp"

#include "protocol/gosqr/result_codes.hpp"

namespace gosdoki::client {

TerminalDecision terminal_decision(const CheckReport& r) {
  using S = CheckReport::Status;
  if (r.status == S::confirmed) return {"open", "Проход разрешён"};
  if (r.status == S::rejected) {
    // The reason is shown by code meaning only: the terminal's screen faces the queue.
    const auto* info = gosqr::find_result_code(r.code);
    std::string why = info ? std::string(info->meaning_ru) : r.code == "AGE_NOT_CONFIRMED" ? "возраст не подтверждён" : r.code;
    return {"deny", "Проход запрещён: " + why};
  }
  // The channel or the terminal itself failed: the check did not happen, a person must decide.
  return {"service", "Проверка не выполнена, обратитесь к сотруднику"};
}

}  // namespace gosdoki::client
