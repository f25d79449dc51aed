// The ENGINE API is deprecated in OpenSSL 3 but is the only way to GOST signatures on Debian 12.
#define OPENSSL_API_COMPAT 0x10100000L
#include "core/crypto/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <ctime>
#include <set>
#include <unordered_map>
#include <optional>
#include <mutex>

namespace gosdoki::crypto {
namespace {

std::once_flag g_once;
bool g_gost = false;
const EVP_MD* g_streebog = nullptr;

struct Counters {
  std::atomic<std::uint64_t> signs{0}, verifies{0}, certificate_checks{0}, gost_digests{0}, gost_digest_bytes{0};
};
Counters g_counts;

void count(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }
const EVP_MD* g_streebog512 = nullptr;

std::string openssl_error(const std::string& what) {
  unsigned long e = ERR_get_error();
  std::string out = what;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string bio_string(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

const EVP_MD* md_for(KeyKind k) {
  if (k == KeyKind::gost2012_256) return g_streebog;
  if (k == KeyKind::gost2012_512) return g_streebog512;
  return EVP_sha256();
}

KeyKind kind_of(const EVP_PKEY* k) {
  if (!k) return KeyKind::unsupported;
  int id = EVP_PKEY_get_base_id(k);
  if (id == NID_id_GostR3410_2012_256) return KeyKind::gost2012_256;
  if (id == NID_id_GostR3410_2012_512) return KeyKind::gost2012_512;
  if (id == EVP_PKEY_RSA) return KeyKind::rsa;
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, &len) == 1 &&
        std::string_view(group) == "prime256v1") {
      return KeyKind::ec_p256;
    }
  }
  return KeyKind::unsupported;
}

TimePoint from_asn1(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return TimePoint{};
  return TimePoint{std::chrono::seconds{timegm(&tm)}};
}

int name_type_for(const std::string& field) {
  if (field == "OGRN" || field == "INN" || field == "INNLE" || field == "SNILS" ||
      field == "1.2.643.100.1" || field == "1.2.643.3.131.1.1" || field == "1.2.643.100.4" ||
      field == "1.2.643.100.3" || field == "OGRNIP") {
    return V_ASN1_NUMERICSTRING;
  }
  if (field == "C") return MBSTRING_ASC;
  return MBSTRING_UTF8;
}

ASN1_OBJECT* field_object(std::string_view field) {
  std::string f(field);
  return OBJ_txt2obj(f.c_str(), 0);  // accepts short names and dotted OIDs
}

}  // namespace

namespace detail {
std::string openssl_message(const std::string& what) { return openssl_error(what); }
const EVP_MD* digest_md(KeyKind k) {
  (void)init();
  return md_for(k);
}
}  // namespace detail

Status init() {
  std::call_once(g_once, [] {
    if (OBJ_txt2nid("INNLE") == NID_undef) {
      // ИНН ЮЛ: not in OpenSSL 3.0's object table.
      OBJ_create("1.2.643.100.4", "INNLE", "INN of legal entity");
    }
    ENGINE_load_builtin_engines();
    ENGINE* e = ENGINE_by_id("gost");
    if (e && ENGINE_init(e) && ENGINE_set_default(e, ENGINE_METHOD_ALL)) {
      g_streebog = EVP_get_digestbyname("md_gost12_256");
      g_streebog512 = EVP_get_digestbyname("md_gost12_512");
      g_gost = g_streebog != nullptr;
    }
    if (e) ENGINE_free(e);  // the functional reference from ENGINE_init keeps it loaded
    ERR_clear_error();
  });
  if (!g_gost) {
    return make_error("crypto.gost_unavailable",
                      "the OpenSSL GOST engine (package libengine-gost-openssl) is not available");
  }
  return {};
}

bool gost_available() {
  (void)init();
  return g_gost;
}

const char* key_kind_name(KeyKind k) {
  switch (k) {
    case KeyKind::gost2012_256: return "gost2012-256";
    case KeyKind::gost2012_512: return "gost2012-512";
    case KeyKind::rsa: return "rsa";
    case KeyKind::ec_p256: return "ecdsa-p256";
    default: return "unsupported";
  }
}

