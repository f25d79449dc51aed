// The QR token as ЕПГУ reads it from RequestGosQrDocs/qrCode (GQR1.<src>.<sid>.<sig>, bytes
// straight from the ИС's scanner): shape, HMAC, then the wallet state. Each input gets a fresh
// wallet with the same issued tokens (one live, one revoked, one expired, one used), so runs are
// independent and the seeds — the tokens of that same wallet — reach every state.
#include "emulator/wallet/wallet.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace gosdoki;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& f = fuzz::fixtures();
  const emulator::Citizen& citizen = f.world.citizens.front();
  VirtualClock clock(f.scenario_clock, true);
  emulator::Wallet wallet(clock, f.world.qr_hmac_key, f.world.settings, 1);
  auto revoked = wallet.issue(citizen, "mpgu", "phone-a");
  auto live = wallet.issue(citizen, "mpgu", "phone-a");
  auto used = wallet.issue(citizen, "max", "phone-b");
  if (!revoked || !live || !used) std::abort();  // the fixtures changed: fix the target
  wallet.consume(used->sid);
  auto r = wallet.lookup(fuzz::as_text(data, size));
  if (r.code == "OK") {
    // The one-time rule: consuming twice must not succeed.
    if (!wallet.consume(r.record->sid) || wallet.consume(r.record->sid)) std::abort();
  }
  clock.advance(std::chrono::hours(1));
  (void)wallet.lookup(fuzz::as_text(data, size));
  return 0;
}
