#include "emulator/wallet/wallet.hpp"

#include "core/crypto/crypto.hpp"
#include "core/image/image.hpp"
#include "core/qr/qr.hpp"
#include "core/time/datetime.hpp"

namespace gosdoki::emulator {

Wallet::Wallet(const Clock& clock, std::string hmac_key, const Settings& settings, std::uint64_t seed)
    : clock_(clock), key_(std::move(hmac_key)), settings_(settings), rng_(seed) {}

std::string Wallet::sign(char source, const std::string& sid) const {
  std::string msg;
  msg += source;
  msg += '|';
  msg += sid;
  auto mac = crypto::hmac_sha256(as_bytes(key_), as_bytes(msg));
  return mac ? base64url_encode(*mac) : std::string{};
}

Result<QrRecord> Wallet::issue(const Citizen& citizen, std::string_view app, const std::string& device_id) {
  char source;
  std::chrono::seconds ttl;
  if (app == "mpgu") {
    source = 'M';
    ttl = settings_.mpgu_qr_ttl;
  } else if (app == "max") {
    source = 'X';
    ttl = settings_.max_qr_ttl;
  } else {
    return make_error("wallet.app", "unknown app '" + std::string(app) + "' (expected mpgu or max)");
  }
  std::lock_guard lock(mu_);
  Bytes raw(16);
  for (std::size_t i = 0; i < raw.size(); i += 8) {
    std::uint64_t r = rng_();
    for (std::size_t k = 0; k < 8; ++k) raw[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
  }
  QrRecord rec;
  rec.sid = base64url_encode(raw);
  rec.source = source;
  rec.token = std::string("GQR1.") + source + "." + rec.sid + "." + sign(source, rec.sid);
  rec.citizen_id = citizen.id;
  rec.oid = citizen.oid;
  rec.issued_at = clock_.now();
  rec.expires_at = rec.issued_at + ttl;
  rec.device_id = device_id;
  rec.consent_id = citizen.consent ? "consent-" + citizen.id : "";
  if (auto it = device_current_.find(device_id); it != device_current_.end()) {
    if (auto prev = by_sid_.find(it->second); prev != by_sid_.end()) prev->second.revoked = true;
  }
  device_current_[device_id] = rec.sid;
  by_sid_[rec.sid] = rec;
  issue_order_.push_back(rec.sid);
  while (issue_order_.size() > kMaxRecords) {
    auto old = by_sid_.find(issue_order_.front());
    if (old != by_sid_.end()) {
      auto cur = device_current_.find(old->second.device_id);
      if (cur != device_current_.end() && cur->second == old->first) device_current_.erase(cur);
      by_sid_.erase(old);
    }
    issue_order_.pop_front();
  }
  return rec;
}

QrLookup Wallet::lookup(std::string_view token) const {
  // Shape and MAC first: a forged or damaged token is refused without touching any state.
  auto malformed = [](std::string detail) { return QrLookup{"QR_MALFORMED", std::move(detail), std::nullopt}; };
  if (token.size() > 256) return malformed("token longer than 256 bytes");
  for (unsigned char c : token) {
    if (c < 0x21 || c > 0x7E) return malformed("token holds a space, a control character or a non-ASCII byte");
  }
  if (token.substr(0, 5) != "GQR1.") return malformed("token does not start with GQR1.");
  std::string_view rest = token.substr(5);
  auto d1 = rest.find('.');
  if (d1 != 1 || (rest[0] != 'M' && rest[0] != 'X')) return malformed("unknown source marker");
  auto d2 = rest.find('.', 2);
  if (d2 == std::string_view::npos) return malformed("token has no signature part");
  std::string sid(rest.substr(2, d2 - 2));
  std::string sig(rest.substr(d2 + 1));
  if (sig != sign(rest[0], sid)) return malformed("token signature does not verify");
  std::lock_guard lock(mu_);
  auto it = by_sid_.find(sid);
  if (it == by_sid_.end()) {
    return QrLookup{"QR_NOT_FOUND", "no QR with this id is known (never issued, or one of more than " +
                                        std::to_string(kMaxRecords) + " older ones the wallet no longer keeps)",
                    std::nullopt};
  }
  const QrRecord& r = it->second;
  TimePoint now = clock_.now();
  if (r.revoked) return QrLookup{"QR_REVOKED", "a newer QR was issued on the same device", r};
  if (now >= r.expires_at) {
    return QrLookup{"QR_EXPIRED", "expired at " + format_datetime(r.expires_at) + ", now " + format_datetime(now), r};
  }
  if (r.used_at) return QrLookup{"QR_ALREADY_USED", "already used at " + format_datetime(*r.used_at), r};
  return QrLookup{"OK", "", r};
}

std::size_t Wallet::size() const {
  std::lock_guard lock(mu_);
  return by_sid_.size();
}

bool Wallet::consume(const std::string& sid) {
  std::lock_guard lock(mu_);
  auto it = by_sid_.find(sid);
  if (it == by_sid_.end() || it->second.used_at) return false;
  it->second.used_at = clock_.now();
  return true;
}

Result<Bytes> render_qr_png(const std::string& token) {
  auto img = qr::render(token);
  if (!img) return img.error();
  return image::encode_png(*img);
}

}  // namespace gosdoki::emulator
