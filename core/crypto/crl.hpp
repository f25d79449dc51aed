#pragma once
// Certificate revocation lists (X.509 CRL, RFC 5280) of the test CA: the emulator refuses a
// signature whose certificate the CA has revoked, and serves the list so an ИС can fetch it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crypto.hpp"

typedef struct X509_crl_st X509_CRL;

namespace gosdoki::crypto {

struct RevokedCertificate {
  std::string serial_hex;  // as Certificate::serial_hex()
  TimePoint revoked_at;
};

class Crl {
 public:
  static Result<Crl> from_der(std::span<const std::uint8_t> der);
  static Result<Crl> from_pem(std::string_view pem);
  Bytes der() const;
  std::string pem() const;
  bool signed_by(const Certificate& ca) const;  // issuer name matches and the CA's signature verifies
  std::string issuer_text() const;
  TimePoint this_update() const;
  std::optional<TimePoint> next_update() const;
  std::vector<RevokedCertificate> entries() const;
  // When `cert` (same issuer name, same serial) is on the list: its revocation time.
  std::optional<TimePoint> revocation_of(const Certificate& cert) const;

 private:
  std::shared_ptr<X509_CRL> crl_;
};

// A v2 CRL signed by `ca` (with its own digest: Streebog-256 for a ГОСТ 2012-256 CA).
Result<Crl> issue_crl(const Certificate& ca, const PrivateKey& ca_key, const std::vector<RevokedCertificate>& revoked,
                      TimePoint this_update, TimePoint next_update, std::uint64_t number);

}  // namespace gosdoki::crypto
