#include "core/xml/xml.hpp"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <mutex>

namespace gosdoki::xml {
namespace {

void silent(void*, xmlErrorPtr) {}
void silent_generic(void*, const char*, ...) {}

// Finds the first markup after the XML declaration, comments and processing instructions.
bool prolog_has_doctype(std::string_view s) {
  std::size_t i = 0;
  if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF &&
      static_cast<unsigned char>(s[1]) == 0xBB && static_cast<unsigned char>(s[2]) == 0xBF) {
    i = 3;
  }
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    if (s.compare(i, 2, "<?") == 0) {
      auto e = s.find("?>", i + 2);
      if (e == std::string_view::npos) return false;
      i = e + 2;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) {
      auto e = s.find("-->", i + 4);
      if (e == std::string_view::npos) return false;
      i = e + 3;
      continue;
    }
    return s.compare(i, 9, "<!DOCTYPE") == 0;
  }
  return false;
}

// One linear pass before libxml2 sees the bytes: refuses other encodings (a UTF-16 document
// would slip a DOCTYPE past a byte check) and start tags with too many attributes (libxml2
// 2.9's duplicate-attribute check costs the square of their number).
Status prescan(std::string_view s, int max_attributes) {
  if (s.size() >= 2 && ((s[0] == '\xFE' && s[1] == '\xFF') || (s[0] == '\xFF' && s[1] == '\xFE'))) {
    return make_error("xml.encoding", "UTF-16 documents are not accepted: send UTF-8");
  }
  std::size_t probe = std::min<std::size_t>(s.size(), 4);
  for (std::size_t i = 0; i < probe; ++i) {
    if (s[i] == '\0') return make_error("xml.encoding", "UTF-16/UTF-32 documents are not accepted: send UTF-8");
  }
  if (s.compare(0, 5, "<?xml") == 0) {
    auto end = s.find("?>");
    std::string decl(s.substr(0, end == std::string_view::npos ? std::min<std::size_t>(s.size(), 200) : end));
    auto enc = decl.find("encoding");
    if (enc != std::string::npos) {
      auto q = decl.find_first_of("\"'", enc);
      auto q2 = q == std::string::npos ? q : decl.find(decl[q], q + 1);
      std::string name = q2 == std::string::npos ? "" : decl.substr(q + 1, q2 - q - 1);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name != "utf-8" && name != "utf8") {
        return make_error("xml.encoding", "encoding '" + name + "' is not accepted: send UTF-8");
      }
    }
  }
  bool in_tag = false;
  char quote = 0;
  int attrs = 0;
  int line = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') ++line;
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (!in_tag) {
      if (c == '<' && i + 1 < s.size() && s[i + 1] != '/' && s[i + 1] != '!' && s[i + 1] != '?') {
        in_tag = true;
        attrs = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '=') {
      if (++attrs > max_attributes) {
        return make_error("xml.too_many_attributes", "line " + std::to_string(line) + ": an element with more than " +
                                                         std::to_string(max_attributes) + " attributes");
      }
    } else if (c == '>') {
      in_tag = false;
    }
  }
  return {};
}

bool depth_exceeds(const xmlNode* root, int limit) {
  // Iterative walk so that a hostile document cannot exhaust our stack either.
  const xmlNode* cur = root;
  int depth = 1;
  while (cur) {
    if (depth > limit) return true;
    if (const xmlNode* c = first_element(cur)) {
      cur = c;
      ++depth;
      continue;
    }
    while (cur) {
      if (cur == root) return false;
      if (const xmlNode* nx = next_element(cur)) {
        cur = nx;
        break;
      }
      cur = cur->parent;
      --depth;
    }
  }
  return false;
}

struct C14nScope {
  const xmlNode* apex;
};

int visible_in_apex(void* user, xmlNodePtr node, xmlNodePtr parent) {
  const xmlNode* apex = static_cast<C14nScope*>(user)->apex;
  const xmlNode* n = node;
  if (node == nullptr || node->type == XML_NAMESPACE_DECL) n = parent;
  for (; n != nullptr; n = n->parent) {
    if (n == apex) return 1;
  }
  return 0;
}

}  // namespace

void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    // Errors are returned as values; nothing of libxml2's goes to stderr, in this thread or
    // any started later (libxml2 keeps these handlers per thread).
    xmlThrDefSetGenericErrorFunc(nullptr, silent_generic);
    xmlSetGenericErrorFunc(nullptr, silent_generic);
    xmlThrDefSetStructuredErrorFunc(nullptr, silent);
    xmlSetStructuredErrorFunc(nullptr, silent);
  });
}

