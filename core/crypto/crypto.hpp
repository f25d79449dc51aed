#pragma once
// OpenSSL 3 with Debian's GOST engine (ГОСТ Р 34.10/34.11-2012 need the ENGINE API: the
// provider in libengine-gost-openssl 3.0.1 has digests but no signatures). RSA and ECDSA P-256
// are here too so that outside tools (xmlsec1) can check the same signing code.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time/clock.hpp"
#include "core/util/bytes.hpp"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

namespace gosdoki::crypto {

// Loads the GOST engine once. Fails with crypto.gost_unavailable when the engine is missing;
// RSA and ECDSA keep working then.
Status init();
bool gost_available();

enum class DigestAlg { streebog256, streebog512, sha256 };
Result<Bytes> digest(DigestAlg alg, std::span<const std::uint8_t> data);
Result<Bytes> hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);
Bytes random_bytes(std::size_t n);

// What this process has spent on cryptography since it started: the figures behind the
// performance bound (benchmarks/README.md). Relaxed atomics: a few nanoseconds per operation.
struct OperationCounts {
  std::uint64_t signs = 0;               // sign(): one private-key operation each
  std::uint64_t verifies = 0;            // verify(): one public-key operation each
  std::uint64_t certificate_checks = 0;  // issuer signatures actually verified (issued_by, not cached)
  std::uint64_t gost_digests = 0;        // digest() with Streebog (XMLDSig references)
  std::uint64_t gost_digest_bytes = 0;   // bytes those hashed
};
OperationCounts operation_counts();

enum class KeyKind { gost2012_256, gost2012_512, rsa, ec_p256, unsupported };
const char* key_kind_name(KeyKind k);
// The digest each signature scheme uses with a key of that kind.
DigestAlg digest_for(KeyKind k);

class PrivateKey {
 public:
  static Result<PrivateKey> from_pem(std::string_view pem);
  static Result<PrivateKey> generate(KeyKind kind);
  std::string to_pem() const;
  KeyKind kind() const;
  EVP_PKEY* get() const { return key_.get(); }

 private:
  std::shared_ptr<EVP_PKEY> key_;
};

struct SubjectEntry {
  std::string field;  // short name ("CN", "O", "OGRN", "INN", "INNLE", "C", "L", "ST") or dotted OID
  std::string value;
};

class Certificate {
 public:
  static Result<Certificate> from_pem(std::string_view pem);
  static Result<Certificate> from_der(std::span<const std::uint8_t> der);
  static Result<Certificate> from_base64_der(std::string_view b64);
  Bytes der() const;
  std::string pem() const;
  std::string public_key_pem() const;  // SubjectPublicKeyInfo, for `openssl dgst -verify`
  std::string base64_der() const { return base64_encode(der()); }
  // First value of a subject field by short name or dotted OID; "" when absent.
  std::string subject_field(std::string_view field) const;
  std::string subject_text() const;  // one-line RFC 2253 form, for messages
  std::string issuer_text() const;
  std::string serial_hex() const;
  TimePoint not_before() const;
  TimePoint not_after() const;
  std::string fingerprint_sha256() const;  // hex over DER: our registry key
  KeyKind key_kind() const;
  // The issuer's signature over this certificate verifies. A pure function of the two DER
  // encodings, so a positive answer is remembered (bounded): every signed call re-presents the
  // same few certificates, and re-verifying each cost a public-key operation per request.
  bool issued_by(const Certificate& ca) const;
  bool matches(const PrivateKey& key) const;
  // keyUsage allows digitalSignature (true when the extension is absent, as RFC 5280 reads it).
  bool allows_signing() const;
  X509* get() const { return cert_.get(); }

 private:
  std::shared_ptr<X509> cert_;
};

// Raw signature values as XMLDSig carries them: GOST 64 bytes as the engine emits them,
// RSA PKCS#1 v1.5, ECDSA r||s (32+32).
Result<Bytes> sign(const PrivateKey& key, std::span<const std::uint8_t> data);
// Ok(false) = the signature does not verify; an error = it could not be checked at all.
Result<bool> verify(const Certificate& cert, std::span<const std::uint8_t> data,
                    std::span<const std::uint8_t> signature);

// Detached CMS SignedData (PKCS#7) as СМЭВ attachments carry it: content type data, signed
// attributes (contentType, signingTime, messageDigest), the signer's certificate included.
Result<Bytes> cms_sign_detached(const PrivateKey& key, const Certificate& cert, std::span<const std::uint8_t> content);
struct CmsVerified {
  Certificate signer;
};
// Errors: crypto.cms (not a CMS SignedData), crypto.cms_invalid (does not verify over `content`).
// The signer certificate is returned for the caller's own trust decision (chain, validity).
Result<CmsVerified> cms_verify_detached(std::span<const std::uint8_t> cms_der, std::span<const std::uint8_t> content);

struct CertificateSpec {
  std::vector<SubjectEntry> subject;
  TimePoint not_before;
  TimePoint not_after;
  bool is_ca = false;
  std::uint64_t serial = 1;
  std::string subject_alt_name;  // e.g. "DNS:localhost,IP:127.0.0.1" (a TLS server); empty = none
};
// Issues a certificate for `subject_key` signed by `issuer_key`; self-signed when `issuer` is null.
Result<Certificate> issue_certificate(const CertificateSpec& spec, const PrivateKey& subject_key,
                                      const Certificate* issuer, const PrivateKey& issuer_key);

}  // namespace gosdoki::crypto
