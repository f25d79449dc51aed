// gosdoki-sandbox goskan scan: the checker's side of Госкан against a running `serve`.
#include <iostream>

#include "app/common.hpp"
#include "client/goskan.hpp"
#include "client/scan.hpp"

namespace gosdoki::app {

int goskan_scan_command(const GoskanScanOptions& o) {
  const std::string cmd = "goskan scan";
  auto qr = client::scan_qr_file(o.qr);
  if (!qr) {
    say_error(cmd, qr.error().message);
    return kUsage;
  }
  // The checker is logged in with their own ЕСИА account: a fixture person's id stands for its OID.
  std::string oid = o.checker;
  std::unique_ptr<harness::FileSource> src;
  if (auto fx = load_fixture_set(o.common, src)) {
    for (const auto& c : fx->world.citizens) {
      if (c.id == o.checker) oid = c.oid;
    }
  }
  auto admin = http::parse_url(o.emulator);
  if (!admin) {
    say_error(cmd, "--emulator: " + admin.error().message);
    return kUsage;
  }
  auto info = admin_get(*admin, "/admin/info", "");
  if (!info) {
    say_error(cmd, info.error().message + " (is `gosdoki-sandbox serve` running?)");
    return kSmevError;
  }
  if (!info->contains("mpgu")) {
    say_error(cmd, "this emulator has no МПГУ app API (an older version?)");
    return kSmevError;
  }
  auto r = client::goskan_scan((*info)["mpgu"]["goskanScan"].get<std::string>(), oid, *qr, o.purpose);
  if (!r) {
    say_error(cmd, r.error().message);
    return kSmevError;
  }
  std::cout << client::render_goskan_screen(*r);
  if (o.photo_out && r->trusted_photo) {
    if (auto st = write_file(*o.photo_out, as_view(*r->trusted_photo)); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
  }
  if (o.json_out) {
    if (auto st = write_file(*o.json_out, r->json + "\n"); !st) {
      say_error(cmd, st.error().message);
      return kUsage;
    }
  }
  return r->result_code == "OK" ? kOk : kFailed;
}

}  // namespace gosdoki::app
