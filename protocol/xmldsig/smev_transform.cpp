#include "protocol/xmldsig/smev_transform.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/xml/xml.hpp"

namespace gosdoki::xmldsig {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

// Java String.trim(): strips every char <= U+0020; UTF-8 continuation bytes are all >= 0x80.
bool java_blank(std::string_view s) {
  for (unsigned char c : s) {
    if (c > 0x20) return false;
  }
  return true;
}

void hex_entity(std::string& out, unsigned cp) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[cp & 15]);
    cp >>= 4;
  } while (cp != 0);
  out += "&#x";
  out += digits;
  out += ';';
}

// Decodes one UTF-8 code point starting at s[i]; returns its length (1 on malformed input).
std::size_t utf8_next(std::string_view s, std::size_t i, unsigned& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  if (len == 1) {
    cp = c;
    return 1;
  }
  cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return len;
}

bool is_c1(unsigned cp) { return cp >= 0x7F && cp <= 0x9F; }

struct Attr {
  std::string uri;  // "" = unqualified
  std::string local;
  std::string value;
};

// Java String.compareTo is ordinal over UTF-16 code units. For code points below U+10000 that
// equals code point order, and UTF-8 byte order equals code point order; the only difference is
// supplementary characters vs U+E000..U+FFFF, handled here.
int compare_java(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    unsigned ca, cb;
    std::size_t la = utf8_next(a, i, ca), lb = utf8_next(b, j, cb);
    if (ca != cb) {
      auto key = [](unsigned cp) -> unsigned { return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp; };
      unsigned ka = key(ca), kb = key(cb);
      if (ka != kb) return ka < kb ? -1 : 1;
      return ca < cb ? -1 : 1;
    }
    i += la;
    j += lb;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

bool attr_less(const Attr& x, const Attr& y) {
  bool xq = !x.uri.empty(), yq = !y.uri.empty();
  if (xq && yq) {
    int c = compare_java(x.uri, y.uri);
    if (c != 0) return c < 0;
    return compare_java(x.local, y.local) < 0;
  }
  if (!xq && !yq) return compare_java(x.local, y.local) < 0;
  return xq;  // qualified attributes first
}

class Transformer {
 public:
  Result<std::string> run(const xmlNode* root) {
    auto st = element(root);
    if (!st) return st.error();
    return std::move(out_);
  }

 private:
  using Mapping = std::vector<std::pair<std::string, std::string>>;  // (prefix, uri)

  const std::string* find(const std::string& uri) const {
    for (const auto& level : stack_) {
      for (const auto& [prefix, u] : level) {
        if (u == uri) return &prefix;
      }
    }
    return nullptr;
  }

  std::string bind(const std::string& uri) {
    if (const std::string* p = find(uri)) return *p;
    std::string prefix = "ns" + std::to_string(counter_++);
    stack_.back().emplace_back(prefix, uri);
    return prefix;
  }

  Status element(const xmlNode* n) {
    std::string uri = xml::ns_href(n->ns);
    if (uri.empty()) {
      return make_error("xmldsig.transform",
                        "element " + xml::path(n) +
                            " has no namespace; the SMEV transform (and so СМЭВ) cannot sign or verify it");
    }
    stack_.emplace_back();
    std::string prefix = bind(uri);
    std::vector<Attr> attrs;
    for (const xmlAttr* a = n->properties; a; a = a->next) {
      Attr at;
      at.uri = xml::ns_href(a->ns);
      if (at.uri == kXmlNs) {
        return make_error("xmldsig.transform", "attribute xml:" + std::string(reinterpret_cast<const char*>(a->name)) +
                                                   " on " + xml::path(n) +
                                                   " cannot pass the SMEV transform (the reference writer refuses "
                                                   "to rebind the xml namespace)");
      }
      at.local = reinterpret_cast<const char*>(a->name);
      if (xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1)) {
        at.value = reinterpret_cast<const char*>(v);
        xmlFree(v);
      }
      attrs.push_back(std::move(at));
    }
    std::stable_sort(attrs.begin(), attrs.end(), attr_less);
    std::vector<std::string> attr_prefixes;
    for (const auto& a : attrs) attr_prefixes.push_back(a.uri.empty() ? std::string{} : bind(a.uri));

    out_ += '<';
    out_ += prefix;
    out_ += ':';
    out_ += xml::local_name(n);
    for (const auto& [p, u] : stack_.back()) {
      out_ += " xmlns:";
      out_ += p;
      out_ += "=\"";
      out_ += escape_attribute_woodstox(u);
      out_ += '"';
    }
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      out_ += ' ';
      if (!attr_prefixes[i].empty()) {
        out_ += attr_prefixes[i];
        out_ += ':';
      }
      out_ += attrs[i].local;
      out_ += "=\"";
      out_ += escape_attribute_woodstox(attrs[i].value);
      out_ += '"';
    }
    out_ += '>';

    std::string pending;  // text joined across comments, as exclusive C14N would deliver it
    bool have_text = false;
    auto flush = [&] {
      if (have_text && !java_blank(pending)) out_ += escape_text_woodstox(pending);
      pending.clear();
      have_text = false;
    };
    for (const xmlNode* c = n->children; c; c = c->next) {
      switch (c->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (c->content) pending += reinterpret_cast<const char*>(c->content);
          have_text = true;
          break;
        case XML_COMMENT_NODE:
          break;
        case XML_ELEMENT_NODE: {
          flush();
          auto st = element(c);
          if (!st) return st;
          break;
        }
        case XML_ENTITY_REF_NODE:
          return make_error("xmldsig.transform", "unexpanded entity reference in " + xml::path(n));
        default:  // processing instructions split text, as in the StAX event stream
          flush();
          break;
      }
    }
    flush();
    out_ += "</";
    out_ += *find(uri);
    out_ += ':';
    out_ += xml::local_name(n);
    out_ += '>';
    stack_.pop_back();
    return {};
  }

  std::vector<Mapping> stack_;
  int counter_ = 1;
  std::string out_;
};

}  // namespace

