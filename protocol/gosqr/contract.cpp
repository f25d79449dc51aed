#include "protocol/gosqr/contract.hpp"

#include "core/xml/xml.hpp"

namespace gosdoki::gosqr {
namespace {

using xml::escape_attr;
using xml::escape_text;

void el(std::string& out, const char* name, const std::string& v) {
  out += "<q:";
  out += name;
  out += '>';
  out += escape_text(v);
  out += "</q:";
  out += name;
  out += '>';
}

void opt(std::string& out, const char* name, const std::optional<std::string>& v) {
  if (v) el(out, name, *v);
}

std::optional<std::string> opt_text(const xmlNode* parent, const char* name) {
  if (xmlNode* n = xml::child(parent, kNamespace, name)) return xml::text(n);
  return std::nullopt;
}

std::string req_text(const xmlNode* parent, const char* name) {
  xmlNode* n = xml::child(parent, kNamespace, name);
  return n ? xml::text(n) : std::string{};
}

std::optional<bool> opt_bool(const xmlNode* parent, const char* name) {
  auto t = opt_text(parent, name);
  if (!t) return std::nullopt;
  return *t == "true" || *t == "1";
}

}  // namespace

bool is_purpose(std::string_view p) {
  for (const char* x : kPurposes) {
    if (p == x) return true;
  }
  return false;
}

bool is_stage_two(std::string_view p) {
  return p == "FINANCIAL" || p == "MFC" || p == "TELECOM" || p == "PRIVATE_MEDICAL" || p == "HOTEL";
}

std::string_view purpose_label_ru(std::string_view p) {
  if (p == "AGE_18_GOODS") return "Продажа товаров 18+";
  if (p == "AGE_RESTRICTED_EVENT") return "Мероприятие с возрастным ограничением";
  if (p == "PREMISES_ACCESS") return "Пропуск на территорию";
  if (p == "POSTAL") return "Почтовое отправление";
  if (p == "FINANCIAL") return "Финансовая организация";
  if (p == "MFC") return "МФЦ";
  if (p == "TELECOM") return "Салон связи";
  if (p == "PRIVATE_MEDICAL") return "Частная клиника";
  if (p == "HOTEL") return "Заселение в гостиницу";
  return "неизвестная цель";
}

std::string to_xml(const CheckRequest& r) {
  std::string out;
  out.reserve(r.face_image.size() * 4 / 3 + 2048);
  out += "<q:RequestGosQrDocs xmlns:q=\"";
  out += kNamespace;
  out += "\" Id=\"" + escape_attr(r.id) + "\" timestamp=\"" + escape_attr(r.timestamp) + "\">";
  el(out, "qrCode", base64_encode(r.qr_code));
  opt(out, "qrSource", r.qr_source);
  el(out, "faceImage", base64_encode(r.face_image));
  el(out, "faceImageCapturedAt", r.face_image_captured_at);
  el(out, "purpose", r.purpose);
  out += "<q:organization>";
  el(out, "ogrn", r.organization.ogrn);
  el(out, "inn", r.organization.inn);
  opt(out, "kpp", r.organization.kpp);
  el(out, "name", r.organization.name);
  out += "</q:organization><q:pointOfService>";
  el(out, "placeId", r.point_of_service.place_id);
  el(out, "terminalId", r.point_of_service.terminal_id);
  opt(out, "address", r.point_of_service.address);
  out += "</q:pointOfService>";
  opt(out, "operatorId", r.operator_id);
  if (!r.requested_docs.empty()) {
    out += "<q:requestedDocs>";
    for (const auto& d : r.requested_docs) el(out, "docType", d);
    out += "</q:requestedDocs>";
  }
  out += "</q:RequestGosQrDocs>";
  return out;
}

std::string to_xml(const CheckResponse& r) {
  std::string out = "<q:ResponseGosQrDocs xmlns:q=\"";
  out += kNamespace;
  out += "\" Id=\"" + escape_attr(r.id) + "\" timestamp=\"" + escape_attr(r.timestamp) + "\">";
  el(out, "result", r.result);
  el(out, "resultCode", r.result_code);
  el(out, "resultMessage", r.result_message);
  if (r.age_confirmed_18) el(out, "ageConfirmed18", *r.age_confirmed_18 ? "true" : "false");
  if (r.age_confirmed_14) el(out, "ageConfirmed14", *r.age_confirmed_14 ? "true" : "false");
  if (r.person) {
    const auto& p = *r.person;
    out += "<q:person>";
    opt(out, "lastName", p.last_name);
    opt(out, "firstName", p.first_name);
    opt(out, "middleName", p.middle_name);
    opt(out, "birthDate", p.birth_date);
    opt(out, "birthPlace", p.birth_place);
    opt(out, "gender", p.gender);
    opt(out, "citizenship", p.citizenship);
    out += "</q:person>";
  }
  if (r.doc) {
    const auto& d = *r.doc;
    out += "<q:doc>";
    opt(out, "type", d.type);
    opt(out, "series", d.series);
    opt(out, "number", d.number);
    opt(out, "issueDate", d.issue_date);
    opt(out, "issueId", d.issue_id);
    opt(out, "issuedBy", d.issued_by);
    opt(out, "expiryDate", d.expiry_date);
    opt(out, "vrfStu", d.vrf_stu);
    out += "</q:doc>";
  }
  el(out, "checkId", r.check_id);
  el(out, "checkedAt", r.checked_at);
  out += "</q:ResponseGosQrDocs>";
  return out;
}

Result<CheckRequest> read_request(const xmlNode* root) {
  if (!xml::is(root, kNamespace, kRequestRoot)) {
    return make_error("gosqr.invalid", "expected " + std::string(kRequestRoot) + " {" + kNamespace + "}");
  }
  CheckRequest r;
  r.id = xml::attr(root, "Id");
  r.timestamp = xml::attr(root, "timestamp");
  auto qr = base64_decode(req_text(root, "qrCode"));
  if (!qr) return make_error("gosqr.invalid", "qrCode: " + qr.error().message);
  r.qr_code = std::move(*qr);
  r.qr_source = opt_text(root, "qrSource");
  auto face = base64_decode(req_text(root, "faceImage"));
  if (!face) return make_error("gosqr.invalid", "faceImage: " + face.error().message);
  r.face_image = std::move(*face);
  r.face_image_captured_at = req_text(root, "faceImageCapturedAt");
  r.purpose = req_text(root, "purpose");
  if (xmlNode* o = xml::child(root, kNamespace, "organization")) {
    r.organization.ogrn = req_text(o, "ogrn");
    r.organization.inn = req_text(o, "inn");
    r.organization.kpp = opt_text(o, "kpp");
    r.organization.name = req_text(o, "name");
  }
  if (xmlNode* p = xml::child(root, kNamespace, "pointOfService")) {
    r.point_of_service.place_id = req_text(p, "placeId");
    r.point_of_service.terminal_id = req_text(p, "terminalId");
    r.point_of_service.address = opt_text(p, "address");
  }
  r.operator_id = opt_text(root, "operatorId");
  if (xmlNode* docs = xml::child(root, kNamespace, "requestedDocs")) {
    for (xmlNode* d = xml::first_element(docs); d; d = xml::next_element(d)) r.requested_docs.push_back(xml::text(d));
  }
  return r;
}

Result<CheckResponse> read_response(const xmlNode* root) {
  if (!xml::is(root, kNamespace, kResponseRoot)) {
    return make_error("gosqr.invalid", "expected " + std::string(kResponseRoot) + " {" + kNamespace + "}");
  }
  CheckResponse r;
  r.id = xml::attr(root, "Id");
  r.timestamp = xml::attr(root, "timestamp");
  r.result = req_text(root, "result");
  r.result_code = req_text(root, "resultCode");
  r.result_message = req_text(root, "resultMessage");
  r.age_confirmed_18 = opt_bool(root, "ageConfirmed18");
  r.age_confirmed_14 = opt_bool(root, "ageConfirmed14");
  if (xmlNode* p = xml::child(root, kNamespace, "person")) {
    Person x;
    x.last_name = opt_text(p, "lastName");
    x.first_name = opt_text(p, "firstName");
    x.middle_name = opt_text(p, "middleName");
    x.birth_date = opt_text(p, "birthDate");
    x.birth_place = opt_text(p, "birthPlace");
    x.gender = opt_text(p, "gender");
    x.citizenship = opt_text(p, "citizenship");
    r.person = x;
  }
  if (xmlNode* d = xml::child(root, kNamespace, "doc")) {
    Document x;
    x.type = opt_text(d, "type");
    x.series = opt_text(d, "series");
    x.number = opt_text(d, "number");
    x.issue_date = opt_text(d, "issueDate");
    x.issue_id = opt_text(d, "issueId");
    x.issued_by = opt_text(d, "issuedBy");
    x.expiry_date = opt_text(d, "expiryDate");
    x.vrf_stu = opt_text(d, "vrfStu");
    r.doc = x;
  }
  r.check_id = req_text(root, "checkId");
  r.checked_at = req_text(root, "checkedAt");
  return r;
}

}  // namespace gosdoki::gosqr
