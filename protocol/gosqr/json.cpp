#include "protocol/gosqr/json.hpp"

#include <map>
#include <memory>
#include <set>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"

namespace gosdoki::gosqr {

using nlohmann::json;

namespace {

Error field_error(const std::string& path, const std::string& what) {
  return make_error("gosqr.json_field", "field '" + path + "' " + what);
}

// Reads an object's fields by name with their JSON types; refuses unknown fields.
class Reader {
 public:
  Reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  Status object(const std::set<std::string>& known) const {
    if (!j_.is_object()) return field_error(path_.empty() ? "(body)" : path_, "must be a JSON object");
    for (const auto& [k, v] : j_.items()) {
      if (!known.count(k)) return field_error(at(k), "is not part of the contract");
    }
    return {};
  }
  Result<std::string> str(const std::string& k) const {
    if (!j_.contains(k)) return field_error(at(k), "is required");
    if (!j_[k].is_string()) return field_error(at(k), "must be a string, not " + std::string(j_[k].type_name()));
    return j_[k].get<std::string>();
  }
  Result<std::optional<std::string>> opt_str(const std::string& k) const {
    if (!j_.contains(k) || j_[k].is_null()) return std::optional<std::string>{};
    auto s = str(k);
    if (!s) return s.error();
    return std::optional<std::string>(*s);
  }
  Result<Bytes> base64(const std::string& k) const {
    auto s = str(k);
    if (!s) return s.error();
    auto b = base64_decode(*s);
    if (!b) return field_error(at(k), "is not Base64: " + b.error().message);
    if (b->empty()) return field_error(at(k), "is empty");
    return *b;
  }
  Result<std::optional<bool>> opt_bool(const std::string& k) const {
    if (!j_.contains(k) || j_[k].is_null()) return std::optional<bool>{};
    if (!j_[k].is_boolean()) return field_error(at(k), "must be true or false");
    return std::optional<bool>(j_[k].get<bool>());
  }
  Reader sub(const std::string& k) const { return Reader(j_.contains(k) ? j_[k] : null_, at(k)); }
  bool has(const std::string& k) const { return j_.contains(k) && !j_[k].is_null(); }
  const json& raw(const std::string& k) const { return j_[k]; }
  std::string at(const std::string& k) const { return path_.empty() ? k : path_ + "." + k; }