Result<DocPtr> parse(std::string_view bytes, const ParseLimits& limits) {
  init();
  if (bytes.size() > limits.max_bytes) {
    return make_error("xml.too_large", "XML document of " + std::to_string(bytes.size()) +
                                           " bytes exceeds the limit of " +
                                           std::to_string(limits.max_bytes));
  }
  if (auto st = prescan(bytes, limits.max_attributes); !st) return st.error();
  if (prolog_has_doctype(bytes)) {
    return make_error("xml.dtd_forbidden",
                      "document type declarations (DOCTYPE) are not allowed: no DTDs, no entities");
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return make_error("xml.parse", "out of memory creating the XML parser");
  ctxt->sax->serror = silent;  // errors are read back below instead of printed
  ctxt->sax->warning = nullptr;
  ctxt->sax->error = nullptr;
  xmlDoc* doc = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                  nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc || !ctxt->wellFormed) {
    std::string msg = "malformed XML";
    xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
    if (err && err->message) {
      std::string m = err->message;
      while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
      msg = "malformed XML at line " + std::to_string(err->line) + ", column " +
            std::to_string(err->int2) + ": " + m;
    }
    if (doc) xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    if (msg.find("Excessive depth") != std::string::npos) {  // libxml2's own bound (256) came first
      return make_error("xml.too_deep", "XML nesting deeper than " + std::to_string(limits.max_depth) + " elements (" +
                                            msg + ")");
    }
    return make_error("xml.parse", msg);
  }
  xmlFreeParserCtxt(ctxt);
  DocPtr out(doc);
  if (doc->intSubset || doc->extSubset) {  // belt and braces behind the byte check
    return make_error("xml.dtd_forbidden", "document type declarations (DOCTYPE) are not allowed: no DTDs, no entities");
  }
  if (depth_exceeds(xmlDocGetRootElement(doc), limits.max_depth)) {
    return make_error("xml.too_deep", "XML nesting deeper than " + std::to_string(limits.max_depth) +
                                          " elements");
  }
  return out;
}

bool is(const xmlNode* n, std::string_view ns, std::string_view local) {
  if (!n || n->type != XML_ELEMENT_NODE) return false;
  return local_name(n) == local && ns_uri(n) == ns;
}

std::string_view local_name(const xmlNode* n) {
  return n && n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view{};
}

std::string_view ns_uri(const xmlNode* n) {
  if (!n || !n->ns || !n->ns->href) return {};
  return reinterpret_cast<const char*>(n->ns->href);
}

std::string ns_href(const xmlNs* ns) {
  if (!ns || !ns->href) return {};
  std::string s(reinterpret_cast<const char*>(ns->href));
  for (std::size_t p = 0; (p = s.find("&#38;", p)) != std::string::npos; ++p) s.replace(p, 5, "&");
  return s;
}

