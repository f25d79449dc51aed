#pragma once
// What the operator sees after a check: a terminal table with Russian labels, and the JSON
// the ИС uses to prefill its form (only on a confirmed identity).
#include <string>

#include "client/checker.hpp"

namespace gosdoki::client {

std::string render_screen(const CheckReport& report, bool verbose = false);
std::string prefill_json(const CheckReport& report);

}  // namespace gosdoki::client
