#include "protocol/smev3/parse.hpp"
#include "protocol/smev3/parse_internal.hpp"

#include <cstdlib>

#include "core/time/datetime.hpp"
#include "protocol/smev3/mtom.hpp"

namespace gosdoki::smev3 {

using namespace detail;

namespace {
Result<Envelope> envelope_from(xml::DocPtr doc);
}  // namespace

Result<Envelope> parse_envelope(std::string_view text, const xml::ParseLimits& limits) {
  auto doc = xml::parse(text, limits);
  if (!doc) return doc.error();
  return envelope_from(std::move(*doc));
}

namespace {
Result<Envelope> envelope_from(xml::DocPtr doc) {
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!xml::is(root, kSoapNs, "Envelope")) {
    return make_error("smev3.not_soap", "the document element is " + describe(root) +
                                            ", expected a SOAP 1.1 Envelope {" + kSoapNs + "}");
  }
  Envelope env;
  xmlNode* first = xml::first_element(root);
  xmlNode* body = nullptr;
  if (xml::is(first, kSoapNs, "Header")) {
    env.has_header = true;
    body = xml::next_element(first);
  } else {
    body = first;
  }
  if (!xml::is(body, kSoapNs, "Body")) {
    return make_error("smev3.not_soap", xml::path(root) + ": expected soap:Body, found " + describe(body));
  }
  if (xml::next_element(body)) return make_error("smev3.not_soap", xml::path(body) + ": nothing may follow soap:Body");
  xmlNode* el = xml::first_element(body);
  if (!el) return make_error("smev3.invalid_content", xml::path(body) + ": the SOAP Body is empty");
  if (xml::next_element(el)) return invalid(xml::next_element(el), "the SOAP Body must hold exactly one element");
  env.body_element = el;
  env.local = std::string(xml::local_name(el));
  if (xml::is(el, kSoapNs, "Fault")) {
    xmlNode* detail = nullptr;
    for (xmlNode* c = xml::first_element(el); c; c = xml::next_element(c)) {
      if (xml::local_name(c) == "detail") detail = c;
    }
    xmlNode* fe = detail ? xml::first_element(detail) : nullptr;
    auto v = fe ? version_of_namespace(xml::ns_uri(fe)) : std::nullopt;
    env.version = v.value_or(Version::v1_3);
  } else {
    auto v = version_of_namespace(xml::ns_uri(el));
    if (!v) {
      return make_error("smev3.invalid_content", xml::path(el) + ": {" + std::string(xml::ns_uri(el)) +
                                                     "} is not a SMEV 3 message-exchange namespace (1.1, 1.2, 1.3)");
    }
    env.version = *v;
  }
  env.doc = std::move(doc);
  return env;
}
}  // namespace

Result<Envelope> parse_message(std::string_view content_type, std::string_view body, const xml::ParseLimits& limits) {
  if (!is_multipart(content_type)) return parse_envelope(body, limits);
  auto parts = parse_multipart(content_type, body);
  if (!parts) return parts.error();
  // Parse the root part, inline the XOP parts, then read it as any envelope.
  auto doc = xml::parse(parts->front().body, limits);
  if (!doc) return doc.error();
  auto n = resolve_xop(doc->get(), *parts);
  if (!n) return n.error();
  auto env = envelope_from(std::move(*doc));
  if (!env) return env;
  env->mtom = true;
  env->xop_resolved = *n;
  return env;
}

Result<SendRequestCall> read_send_request(const Envelope& env) {
  if (auto st = body_is(env, "SendRequestRequest"); !st) return st.error();
  const auto& n = namespaces(env.version);
  SendRequestCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  auto data = s.req(n.types, "SenderProvidedRequestData");
  if (!data) return data.error();
  call.data_node = *data;
  auto d = request_data(*data, n, call.business, env.version);
  if (!d) return d.error();
  call.data = std::move(*d);
  call.personal_signature = xml::child(*data, n.types, "PersonalSignature");
  if (xmlNode* list = s.opt(n.basic, "AttachmentContentList")) {
    auto contents = attachment_contents(list, n);
    if (!contents) return contents.error();
    call.contents = std::move(*contents);
    call.attachment_contents = list;
  }
  call.signature_wrapper = signature_wrapper(s, n, "CallerInformationSystemSignature");
  if (env.version == Version::v1_3) s.opt("urn://x-artefacts-smev-gov-ru/services/message-exchange/types/routing/1.3", "Routing");
  if (auto st = s.end(); !st) return st.error();
  auto c14n = xml::exc_c14n(env.doc.get(), call.business.node);
  if (!c14n) return c14n.error();
  call.data.business_xml = *c14n;
  return call;
}

