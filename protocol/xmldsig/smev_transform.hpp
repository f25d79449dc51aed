#pragma once
// urn://smev-gov-ru/xmldsig/transform, bit-exact with the Java/Woodstox reference (МР 3.5
// rules; domain/smev3.md §5.4–5.6): fresh nsN prefix per declaration from a document-wide
// counter, ordinal attribute sort, Woodstox escaping including its position-dependent '>'.
#include <libxml/tree.h>

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gosdoki::xmldsig {

// Transforms the subtree at `element` straight from the tree. Equivalent to exclusive C14N
// followed by the transform (text split by comments is joined, as C14N would join it).
// Errors (xmldsig.transform): an element without a namespace, an xml:* attribute — both make
// the reference implementation fail, so they cannot be signed.
Result<std::string> smev_transform(const xmlNode* element);

// The same over octets (e.g. the output of exclusive C14N), as the transform is specified.
Result<std::string> smev_transform_octets(std::string_view xml);

// Woodstox escaping, exposed for tests.
std::string escape_text_woodstox(std::string_view text);
std::string escape_attribute_woodstox(std::string_view value);

}  // namespace gosdoki::xmldsig
