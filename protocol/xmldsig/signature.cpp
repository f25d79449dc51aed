#include "protocol/xmldsig/signature.hpp"

#include <vector>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

namespace gosdoki::xmldsig {
namespace {

crypto::DigestAlg digest_alg(Profile p) {
  if (p == Profile::gost2012_256) return crypto::DigestAlg::streebog256;
  if (p == Profile::gost2012_512) return crypto::DigestAlg::streebog512;
  return crypto::DigestAlg::sha256;
}

Error err(const char* code, std::string msg) { return make_error(code, std::move(msg)); }

xmlNode* ds_child(const xmlNode* parent, const char* local) { return xml::child(parent, kDsNs, local); }

}  // namespace

const char* profile_name(Profile p) {
  switch (p) {
    case Profile::gost2012_256: return "gost2012-256";
    case Profile::gost2012_512: return "gost2012-512";
    case Profile::rsa_sha256: return "rsa-sha256";
    case Profile::ecdsa_p256: return "ecdsa-p256";
  }
  return "?";
}

const char* signature_method_uri(Profile p) {
  switch (p) {
    case Profile::gost2012_256: return "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256";
    case Profile::gost2012_512: return "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-512";
    case Profile::rsa_sha256: return "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    case Profile::ecdsa_p256: return "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
  }
  return "";
}

const char* digest_method_uri(Profile p) {
  switch (p) {
    case Profile::gost2012_256: return "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256";
    case Profile::gost2012_512: return "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-512";
    case Profile::rsa_sha256:
    case Profile::ecdsa_p256: return "http://www.w3.org/2001/04/xmlenc#sha256";
  }
  return "";
}

std::optional<Profile> profile_for(crypto::KeyKind k) {
  switch (k) {
    case crypto::KeyKind::gost2012_256: return Profile::gost2012_256;
    case crypto::KeyKind::gost2012_512: return Profile::gost2012_512;
    case crypto::KeyKind::rsa: return Profile::rsa_sha256;
    case crypto::KeyKind::ec_p256: return Profile::ecdsa_p256;
    default: return std::nullopt;
  }
}

std::optional<Profile> profile_from_signature_uri(std::string_view uri) {
  for (Profile p : {Profile::gost2012_256, Profile::gost2012_512, Profile::rsa_sha256, Profile::ecdsa_p256}) {
    if (uri == signature_method_uri(p)) return p;
  }
  return std::nullopt;
}

Result<std::string> reference_digest(xmlDoc* doc, xmlNode* element, Profile profile, bool smev_transform) {
  std::string octets;
  if (smev_transform) {
    // The transform reads only the infoset that exc-c14n would hand it, so it runs on the tree
    // directly (tests check this against exc-c14n + transform over the octets).
    auto t = xmldsig::smev_transform(element);
    if (!t) return t.error();
    octets = std::move(*t);
  } else {
    auto c = xml::exc_c14n(doc, element);
    if (!c) return c.error();
    octets = std::move(*c);
  }
  auto d = crypto::digest(digest_alg(profile), as_bytes(octets));
  if (!d) return d.error();
  return base64_encode(*d);
}

namespace {

std::string signed_info_text(Profile p, const std::string& id, const std::string& digest, bool smev) {
  std::string s;
  s.reserve(700);
  s += "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"";
  s += kExcC14n;
  s += "\"/><ds:SignatureMethod Algorithm=\"";
  s += signature_method_uri(p);
  s += "\"/><ds:Reference URI=\"#";
  s += xml::escape_attr(id);
  s += "\"><ds:Transforms><ds:Transform Algorithm=\"";
  s += kExcC14n;
  s += "\"/>";
  if (smev) {
    s += "<ds:Transform Algorithm=\"";
    s += kSmevTransformUri;
    s += "\"/>";
  }
  s += "</ds:Transforms><ds:DigestMethod Algorithm=\"";
  s += digest_method_uri(p);
  s += "\"/><ds:DigestValue>";
  s += digest;
  s += "</ds:DigestValue></ds:Reference></ds:SignedInfo>";
  return s;
}

}  // namespace

Result<std::string> sign_element(xmlDoc* doc, const std::string& id, const crypto::PrivateKey& key,
                                 const crypto::Certificate& cert, const SignOptions& options) {
  auto profile = profile_for(key.kind());
  if (!profile) return err("xmldsig.unsupported", "no XMLDSig profile for this key type");
  auto targets = xml::find_by_id(xmlDocGetRootElement(doc), id);
  if (targets.size() != 1) {
    return err("xmldsig.incorrect_target", "expected exactly one element with Id=\"" + id + "\", found " +
                                               std::to_string(targets.size()));
  }
  auto digest = reference_digest(doc, targets.front(), *profile, options.smev_transform);
  if (!digest) return digest.error();
  std::string signed_info = signed_info_text(*profile, id, *digest, options.smev_transform);
  // Canonical SignedInfo as it will stand inside ds:Signature: exclusive C14N only pulls in the
  // ds namespace it uses, so a standalone Signature document gives the same octets.
  std::string skeleton = std::string("<ds:Signature xmlns:ds=\"") + kDsNs + "\">" + signed_info + "</ds:Signature>";
  auto sdoc = xml::parse(skeleton);
  if (!sdoc) return sdoc.error();
  xmlNode* si = ds_child(xmlDocGetRootElement(sdoc->get()), "SignedInfo");
  auto c14n = xml::exc_c14n(sdoc->get(), si);
  if (!c14n) return c14n.error();
  auto sig = crypto::sign(key, as_bytes(*c14n));
  if (!sig) return sig.error();
  std::string out;
  out.reserve(skeleton.size() + 2000);
  out += "<ds:Signature xmlns:ds=\"";
  out += kDsNs;
  out += "\">";
  out += signed_info;
  out += "<ds:SignatureValue>";
  out += base64_encode(*sig);
  out += "</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>";
  out += cert.base64_der();
  out += "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>";
  return out;
}

Result<Verified> verify_signature(xmlDoc* doc, xmlNode* wrapper, const std::string& expected_id,
                                  const VerifyOptions& options) {
  if (!wrapper) return err("xmldsig.no_signature", "no signature element");
  xmlNode* sig = ds_child(wrapper, "Signature");
  if (!sig) return err("xmldsig.no_signature", xml::path(wrapper) + " holds no ds:Signature");
  xmlNode* si = ds_child(sig, "SignedInfo");
  xmlNode* sv = ds_child(sig, "SignatureValue");
  if (!si || !sv) return err("xmldsig.structure", xml::path(sig) + ": SignedInfo and SignatureValue are required");
  xmlNode* cm = ds_child(si, "CanonicalizationMethod");
  xmlNode* sm = ds_child(si, "SignatureMethod");
  if (!cm || !sm) return err("xmldsig.structure", xml::path(si) + ": CanonicalizationMethod and SignatureMethod are required");
  if (xml::attr(cm, "Algorithm") != kExcC14n) {
    return err("xmldsig.unsupported", "CanonicalizationMethod '" + xml::attr(cm, "Algorithm") +
                                          "' is not exclusive C14N (" + kExcC14n + ")");
  }
  auto profile = profile_from_signature_uri(xml::attr(sm, "Algorithm"));
  if (!profile) return err("xmldsig.unsupported", "SignatureMethod '" + xml::attr(sm, "Algorithm") + "' is not supported");
  std::vector<xmlNode*> refs;
  for (xmlNode* c = xml::first_element(si); c; c = xml::next_element(c)) {
    if (xml::is(c, kDsNs, "Reference")) refs.push_back(c);
  }
  if (refs.size() != 1) {
    return err("xmldsig.structure", "SignedInfo must hold exactly one Reference, found " + std::to_string(refs.size()));
  }
  xmlNode* ref = refs.front();
  std::string uri = xml::attr(ref, "URI");
  if (uri != "#" + expected_id) {
    return err("xmldsig.incorrect_target",
               "Reference URI is '" + uri + "', but this signature must cover #" + expected_id);
  }
  // Transforms: [enveloped-signature] exc-c14n [smev]; enveloped-signature is harmless for a
  // detached signature and some clients send it (domain/smev3.md §5.1).
  bool smev = false;
  if (xmlNode* ts = ds_child(ref, "Transforms")) {
    std::vector<std::string> algs;
    for (xmlNode* t = xml::first_element(ts); t; t = xml::next_element(t)) algs.push_back(xml::attr(t, "Algorithm"));
    std::size_t i = 0;
    if (i < algs.size() && algs[i] == kEnvelopedSignature) ++i;
    if (i >= algs.size() || algs[i] != kExcC14n) {
      return err("xmldsig.unsupported", "the first Reference transform must be exclusive C14N");
    }
    ++i;
    if (i < algs.size() && algs[i] == kSmevTransformUri) {
      smev = true;
      ++i;
    }
    if (i != algs.size()) {
      return err("xmldsig.unsupported", "Reference transforms must be [enveloped-signature,] exc-c14n[, " +
                                            std::string(kSmevTransformUri) + "] once each; found '" + algs[i] +
                                            "' at position " + std::to_string(i + 1));
    }
  } else {
    return err("xmldsig.structure", "Reference has no Transforms");
  }
  if (options.require_smev_transform && !smev) {
    return err("xmldsig.unsupported", std::string("the Reference must apply ") + kSmevTransformUri);
  }
  xmlNode* dm = ds_child(ref, "DigestMethod");
  xmlNode* dv = ds_child(ref, "DigestValue");
  if (!dm || !dv) return err("xmldsig.structure", "Reference needs DigestMethod and DigestValue");
  if (xml::attr(dm, "Algorithm") != digest_method_uri(*profile)) {
    return err("xmldsig.unsupported", "DigestMethod '" + xml::attr(dm, "Algorithm") + "' does not match " +
                                          profile_name(*profile));
  }
  auto targets = xml::find_by_id(xmlDocGetRootElement(doc), expected_id);
  if (targets.size() != 1) {
    return err("xmldsig.incorrect_target", "the document must hold exactly one element with Id=\"" + expected_id +
                                               "\", found " + std::to_string(targets.size()));
  }
  xmlNode* ki = ds_child(sig, "KeyInfo");
  xmlNode* xd = ki ? ds_child(ki, "X509Data") : nullptr;
  xmlNode* xc = xd ? ds_child(xd, "X509Certificate") : nullptr;
  if (!xc) return err("xmldsig.certificate", "KeyInfo/X509Data/X509Certificate is missing");
  auto cert = crypto::Certificate::from_base64_der(xml::text(xc));
  if (!cert) return err("xmldsig.certificate", "X509Certificate: " + cert.error().message);
  auto want_profile = profile_for(cert->key_kind());
  if (!want_profile || *want_profile != *profile) {
    return err("xmldsig.signature_invalid", std::string("SignatureMethod is ") + profile_name(*profile) +
                                                " but the certificate key is " + crypto::key_kind_name(cert->key_kind()));
  }

  auto digest = reference_digest(doc, targets.front(), *profile, smev);
  if (!digest) return digest.error();
  std::string claimed = xml::text(dv);
  auto claimed_bytes = base64_decode(claimed);
  auto actual_bytes = base64_decode(*digest);
  if (!claimed_bytes || *claimed_bytes != *actual_bytes) {
    return err("xmldsig.digest_mismatch", "DigestValue of #" + expected_id + " does not match its content (computed " +
                                              *digest + ", signed " + claimed + "): the element changed after signing");
  }
  auto c14n = xml::exc_c14n(doc, si);
  if (!c14n) return c14n.error();
  auto sig_bytes = base64_decode(xml::text(sv));
  if (!sig_bytes) return err("xmldsig.signature_invalid", "SignatureValue is not base64: " + sig_bytes.error().message);
  auto ok = crypto::verify(*cert, as_bytes(*c14n), *sig_bytes);
  if (!ok) return ok.error();
  if (!*ok) {
    return err("xmldsig.signature_invalid", "SignatureValue does not verify with the certificate " + cert->subject_text());
  }
  return Verified{*cert, *profile, expected_id, *digest};
}

void strip_signedinfo_whitespace(xmlNode* signature) {
  xmlNode* si = ds_child(signature, "SignedInfo");
  if (!si) return;
  std::vector<xmlNode*> stack{si};
  std::vector<xmlNode*> blanks;
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) blanks.push_back(c);
      else if (c->type == XML_ELEMENT_NODE) stack.push_back(c);
    }
  }
  for (xmlNode* b : blanks) {
    xmlUnlinkNode(b);
    xmlFreeNode(b);
  }
}

}  // namespace gosdoki::xmldsig