DigestAlg digest_for(KeyKind k) {
  if (k == KeyKind::gost2012_256) return DigestAlg::streebog256;
  if (k == KeyKind::gost2012_512) return DigestAlg::streebog512;
  return DigestAlg::sha256;
}

Result<Bytes> digest(DigestAlg alg, std::span<const std::uint8_t> data) {
  (void)init();
  const EVP_MD* md = alg == DigestAlg::streebog256 ? g_streebog : alg == DigestAlg::streebog512 ? g_streebog512 : EVP_sha256();
  if (!md) return make_error("crypto.gost_unavailable", "GOST R 34.11-2012 digest is not available");
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (alg != DigestAlg::sha256) {
    count(g_counts.gost_digests);
    count(g_counts.gost_digest_bytes, data.size());
  }
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
    return make_error("crypto.digest", openssl_error("digest failed"));
  }
  out.resize(len);
  return out;
}

OperationCounts operation_counts() {
  auto get = [](const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  return {get(g_counts.signs), get(g_counts.verifies), get(g_counts.certificate_checks), get(g_counts.gost_digests),
          get(g_counts.gost_digest_bytes)};
}

Result<Bytes> hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
            out.data(), &len)) {
    return make_error("crypto.hmac", openssl_error("HMAC failed"));
  }
  out.resize(len);
  return out;
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1) out.assign(n, 0);
  return out;
}

// ---- keys ----

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  (void)init();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // An unencrypted PKCS#8 key (what fixtures and `openssl genpkey` write) goes straight to its
  // key type; the generic reader tries every decoder OpenSSL 3 has, about 1 ms a key, which was
  // a fifth of serve's start-up. Anything else takes the generic path.
  EVP_PKEY* k = nullptr;
  if (pem.find("-----BEGIN PRIVATE KEY-----") != std::string_view::npos) {
    if (PKCS8_PRIV_KEY_INFO* p8 = PEM_read_bio_PKCS8_PRIV_KEY_INFO(bio.get(), nullptr, nullptr, nullptr)) {
      k = EVP_PKCS82PKEY(p8);
      PKCS8_PRIV_KEY_INFO_free(p8);
    }
    ERR_clear_error();
  }
  if (!k) {
    bio.reset(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  }
  if (!k) return make_error("crypto.key", openssl_error("cannot read the private key (PEM)"));
  PrivateKey out;
  out.key_.reset(k, EVP_PKEY_free);
  if (out.kind() == KeyKind::unsupported) {
    return make_error("crypto.key", "unsupported key type (expected GOST R 34.10-2012-256, RSA or EC P-256)");
  }
  return out;
}

Result<PrivateKey> PrivateKey::generate(KeyKind kind) {
  (void)init();
  EVP_PKEY* k = nullptr;
  if (kind == KeyKind::gost2012_256 || kind == KeyKind::gost2012_512) {
    if (!g_gost) return make_error("crypto.gost_unavailable", "GOST engine not available");
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(
        kind == KeyKind::gost2012_256 ? NID_id_GostR3410_2012_256 : NID_id_GostR3410_2012_512, nullptr);
    if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_ctrl_str(ctx, "paramset", "A") <= 0 ||
        EVP_PKEY_keygen(ctx, &k) != 1) {
      EVP_PKEY_CTX_free(ctx);
      return make_error("crypto.keygen", openssl_error("GOST key generation failed"));
    }
    EVP_PKEY_CTX_free(ctx);
  } else if (kind == KeyKind::rsa) {
    k = EVP_RSA_gen(2048);
  } else if (kind == KeyKind::ec_p256) {
    k = EVP_EC_gen("P-256");
  }
  if (!k) return make_error("crypto.keygen", openssl_error("key generation failed"));
  PrivateKey out;
  out.key_.reset(k, EVP_PKEY_free);
  return out;
}

std::string PrivateKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(bio.get());
}