 private:
  const json& j_;
  std::string path_;
  static inline const json null_ = json();
};

void put_opt(json& j, const char* k, const std::optional<std::string>& v) {
  if (v) j[k] = *v;
}

}  // namespace

json to_json(const CheckRequest& r) {
  json j{{"timestamp", r.timestamp},
         {"qrCode", base64_encode(r.qr_code)},
         {"faceImage", base64_encode(r.face_image)},
         {"faceImageCapturedAt", r.face_image_captured_at},
         {"purpose", r.purpose}};
  put_opt(j, "qrSource", r.qr_source);
  json org{{"ogrn", r.organization.ogrn}, {"inn", r.organization.inn}, {"name", r.organization.name}};
  put_opt(org, "kpp", r.organization.kpp);
  j["organization"] = org;
  json pos{{"placeId", r.point_of_service.place_id}, {"terminalId", r.point_of_service.terminal_id}};
  put_opt(pos, "address", r.point_of_service.address);
  j["pointOfService"] = pos;
  put_opt(j, "operatorId", r.operator_id);
  if (!r.requested_docs.empty()) j["requestedDocs"] = r.requested_docs;
  return j;
}

Result<CheckRequest> request_from_json(const json& j) {
  Reader in(j, "");
  if (auto st = in.object({"timestamp", "qrCode", "qrSource", "faceImage", "faceImageCapturedAt", "purpose", "organization",
                           "pointOfService", "operatorId", "requestedDocs"});
      !st) {
    return st.error();
  }
  CheckRequest r;
  auto ts = in.str("timestamp");
  if (!ts) return ts.error();
  r.timestamp = *ts;
  auto qr = in.base64("qrCode");
  if (!qr) return qr.error();
  r.qr_code = *qr;
  auto src = in.opt_str("qrSource");
  if (!src) return src.error();
  r.qr_source = *src;
  auto face = in.base64("faceImage");
  if (!face) return face.error();
  r.face_image = *face;
  auto cap = in.str("faceImageCapturedAt");
  if (!cap) return cap.error();
  r.face_image_captured_at = *cap;
  auto purpose = in.str("purpose");
  if (!purpose) return purpose.error();
  r.purpose = *purpose;
  if (!in.has("organization")) return field_error("organization", "is required");
  Reader org = in.sub("organization");
  if (auto st = org.object({"ogrn", "inn", "kpp", "name"}); !st) return st.error();
  auto ogrn = org.str("ogrn");
  auto inn = org.str("inn");
  auto kpp = org.opt_str("kpp");
  auto name = org.str("name");
  if (!ogrn) return ogrn.error();
  if (!inn) return inn.error();
  if (!kpp) return kpp.error();
  if (!name) return name.error();
  r.organization = {*ogrn, *inn, *kpp, *name};
  if (!in.has("pointOfService")) return field_error("pointOfService", "is required");
  Reader pos = in.sub("pointOfService");
  if (auto st = pos.object({"placeId", "terminalId", "address"}); !st) return st.error();
  auto place = pos.str("placeId");
  auto term = pos.str("terminalId");
  auto addr = pos.opt_str("address");
  if (!place) return place.error();
  if (!term) return term.error();
  if (!addr) return addr.error();
  r.point_of_service = {*place, *term, *addr};
  auto op = in.opt_str("operatorId");
  if (!op) return op.error();
  r.operator_id = *op;
  if (in.has("requestedDocs")) {
    const json& docs = in.raw("requestedDocs");
    if (!docs.is_array()) return field_error("requestedDocs", "must be an array of document types");
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (!docs[i].is_string()) return field_error("requestedDocs[" + std::to_string(i) + "]", "must be a string");
      r.requested_docs.push_back(docs[i].get<std::string>());
    }
  }
  return r;
}

Status validate_request_values(const CheckRequest& r) {
  static const std::shared_ptr<const xml::Schema> schema = [] {
    auto s = xml::Schema::load_memory(schema_xsd(), "gosqr-docs-emul-1.0.0.xsd");
    return s ? std::make_shared<const xml::Schema>(std::move(*s)) : nullptr;
  }();
  if (!schema) return make_error("gosqr.schema", "the contract schema does not load");
  auto doc = xml::parse(to_xml(r));
  if (!doc) return make_error("gosqr.json_field", "the request cannot be expressed in the contract: " + doc.error().message);
  auto issues = schema->validate_element(xmlDocGetRootElement(doc->get()));
  if (issues.empty()) return {};
  // libxml2 names the element "{namespace}local": the JSON field has the same local name.
  std::string msg = issues.front().message;
  std::string field = "(body)";
  if (auto at = msg.find("Element '{"); at != std::string::npos) {
    auto close = msg.find('}', at);
    auto quote = close == std::string::npos ? close : msg.find('\'', close);
    if (quote != std::string::npos) field = msg.substr(close + 1, quote - close - 1);
  }
  // The JSON path of an XML element or attribute of the request.
  static const std::map<std::string, std::string> kPath{
      {"ogrn", "organization.ogrn"},       {"inn", "organization.inn"},          {"kpp", "organization.kpp"},
      {"name", "organization.name"},       {"placeId", "pointOfService.placeId"}, {"terminalId", "pointOfService.terminalId"},
      {"address", "pointOfService.address"}, {"docType", "requestedDocs"}};
  if (field == kRequestRoot) {
    field = msg.find("'timestamp'") != std::string::npos ? "timestamp" : "(body)";
  } else if (auto it = kPath.find(field); it != kPath.end()) {
    field = it->second;
  }
  return make_error("gosqr.json_field", "field '" + field + "': " + msg);
}

