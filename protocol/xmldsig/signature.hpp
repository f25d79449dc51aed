#pragma once
// Detached XMLDSig as СМЭВ 3 uses it (domain/smev3.md §5): one Reference to an element Id,
// transforms exc-c14n then the SMEV transform, no whitespace inside ds:Signature, the signer's
// certificate in KeyInfo. Three crypto profiles; GOST R 34.10/34.11-2012-256 is the real one.
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"

namespace gosdoki::xmldsig {

inline constexpr const char* kDsNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr const char* kSmevTransformUri = "urn://smev-gov-ru/xmldsig/transform";
inline constexpr const char* kEnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

enum class Profile { gost2012_256, gost2012_512, rsa_sha256, ecdsa_p256 };
const char* profile_name(Profile p);  // "gost2012-256", "gost2012-512", "rsa-sha256", "ecdsa-p256"
const char* signature_method_uri(Profile p);
const char* digest_method_uri(Profile p);
std::optional<Profile> profile_for(crypto::KeyKind k);
std::optional<Profile> profile_from_signature_uri(std::string_view uri);

struct SignOptions {
  // The SMEV transform after exc-c14n. Off gives a plain exc-c14n reference that xmlsec1 can
  // check independently (it does not know the SMEV transform).
  bool smev_transform = true;
};

// Digest (base64) of `element` under the reference transforms, with the profile's digest.
Result<std::string> reference_digest(xmlDoc* doc, xmlNode* element, Profile profile, bool smev_transform);

// Returns the text of a <ds:Signature> over the element with Id `id` in `doc` (detached: the
// caller places it in the sibling wrapper, e.g. CallerInformationSystemSignature).
Result<std::string> sign_element(xmlDoc* doc, const std::string& id, const crypto::PrivateKey& key,
                                 const crypto::Certificate& cert, const SignOptions& options = {});

// What was checked, for journals and the explainer.
struct Verified {
  crypto::Certificate certificate;
  Profile profile;
  std::string referenced_id;
  std::string digest_b64;
};

struct VerifyOptions {
  bool require_smev_transform = true;
};

// Verifies the ds:Signature that is the single child of `wrapper`, which must reference
// `expected_id`. Error codes, in the order they are checked:
//   xmldsig.no_signature       wrapper missing or holds no ds:Signature
//   xmldsig.structure          SignedInfo/Reference/… missing or malformed
//   xmldsig.unsupported        an algorithm or transform we do not implement
//   xmldsig.incorrect_target   Reference URI is not #expected_id, or the Id is absent/duplicated
//   xmldsig.certificate        KeyInfo has no readable X509Certificate
//   xmldsig.digest_mismatch    the referenced element changed after signing
//   xmldsig.signature_invalid  SignatureValue does not verify with the certificate
Result<Verified> verify_signature(xmlDoc* doc, xmlNode* wrapper, const std::string& expected_id,
                                  const VerifyOptions& options = {});

// Removes whitespace-only text nodes directly inside ds:SignedInfo and its descendants: for
// reading files someone pretty-printed after signing (the conformance samples). Never applied
// to live traffic.
void strip_signedinfo_whitespace(xmlNode* signature);

}  // namespace gosdoki::xmldsig
