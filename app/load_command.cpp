// `gosdoki-sandbox load`: the load tool (harness/load) as a command. Exit 0 when every operation
// succeeded, 1 when some failed, 2 when the emulator could not be reached, 64 on bad arguments.
#include <iostream>

#include "app/commands.hpp"
#include "app/common.hpp"
#include "core/time/datetime.hpp"
#include "harness/load/load.hpp"
#include "protocol/smev3/envelope.hpp"

namespace gosdoki::app {

int load_command(const LoadCommandOptions& o) {
  const std::string cmd = "load";
  auto duration = parse_duration(o.duration);
  if (!duration) {
    say_error(cmd, "--duration: " + duration.error().message);
    return kUsage;
  }
  if (o.json_out) {
    if (auto st = check_writable(*o.json_out); !st) {
      say_error(cmd, "--json " + st.error().message);
      return kUsage;
    }
  }
  std::unique_ptr<harness::FileSource> src;
  auto fx = load_fixture_set(o.common, src);
  if (!fx) {
    say_error(cmd, fx.error().message);
    return kUsage;
  }
  if (o.write_envelope) {
    const auto* org = fx->organisation(o.organisation);
    if (!org || !org->identity) {
      say_error(cmd, "--org '" + o.organisation + "' is not a fixture organisation with a key");
      return kUsage;
    }
    smev3::MessageTypeSelector sel;
    sel.timestamp = format_datetime(system_now());
    auto text = smev3::sign_envelope(smev3::build_get_response(smev3::Version::v1_3, sel), org->identity->key,
                                     org->identity->certificate);
    if (!text) {
      say_error(cmd, text.error().message);
      return kFailed;
    }
    if (auto st = write_file(*o.write_envelope, *text); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
    std::cout << "wrote " << o.write_envelope->string() << ": a signed GetResponse of " << o.organisation << " ("
              << text->size() << " bytes; СМЭВ accepts it once, unless serve runs with --signature-check off)\n";
    return kOk;
  }
  harness::LoadOptions lo;
  lo.emulator = o.emulator;
  lo.admin_token = o.admin_token;
  lo.operation = o.operation;
  lo.clients = o.clients;
  lo.duration = std::chrono::duration_cast<std::chrono::milliseconds>(*duration);
  lo.max_operations = o.max_operations;
  lo.organisation = o.organisation;
  lo.person = o.person;
  lo.presign = o.presign;
  lo.bound = !o.no_bound;
  if (lo.presign >= 10'000) std::cerr << "load: signing " << lo.presign << " envelopes before the run\n";
  auto report = harness::run_load(lo, *fx, *src);
  if (!report) {
    say_error(cmd, report.error().message);
    return report.error().code == "load.unreachable" ? kSmevError : kUsage;
  }
  std::cout << harness::render_load_report(*report);
  if (o.json_out) {
    if (auto st = write_file(*o.json_out, harness::load_report_json(*report)); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
  }
  return report->errors == 0 && report->ok > 0 ? kOk : kFailed;
}

}  // namespace gosdoki::app
