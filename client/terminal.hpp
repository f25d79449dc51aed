#pragma once
// The biometric terminal profile (Ovision-like, domain/gosdoki.md §9, §11.13): one device at a
// turnstile or a counter scans the citizen's QR and takes the face with its own camera, sends
// the check through the organisation's ИС with its terminalId, and acts on the answer. Its
// display is public, so it shows a verdict, never personal data.
#include <string>

#include "client/channel.hpp"

namespace gosdoki::client {

struct TerminalDecision {
  std::string action;   // open (the turnstile opens / the pass prints) | deny | service (call staff: no answer)
  std::string display;  // what the terminal's screen says
};

TerminalDecision terminal_decision(const CheckReport& report);

}  // namespace gosdoki::client
