#include "core/crypto/crl.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/crypto/detail.hpp"

namespace gosdoki::crypto {

namespace {

time_t to_time_t(TimePoint t) {
  return static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

TimePoint from_asn1(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return TimePoint{};
  return TimePoint{std::chrono::seconds(timegm(&tm))};
}

Result<std::shared_ptr<X509_CRL>> owned(X509_CRL* c, const char* what) {
  if (!c) return make_error("crypto.crl", detail::openssl_message(what));
  return std::shared_ptr<X509_CRL>(c, X509_CRL_free);
}

}  // namespace

Result<Crl> Crl::from_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  auto c = owned(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())), "not a DER certificate revocation list");
  if (!c) return c.error();
  Crl out;
  out.crl_ = *c;
  return out;
}

Result<Crl> Crl::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  auto c = owned(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr), "not a PEM X509 CRL");
  if (!c) return c.error();
  Crl out;
  out.crl_ = *c;
  return out;
}

Bytes Crl::der() const {
  int n = i2d_X509_CRL(crl_.get(), nullptr);
  if (n <= 0) return {};
  Bytes out(static_cast<std::size_t>(n));
  unsigned char* p = out.data();
  i2d_X509_CRL(crl_.get(), &p);
  return out;
}

std::string Crl::pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509_CRL(bio.get(), crl_.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

bool Crl::signed_by(const Certificate& ca) const {
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl_.get()), X509_get_subject_name(ca.get())) != 0) return false;
  EVP_PKEY* key = X509_get0_pubkey(ca.get());
  bool ok = key && X509_CRL_verify(crl_.get(), key) == 1;
  if (!ok) (void)detail::openssl_message("");  // clear the error queue
  return ok;
}

std::string Crl::issuer_text() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), X509_CRL_get_issuer(crl_.get()), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

TimePoint Crl::this_update() const { return from_asn1(X509_CRL_get0_lastUpdate(crl_.get())); }

std::optional<TimePoint> Crl::next_update() const {
  const ASN1_TIME* t = X509_CRL_get0_nextUpdate(crl_.get());
  if (!t) return std::nullopt;
  return from_asn1(t);
}

std::vector<RevokedCertificate> Crl::entries() const {
  std::vector<RevokedCertificate> out;
  STACK_OF(X509_REVOKED)* list = X509_CRL_get_REVOKED(crl_.get());
  for (int i = 0; i < sk_X509_REVOKED_num(list); ++i) {
    const X509_REVOKED* r = sk_X509_REVOKED_value(list, i);
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), nullptr);
    char* hex = bn ? BN_bn2hex(bn) : nullptr;
    out.push_back({hex ? hex : "", from_asn1(X509_REVOKED_get0_revocationDate(r))});
    OPENSSL_free(hex);
    BN_free(bn);
  }
  return out;
}

std::optional<TimePoint> Crl::revocation_of(const Certificate& cert) const {
  X509_REVOKED* r = nullptr;
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl_.get()), X509_get_issuer_name(cert.get())) != 0) return std::nullopt;
  if (X509_CRL_get0_by_serial(crl_.get(), &r, X509_get0_serialNumber(cert.get())) != 1 || !r) return std::nullopt;
  return from_asn1(X509_REVOKED_get0_revocationDate(r));
}

Result<Crl> issue_crl(const Certificate& ca, const PrivateKey& ca_key, const std::vector<RevokedCertificate>& revoked,
                      TimePoint this_update, TimePoint next_update, std::uint64_t number) {
  (void)init();
  auto crl = owned(X509_CRL_new(), "X509_CRL_new");
  if (!crl) return crl.error();
  X509_CRL* c = crl->get();
  X509_CRL_set_version(c, 1);  // v2
  X509_CRL_set_issuer_name(c, X509_get_subject_name(ca.get()));
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(ASN1_TIME_set(nullptr, to_time_t(this_update)), ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(ASN1_TIME_set(nullptr, to_time_t(next_update)), ASN1_TIME_free);
  X509_CRL_set1_lastUpdate(c, last.get());
  X509_CRL_set1_nextUpdate(c, next.get());
  for (const auto& r : revoked) {
    BIGNUM* bn = nullptr;
    if (r.serial_hex.empty() || BN_hex2bn(&bn, r.serial_hex.c_str()) != static_cast<int>(r.serial_hex.size())) {
      BN_free(bn);
      return make_error("crypto.crl", "serial '" + r.serial_hex + "' is not hexadecimal");
    }
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> when(ASN1_TIME_set(nullptr, to_time_t(r.revoked_at)), ASN1_TIME_free);
    X509_REVOKED_set_serialNumber(entry, serial);
    X509_REVOKED_set_revocationDate(entry, when.get());
    ASN1_INTEGER_free(serial);
    X509_CRL_add0_revoked(c, entry);
  }
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, ca.get(), nullptr, nullptr, c, 0);
  if (X509_EXTENSION* aki = X509V3_EXT_conf_nid(nullptr, &v3, NID_authority_key_identifier, "keyid:always")) {
    X509_CRL_add_ext(c, aki, -1);
    X509_EXTENSION_free(aki);
  }
  std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> num(ASN1_INTEGER_new(), ASN1_INTEGER_free);
  ASN1_INTEGER_set_uint64(num.get(), number);
  X509_CRL_add1_ext_i2d(c, NID_crl_number, num.get(), 0, 0);
  X509_CRL_sort(c);
  if (X509_CRL_sign(c, ca_key.get(), detail::digest_md(ca_key.kind())) <= 0) {
    return make_error("crypto.crl", detail::openssl_message("cannot sign the CRL"));
  }
  return Crl::from_der([&] {
    int n = i2d_X509_CRL(c, nullptr);
    Bytes der(static_cast<std::size_t>(n > 0 ? n : 0));
    unsigned char* p = der.data();
    if (n > 0) i2d_X509_CRL(c, &p);
    return der;
  }());
}

}  // namespace gosdoki::crypto