json to_json(const CheckResponse& r) {
  json j{{"result", r.result}, {"resultCode", r.result_code}, {"resultMessage", r.result_message}};
  if (r.age_confirmed_18) j["ageConfirmed18"] = *r.age_confirmed_18;
  if (r.age_confirmed_14) j["ageConfirmed14"] = *r.age_confirmed_14;
  if (r.person) {
    json p = json::object();
    put_opt(p, "lastName", r.person->last_name);
    put_opt(p, "firstName", r.person->first_name);
    put_opt(p, "middleName", r.person->middle_name);
    put_opt(p, "birthDate", r.person->birth_date);
    put_opt(p, "birthPlace", r.person->birth_place);
    put_opt(p, "gender", r.person->gender);
    put_opt(p, "citizenship", r.person->citizenship);
    j["person"] = p;
  }
  if (r.doc) {
    json d = json::object();
    put_opt(d, "type", r.doc->type);
    put_opt(d, "series", r.doc->series);
    put_opt(d, "number", r.doc->number);
    put_opt(d, "issueDate", r.doc->issue_date);
    put_opt(d, "issueId", r.doc->issue_id);
    put_opt(d, "issuedBy", r.doc->issued_by);
    put_opt(d, "expiryDate", r.doc->expiry_date);
    put_opt(d, "vrfStu", r.doc->vrf_stu);
    j["doc"] = d;
  }
  j["checkId"] = r.check_id;
  j["checkedAt"] = r.checked_at;
  return j;
}

Result<CheckResponse> response_from_json(const json& j) {
  Reader in(j, "");
  if (auto st = in.object({"result", "resultCode", "resultMessage", "ageConfirmed18", "ageConfirmed14", "person", "doc",
                           "checkId", "checkedAt"});
      !st) {
    return st.error();
  }
  CheckResponse r;
  auto result = in.str("result");
  auto code = in.str("resultCode");
  auto message = in.str("resultMessage");
  auto check_id = in.str("checkId");
  auto checked_at = in.str("checkedAt");
  auto a18 = in.opt_bool("ageConfirmed18");
  auto a14 = in.opt_bool("ageConfirmed14");
  if (!result) return result.error();
  if (!code) return code.error();
  if (!message) return message.error();
  if (!check_id) return check_id.error();
  if (!checked_at) return checked_at.error();
  if (!a18) return a18.error();
  if (!a14) return a14.error();
  r.result = *result;
  r.result_code = *code;
  r.result_message = *message;
  r.check_id = *check_id;
  r.checked_at = *checked_at;
  r.age_confirmed_18 = *a18;
  r.age_confirmed_14 = *a14;
  auto read_fields = [&](const char* name, std::initializer_list<std::pair<const char*, std::optional<std::string>*>> fields)
      -> Status {
    if (!in.has(name)) return {};
    Reader sub = in.sub(name);
    std::set<std::string> known;
    for (const auto& f : fields) known.insert(f.first);
    if (auto st = sub.object(known); !st) return st;
    for (const auto& [k, out] : fields) {
      auto v = sub.opt_str(k);
      if (!v) return v.error();
      *out = *v;
    }
    return {};
  };
  if (in.has("person")) {
    Person p;
    if (auto st = read_fields("person", {{"lastName", &p.last_name}, {"firstName", &p.first_name}, {"middleName", &p.middle_name},
                                         {"birthDate", &p.birth_date}, {"birthPlace", &p.birth_place}, {"gender", &p.gender},
                                         {"citizenship", &p.citizenship}});
        !st) {
      return st.error();
    }
    r.person = p;
  }
  if (in.has("doc")) {
    Document d;
    if (auto st = read_fields("doc", {{"type", &d.type}, {"series", &d.series}, {"number", &d.number},
                                      {"issueDate", &d.issue_date}, {"issueId", &d.issue_id}, {"issuedBy", &d.issued_by},
                                      {"expiryDate", &d.expiry_date}, {"vrfStu", &d.vrf_stu}});
        !st) {
      return st.error();
    }
    r.doc = d;
  }
  return r;
}

}  // namespace gosdoki::gosqr
