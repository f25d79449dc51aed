// Shared pieces of the SMEV 3 readers (see parse_internal.hpp).
#include <cstdlib>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "protocol/smev3/parse_internal.hpp"

namespace gosdoki::smev3::detail {

Error invalid(const xmlNode* where, const std::string& what) {
  return make_error("smev3.invalid_content", (where ? xml::path(where) + ": " : std::string{}) + what);
}

std::string describe(const xmlNode* n) {
  if (!n) return "end of content";
  std::string ns(xml::ns_uri(n));
  return "element " + std::string(xml::local_name(n)) + (ns.empty() ? " (no namespace)" : " {" + ns + "}");
}

Result<std::string> simple(const xmlNode* n, std::size_t max_len) {
  if (xml::first_element(n)) return invalid(n, "must hold text, not elements");
  std::string t = xml::text(n);
  if (max_len > 0) {
    std::size_t chars = 0;
    for (unsigned char c : t) chars += (c & 0xC0) != 0x80;
    if (chars > max_len) {
      return invalid(n, "value is " + std::to_string(chars) + " characters, the maximum is " + std::to_string(max_len));
    }
  }
  return t;
}

bool uuid_pattern(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Result<std::string> uuid_text(const xmlNode* n) {
  auto t = simple(n);
  if (!t) return t;
  if (!uuid_pattern(*t)) return invalid(n, "'" + *t + "' does not match the basic:UUID pattern (lowercase 8-4-4-4-12 hex)");
  return t;
}

Result<std::string> datetime_text(const xmlNode* n) {
  auto t = simple(n);
  if (!t) return t;
  if (!parse_datetime(*t)) return invalid(n, "'" + *t + "' is not a valid xs:dateTime");
  return t;
}

Result<std::optional<bool>> boolean_attr(const xmlNode* n, const char* name) {
  if (!xml::has_attr(n, name)) return std::optional<bool>{};
  std::string v = xml::attr(n, name);
  if (v == "true" || v == "1") return std::optional<bool>{true};
  if (v == "false" || v == "0") return std::optional<bool>{false};
  return invalid(n, std::string("attribute ") + name + "='" + v + "' is not an xs:boolean");
}

bool ncname(std::string_view s) {
  if (s.empty()) return false;
  auto start_ok = [](unsigned char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80; };
  if (!start_ok(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s) {
    if (!(start_ok(c) || c == '-' || c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Result<std::string> id_attr(const xmlNode* n, bool required) {
  if (!xml::has_attr(n, "Id")) {
    if (required) return invalid(n, "attribute Id is required");
    return std::string{};
  }
  std::string id = xml::attr(n, "Id");
  if (!ncname(id)) return invalid(n, "Id='" + id + "' is not an NCName (xs:ID)");
  return id;
}

Result<Business> primary_content(const xmlNode* mpc, const Namespaces& n) {
  Seq s(mpc);
  if (auto st = s.no_text(); !st) return st.error();
  xmlNode* el = xml::first_element(mpc);
  if (!el) return invalid(mpc, "must hold exactly one business element");
  if (xml::next_element(el)) return invalid(xml::next_element(el), "MessagePrimaryContent holds one element only");
  std::string ns(xml::ns_uri(el));
  if (ns.empty() || ns == n.basic) {
    return invalid(el, "the business element must be in a namespace of its own (xs:any ##other)");
  }
  return Business{el, ns, std::string(xml::local_name(el))};
}

// SenderProvidedRequestData (XSD order, domain/smev3.md §2.2).
Result<std::vector<AttachmentHeader>> attachment_headers(const xmlNode* list, const Namespaces& n, Version v) {
  std::vector<AttachmentHeader> out;
  Seq s(list);
  while (xmlNode* h = s.opt(n.basic, "AttachmentHeader")) {
    Seq hs(h);
    AttachmentHeader a;
    auto cid = hs.req(n.basic, "contentId");
    if (!cid) return cid.error();
    a.content_id = xml::text(*cid);
    if (v != Version::v1_1) {
      if (xmlNode* ns = hs.opt(n.basic, "NamespaceUri")) a.namespace_uri = xml::text(ns);
    }
    auto mt = hs.req(n.basic, "MimeType");
    if (!mt) return mt.error();
    a.mime_type = xml::text(*mt);
    if (xmlNode* sig = hs.opt(n.basic, "SignaturePKCS7")) a.signature_pkcs7_b64 = xml::text(sig);
    hs.opt(n.basic, "Archive");
    if (auto st = hs.end(); !st) return st.error();
    out.push_back(std::move(a));
  }
  if (auto st = s.end(); !st) return st.error();
  if (out.empty()) return invalid(list, "AttachmentHeaderList holds no AttachmentHeader");
  return out;
}

Result<std::vector<AttachmentContent>> attachment_contents(const xmlNode* list, const Namespaces& n) {
  std::vector<AttachmentContent> out;
  Seq s(list);
  while (xmlNode* c = s.opt(n.basic, "AttachmentContent")) {
    Seq cs(c);
    auto id = cs.req(n.basic, "Id");
    if (!id) return id.error();
    auto content = cs.req(n.basic, "Content");
    if (!content) return content.error();
    if (auto st = cs.end(); !st) return st.error();
    auto bytes = base64_decode(xml::text(*content));
    if (!bytes) return invalid(*content, "Content is not base64: " + bytes.error().message);
    out.push_back(AttachmentContent{xml::text(*id), std::string(bytes->begin(), bytes->end())});
  }
  if (auto st = s.end(); !st) return st.error();
  return out;
}

Result<SenderProvidedRequestData> request_data(const xmlNode* node, const Namespaces& n, Business& business, Version v) {
  SenderProvidedRequestData d;
  auto id = id_attr(node, false);
  if (!id) return id.error();
  d.id = *id;
  Seq s(node);
  if (auto st = s.no_text(); !st) return st.error();
  auto mid = s.req(n.types, "MessageID");
  if (!mid) return mid.error();
  // The pattern is checked later as InvalidMessageIdFormat, as СМЭВ reports it.
  auto mid_text = simple(*mid);
  if (!mid_text) return mid_text.error();
  d.message_id = *mid_text;
  if (xmlNode* e = s.opt(n.types, "ReferenceMessageID")) {
    auto t = uuid_text(e);
    if (!t) return t.error();
    d.reference_message_id = *t;
  }
  if (xmlNode* e = s.opt(n.types, "TransactionCode")) {
    auto t = simple(e, 1500);
    if (!t) return t.error();
    d.transaction_code = *t;
  }
  if (xmlNode* e = s.opt(n.types, "NodeID")) {
    auto t = simple(e, 50);
    if (!t) return t.error();
    d.node_id = *t;
  }
  if (xmlNode* e = s.opt(n.types, "EOL")) {
    auto t = datetime_text(e);
    if (!t) return t.error();
    d.eol = *t;
  }
  auto mpc = s.req(n.basic, "MessagePrimaryContent");
  if (!mpc) return mpc.error();
  auto b = primary_content(*mpc, n);
  if (!b) return b.error();
  business = *b;
  s.opt(n.types, "PersonalSignature");
  if (xmlNode* list = s.opt(n.basic, "AttachmentHeaderList")) {
    auto headers = attachment_headers(list, n, v);
    if (!headers) return headers.error();
    d.attachments = std::move(*headers);
  }
  s.opt(n.basic, "RefAttachmentHeaderList");
  s.opt(n.types, "BusinessProcessMetadata");
  if (xmlNode* t = s.opt(n.types, "TestMessage")) {
    if (xml::first_element(t) || !xml::text(t).empty()) return invalid(t, "TestMessage must be empty");
    d.test_message = true;
  }
  if (auto st = s.end(); !st) return st.error();
  return d;
}

Result<FaultInfo> smev_fault_content(const xmlNode* node, const Namespaces& n, std::string name) {
  FaultInfo f;
  f.name = std::move(name);
  for (xmlNode* c = xml::first_element(node); c; c = xml::next_element(c)) {
    auto local = xml::local_name(c);
    if (xml::is(c, n.basic, "Code")) f.code = xml::text(c);
    else if (xml::is(c, n.basic, "Description")) f.description = xml::text(c);
    else if (local == "SignatureVerificationFault") f.signature_fault = xml::text(c);
    else if (local == "ValidationError") f.validation_errors.push_back(xml::text(c));
    else if (local == "RootElementLocalName") f.root_element_local_name = xml::text(c);
    else if (local == "RootElementNamespaceURI") f.root_element_namespace = xml::text(c);
    else if (local == "PermittedTotalAttachmentSize") f.permitted_size = std::atoll(xml::text(c).c_str());
    else if (local == "RealTotalAttachmentSize") f.real_size = std::atoll(xml::text(c).c_str());
    else if (local == "RemainedTotalQuoteSize") f.remained_quota = std::atoll(xml::text(c).c_str());
    else if (local == "MessageBrokerAddress") f.broker_address = xml::text(c);
    else if (local == "DestinationName") f.destination_name = xml::text(c);
  }
  return f;
}

Result<SenderProvidedResponseData> response_data(const xmlNode* node, const Namespaces& n, Business& business) {
  SenderProvidedResponseData d;
  auto id = id_attr(node, false);
  if (!id) return id.error();
  d.id = *id;
  Seq s(node);
  if (auto st = s.no_text(); !st) return st.error();
  auto mid = s.req(n.types, "MessageID");
  if (!mid) return mid.error();
  auto mid_text = simple(*mid);
  if (!mid_text) return mid_text.error();
  d.message_id = *mid_text;
  auto to = s.req(n.types, "To");
  if (!to) return to.error();
  auto to_text = simple(*to, 4000);
  if (!to_text) return to_text.error();
  d.to = *to_text;
  if (xmlNode* mpc = s.opt(n.basic, "MessagePrimaryContent")) {
    auto b = primary_content(mpc, n);
    if (!b) return b.error();
    business = *b;
    auto c14n = xml::exc_c14n(node->doc, b->node);
    if (!c14n) return c14n.error();
    d.business_xml = *c14n;
    s.opt(n.types, "PersonalSignature");
    s.opt(n.basic, "AttachmentHeaderList");
    s.opt(n.basic, "RefAttachmentHeaderList");
  } else if (xml::is(s.peek(), n.types, "RequestRejected")) {
    while (xmlNode* rr = s.opt(n.types, "RequestRejected")) {
      Seq r(rr);
      auto code = r.req(n.types, "RejectionReasonCode");
      if (!code) return code.error();
      auto desc = r.req(n.types, "RejectionReasonDescription");
      if (!desc) return desc.error();
      if (auto st = r.end(); !st) return st.error();
      Rejection rej{xml::text(*code), xml::text(*desc)};
      if (rej.code != "ACCESS_DENIED" && rej.code != "NO_DATA" && rej.code != "UNKNOWN_REQUEST_DESCRIPTION" &&
          rej.code != "FAILURE") {
        return invalid(*code, "'" + rej.code + "' is not a RejectCode (ACCESS_DENIED, NO_DATA, "
                                               "UNKNOWN_REQUEST_DESCRIPTION, FAILURE)");
      }
      if (rej.description.size() > 4000 * 4) return invalid(*desc, "longer than 4000 characters");
      d.rejections.push_back(std::move(rej));
    }
  } else if (xmlNode* rs = s.opt(n.types, "RequestStatus")) {
    Seq r(rs);
    auto code = r.req(n.types, "StatusCode");
    if (!code) return code.error();
    RequestStatus st;
    char* end = nullptr;
    std::string ct = xml::text(*code);
    st.code = static_cast<int>(std::strtol(ct.c_str(), &end, 10));
    if (ct.empty() || *end != '\0') return invalid(*code, "'" + ct + "' is not an xs:int");
    while (xmlNode* p = r.opt(n.types, "StatusParameter")) {
      Seq ps(p);
      auto k = ps.req(n.types, "Key");
      if (!k) return k.error();
      auto val = ps.req(n.types, "Value");
      if (!val) return val.error();
      st.parameters.emplace_back(xml::text(*k), xml::text(*val));
    }
    auto desc = r.req(n.types, "StatusDescription");
    if (!desc) return desc.error();
    st.description = xml::text(*desc);
    if (auto e = r.end(); !e) return e.error();
    d.status = std::move(st);
  } else if (xmlNode* as = s.opt(n.types, "AsyncProcessingStatus")) {
    Seq r(as);
    AsyncProcessingStatus a;
    auto omid = r.req(n.types, "OriginalMessageId");
    if (!omid) return omid.error();
    a.original_message_id = xml::text(*omid);
    auto cat = r.req(n.types, "StatusCategory");
    if (!cat) return cat.error();
    a.status_category = xml::text(*cat);
    if (xmlNode* det = r.opt(n.types, "StatusDetails")) a.details = xml::text(det);
    r.opt("urn://x-artefacts-smev-gov-ru/services/message-exchange/types/routing/1.3", "RoutingStatus");
    if (xmlNode* sf = r.opt(n.types, "SmevFault")) {
      xmlChar* t = xmlGetNsProp(sf, reinterpret_cast<const xmlChar*>("type"), reinterpret_cast<const xmlChar*>(kXsiNs));
      std::string tv = t ? reinterpret_cast<const char*>(t) : "";
      if (t) xmlFree(t);
      auto colon = tv.find(':');
      auto f = smev_fault_content(sf, n, colon == std::string::npos ? tv : tv.substr(colon + 1));
      if (!f) return f.error();
      a.fault = *f;
    }
    if (auto e = r.end(); !e) return e.error();
    d.async_status = std::move(a);
  } else {
    return invalid(node, "expected MessagePrimaryContent, RequestRejected, RequestStatus or AsyncProcessingStatus, found " +
                             describe(s.peek()));
  }
  if (auto st = s.end(); !st) return st.error();
  return d;
}

Result<MessageMetadata> metadata(const xmlNode* node, const Namespaces& n) {
  MessageMetadata m;
  auto id = id_attr(node, false);
  if (!id) return id.error();
  m.id = *id;
  Seq s(node);
  if (xmlNode* e = s.opt(n.types, "MessageId")) m.message_id = xml::text(e);
  auto type = s.req(n.types, "MessageType");
  if (!type) return type.error();
  m.message_type = xml::text(*type);
  if (xmlNode* e = s.opt(n.types, "Sender")) {
    if (xmlNode* mn = xml::child(e, n.types, "Mnemonic")) m.sender_mnemonic = xml::text(mn);
    if (xmlNode* hn = xml::child(e, n.types, "HumanReadableName")) m.sender_name = xml::text(hn);
  }
  s.opt(n.types, "MessageBroker");  // 1.1
  auto sts = s.req(n.types, "SendingTimestamp");
  if (!sts) return sts.error();
  m.sending_timestamp = xml::text(*sts);
  s.opt(n.types, "DestinationName");  // 1.1
  if (xmlNode* e = s.opt(n.types, "Recipient")) {
    if (xmlNode* mn = xml::child(e, n.types, "Mnemonic")) m.recipient_mnemonic = xml::text(mn);
    if (xmlNode* hn = xml::child(e, n.types, "HumanReadableName")) m.recipient_name = xml::text(hn);
  }
  s.opt(n.types, "SupplementaryData");  // 1.1
  if (xmlNode* e = s.opt(n.types, "DeliveryTimestamp")) m.delivery_timestamp = xml::text(e);
  if (xmlNode* e = s.opt(n.types, "Status")) m.status = xml::text(e);
  if (auto st = s.end(); !st) return st.error();
  return m;
}

xmlNode* signature_wrapper(Seq& s, const Namespaces& n, const char* name) { return s.opt(n.types, name); }

Status body_is(const Envelope& env, const char* local) {
  if (env.local != local || !xml::is(env.body_element, namespaces(env.version).types, local)) {
    return invalid(env.body_element, std::string("expected ") + local + ", found " + describe(env.body_element));
  }
  return {};
}


}  // namespace gosdoki::smev3::detail
