// Property test of the SMEV transform on generated documents: random namespaces and prefixes
// (reused, shadowed, default), attributes qualified and not, text with & < > CR, Cyrillic and
// texts longer than 512 characters. Checks the invariants the МР rules imply.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "core/xml/xml.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

using namespace gosdoki;

namespace {

class DocGen {
 public:
  explicit DocGen(std::uint64_t seed) : rng_(seed) {}

  std::string document() {
    depth_ = 0;
    std::string out;
    element(out, {}, true);
    return out;
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }

  std::string uri() {
    static const char* kUris[] = {"urn:a", "urn:b", "http://test/1", "urn://x-artefacts-smev-gov-ru/types/1.3",
                                  "urn:d-1", "urn:z-q", "http://test/0"};
    return kUris[pick(7)];
  }
  std::string prefix() {
    static const char* kPrefixes[] = {"a", "b", "ns1", "ns2", "x", "t", "q"};
    return kPrefixes[pick(7)];
  }
  std::string local() {
    static const char* kLocal[] = {"Root", "item", "Данные", "e", "MessageID", "x-y", "v.1"};
    return kLocal[pick(7)];
  }
  std::string text() {
    static const char* kBits[] = {"a", "&", "<", ">", "]", "]]>", "\r", "\n", " ", "\t", "Ж", "ёлка", "\"", "'", "é"};
    std::string t;
    std::size_t n = pick(10) == 0 ? 500 + pick(700) : pick(20);
    for (std::size_t i = 0; i < n; ++i) t += kBits[pick(15)];
    return t;
  }
  static std::string esc_text(const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '&') o += "&amp;";
      else if (c == '<') o += "&lt;";
      else if (c == '>') o += "&gt;";
      else if (c == '\r') o += "&#13;";
      else o += c;
    }
    return o;
  }
  static std::string esc_attr(const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '&') o += "&amp;";
      else if (c == '<') o += "&lt;";
      else if (c == '"') o += "&quot;";
      else if (c == '\r') o += "&#13;";
      else if (c == '\n') o += "&#10;";
      else if (c == '\t') o += "&#9;";
      else o += c;
    }
    return o;
  }

  // `scope`: prefix -> uri declared by ancestors ("" = default namespace).
  void element(std::string& out, std::map<std::string, std::string> scope, bool root) {
    ++depth_;
    std::string decls;
    std::set<std::string> declared_here;
    int ndecl = static_cast<int>(pick(3));
    for (int i = 0; i < ndecl || (root && i == 0); ++i) {
      std::string p = pick(4) == 0 ? "" : prefix();
      if (!declared_here.insert(p).second) continue;
      std::string u = uri();
      decls += p.empty() ? " xmlns=\"" + esc_attr(u) + "\"" : " xmlns:" + p + "=\"" + esc_attr(u) + "\"";
      scope[p] = u;
    }
    // Element name: a bound prefix (never unqualified: the transform refuses that).
    std::vector<std::string> bound;
    for (const auto& [p, u] : scope) bound.push_back(p);
    std::string p = bound[pick(bound.size())];
    std::string name = (p.empty() ? "" : p + ":") + local();
    out += "<" + name + decls;
    std::set<std::string> used;
    int nattr = static_cast<int>(pick(4));
    for (int i = 0; i < nattr; ++i) {
      std::string ap;
      if (pick(2) == 0) {
        std::vector<std::string> prefixed;
        for (const auto& [bp, u] : scope) {
          if (!bp.empty()) prefixed.push_back(bp);
        }
        if (!prefixed.empty()) ap = prefixed[pick(prefixed.size())];
      }
      std::string an = (ap.empty() ? "" : ap + ":") + std::string(1, static_cast<char>('a' + pick(5)));
      std::string key = (ap.empty() ? "" : scope[ap]) + "|" + an.substr(an.find(':') + 1);
      if (used.count(key)) continue;
      used.insert(key);
      out += " " + an + "=\"" + esc_attr(text()) + "\"";
    }
    if (pick(4) == 0 || depth_ > 5) {
      out += "/>";
      --depth_;
      return;
    }
    out += ">";
    int nchild = static_cast<int>(pick(5));
    for (int i = 0; i < nchild; ++i) {
      switch (pick(5)) {
        case 0: out += esc_text(text()); break;
        case 1: out += "<!--c-->"; break;
        case 2: out += "\n    "; break;
        default: element(out, scope, false);
      }
    }
    out += "</" + name + ">";
    --depth_;
  }

  std::mt19937_64 rng_;
  int depth_ = 0;
};

struct Info {  // the infoset the transform must keep
  std::string uri, local;
  std::vector<std::tuple<std::string, std::string, std::string>> attrs;  // uri, local, value (sorted)
  std::string text;  // concatenated non-blank text nodes, comments joined
  std::vector<Info> kids;
  bool operator==(const Info& o) const {
    return uri == o.uri && local == o.local && attrs == o.attrs && text == o.text && kids == o.kids;
  }
};

