#pragma once
// MTOM/XOP for SOAP 1.1 (multipart/related; type="application/xop+xml"): СМЭВ accepts and
// may answer in this framing even without attachments (domain/smev3.md §1.4, §7.4), so both
// sides read it, and an xop:Include is replaced by the base64 of its part before anything else
// looks at the XML — signatures cover the inlined infoset.
#include <libxml/tree.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gosdoki::smev3 {

inline constexpr const char* kXopNs = "http://www.w3.org/2004/08/xop/include";

struct MimePart {
  std::map<std::string, std::string> headers;  // lower-case names
  std::string content_id;                      // without the angle brackets
  std::string body;
};

struct MultipartLimits {
  std::size_t max_parts = 101;  // the root part and up to 100 attachments
};

bool is_multipart(std::string_view content_type);

// Splits a multipart/related body; the root part comes first. Errors (mtom.invalid) say what
// is wrong: no boundary, missing closing delimiter, unknown start part, too many parts.
Result<std::vector<MimePart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              const MultipartLimits& limits = {});

// Replaces every xop:Include in the document by the base64 text of the part it points to;
// returns how many were resolved. Error mtom.unresolved names an href without a part;
// mtom.invalid a second xop:Include of the same part (each part is inlined once, so the
// document cannot grow beyond 4/3 of the body).
Result<int> resolve_xop(xmlDoc* doc, const std::vector<MimePart>& parts);

// Wraps a SOAP envelope as the root part of an MTOM message (as Apache CXF does for СМЭВ).
struct MtomMessage {
  std::string content_type;
  std::string body;
};
MtomMessage build_mtom(const std::string& envelope, const std::vector<MimePart>& attachments = {},
                       const std::string& boundary = "uuid:gosdoki-sandbox-mime-boundary");

}  // namespace gosdoki::smev3
