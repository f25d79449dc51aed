#include "emulator/registry/revocations.hpp"

#include <algorithm>
#include <cctype>

namespace gosdoki::emulator {

namespace {

// Serials compare as numbers: OpenSSL writes them in whole bytes ("03E9"), people may not.
std::string normal_serial(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
  return s;
}

}  // namespace

Status Revocations::load(const crypto::Certificate& ca, std::optional<crypto::PrivateKey> ca_key, std::optional<crypto::Crl> crl) {
  if (crl && !crl->signed_by(ca)) {
    return make_error("pki.crl", "the revocation list is not signed by the test CA (" + ca.subject_text() + ")");
  }
  std::lock_guard lock(mu_);
  ca_ = ca;
  ca_key_ = std::move(ca_key);
  crl_ = std::move(crl);
  entries_ = crl_ ? crl_->entries() : std::vector<crypto::RevokedCertificate>{};
  for (auto& e : entries_) e.serial_hex = normal_serial(e.serial_hex);  // once, not per request
  dirty_ = false;
  return {};
}

std::optional<TimePoint> Revocations::revoked_at(const crypto::Certificate& cert, TimePoint now) const {
  // On every signed request: the cheap serial comparison first, the issuer only on a match.
  const std::string serial = normal_serial(cert.serial_hex());
  std::lock_guard lock(mu_);
  for (const auto& e : entries_) {
    if (e.serial_hex != serial || e.revoked_at > now) continue;
    if (ca_ && cert.issuer_text() == ca_->subject_text()) return e.revoked_at;
  }
  return std::nullopt;
}

Status Revocations::revoke(const std::string& serial_hex, TimePoint at) {
  if (serial_hex.empty() || serial_hex.size() > 40 ||
      !std::all_of(serial_hex.begin(), serial_hex.end(), [](unsigned char c) { return std::isxdigit(c); })) {
    return make_error("pki.serial", "serial '" + serial_hex + "' must be 1 to 40 hexadecimal digits");
  }
  const std::string serial = normal_serial(serial_hex);
  std::lock_guard lock(mu_);
  if (!ca_key_) return make_error("pki.no_ca_key", "the fixtures hold no CA key (emulator.json caKey): the list cannot be re-signed");
  for (const auto& e : entries_) {
    if (e.serial_hex == serial) return make_error("pki.already_revoked", "serial " + serial + " is already revoked");
  }
  entries_.push_back({serial, at});
  dirty_ = true;
  return {};
}

std::vector<crypto::RevokedCertificate> Revocations::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

Result<Bytes> Revocations::crl_der(TimePoint now) {
  std::lock_guard lock(mu_);
  if (crl_ && !dirty_) return crl_->der();
  if (!ca_ || !ca_key_) return make_error("pki.no_crl", "no revocation list in the fixtures and no CA key to issue one");
  auto next = now + std::chrono::hours(24 * 30);
  auto crl = crypto::issue_crl(*ca_, *ca_key_, entries_, now, next, ++number_);
  if (!crl) return crl.error();
  crl_ = *crl;
  dirty_ = false;
  return crl_->der();
}

}  // namespace gosdoki::emulator
