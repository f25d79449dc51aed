#pragma once
// resultCode values (domain/gosdoki.md §11.4) and how each travels over СМЭВ 3 and СМЭВ 4 (§11.5).
#include <optional>
#include <string>
#include <string_view>

namespace gosdoki::gosqr {

struct ResultCodeInfo {
  std::string_view code;
  std::string_view meaning_ru;  // what the operator screen says
  // СМЭВ 3: a RequestRejected with this RejectCode, or nullopt = a ResponseGosQrDocs REJECTED.
  std::optional<std::string_view> smev3_reject_code;
  // СМЭВ 4: the HTTP status and {code} of an error answer, or 0 = HTTP 200 with the result body.
  int smev4_status = 0;
  std::string_view smev4_code = {};
};

const ResultCodeInfo* find_result_code(std::string_view code);
bool is_result_code(std::string_view code);

}  // namespace gosdoki::gosqr
