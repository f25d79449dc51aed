#pragma once
// The explainer behind `gosdoki-sandbox smev3 verify FILE`: every ds:Signature in a document,
// what it references, and for a failure exactly which step failed (reference, digest,
// signature value, certificate) with the octets involved.
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crypto.hpp"

namespace gosdoki::xmldsig {

struct SignatureReport {
  std::string location;       // path of the ds:Signature
  std::string reference_uri;  // "#SIGNED_BY_SMEV"
  std::string referenced_path;
  std::string algorithms;     // e.g. "gost2012-256; exc-c14n, urn://smev-gov-ru/xmldsig/transform"
  std::string transformed_octets;  // what was hashed (after all transforms)
  std::string signed_info_octets;  // canonical SignedInfo (what was signed)
  std::string digest_claimed, digest_computed;
  std::string signature_value_b64;
  std::optional<crypto::Certificate> certificate;
  bool digest_ok = false;
  bool signature_ok = false;
  bool whitespace_in_signed_info = false;     // someone reformatted it after signing
  bool verifies_without_whitespace = false;   // …and without it the value verifies
  std::string verdict;  // one line: "OK" or what failed and why
};

std::vector<SignatureReport> explain_signatures(xmlDoc* doc);

// The first difference between two octet strings, with context, for "your transform vs ours".
std::string first_difference(const std::string& ours, const std::string& theirs);

}  // namespace gosdoki::xmldsig
