#include "protocol/xmldsig/explain.hpp"

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/xmldsig/signature.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

namespace gosdoki::xmldsig {
namespace {

std::vector<xmlNode*> all_signatures(xmlDoc* doc) {
  std::vector<xmlNode*> out;
  std::vector<xmlNode*> stack{xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (xml::is(n, kDsNs, "Signature")) out.push_back(n);
    std::vector<xmlNode*> kids = xml::children(n);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

bool has_blank_text(xmlNode* n) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) return true;
    if (c->type == XML_ELEMENT_NODE && has_blank_text(c)) return true;
  }
  return false;
}

}  // namespace

std::vector<SignatureReport> explain_signatures(xmlDoc* doc) {
  std::vector<SignatureReport> reports;
  for (xmlNode* sig : all_signatures(doc)) {
    SignatureReport r;
    r.location = xml::path(sig);
    xmlNode* si = xml::child(sig, kDsNs, "SignedInfo");
    xmlNode* ref = si ? xml::child(si, kDsNs, "Reference") : nullptr;
    xmlNode* sm = si ? xml::child(si, kDsNs, "SignatureMethod") : nullptr;
    if (!si || !ref || !sm) {
      r.verdict = "malformed: SignedInfo with SignatureMethod and Reference is required";
      reports.push_back(std::move(r));
      continue;
    }
    r.reference_uri = xml::attr(ref, "URI");
    auto profile = profile_from_signature_uri(xml::attr(sm, "Algorithm"));
    bool smev = false;
    std::string transforms;
    if (xmlNode* ts = xml::child(ref, kDsNs, "Transforms")) {
      for (xmlNode* t = xml::first_element(ts); t; t = xml::next_element(t)) {
        std::string a = xml::attr(t, "Algorithm");
        smev = smev || a == kSmevTransformUri;
        transforms += (transforms.empty() ? "" : ", ") + a;
      }
    }
    r.algorithms = std::string(profile ? profile_name(*profile) : "unsupported SignatureMethod " + xml::attr(sm, "Algorithm")) +
                   "; " + transforms;
    if (xmlNode* dv = xml::child(ref, kDsNs, "DigestValue")) r.digest_claimed = xml::text(dv);
    if (xmlNode* sv = xml::child(sig, kDsNs, "SignatureValue")) r.signature_value_b64 = xml::text(sv);
    if (auto c14n = xml::exc_c14n(doc, si)) r.signed_info_octets = *c14n;
    r.whitespace_in_signed_info = has_blank_text(si);
    xmlNode* ki = xml::child(sig, kDsNs, "KeyInfo");
    xmlNode* xd = ki ? xml::child(ki, kDsNs, "X509Data") : nullptr;
    xmlNode* xc = xd ? xml::child(xd, kDsNs, "X509Certificate") : nullptr;
    if (xc) {
      if (auto c = crypto::Certificate::from_base64_der(xml::text(xc))) r.certificate = *c;
    }
    std::string id = r.reference_uri.rfind('#', 0) == 0 ? r.reference_uri.substr(1) : "";
    auto targets = id.empty() ? std::vector<xmlNode*>{} : xml::find_by_id(xmlDocGetRootElement(doc), id);
    if (targets.size() != 1) {
      r.verdict = "reference " + r.reference_uri + " matches " + std::to_string(targets.size()) +
                  " elements (exactly one element with that Id is required)";
      reports.push_back(std::move(r));
      continue;
    }
    r.referenced_path = xml::path(targets[0]);
    if (!profile) {
      r.verdict = "unsupported SignatureMethod";
      reports.push_back(std::move(r));
      continue;
    }
    auto octets = smev ? smev_transform(targets[0]) : xml::exc_c14n(doc, targets[0]);
    if (!octets) {
      r.verdict = "the transforms fail on the referenced element: " + octets.error().message;
      reports.push_back(std::move(r));
      continue;
    }
    r.transformed_octets = *octets;
    auto computed = reference_digest(doc, targets[0], *profile, smev);
    if (computed) r.digest_computed = *computed;
    auto claimed_raw = base64_decode(r.digest_claimed);
    auto computed_raw = computed ? base64_decode(*computed) : Result<Bytes>(computed.error());
    r.digest_ok = claimed_raw && computed_raw && *claimed_raw == *computed_raw;
    if (r.certificate) {
      auto sigv = base64_decode(r.signature_value_b64);
      if (sigv) {
        auto v = crypto::verify(*r.certificate, as_bytes(r.signed_info_octets), *sigv);
        r.signature_ok = v && *v;
        if (!r.signature_ok && r.whitespace_in_signed_info) {
          // Was it pretty-printed after signing? Try the SignedInfo without that whitespace.
          xmlNode* copy = xmlCopyNode(sig, 1);
          xmlAddNextSibling(sig, copy);
          strip_signedinfo_whitespace(copy);
          auto c14n = xml::exc_c14n(doc, xml::child(copy, kDsNs, "SignedInfo"));
          auto v2 = c14n ? crypto::verify(*r.certificate, as_bytes(*c14n), *sigv) : Result<bool>(c14n.error());
          r.verifies_without_whitespace = v2 && *v2;
          xmlUnlinkNode(copy);
          xmlFreeNode(copy);
        }
      }
    }
    if (!r.digest_ok) {
      r.verdict = "DigestValue does not match " + r.reference_uri + ": computed " + r.digest_computed + ", signed " +
                  r.digest_claimed + " — the element changed after signing, or the signer's transform differs "
                  "(compare its octets with --expect-octets)";
    } else if (!r.certificate) {
      r.verdict = "digest OK, but KeyInfo has no readable X509Certificate to check the SignatureValue";
    } else if (!r.signature_ok) {
      r.verdict = r.verifies_without_whitespace
                      ? "digest OK; SignatureValue does not verify as the document stands, but does once the whitespace "
                        "inside SignedInfo is removed: the message was reformatted after signing"
                      : "digest OK; SignatureValue does not verify with the certificate in KeyInfo (wrong key, "
                        "or SignedInfo changed after signing)";
    } else {
      r.verdict = "OK";
    }
    reports.push_back(std::move(r));
  }
  return reports;
}

std::string first_difference(const std::string& ours, const std::string& theirs) {
  std::size_t i = 0;
  while (i < ours.size() && i < theirs.size() && ours[i] == theirs[i]) ++i;
  if (i == ours.size() && i == theirs.size()) return "identical (" + std::to_string(ours.size()) + " bytes)";
  auto window = [&](const std::string& s) {
    std::size_t from = i > 40 ? i - 40 : 0;
    return s.substr(from, std::min<std::size_t>(100, s.size() - std::min(from, s.size())));
  };
  return "first difference at byte " + std::to_string(i) + " (ours " + std::to_string(ours.size()) + " bytes, theirs " +
         std::to_string(theirs.size()) + ")\n  ours:   …" + window(ours) + "\n  theirs: …" + window(theirs);
}

}  // namespace gosdoki::xmldsig