bool blank(const std::string& s) {
  for (unsigned char c : s) {
    if (c > 0x20) return false;
  }
  return true;
}

Info info(const xmlNode* n) {
  Info i;
  i.uri = std::string(xml::ns_uri(n));
  i.local = std::string(xml::local_name(n));
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    std::string v;
    for (const xmlNode* t = a->children; t; t = t->next) v += reinterpret_cast<const char*>(t->content);
    i.attrs.emplace_back(a->ns ? reinterpret_cast<const char*>(a->ns->href) : "", reinterpret_cast<const char*>(a->name), v);
  }
  std::sort(i.attrs.begin(), i.attrs.end());
  std::string run;
  auto flush = [&] {
    if (!blank(run)) i.text += "[" + run + "]";
    run.clear();
  };
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) run += reinterpret_cast<const char*>(c->content);
    else if (c->type == XML_ELEMENT_NODE) {
      flush();
      i.kids.push_back(info(c));
    }
  }
  flush();
  return i;
}

}  // namespace

TEST(SmevTransformProperty, InvariantsOnGeneratedDocuments) {
  int checked = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    DocGen gen(seed);
    std::string input = gen.document();
    auto doc = xml::parse(input);
    ASSERT_TRUE(doc) << "generator produced bad XML (seed " << seed << "): " << doc.error().message << "\n" << input;
    xmlNode* root = xmlDocGetRootElement(doc->get());
    auto out = xmldsig::smev_transform(root);
    ASSERT_TRUE(out) << "seed " << seed << ": " << out.error().message << "\n" << input;
    SCOPED_TRACE("seed " + std::to_string(seed) + "\ninput:  " + input + "\noutput: " + *out);

    // Rule 3: never an empty-element tag. Rules 1, 2: no declaration, PI or comment.
    EXPECT_EQ(out->find("/>"), std::string::npos);
    EXPECT_EQ(out->find("<?"), std::string::npos);
    EXPECT_EQ(out->find("<!--"), std::string::npos);
    // Rule 6: every element prefix is nsN; declarations are numbered 1, 2, 3 … in document order.
    for (std::size_t p = out->find('<'); p != std::string::npos; p = out->find('<', p + 1)) {
      std::size_t name = p + 1 + (out->compare(p + 1, 1, "/") == 0 ? 1 : 0);
      EXPECT_EQ(out->compare(name, 2, "ns"), 0) << "prefix at byte " << p;
    }
    int expect_n = 1;
    for (std::size_t p = out->find(" xmlns:ns"); p != std::string::npos; p = out->find(" xmlns:ns", p + 1)) {
      std::size_t eq = out->find('=', p);
      EXPECT_EQ(std::stoi(out->substr(p + 9, eq - p - 9)), expect_n++);
    }
    // The output is well-formed, and keeps the infoset (names, attributes, non-blank text).
    auto reparsed = xml::parse(*out);
    ASSERT_TRUE(reparsed) << reparsed.error().message;
    xmlNode* out_root = xmlDocGetRootElement(reparsed->get());
    EXPECT_TRUE(info(root) == info(out_root));
    // Rule 7: attributes sorted (qualified by URI then name, then unqualified by name).
    std::vector<xmlNode*> stack{out_root};
    while (!stack.empty()) {
      xmlNode* n = stack.back();
      stack.pop_back();
      std::vector<std::pair<std::string, std::string>> order;
      for (xmlAttr* a = n->properties; a; a = a->next) {
        order.emplace_back(a->ns ? reinterpret_cast<const char*>(a->ns->href) : "", reinterpret_cast<const char*>(a->name));
      }
      for (std::size_t k = 1; k < order.size(); ++k) {
        const auto& [u0, l0] = order[k - 1];
        const auto& [u1, l1] = order[k];
        bool ok = (!u0.empty() && u1.empty()) || (u0.empty() == u1.empty() && std::tie(u0, l0) < std::tie(u1, l1));
        EXPECT_TRUE(ok) << "attributes out of order on " << xml::path(n);
      }
      for (xmlNode* c = xml::first_element(n); c; c = xml::next_element(c)) stack.push_back(c);
    }
    // Applying it again changes nothing, and the tree walk equals exc-c14n + transform on octets.
    auto again = xmldsig::smev_transform(out_root);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *out);
    auto c14n = xml::exc_c14n(doc->get(), root);
    ASSERT_TRUE(c14n);
    auto via_octets = xmldsig::smev_transform_octets(*c14n);
    ASSERT_TRUE(via_octets);
    EXPECT_EQ(*via_octets, *out);
    ++checked;
  }
  EXPECT_EQ(checked, 400);
}