KeyKind PrivateKey::kind() const { return kind_of(key_.get()); }

// ---- certificates ----

Result<Certificate> Certificate::from_pem(std::string_view pem) {
  (void)init();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (!x) return make_error("crypto.certificate", openssl_error("cannot read the certificate (PEM)"));
  Certificate c;
  c.cert_.reset(x, X509_free);
  return c;
}

Result<Certificate> Certificate::from_der(std::span<const std::uint8_t> der) {
  (void)init();
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!x) return make_error("crypto.certificate", openssl_error("cannot read the certificate (DER)"));
  if (p != der.data() + der.size()) {
    X509_free(x);
    return make_error("crypto.certificate", "trailing bytes after the certificate (DER)");
  }
  Certificate c;
  c.cert_.reset(x, X509_free);
  return c;
}

Result<Certificate> Certificate::from_base64_der(std::string_view b64) {
  // Every signed call carries its certificate in KeyInfo, and the same few come again and again:
  // parsed ones are remembered by their text (a Certificate is immutable and shares its X509).
  // Never destroyed: at exit OpenSSL is cleaned up before static objects, and freeing an X509
  // after that crashes (found by the fuzz run).
  static std::mutex mu;
  static auto& parsed = *new std::unordered_map<std::string, Certificate>();
  constexpr std::size_t kMaxRemembered = 1024;
  std::string key(b64);
  {
    std::lock_guard lock(mu);
    if (auto it = parsed.find(key); it != parsed.end()) return it->second;
  }
  auto der = base64_decode(b64);
  if (!der) return make_error("crypto.certificate", "certificate: " + der.error().message);
  auto cert = from_der(*der);
  if (cert) {
    std::lock_guard lock(mu);
    if (parsed.size() >= kMaxRemembered) parsed.clear();
    parsed.emplace(std::move(key), *cert);
  }
  return cert;
}

Bytes Certificate::der() const {
  int len = i2d_X509(cert_.get(), nullptr);
  Bytes out(static_cast<std::size_t>(len > 0 ? len : 0));
  unsigned char* p = out.data();
  if (len > 0) i2d_X509(cert_.get(), &p);
  return out;
}

std::string Certificate::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert_.get());
  return bio_string(bio.get());
}

std::string Certificate::public_key_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), X509_get0_pubkey(cert_.get()));
  return bio_string(bio.get());
}

std::string Certificate::subject_field(std::string_view field) const {
  ASN1_OBJECT* obj = field_object(field);
  if (!obj) return {};
  X509_NAME* name = X509_get_subject_name(cert_.get());
  int idx = X509_NAME_get_index_by_OBJ(name, obj, -1);
  ASN1_OBJECT_free(obj);
  if (idx < 0) return {};
  ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, s);
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

namespace {
std::string name_text(X509_NAME* n) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_string(bio.get());
}
}  // namespace

std::string Certificate::subject_text() const { return name_text(X509_get_subject_name(cert_.get())); }
std::string Certificate::issuer_text() const { return name_text(X509_get_issuer_name(cert_.get())); }

