// Reading the answers of СМЭВ 3 (what participants receive): faults, SendRequest/SendResponse
// metadata, GetResponse, GetRequest and GetStatus results.
#include "protocol/smev3/parse.hpp"
#include "protocol/smev3/parse_internal.hpp"

namespace gosdoki::smev3 {

using namespace detail;

std::optional<FaultInfo> read_fault(const Envelope& env) {
  if (!xml::is(env.body_element, kSoapNs, "Fault")) return std::nullopt;
  FaultInfo f;
  xmlNode* detail = nullptr;
  for (xmlNode* c = xml::first_element(env.body_element); c; c = xml::next_element(c)) {
    auto local = xml::local_name(c);
    if (local == "faultcode") f.faultcode = xml::text(c);
    else if (local == "faultstring") f.faultstring = xml::text(c);
    else if (local == "detail") detail = c;
  }
  if (xmlNode* fe = detail ? xml::first_element(detail) : nullptr) {
    auto content = smev_fault_content(fe, namespaces(env.version), std::string(xml::local_name(fe)));
    if (content) {
      content->faultcode = f.faultcode;
      content->faultstring = f.faultstring;
      return *content;
    }
  }
  return f;
}

Result<MetadataAnswer> read_metadata_answer(const Envelope& env) {
  if (env.local != "SendRequestResponse" && env.local != "SendResponseResponse") {
    return invalid(env.body_element, "expected SendRequestResponse or SendResponseResponse, found " +
                                         describe(env.body_element));
  }
  const auto& n = namespaces(env.version);
  Seq s(env.body_element);
  auto md = s.req(n.types, "MessageMetadata");
  if (!md) return md.error();
  auto m = metadata(*md, n);
  if (!m) return m.error();
  MetadataAnswer a;
  a.metadata = std::move(*m);
  a.smev_signature = s.opt(n.types, "SMEVSignature");
  if (auto st = s.end(); !st) return st.error();
  return a;
}

Result<std::optional<ResponseMessage>> read_get_response_response(const Envelope& env) {
  if (auto st = body_is(env, "GetResponseResponse"); !st) return st.error();
  const auto& n = namespaces(env.version);
  Seq top(env.body_element);
  xmlNode* rm = top.opt(n.types, "ResponseMessage");
  if (auto st = top.end(); !st) return st.error();
  if (!rm) return std::optional<ResponseMessage>{};
  ResponseMessage out;
  Seq s(rm);
  auto resp = s.req(n.types, "Response");
  if (!resp) return resp.error();
  s.opt(n.basic, "AttachmentContentList");
  out.smev_signature = s.opt(n.types, "SMEVSignature");
  if (auto st = s.end(); !st) return st.error();
  Seq r(*resp);
  if (xmlNode* e = r.opt(n.types, "OriginalMessageId")) out.original_message_id = xml::text(e);
  r.opt(n.types, "OriginalTransactionCode");
  r.opt(n.types, "ReferenceMessageID");
  auto data = r.req(n.types, "SenderProvidedResponseData");
  if (!data) return data.error();
  out.data_node = *data;
  auto d = response_data(*data, n, out.business);
  if (!d) return d.error();
  out.data = std::move(*d);
  auto md = r.req(n.types, "MessageMetadata");
  if (!md) return md.error();
  auto m = metadata(*md, n);
  if (!m) return m.error();
  out.metadata = std::move(*m);
  r.opt(n.basic, "FSAttachmentsList");
  out.sender_signature = r.opt(n.types, "SenderInformationSystemSignature");
  if (auto st = r.end(); !st) return st.error();
  return std::optional<ResponseMessage>{std::move(out)};
}

Result<std::optional<RequestMessage>> read_get_request_response(const Envelope& env) {
  if (auto st = body_is(env, "GetRequestResponse"); !st) return st.error();
  const auto& n = namespaces(env.version);
  Seq top(env.body_element);
  xmlNode* rm = top.opt(n.types, "RequestMessage");
  if (auto st = top.end(); !st) return st.error();
  if (!rm) return std::optional<RequestMessage>{};
  RequestMessage out;
  Seq s(rm);
  auto req = s.req(n.types, "Request");
  if (!req) return req.error();
  if (xmlNode* list = s.opt(n.basic, "AttachmentContentList")) {
    auto contents = attachment_contents(list, n);
    if (!contents) return contents.error();
    out.contents = std::move(*contents);
  }
  out.smev_signature = s.opt(n.types, "SMEVSignature");
  if (auto st = s.end(); !st) return st.error();
  Seq r(*req);
  auto data = r.req(n.types, "SenderProvidedRequestData");
  if (!data) return data.error();
  out.data_node = *data;
  auto d = request_data(*data, n, out.business, env.version);
  if (!d) return d.error();
  out.data = std::move(*d);
  auto c14n = xml::exc_c14n(env.doc.get(), out.business.node);
  if (!c14n) return c14n.error();
  out.data.business_xml = *c14n;
  auto md = r.req(n.types, "MessageMetadata");
  if (!md) return md.error();
  auto m = metadata(*md, n);
  if (!m) return m.error();
  out.metadata = std::move(*m);
  r.opt(n.basic, "FSAttachmentsList");
  if (xmlNode* e = r.opt(n.types, "ReplyTo")) out.reply_to = xml::text(e);
  out.sender_signature = r.opt(n.types, "SenderInformationSystemSignature");
  if (auto st = r.end(); !st) return st.error();
  return std::optional<RequestMessage>{std::move(out)};
}

Result<std::optional<StatusMessage>> read_get_status_response(const Envelope& env) {
  if (auto st = body_is(env, "GetStatusResponse"); !st) return st.error();
  const auto& n = namespaces(env.version);
  Seq top(env.body_element);
  xmlNode* m = top.opt(n.types, "SmevAsyncProcessingMessage");
  if (auto st = top.end(); !st) return st.error();
  if (!m) return std::optional<StatusMessage>{};
  Seq s(m);
  auto data = s.req(n.types, "AsyncProcessingStatusData");
  if (!data) return data.error();
  StatusMessage out;
  out.smev_signature = s.opt(n.types, "SMEVSignature");
  if (auto st = s.end(); !st) return st.error();
  Seq d(*data);
  auto aps = d.req(n.types, "AsyncProcessingStatus");
  if (!aps) return aps.error();
  Seq a(*aps);
  auto omid = a.req(n.types, "OriginalMessageId");
  if (!omid) return omid.error();
  out.status.original_message_id = xml::text(*omid);
  auto cat = a.req(n.types, "StatusCategory");
  if (!cat) return cat.error();
  out.status.status_category = xml::text(*cat);
  if (xmlNode* det = a.opt(n.types, "StatusDetails")) out.status.details = xml::text(det);
  return std::optional<StatusMessage>{std::move(out)};
}

}  // namespace gosdoki::smev3
