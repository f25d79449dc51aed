#pragma once
// An ИС under test, run as an outside command per client.check (`run --client-cmd`): it gets
// the QR image and the face photo as files and the emulator's URLs, does its check over the
// wire, and may write its result as the form-prefill JSON. What it did on the wire is judged
// from the emulator's journal: signed correctly, polled, acked each answer exactly once.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/util/bytes.hpp"
#include "emulator/journal.hpp"

namespace gosdoki::harness {

// {qr} {face} {prefill} {admin} {smev3} {smev4} {esia} {org} {mnemonic} {purpose} {channel}.
// Only {lower-case name} is a placeholder: ${VAR}, JSON and other braces reach the shell as written.
inline constexpr const char* kClientCmdPlaceholders[] = {"qr",    "face",     "prefill", "admin",   "smev3", "smev4",
                                                         "esia",  "org",      "mnemonic", "purpose", "channel"};
// An unknown {name} in the template is an error naming it.
Status check_client_cmd(const std::string& command_template);

struct ExternalCheck {
  std::string command_template;
  std::filesystem::path work_dir;  // the QR, the face and the prefill file go here
  Bytes qr_png, face;
  std::string admin_url, smev3_url, smev4_url, esia_url;
  std::string org_id, mnemonic, purpose, channel;
  std::chrono::seconds timeout{60};
  std::optional<std::filesystem::path> fixtures_dir;  // passed on as GOSDOKI_FIXTURES
};

struct ExternalResult {
  std::string command;  // as run, placeholders filled
  int exit_code = -1;   // -1: killed (timeout or a signal)
  int signal = 0;       // the signal that ended it, if one did
  bool timed_out = false;
  std::string out, err;                // each at most 1 MiB
  std::optional<std::string> prefill;  // what it wrote to {prefill}, if anything
};

Result<ExternalResult> run_external_check(const ExternalCheck& check);

// Failures of the ИС's wire behaviour during one check, from the journal events of that check.
// `refused_by_channel`: the scenario expects СМЭВ/ЕСИА to refuse it (nothing gets queued then).
std::vector<std::string> judge_wire(const std::vector<emulator::JournalEvent>& events, const std::string& mnemonic,
                                    const std::string& channel, bool refused_by_channel);

}  // namespace gosdoki::harness