std::string Certificate::serial_hex() const {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out(hex);
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

TimePoint Certificate::not_before() const { return from_asn1(X509_get0_notBefore(cert_.get())); }
TimePoint Certificate::not_after() const { return from_asn1(X509_get0_notAfter(cert_.get())); }

std::string Certificate::fingerprint_sha256() const {
  auto d = digest(DigestAlg::sha256, der());
  return d ? hex_encode(*d) : std::string{};
}

KeyKind Certificate::key_kind() const { return kind_of(X509_get0_pubkey(cert_.get())); }

bool Certificate::issued_by(const Certificate& ca) const {
  if (X509_NAME_cmp(X509_get_issuer_name(cert_.get()), X509_get_subject_name(ca.get())) != 0) return false;
  static std::mutex mu;
  static std::set<std::string> verified;  // fingerprint of the certificate + of its issuer
  constexpr std::size_t kMaxRemembered = 4096;
  std::string key = fingerprint_sha256() + ca.fingerprint_sha256();
  {
    std::lock_guard lock(mu);
    if (verified.count(key)) return true;
  }
  EVP_PKEY* pub = X509_get0_pubkey(ca.get());
  count(g_counts.certificate_checks);
  bool ok = pub && X509_verify(cert_.get(), pub) == 1;
  ERR_clear_error();
  if (ok) {
    std::lock_guard lock(mu);
    if (verified.size() >= kMaxRemembered) verified.clear();
    verified.insert(std::move(key));
  }
  return ok;
}

bool Certificate::allows_signing() const {
  std::uint32_t ku = X509_get_key_usage(cert_.get());
  return ku == UINT32_MAX || (ku & KU_DIGITAL_SIGNATURE) != 0;
}

bool Certificate::matches(const PrivateKey& key) const {
  EVP_PKEY* pub = X509_get0_pubkey(cert_.get());
  return pub && EVP_PKEY_eq(pub, key.get()) == 1;
}

// ---- sign / verify ----

Result<Bytes> sign(const PrivateKey& key, std::span<const std::uint8_t> data) {
  KeyKind kind = key.kind();
  const EVP_MD* md = md_for(kind);
  if (!md) return make_error("crypto.gost_unavailable", "GOST engine not available for signing");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  count(g_counts.signs);
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1) {
    return make_error("crypto.sign", openssl_error("signing failed"));
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1) {
    return make_error("crypto.sign", openssl_error("signing failed"));
  }
  sig.resize(len);
  if (kind == KeyKind::ec_p256) {
    const unsigned char* p = sig.data();
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    if (!es) return make_error("crypto.sign", "cannot decode the ECDSA signature");
    Bytes raw(64);
    BN_bn2binpad(ECDSA_SIG_get0_r(es), raw.data(), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw.data() + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }
  return sig;
}

Result<bool> verify(const Certificate& cert, std::span<const std::uint8_t> data,
                    std::span<const std::uint8_t> signature) {
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  KeyKind kind = kind_of(pub);
  if (kind == KeyKind::unsupported) {
    return make_error("crypto.verify", "unsupported public key type in " + cert.subject_text());
  }
  const EVP_MD* md = md_for(kind);
  if (!md) return make_error("crypto.gost_unavailable", "GOST engine not available for verification");
  Bytes der_sig;
  std::span<const std::uint8_t> sig = signature;
  if (kind == KeyKind::ec_p256) {
    if (signature.size() != 64) return false;
    ECDSA_SIG* es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(signature.data(), 32, nullptr),
                   BN_bin2bn(signature.data() + 32, 32, nullptr));
    int len = i2d_ECDSA_SIG(es, nullptr);
    der_sig.resize(static_cast<std::size_t>(len));
    unsigned char* p = der_sig.data();
    i2d_ECDSA_SIG(es, &p);
    ECDSA_SIG_free(es);
    sig = der_sig;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pub) != 1) {
    return make_error("crypto.verify", openssl_error("cannot start verification"));
  }
  count(g_counts.verifies);
  int rc = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size());
  ERR_clear_error();
  return rc == 1;
}

// ---- CMS (attachments) ----

Result<Bytes> cms_sign_detached(const PrivateKey& key, const Certificate& cert, std::span<const std::uint8_t> content) {
  (void)init();
  BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  CMS_ContentInfo* cms = CMS_sign(cert.get(), key.get(), nullptr, in.get(), CMS_DETACHED | CMS_BINARY);
  if (!cms) return make_error("crypto.cms", openssl_error("cannot make the CMS signature"));
  int len = i2d_CMS_ContentInfo(cms, nullptr);
  Bytes out(static_cast<std::size_t>(len > 0 ? len : 0));
  unsigned char* p = out.data();
  if (len > 0) i2d_CMS_ContentInfo(cms, &p);
  CMS_ContentInfo_free(cms);
  return out;
}

