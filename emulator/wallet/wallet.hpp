#pragma once
// The citizen's app side of the emulator (МПГУ; MAX in the face issue): it issues the QR
// tokens, and since it is part of the emulator ЕПГУ knows every token it issued.
// Token format (domain/gosdoki.md §11.7): GQR1.<src>.<sid>.<sig>, sig = HMAC-SHA256(src|sid).
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "core/util/bytes.hpp"
#include "emulator/model.hpp"

namespace gosdoki::emulator {

struct QrRecord {
  std::string token;
  std::string sid;
  char source = 'M';  // M = МПГУ, X = MAX
  std::string citizen_id;
  std::string oid;
  TimePoint issued_at, expires_at;
  std::optional<TimePoint> used_at;
  std::string device_id;
  std::string consent_id;
  bool revoked = false;
};

struct QrLookup {
  std::string code;  // "OK" or QR_MALFORMED / QR_NOT_FOUND / QR_REVOKED / QR_EXPIRED / QR_ALREADY_USED
  std::string detail;
  std::optional<QrRecord> record;
};

class Wallet {
 public:
  Wallet(const Clock& clock, std::string hmac_key, const Settings& settings, std::uint64_t seed);

  // Issues a fresh QR for the citizen on a device; revokes the device's previous one (refresh).
  Result<QrRecord> issue(const Citizen& citizen, std::string_view app, const std::string& device_id);
  // Resolves a token as ЕПГУ sees it now, without consuming it (checks in the §11.4 order).
  QrLookup lookup(std::string_view token) const;
  // One-time use: the first check that reaches face matching consumes the token.
  bool consume(const std::string& sid);
  std::size_t size() const;

  // The wallet keeps the newest this many QR records; older ones are forgotten (a long-running
  // serve stays bounded) and look never issued (QR_NOT_FOUND).
  static constexpr std::size_t kMaxRecords = 100000;

 private:
  std::string sign(char source, const std::string& sid) const;
  const Clock& clock_;
  std::string key_;
  Settings settings_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::map<std::string, QrRecord> by_sid_;
  std::map<std::string, std::string> device_current_;  // device -> sid
  std::deque<std::string> issue_order_;                // sids, oldest first
};

// The PNG the citizen's phone shows: the token as a QR code.
Result<Bytes> render_qr_png(const std::string& token);

}  // namespace gosdoki::emulator
