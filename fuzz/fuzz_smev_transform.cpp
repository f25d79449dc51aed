// The SMEV transform (urn://smev-gov-ru/xmldsig/transform) and exclusive C14N, as a signature
// check runs them over whatever element a Reference names: straight from the tree for every
// element of the document (what signing and verification do) and over its exclusive C14N
// octets (the transform as specified) — the two must agree — plus the verifier's digest.
#include <libxml/tree.h>

#include <vector>

#include "core/xml/xml.hpp"
#include "fuzz/fuzz_support.hpp"
#include "protocol/xmldsig/signature.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

using namespace gosdoki;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  (void)xmldsig::smev_transform_octets(text);
  auto doc = xml::parse(text);
  if (!doc) return 0;
  xmlNode* root = xmlDocGetRootElement(doc->get());
  // Every element, iteratively (the parser already bounds the depth to 128); capped so that
  // one input stays cheap: the transform of each subtree is linear in its size.
  std::vector<xmlNode*> stack{root};
  int visited = 0;
  while (!stack.empty() && visited < 64) {
    xmlNode* n = stack.back();
    stack.pop_back();
    ++visited;
    auto t = xmldsig::smev_transform(n);
    auto c = xml::exc_c14n(doc->get(), n);
    if (c) {
      // The header promises both routes give the same octets; a difference would be a
      // signature that verifies here and not at СМЭВ (or the reverse).
      auto o = xmldsig::smev_transform_octets(*c);
      if (t && o && *t != *o) {
        std::fprintf(stderr, "SMEV transform differs between the tree and the C14N octets of %s\n",
                     xml::path(n).c_str());
        std::abort();
      }
    }
    if (t && c && visited == 1) {
      (void)xmldsig::reference_digest(doc->get(), n, xmldsig::Profile::gost2012_256, true);
    }
    for (xmlNode* k = xml::first_element(n); k; k = xml::next_element(k)) stack.push_back(k);
  }
  return 0;
}