Result<CmsVerified> cms_verify_detached(std::span<const std::uint8_t> cms_der, std::span<const std::uint8_t> content) {
  (void)init();
  const unsigned char* p = cms_der.data();
  CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size()));
  if (!cms) return make_error("crypto.cms", openssl_error("not a CMS (PKCS#7) SignedData"));
  STACK_OF(X509)* signers = nullptr;
  BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  // Trust is the caller's decision (our test CA, validity by the virtual clock): no store here.
  int ok = CMS_verify(cms, nullptr, nullptr, in.get(), nullptr, CMS_DETACHED | CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
  std::optional<Certificate> signer;
  if (ok == 1) {
    signers = CMS_get0_signers(cms);
    if (signers && sk_X509_num(signers) > 0) {
      X509* x = sk_X509_value(signers, 0);  // borrowed from the CMS structure
      auto der_len = i2d_X509(x, nullptr);
      Bytes der(static_cast<std::size_t>(der_len > 0 ? der_len : 0));
      unsigned char* q = der.data();
      if (der_len > 0) i2d_X509(x, &q);
      auto parsed = Certificate::from_der(der);
      if (parsed) signer = *parsed;
    }
    sk_X509_free(signers);
  }
  std::string why = ok == 1 ? "" : openssl_error("the signature does not verify over the attachment");
  CMS_ContentInfo_free(cms);
  if (ok != 1) return make_error("crypto.cms_invalid", why);
  if (!signer) return make_error("crypto.cms", "the CMS signature carries no signer certificate");
  return CmsVerified{*signer};
}

// ---- issuing ----

Result<Certificate> issue_certificate(const CertificateSpec& spec, const PrivateKey& subject_key,
                                      const Certificate* issuer, const PrivateKey& issuer_key) {
  (void)init();
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), spec.serial);
  X509_NAME* name = X509_get_subject_name(x.get());
  for (const auto& e : spec.subject) {
    ASN1_OBJECT* obj = field_object(e.field);
    if (!obj) return make_error("crypto.issue", "unknown subject field '" + e.field + "'");
    int ok = X509_NAME_add_entry_by_OBJ(name, obj, name_type_for(e.field),
                                        reinterpret_cast<const unsigned char*>(e.value.data()),
                                        static_cast<int>(e.value.size()), -1, 0);
    ASN1_OBJECT_free(obj);
    if (ok != 1) return make_error("crypto.issue", openssl_error("bad subject value for " + e.field));
  }
  X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer->get()) : name);
  auto secs = [](TimePoint t) {
    return static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  };
  ASN1_TIME_set(X509_getm_notBefore(x.get()), secs(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), secs(spec.not_after));
  X509_set_pubkey(x.get(), subject_key.get());

  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, issuer ? issuer->get() : x.get(), x.get(), nullptr, nullptr, 0);
  auto add_ext = [&](int nid, const char* value) -> bool {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (!ext) return false;
    X509_add_ext(x.get(), ext, -1);
    X509_EXTENSION_free(ext);
    return true;
  };
  bool ok = add_ext(NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            add_ext(NID_key_usage, spec.is_ca ? "critical,keyCertSign,cRLSign"
                                              : "critical,digitalSignature,nonRepudiation") &&
            add_ext(NID_subject_key_identifier, "hash") &&
            (spec.is_ca && !issuer ? true : add_ext(NID_authority_key_identifier, "keyid:always")) &&
            (spec.subject_alt_name.empty() ? true : add_ext(NID_subject_alt_name, spec.subject_alt_name.c_str()));
  if (!ok) return make_error("crypto.issue", openssl_error("cannot add certificate extensions"));
  if (X509_sign(x.get(), issuer_key.get(), md_for(issuer_key.kind())) <= 0) {
    return make_error("crypto.issue", openssl_error("cannot sign the certificate"));
  }
  Certificate c;
  auto der_len = i2d_X509(x.get(), nullptr);
  Bytes der(static_cast<std::size_t>(der_len));
  unsigned char* p = der.data();
  i2d_X509(x.get(), &p);
  return Certificate::from_der(der);
}

}  // namespace gosdoki::crypto