std::string escape_text_woodstox(std::string_view s) {
  // Most text (a Base64 photo above all) has nothing to escape: no markup characters, no CR,
  // no DEL and nothing outside ASCII that could be a C1 control. It is written as it is.
  bool plain = true;
  for (unsigned char c : s) {
    if (c == '&' || c == '<' || c == '>' || c == '\r' || c >= 0x7F) {
      plain = false;
      break;
    }
  }
  if (plain) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  // Length in UTF-16 code units decides which Woodstox path the text takes (§5.6).
  std::size_t len16 = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned cp;
    i += utf8_next(s, i, cp);
    len16 += cp >= 0x10000 ? 2 : 1;
  }
  const bool chunked = len16 >= 12;
  std::size_t pos16 = 0;        // index of the current char in UTF-16 units
  std::size_t chunk_start = 0;  // start of the current 512-unit chunk, or after an escape
  unsigned prev = 0;
  bool first = true;
  for (std::size_t i = 0; i < s.size();) {
    unsigned cp;
    std::size_t len = utf8_next(s, i, cp);
    if (chunked && pos16 % 512 == 0) chunk_start = pos16;
    bool escaped = true;
    if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      bool at_start = chunked ? (pos16 == chunk_start) : first;
      bool after_bracket = !first && prev == ']' && !(chunked && pos16 % 512 == 0);
      if (at_start || after_bracket) {
        out += "&gt;";
      } else {
        out += '>';
        escaped = false;
      }
    } else if (cp == '\r' || is_c1(cp)) {
      hex_entity(out, cp);
    } else {
      out.append(s.substr(i, len));
      escaped = false;
    }
    pos16 += cp >= 0x10000 ? 2 : 1;
    if (escaped && chunked) chunk_start = pos16;
    prev = cp;
    first = false;
    i += len;
  }
  return out;
}

std::string escape_attribute_woodstox(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    unsigned cp;
    std::size_t len = utf8_next(s, i, cp);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '"': out += "&quot;"; break;
      case '\r':
      case '\n':
      case '\t': hex_entity(out, cp); break;
      default:
        if (is_c1(cp)) hex_entity(out, cp);
        else out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

Result<std::string> smev_transform(const xmlNode* element) {
  if (!element || element->type != XML_ELEMENT_NODE) {
    return make_error("xmldsig.transform", "the SMEV transform needs an element");
  }
  return Transformer{}.run(element);
}

Result<std::string> smev_transform_octets(std::string_view text) {
  auto doc = xml::parse(text);
  if (!doc) return doc.error();
  return smev_transform(xmlDocGetRootElement(doc->get()));
}

}  // namespace gosdoki::xmldsig
