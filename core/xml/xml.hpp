#pragma once
// libxml2 with safe defaults: no network, no DTDs (so no XXE and no entity expansion), bounded
// size and depth, errors that carry the line. Plus the few tree helpers the protocols need.
#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gosdoki::xml {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

struct ParseLimits {
  std::size_t max_bytes = 16u << 20;  // whole document
  int max_depth = 128;                // element nesting
  int max_attributes = 256;           // per element (libxml2's duplicate check is quadratic)
};

void init();  // idempotent; call before starting threads

// Only UTF-8 is accepted (as СМЭВ sends and expects). Error codes: xml.too_large,
// xml.encoding, xml.dtd_forbidden, xml.too_many_attributes, xml.too_deep, xml.parse (the
// message has line and column).
Result<DocPtr> parse(std::string_view bytes, const ParseLimits& limits = {});

// Tree helpers. Names are compared as namespace URI + local name, never by prefix.
bool is(const xmlNode* n, std::string_view ns, std::string_view local);
std::string_view local_name(const xmlNode* n);
std::string_view ns_uri(const xmlNode* n);  // "" when unqualified
// A namespace name as the document means it. libxml2 keeps '&' in namespace declarations as
// the text "&#38;" when it does not substitute entities; this undoes that.
std::string ns_href(const xmlNs* ns);
xmlNode* first_element(const xmlNode* parent);
xmlNode* next_element(const xmlNode* n);
xmlNode* child(const xmlNode* parent, std::string_view ns, std::string_view local);
std::vector<xmlNode*> children(const xmlNode* parent);
std::string text(const xmlNode* n);  // concatenated text of the element
std::string attr(const xmlNode* n, const char* name);  // unqualified attribute, "" when absent
bool has_attr(const xmlNode* n, const char* name);
// /soap:Envelope/soap:Body/ns2:SendRequestRequest — prefixes as written, for error messages.
std::string path(const xmlNode* n);
// The element under `root` (inclusive) whose unqualified Id attribute equals `id`; all matches.
std::vector<xmlNode*> find_by_id(xmlNode* root, std::string_view id);

// Exclusive XML Canonicalization 1.0 (no comments) of the subtree at `apex`, in document context.
Result<std::string> exc_c14n(xmlDoc* doc, xmlNode* apex);

std::string serialize(xmlDoc* doc);  // as stored, no reformatting, UTF-8 with declaration

std::string escape_text(std::string_view s);  // & < > escaped
std::string escape_attr(std::string_view s);  // & < " and whitespace controls escaped

// XSD validation. A Schema is immutable after loading and may be shared across threads.
struct SchemaIssue {
  int line = 0;
  std::string message;
};

class Schema {
 public:
  static Result<Schema> load_file(const std::string& path);
  static Result<Schema> load_memory(std::string_view xsd, const std::string& name);
  // Validates a whole document, or one element subtree in place.
  std::vector<SchemaIssue> validate(xmlDoc* doc) const;
  std::vector<SchemaIssue> validate_element(xmlNode* element) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace gosdoki::xml
