#include "protocol/smev3/mtom.hpp"

#include <algorithm>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"

namespace gosdoki::smev3 {
namespace {

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

// A parameter of a header value: boundary="x"; start="<y>" (quoted or not, case-insensitive name).
std::string param(std::string_view value, std::string_view name) {
  std::string lv = ascii_lower(value);
  std::string key = ascii_lower(name) + "=";
  std::size_t pos = 0;
  while ((pos = lv.find(key, pos)) != std::string::npos) {
    bool at_start = pos == 0 || lv[pos - 1] == ';' || lv[pos - 1] == ' ' || lv[pos - 1] == '\t';
    if (!at_start) {
      ++pos;
      continue;
    }
    std::size_t v = pos + key.size();
    if (v < value.size() && value[v] == '"') {
      auto end = value.find('"', v + 1);
      return std::string(value.substr(v + 1, end == std::string_view::npos ? std::string_view::npos : end - v - 1));
    }
    auto end = value.find(';', v);
    return trim(value.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
  }
  return {};
}

std::string strip_angles(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

Error bad(const std::string& what) { return make_error("mtom.invalid", "multipart/related: " + what); }

}  // namespace

bool is_multipart(std::string_view content_type) {
  return ascii_lower(content_type).find("multipart/related") != std::string::npos;
}

Result<std::vector<MimePart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              const MultipartLimits& limits) {
  std::string boundary = param(content_type, "boundary");
  if (boundary.empty()) return bad("the Content-Type has no boundary parameter");
  std::string start = strip_angles(param(content_type, "start"));
  const std::string delim = "--" + boundary;
  std::vector<MimePart> parts;
  std::size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return bad("the body does not contain the boundary '" + boundary + "'");
  while (true) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // closing delimiter
    // Rest of the delimiter line.
    auto eol = body.find('\n', pos);
    if (eol == std::string_view::npos) return bad("a part has no headers");
    pos = eol + 1;
    auto next = body.find("\n" + delim, pos);
    if (next == std::string_view::npos) return bad("missing closing delimiter --" + boundary + "--");
    std::string_view part = body.substr(pos, next - pos);
    if (!part.empty() && part.back() == '\r') part.remove_suffix(1);
    MimePart p;
    std::size_t hp = 0;
    while (true) {
      auto le = part.find('\n', hp);
      if (le == std::string_view::npos) return bad("part " + std::to_string(parts.size() + 1) + " has no blank line after its headers");
      std::string_view line = part.substr(hp, le - hp);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      hp = le + 1;
      if (line.empty()) break;
      auto colon = line.find(':');
      if (colon == std::string_view::npos) return bad("malformed header line '" + std::string(line.substr(0, 80)) + "'");
      p.headers[ascii_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    p.body = std::string(part.substr(hp));
    if (auto it = p.headers.find("content-id"); it != p.headers.end()) p.content_id = strip_angles(it->second);
    auto te = p.headers.count("content-transfer-encoding") ? ascii_lower(p.headers["content-transfer-encoding"]) : "binary";
    if (te == "base64") {
      auto raw = base64_decode(p.body);
      if (!raw) return bad("part <" + p.content_id + ">: " + raw.error().message);
      p.body.assign(raw->begin(), raw->end());
    } else if (te != "binary" && te != "8bit" && te != "7bit") {
      return bad("part <" + p.content_id + ">: Content-Transfer-Encoding '" + te + "' is not supported");
    }
    parts.push_back(std::move(p));
    if (parts.size() > limits.max_parts) {
      return bad("more than " + std::to_string(limits.max_parts) + " parts");
    }
    pos = next + 1;
  }
  if (parts.empty()) return bad("no parts");
  if (!start.empty()) {
    auto it = std::find_if(parts.begin(), parts.end(), [&](const MimePart& p) { return p.content_id == start; });
    if (it == parts.end()) return bad("the start part <" + start + "> is not in the message");
    std::rotate(parts.begin(), it, it + 1);
  }
  return parts;
}

Result<int> resolve_xop(xmlDoc* doc, const std::vector<MimePart>& parts) {
  std::vector<xmlNode*> includes;
  std::vector<xmlNode*> stack{xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    for (xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (xml::is(c, kXopNs, "Include")) includes.push_back(c);
      else stack.push_back(c);
    }
  }
  // Each part is inlined at most once: otherwise a few KB of xop:Include elements pointing at
  // one big part would expand to gigabytes of base64 (the body limit bounds the parts only).
  std::vector<bool> used(parts.size(), false);
  for (xmlNode* inc : includes) {
    std::string href = xml::attr(inc, "href");
    std::string cid = href.rfind("cid:", 0) == 0 ? href.substr(4) : href;
    // Content-IDs in hrefs are URL-encoded (RFC 2392); ours and CXF's need only %40 → @.
    for (std::size_t p; (p = cid.find("%40")) != std::string::npos;) cid.replace(p, 3, "@");
    auto it = std::find_if(parts.begin() + 1, parts.end(), [&](const MimePart& p) { return p.content_id == cid; });
    if (it == parts.end()) {
      return make_error("mtom.unresolved", xml::path(inc) + ": xop:Include href='" + href + "' has no MIME part");
    }
    const auto index = static_cast<std::size_t>(it - parts.begin());
    if (used[index]) {
      return make_error("mtom.invalid", xml::path(inc) + ": xop:Include href='" + href +
                                            "' refers to a MIME part that another xop:Include already inlined");
    }
    used[index] = true;
    xmlNode* parent = inc->parent;
    std::string b64 = base64_encode(as_bytes(it->body));
    xmlNode* text = xmlNewDocTextLen(doc, reinterpret_cast<const xmlChar*>(b64.data()), static_cast<int>(b64.size()));
    xmlReplaceNode(inc, text);
    xmlFreeNode(inc);
    (void)parent;
  }
  return static_cast<int>(includes.size());
}

MtomMessage build_mtom(const std::string& envelope, const std::vector<MimePart>& attachments,
                       const std::string& boundary) {
  const std::string root_id = "root.message@gosdoki-sandbox";
  MtomMessage m;
  m.content_type = "multipart/related; type=\"application/xop+xml\"; boundary=\"" + boundary + "\"; start=\"<" +
                   root_id + ">\"; start-info=\"text/xml\"";
  m.body.reserve(envelope.size() + 512);
  m.body += "--" + boundary + "\r\n";
  m.body += "Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\n";
  m.body += "Content-Transfer-Encoding: binary\r\n";
  m.body += "Content-ID: <" + root_id + ">\r\n\r\n";
  m.body += envelope;
  for (const auto& a : attachments) {
    m.body += "\r\n--" + boundary + "\r\n";
    auto ct = a.headers.find("content-type");
    m.body += "Content-Type: " + (ct == a.headers.end() ? std::string("application/octet-stream") : ct->second) + "\r\n";
    m.body += "Content-Transfer-Encoding: binary\r\n";
    m.body += "Content-ID: <" + a.content_id + ">\r\n\r\n";
    m.body += a.body;
  }
  m.body += "\r\n--" + boundary + "--\r\n";
  return m;
}

}  // namespace gosdoki::smev3
