#pragma once
// The citizen's apps (domain/gosdoki.md §2.1, §2.2, §11.7): the Gosuslugi app (МПГУ, section
// ГосДоки) and MAX «Цифровой ID». Each shows a QR only when the citizen meets its
// prerequisites; ЕПГУ checks the same prerequisites again when the QR arrives (the state may
// have changed in between), so both sides share `person_refusal`.
#include <optional>
#include <string>
#include <string_view>

#include "core/time/clock.hpp"
#include "emulator/model.hpp"
#include "emulator/wallet/wallet.hpp"

namespace gosdoki::emulator {

struct Refusal {
  std::string code;    // a resultCode (ACCOUNT_NOT_CONFIRMED, NO_CONSENT, …) or DEVICE_MISMATCH (app only)
  std::string detail;  // why, in Russian, for the journal and the screen
};

// What keeps this citizen from presenting a QR of `source` ('M' МПГУ, 'X' MAX) at `now`; the
// first failure wins. МПГУ: ACCOUNT_NOT_CONFIRMED, NO_CONSENT (none, or a simple ES after its
// deadline), NO_BIOMETRICS, PHOTO_NOT_CONFIRMED, AGE_UNDER_14. MAX: ACCOUNT_NOT_CONFIRMED,
// MAX_ID_NOT_CREATED, AGE_UNDER_18, NO_BIOMETRICS (route ebs without ЕБС biometrics).
std::optional<Refusal> person_refusal(const Citizen& c, char source, TimePoint now, const Settings& settings);

bool is_max_route(std::string_view route);  // nfc-passport | driving-licence | ebs

// One change of a citizen's state by name, as a scenario step writes it: trusted, consent,
// consentMethod, biometrics, photo, birthDate, deviceId, maxId (none | a route),
// maxId.device, maxId.statuses (comma-separated). Errors name the key and the allowed values.
Status change_citizen(Citizen& c, const std::string& key, const std::string& value);

// The device a citizen's app runs on unless a step names another.
std::string default_device(const Citizen& c);

// What the citizen's phone shows after asking the app for a QR.
struct AppScreen {
  std::string app;     // mpgu | max
  std::string code;    // OK or why there is no QR
  std::string title;   // «Документы для предъявления», «Цифровой ID», «QR-код недоступен»
  std::string text;    // the line under it
};

struct IssueResult {
  std::optional<QrRecord> record;  // set when the app shows a QR
  AppScreen screen;
};

// The app on `device` asks ЕПГУ for a fresh QR: refused with the screen the app shows, or
// issued (which revokes that device's previous QR). Errors: only an unknown app name.
Result<IssueResult> issue_from_app(Wallet& wallet, const Citizen& c, std::string_view app, const std::string& device,
                                   TimePoint now, const Settings& settings);

}  // namespace gosdoki::emulator
