#pragma once
// GosDoki Sandbox for C++ integrators: the whole emulator (СМЭВ 3, СМЭВ 4, ЕСИА, ЕПГУ, the
// citizen's wallet, the registry, the admin API) started in-process on ephemeral loopback ports,
// for an ИС team's own GoogleTest suites. Your ИС talks to it over real HTTP, as it will talk
// to the real СМЭВ; the test drives the clock, the wallet, the registry and faults, and reads
// the journal of what happened on the wire.
//
//   gosdoki::sandbox::Sandbox s;                        // fixtures built in, clock frozen
//   auto qr = s.issue_qr("petrov-p");                   // the PNG the citizen's app shows
//   my_is.check(s.smev3_url(), qr, s.face("petrov-p")); // your code, over the wire
//   EXPECT_EQ(s.count("smev3", "Ack", "ok"), 2u);
//
// Found with find_package(GosdokiSandbox) → target GosdokiSandbox::sandbox. Errors throw
// std::runtime_error (or std::invalid_argument for a bad argument) with a message naming what.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gosdoki::sandbox {

struct Options {
  std::string fixtures_dir;   // "" = the fixture set built into the library
  bool freeze_clock = true;   // the virtual clock moves only when advance() / set_clock() move it
  std::string clock_start;    // xs:dateTime; "" = the fixtures' scenario clock (2026-01-15T10:00:00+03:00)
  std::uint64_t seed = 0;     // 0 = the fixtures' seed (message ids, QR tokens)
  // true: the built-in ЕПГУ answers only when settle() is called (one order of events, for
  // exact journal assertions); false: it answers by itself within milliseconds.
  bool lockstep = false;
};

struct JournalEvent {
  std::uint64_t seq = 0;
  std::string at;  // xs:dateTime on the virtual clock
  std::string channel, operation, participant, message_id, outcome;
};

// What an ИС signs with: a fixture organisation's ЭП-ОВ key and certificate.
struct Credentials {
  std::string mnemonic;
  std::string key_pem, certificate_pem;
};

class Sandbox {
 public:
  explicit Sandbox(const Options& options = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  std::string smev3_url() const;       // СМЭВ 3 1.3: http://127.0.0.1:PORT/transport_1_0_2/
  std::string smev4_url() const;       // СМЭВ 4 gateway base
  std::string esia_token_url() const;  // ЕСИА /aas/oauth2/v3/te
  std::string admin_url() const;       // the admin API (GET /admin/info)

  std::string now() const;  // the virtual clock, xs:dateTime
  void advance(std::chrono::milliseconds by);
  void set_clock(const std::string& xs_datetime);

  // The citizen's app (mpgu | max) issues a QR; the PNG bytes a scanner reads.
  std::vector<std::uint8_t> issue_qr(const std::string& person, const std::string& app = "mpgu");
  // A face photo of a fixture citizen: reference, office-light, dim-light, noisy, shifted.
  std::vector<std::uint8_t> face(const std::string& person, const std::string& variant = "office-light") const;
  Credentials organisation(const std::string& fixture_id) const;  // e.g. "hotel-sever"
  std::string smev_certificate_pem() const;  // the ЭП-СМЭВ certificate an ИС must trust
  std::string ca_certificate_pem() const;    // the test CA

  std::vector<JournalEvent> journal() const;
  std::size_t count(const std::string& channel, const std::string& operation, const std::string& outcome = "") const;

  // A fault rule as JSON, as POST /admin/faults takes it (docs/scenarios.md#faults).
  void add_fault(const std::string& rule_json);
  void clear_faults();
  void remove_from_registry(const std::string& fixture_organisation);

  int settle();  // lockstep: lets the built-in ЕПГУ answer what is queued; returns how many
  // A fresh emulator: new queues, registry, wallet, journal and faults (new ports, too).
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gosdoki::sandbox
