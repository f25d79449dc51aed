#pragma once
// The test CA's revocation list as the emulator enforces it: loaded from the fixtures' ca.crl,
// extended at run time through the admin API (POST /admin/pki/revoke), and served signed by
// the CA (GET /admin/pki/crl) so that an ИС can check the same list. Thread-safe.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crl.hpp"
#include "core/crypto/crypto.hpp"
#include "core/result.hpp"

namespace gosdoki::emulator {

class Revocations {
 public:
  // The CA whose list this is; its key (when the fixtures have it) re-signs the list after a
  // run-time revocation. A CRL not signed by `ca` is refused.
  Status load(const crypto::Certificate& ca, std::optional<crypto::PrivateKey> ca_key, std::optional<crypto::Crl> crl);
  // When the CA revoked `cert`: the time; nullopt when it did not (or not before `now`).
  std::optional<TimePoint> revoked_at(const crypto::Certificate& cert, TimePoint now) const;
  // Adds a serial (hex, as Certificate::serial_hex()) and re-signs the list.
  Status revoke(const std::string& serial_hex, TimePoint at);
  std::vector<crypto::RevokedCertificate> entries() const;
  // The current list, DER; an error when there is none and no CA key to make one.
  Result<Bytes> crl_der(TimePoint now);

 private:
  mutable std::mutex mu_;
  std::optional<crypto::Certificate> ca_;
  std::optional<crypto::PrivateKey> ca_key_;
  std::optional<crypto::Crl> crl_;  // as last issued or loaded
  std::vector<crypto::RevokedCertificate> entries_;
  std::uint64_t number_ = 1;
  bool dirty_ = false;  // entries changed since crl_ was signed
};

}  // namespace gosdoki::emulator