Result<SelectorCall> read_selector_call(const Envelope& env) {
  if (env.local != "GetRequestRequest" && env.local != "GetResponseRequest") {
    return invalid(env.body_element, "expected GetRequestRequest or GetResponseRequest");
  }
  if (auto st = body_is(env, env.local.c_str()); !st) return st.error();
  const auto& n = namespaces(env.version);
  SelectorCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  auto sel = s.req(n.basic, "MessageTypeSelector");
  if (!sel) return sel.error();
  call.selector_node = *sel;
  auto id = id_attr(*sel, false);
  if (!id) return id.error();
  call.selector.id = *id;
  Seq ss(*sel);
  if (xmlNode* ns = ss.opt(n.basic, "NamespaceURI")) {
    auto root = ss.req(n.basic, "RootElementLocalName");
    if (!root) return root.error();
    call.selector.namespace_uri = xml::text(ns);
    std::string r = xml::text(*root);
    if (!ncname(r)) return invalid(*root, "'" + r + "' is not an xs:NCName");
    call.selector.root_element = r;
  }
  auto ts = ss.req(n.basic, "Timestamp");
  if (!ts) return ts.error();
  auto tst = datetime_text(*ts);
  if (!tst) return tst.error();
  call.selector.timestamp = *tst;
  if (xmlNode* node = ss.opt(n.basic, "NodeID")) {
    auto t = simple(node, 50);
    if (!t) return t.error();
    call.selector.node_id = *t;
  }
  if (auto st = ss.end(); !st) return st.error();
  call.signature_wrapper = signature_wrapper(s, n, "CallerInformationSystemSignature");
  if (auto st = s.end(); !st) return st.error();
  return call;
}

Result<AckCall> read_ack(const Envelope& env) {
  if (auto st = body_is(env, "AckRequest"); !st) return st.error();
  const auto& n = namespaces(env.version);
  AckCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  auto target = s.req(n.basic, "AckTargetMessage");
  if (!target) return target.error();
  call.target_node = *target;
  auto id = id_attr(*target, true);
  if (!id) return id.error();
  call.id = *id;
  auto accepted = boolean_attr(*target, "accepted");
  if (!accepted) return accepted.error();
  if (env.version == Version::v1_1 && !accepted->has_value()) {
    return invalid(*target, "attribute accepted is required in 1.1");
  }
  call.accepted = *accepted;
  auto mid = uuid_text(*target);
  if (!mid) return mid.error();
  call.message_id = *mid;
  call.signature_wrapper = signature_wrapper(s, n, "CallerInformationSystemSignature");
  if (auto st = s.end(); !st) return st.error();
  return call;
}

Result<GetStatusCall> read_get_status(const Envelope& env) {
  if (auto st = body_is(env, "GetStatusRequest"); !st) return st.error();
  const auto& n = namespaces(env.version);
  GetStatusCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  auto ts = s.req(n.basic, "Timestamp");
  if (!ts) return ts.error();
  auto id = id_attr(*ts, false);
  if (!id) return id.error();
  auto t = datetime_text(*ts);
  if (!t) return t.error();
  call.timestamp = *t;
  call.timestamp_node = *ts;
  // The 1.3 XSD makes the signature mandatory here.
  auto sig = s.req(n.types, "CallerInformationSystemSignature");
  if (!sig) return sig.error();
  call.signature_wrapper = *sig;
  if (auto st = s.end(); !st) return st.error();
  return call;
}

Result<QueueStatisticsCall> read_get_incoming_queue_statistics(const Envelope& env) {
  if (auto st = body_is(env, "GetIncomingQueueStatisticsRequest"); !st) return st.error();
  const auto& n = namespaces(env.version);
  QueueStatisticsCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  if (xmlNode* node = s.opt(n.types, "NodeID")) {
    auto t = simple(node, 50);
    if (!t) return t.error();
    call.node_id = *t;
  }
  auto ts = s.req(n.basic, "Timestamp");
  if (!ts) return ts.error();
  if (auto t = datetime_text(*ts); !t) return t.error();
  call.timestamp_node = *ts;
  call.signature_wrapper = s.opt(n.types, "CallerInformationSystemSignature");
  if (auto st = s.end(); !st) return st.error();
  return call;
}

Result<SendResponseCall> read_send_response(const Envelope& env) {
  if (auto st = body_is(env, "SendResponseRequest"); !st) return st.error();
  const auto& n = namespaces(env.version);
  SendResponseCall call;
  Seq s(env.body_element);
  if (auto st = s.no_text(); !st) return st.error();
  auto data = s.req(n.types, "SenderProvidedResponseData");
  if (!data) return data.error();
  call.data_node = *data;
  auto d = response_data(*data, n, call.business);
  if (!d) return d.error();
  call.data = std::move(*d);
  s.opt(n.basic, "AttachmentContentList");
  call.signature_wrapper = signature_wrapper(s, n, "CallerInformationSystemSignature");
  if (auto st = s.end(); !st) return st.error();
  return call;
}

Result<std::string> standalone(xmlDoc* doc, xmlNode* element) { return xml::exc_c14n(doc, element); }

}  // namespace gosdoki::smev3