xmlNode* first_element(const xmlNode* parent) {
  if (!parent) return nullptr;
  for (xmlNode* c = parent->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

xmlNode* next_element(const xmlNode* n) {
  if (!n) return nullptr;
  for (xmlNode* c = n->next; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

xmlNode* child(const xmlNode* parent, std::string_view ns, std::string_view local) {
  for (xmlNode* c = first_element(parent); c; c = next_element(c)) {
    if (is(c, ns, local)) return c;
  }
  return nullptr;
}

std::vector<xmlNode*> children(const xmlNode* parent) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = first_element(parent); c; c = next_element(c)) out.push_back(c);
  return out;
}

std::string text(const xmlNode* n) {
  std::string out;
  if (!n) return out;
  for (xmlNode* c = n->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      out += reinterpret_cast<const char*>(c->content);
    }
  }
  return out;
}

std::string attr(const xmlNode* n, const char* name) {
  if (!n) return {};
  xmlChar* v = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool has_attr(const xmlNode* n, const char* name) {
  return n && xmlHasNsProp(n, reinterpret_cast<const xmlChar*>(name), nullptr) != nullptr;
}

std::string path(const xmlNode* n) {
  std::vector<std::string> parts;
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    std::string p;
    if (n->ns && n->ns->prefix) p = std::string(reinterpret_cast<const char*>(n->ns->prefix)) + ":";
    p += reinterpret_cast<const char*>(n->name);
    parts.push_back(std::move(p));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "/" + *it;
  return out;
}

std::vector<xmlNode*> find_by_id(xmlNode* root, std::string_view id) {
  std::vector<xmlNode*> out;
  std::vector<xmlNode*> stack{root};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (!n || n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      if (a->ns == nullptr && xmlStrEqual(a->name, reinterpret_cast<const xmlChar*>("Id")) &&
          a->children && a->children->content &&
          id == reinterpret_cast<const char*>(a->children->content)) {
        out.push_back(n);
      }
    }
    for (xmlNode* c = n->last; c; c = c->prev) {
      if (c->type == XML_ELEMENT_NODE) stack.push_back(c);
    }
  }
  return out;
}

Result<std::string> exc_c14n(xmlDoc* doc, xmlNode* apex) {
  xmlBufferPtr buf = xmlBufferCreate();
  xmlOutputBufferPtr out = xmlOutputBufferCreateBuffer(buf, nullptr);
  C14nScope scope{apex};
  int rc = xmlC14NExecute(doc, visible_in_apex, &scope, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, out);
  xmlOutputBufferClose(out);
  if (rc < 0) {
    xmlBufferFree(buf);
    return make_error("xml.c14n", "exclusive canonicalization failed for " + path(apex));
  }
  std::string result(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                     static_cast<std::size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return result;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  std::string out(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
  xmlFree(mem);
  return out;
}

namespace {

// Length of the valid UTF-8 sequence at s[i] that XML 1.0 allows, or 0 (invalid byte, overlong
// form, surrogate, or a control character XML cannot carry).
std::size_t xml_char_at(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
  std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  unsigned cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr unsigned kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return len;
}

// Text we write into XML may quote untrusted bytes (a parser message, a broken value): anything
// XML cannot carry becomes U+FFFD, so our own answers always stay well-formed.
template <class Escape>
std::string escape_with(std::string_view s, Escape esc) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = xml_char_at(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (n == 1) {
      esc(out, s[i]);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string escape_text(std::string_view s) {
  return escape_with(s, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  });
}

std::string escape_attr(std::string_view s) {
  return escape_with(s, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default: out += c;
    }
  });
}

// ---- XSD ----

struct Schema::Impl {
  xmlSchemaPtr schema = nullptr;
  ~Impl() {
    if (schema) xmlSchemaFree(schema);
  }
};

namespace {

struct IssueSink {
  std::vector<SchemaIssue>* issues;
};

void collect(void* user, xmlErrorPtr err) {
  auto* sink = static_cast<IssueSink*>(user);
  if (!err || sink->issues->size() >= 50) return;
  std::string m = err->message ? err->message : "schema error";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  if (err->node) {
    auto* n = static_cast<xmlNode*>(err->node);
    if (n->type == XML_ELEMENT_NODE) m = path(n) + ": " + m;
  }
  sink->issues->push_back(SchemaIssue{err->line, m});
}

Result<Schema> finish_load(xmlSchemaParserCtxtPtr pctx, const std::string& name,
                           std::shared_ptr<Schema::Impl>& impl) {
  std::vector<SchemaIssue> issues;
  IssueSink sink{&issues};
  xmlSchemaSetParserStructuredErrors(pctx, collect, &sink);
  impl->schema = xmlSchemaParse(pctx);
  xmlSchemaFreeParserCtxt(pctx);
  if (!impl->schema) {
    std::string m = name + ": cannot load schema";
    if (!issues.empty()) m += ": " + issues.front().message;
    return make_error("xml.schema_load", m);
  }
  return Schema{};
}

}  // namespace

Result<Schema> Schema::load_file(const std::string& path_) {
  init();
  auto impl = std::make_shared<Impl>();
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(path_.c_str());
  if (!pctx) return make_error("xml.schema_load", path_ + ": cannot open schema");
  auto r = finish_load(pctx, path_, impl);
  if (!r) return r;
  Schema s;
  s.impl_ = impl;
  return s;
}

Result<Schema> Schema::load_memory(std::string_view xsd, const std::string& name) {
  init();
  auto impl = std::make_shared<Impl>();
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
  if (!pctx) return make_error("xml.schema_load", name + ": cannot read schema");
  auto r = finish_load(pctx, name, impl);
  if (!r) return r;
  Schema s;
  s.impl_ = impl;
  return s;
}

std::vector<SchemaIssue> Schema::validate(xmlDoc* doc) const {
  std::vector<SchemaIssue> issues;
  IssueSink sink{&issues};
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(impl_->schema);
  xmlSchemaSetValidStructuredErrors(vctx, collect, &sink);
  int rc = xmlSchemaValidateDoc(vctx, doc);
  xmlSchemaFreeValidCtxt(vctx);
  if (rc != 0 && issues.empty()) issues.push_back({0, "schema validation failed (code " + std::to_string(rc) + ")"});
  return issues;
}

std::vector<SchemaIssue> Schema::validate_element(xmlNode* element) const {
  std::vector<SchemaIssue> issues;
  IssueSink sink{&issues};
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(impl_->schema);
  xmlSchemaSetValidStructuredErrors(vctx, collect, &sink);
  int rc = xmlSchemaValidateOneElement(vctx, element);
  xmlSchemaFreeValidCtxt(vctx);
  if (rc != 0 && issues.empty()) issues.push_back({0, "schema validation failed (code " + std::to_string(rc) + ")"});
  return issues;
}

}  // namespace gosdoki::xml
