// Interop: our СМЭВ 4 OpenAPI document (protocol/smev4/openapi/gosqr-openapi.json) is checked by
// tools of another stack — @apidevtools/swagger-parser for the document itself, ajv for recorded
// requests and answers (tests/interop/node/openapi-validate.js, packages installed from the npm
// registry by .ci/run) — and must agree with the XSD of the same model (protocol/gosqr).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/gosqr/result_codes.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kSrc = GOSDOKI_SOURCE_DIR;
const fs::path kDoc = kSrc / "protocol/smev4/openapi/gosqr-openapi.json";
const fs::path kNodeDir = kSrc / "tests/interop/node";
const fs::path kValidator = kNodeDir / "openapi-validate.js";
const fs::path kRecordings = kSrc / "tests/interop/openapi";
constexpr const char* kXs = "http://www.w3.org/2001/XMLSchema";
// Where the JSON schema lists values the XSD leaves free: the XSD types resultCode as q:Id100,
// the OpenAPI document as OK + the codes of §11.4.
const std::set<std::string> kNarrowedToEnum{"ResponseGosQrDocs.resultCode"};

json load_doc() {
  auto text = read_file(kDoc);
  EXPECT_TRUE(text) << kDoc;
  if (!text) return {};
  // nlohmann::json is what the emulator will embed and serve it with.
  auto j = json::parse(*text, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << kDoc << " is not JSON";
  return j;
}

// Why the validator cannot run here, or "" when it can.
std::string validator_missing() {
  if (testkit::run_process({"node", "--version"}).exit_code != 0) return "node is not installed";
  for (const char* p : {"@apidevtools/swagger-parser", "ajv", "ajv-formats"}) {
    if (!fs::exists(kNodeDir / "node_modules" / p)) {
      return std::string(p) + " is not installed: npm install --prefix " + kNodeDir.string() + " (done by .ci/run)";
    }
  }
  return "";
}

testkit::ProcessResult validate(const fs::path& doc, const std::optional<fs::path>& dir = std::nullopt) {
  std::vector<std::string> argv{"node", kValidator.string(), doc.string()};
  if (dir) argv.push_back(dir->string());
  return testkit::run_process(argv, std::chrono::seconds(120));
}

// ---- the XSD side ----------------------------------------------------------------------------

std::vector<xmlNode*> xs_children(const xmlNode* n, std::string_view local) {
  std::vector<xmlNode*> out;
  for (xmlNode* c : xml::children(n)) {
    if (xml::is(c, kXs, local)) out.push_back(c);
  }
  return out;
}

xmlNode* xs_child(const xmlNode* n, std::string_view local) {
  auto v = xs_children(n, local);
  return v.empty() ? nullptr : v.front();
}

// What an XSD simple type restricts a string to.
struct Facets {
  std::string base;  // xs:string, xs:date, …
  std::vector<std::string> enums;
  std::optional<std::string> pattern;
  std::optional<int> min_length, max_length;
};

Facets facets_of_restriction(const xmlNode* restriction) {
  Facets f;
  f.base = xml::attr(restriction, "base");
  for (xmlNode* c : xml::children(restriction)) {
    std::string v = xml::attr(c, "value");
    if (xml::is(c, kXs, "enumeration")) f.enums.push_back(v);
    if (xml::is(c, kXs, "pattern")) f.pattern = v;
    if (xml::is(c, kXs, "minLength")) f.min_length = std::stoi(v);
    if (xml::is(c, kXs, "maxLength")) f.max_length = std::stoi(v);
  }
  return f;
}

struct Xsd {
  xml::DocPtr doc;
  std::map<std::string, xmlNode*> simple, complex, elements;  // top-level, by name
};

Xsd load_xsd() {
  Xsd x;
  auto d = xml::parse(gosqr::schema_xsd());
  EXPECT_TRUE(d) << d.error().message;
  x.doc = std::move(*d);
  xmlNode* root = xmlDocGetRootElement(x.doc.get());
  for (xmlNode* c : xml::children(root)) {
    std::string name = xml::attr(c, "name");
    if (xml::is(c, kXs, "simpleType")) x.simple[name] = c;
    if (xml::is(c, kXs, "complexType")) x.complex[name] = c;
    if (xml::is(c, kXs, "element")) x.elements[name] = c;
  }
  return x;
}

std::string strip_prefix(const std::string& qname) {
  auto i = qname.find(':');
  return i == std::string::npos ? qname : qname.substr(i + 1);
}

// ---- the JSON side ---------------------------------------------------------------------------

const json& resolve(const json& doc, const json& s) {
  if (!s.contains("$ref")) return s;
  std::string ref = s["$ref"];
  const std::string prefix = "#/components/schemas/";
  EXPECT_EQ(ref.rfind(prefix, 0), 0u) << ref;
  return doc["components"]["schemas"][ref.substr(prefix.size())];
}

std::vector<std::string> strings(const json& a) {
  std::vector<std::string> v;
  for (const auto& e : a) v.push_back(e.get<std::string>());
  return v;
}

// A JSON property schema against an XSD simple type (by facets), `where` for messages.
void expect_simple(const json& p, const std::string& type_name, const Facets& f, const std::string& where) {
  if (f.base == "xs:date") {
    EXPECT_EQ(p.value("format", ""), "date") << where;
  } else if (f.base == "xs:dateTime") {
    EXPECT_EQ(p.value("format", ""), "date-time") << where;
  } else if (f.base == "xs:base64Binary") {
    EXPECT_EQ(p.value("format", ""), "byte") << where;
  } else if (f.base == "xs:boolean") {
    EXPECT_EQ(p.value("type", ""), "boolean") << where;
    return;
  } else {
    EXPECT_EQ(f.base, "xs:string") << where << " (" << type_name << "): a base the test does not know";
  }
  EXPECT_EQ(p.value("type", ""), "string") << where;
  if (!f.enums.empty()) {
    ASSERT_TRUE(p.contains("enum")) << where << " has no enum; XSD " << type_name;
    EXPECT_EQ(strings(p["enum"]), f.enums) << where << " enum differs from XSD " << type_name;
  } else if (kNarrowedToEnum.count(where)) {
    // A declared narrowing: JSON lists the values, each of which the XSD type accepts.
    ASSERT_TRUE(p.contains("enum")) << where;
    for (const auto& v : strings(p["enum"])) {
      int n = static_cast<int>(v.size());  // ASCII codes
      EXPECT_TRUE((!f.min_length || n >= *f.min_length) && (!f.max_length || n <= *f.max_length)) << where << ": " << v;
    }
  } else {
    EXPECT_FALSE(p.contains("enum")) << where << " has an enum the XSD does not have";
  }
  if (f.pattern) {
    // XSD patterns are anchored implicitly, JSON Schema ones are not.
    EXPECT_EQ(p.value("pattern", ""), "^" + *f.pattern + "$") << where << " pattern differs from XSD " << type_name;
  } else {
    EXPECT_FALSE(p.contains("pattern")) << where << " has a pattern the XSD does not have";
  }
  EXPECT_EQ(p.contains("minLength") ? std::optional<int>(p["minLength"].get<int>()) : std::nullopt, f.min_length)
      << where << " minLength differs from XSD " << type_name;
  EXPECT_EQ(p.contains("maxLength") ? std::optional<int>(p["maxLength"].get<int>()) : std::nullopt, f.max_length)
      << where << " maxLength differs from XSD " << type_name;
}

void expect_sequence(const Xsd& x, const json& doc, const xmlNode* complex_type, const json& js,
                     const std::string& where, const std::set<std::string>& json_only);

// The JSON schema `p` of an element whose XSD declaration is `el`.
void expect_element(const Xsd& x, const json& doc, const xmlNode* el, const json& p_in, const std::string& where) {
  const json& p = resolve(doc, p_in);
  std::string type = xml::attr(el, "type");
  if (type.empty()) {
    if (xmlNode* st = xs_child(el, "simpleType")) {
      expect_simple(p, "(inline)", facets_of_restriction(xs_child(st, "restriction")), where);
      return;
    }
    // requestedDocs: an anonymous sequence of one repeated element → a JSON array of it.
    xmlNode* ct = xs_child(el, "complexType");
    ASSERT_NE(ct, nullptr) << where;
    auto items = xs_children(xs_child(ct, "sequence"), "element");
    ASSERT_EQ(items.size(), 1u) << where;
    EXPECT_EQ(p.value("type", ""), "array") << where;
    std::string min = xml::attr(items[0], "minOccurs"), max = xml::attr(items[0], "maxOccurs");
    EXPECT_EQ(p.value("minItems", -1), min.empty() ? 1 : std::stoi(min)) << where;
    ASSERT_NE(max, "unbounded") << where;
    EXPECT_EQ(p.value("maxItems", -1), max.empty() ? 1 : std::stoi(max)) << where;
    expect_element(x, doc, items[0], p["items"], where + "[]");
    return;
  }
  if (type.rfind("xs:", 0) == 0) {
    Facets f;
    f.base = type;
    expect_simple(p, type, f, where);
    return;
  }
  std::string name = strip_prefix(type);
  if (auto it = x.simple.find(name); it != x.simple.end()) {
    expect_simple(p, name, facets_of_restriction(xs_child(it->second, "restriction")), where);
  } else if (auto ct = x.complex.find(name); ct != x.complex.end()) {
    expect_sequence(x, doc, ct->second, p, where, {});
  } else {
    ADD_FAILURE() << where << ": XSD type " << type << " not found";
  }
}

// Every element of the XSD sequence is a JSON property with the same name, required exactly when
// minOccurs is not 0, and no JSON property is missing from the XSD (but `json_only`).
void expect_sequence(const Xsd& x, const json& doc, const xmlNode* complex_type, const json& js,
                     const std::string& where, const std::set<std::string>& json_only) {
  EXPECT_EQ(js.value("type", ""), "object") << where;
  EXPECT_EQ(js.value("additionalProperties", true), false) << where << " must refuse unknown properties";
  std::set<std::string> required;
  if (js.contains("required")) {
    for (const auto& r : js["required"]) required.insert(r.get<std::string>());
  }
  std::set<std::string> seen;
  for (xmlNode* el : xs_children(xs_child(complex_type, "sequence"), "element")) {
    std::string name = xml::attr(el, "name");
    std::string w = where + "." + name;
    seen.insert(name);
    ASSERT_TRUE(js["properties"].contains(name)) << w << " is in the XSD but not in the JSON schema";
    EXPECT_EQ(required.count(name) == 1, xml::attr(el, "minOccurs") != "0") << w << ": required differs from XSD";
    EXPECT_TRUE(resolve(doc, js["properties"][name]).contains("description")) << w << " has no description";
    expect_element(x, doc, el, js["properties"][name], w);
  }
  for (const auto& [name, _] : js["properties"].items()) {
    EXPECT_TRUE(seen.count(name) || json_only.count(name)) << where << "." << name << " is not in the XSD";
  }
}

}  // namespace

TEST(OpenApi, DocumentParsesAndDescribesTheEndpoint) {
  json doc = load_doc();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_NE(doc["info"]["description"].get<std::string>().find("not an official"), std::string::npos);
  const auto& paths = doc["paths"];
  for (const char* p : {"/{consumerMnemonic}/gosqr/api/gosqr/v1/check", "/api/gosqr/v1/check"}) {
    ASSERT_TRUE(paths.contains(p) && paths[p].contains("post")) << p;
    const auto& op = paths[p]["post"];
    EXPECT_EQ(op["requestBody"]["$ref"], "#/components/requestBodies/CheckRequest") << p;
    std::set<std::string> statuses;
    for (const auto& [s, _] : op["responses"].items()) statuses.insert(s);
    EXPECT_EQ(statuses, (std::set<std::string>{"200", "400", "401", "403", "409", "413", "429", "500", "503"})) << p;
    EXPECT_EQ(op["security"], json::parse(R"([{"esiaBearer":[]}])")) << p;
  }
  ASSERT_TRUE(paths.contains("/openapi/gosqr.json") && paths["/openapi/gosqr.json"].contains("get"));
  const auto& bearer = doc["components"]["securitySchemes"]["esiaBearer"];
  EXPECT_EQ(bearer["type"], "http");
  EXPECT_EQ(bearer["scheme"], "bearer");
  EXPECT_EQ(bearer["bearerFormat"], "JWT");
  EXPECT_NE(bearer["description"].get<std::string>().find(gosqr::kScope), std::string::npos);
  // Every answer of the check echoes X-Request-Id.
  for (const auto& [name, r] : doc["components"]["responses"].items()) {
    EXPECT_TRUE(r["headers"].contains("X-Request-Id")) << name;
  }
}

TEST(OpenApi, EnumsAreTheContractsCodes) {
  json doc = load_doc();
  const auto& s = doc["components"]["schemas"];
  // resultCode: OK and every code of §11.4, as protocol/gosqr/result_codes knows them.
  auto codes = strings(s["ResultCode"]["enum"]);
  EXPECT_EQ(codes.size(), 25u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  for (const auto& c : codes) EXPECT_TRUE(gosqr::is_result_code(c)) << c;
  EXPECT_EQ(codes.front(), "OK");
  std::vector<std::string> purposes(std::begin(gosqr::kPurposes), std::end(gosqr::kPurposes));
  EXPECT_EQ(strings(s["Purpose"]["enum"]), purposes);
  EXPECT_EQ(strings(s["ErrorCode"]["enum"]),
            (std::vector<std::string>{"bad_request", "access_denied_system", "access_denied_service",
                                      "limitation_exception", "internal_error", "payload_too_large", "conflict",
                                      "service_unavailable"}));
  EXPECT_EQ(s["ErrorBody"]["required"], json::parse(R"(["code","message"])"));
}

TEST(OpenApi, SchemasAgreeWithTheXsd) {
  json doc = load_doc();
  ASSERT_TRUE(doc.is_object());
  Xsd x = load_xsd();
  const auto& s = doc["components"]["schemas"];
  for (const char* root : {gosqr::kRequestRoot, gosqr::kResponseRoot}) {
    ASSERT_TRUE(x.elements.count(root)) << root;
    xmlNode* ct = xs_child(x.elements[root], "complexType");
    ASSERT_NE(ct, nullptr);
    bool request = std::string(root) == gosqr::kRequestRoot;
    const json& js = s[request ? "CheckRequest" : "CheckResponse"];
    // @timestamp becomes the property `timestamp` (required in the request; §11.12's answer omits
    // it, so it is optional there); @Id is XML-only.
    expect_sequence(x, doc, ct, js, root, {"timestamp"});
    ASSERT_TRUE(js["properties"].contains("timestamp")) << root;
    EXPECT_EQ(js["properties"]["timestamp"]["format"], "date-time") << root;
    EXPECT_FALSE(js["properties"].contains("Id")) << root;
    bool ts_required = std::find(js["required"].begin(), js["required"].end(), "timestamp") != js["required"].end();
    EXPECT_EQ(ts_required, request) << root;
  }
}

TEST(OpenApi, IndependentValidatorAcceptsTheDocumentAndTheRecordings) {
  if (auto why = validator_missing(); !why.empty()) GTEST_SKIP() << why;
  auto r = validate(kDoc, kRecordings);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(kRecordings)) {
    if (e.path().extension() != ".json") continue;
    ++files;
    EXPECT_NE(r.out.find("OK   " + e.path().string()), std::string::npos) << e.path() << "\n" << r.out;
  }
  EXPECT_GE(files, 3u);
  EXPECT_NE(r.out.find(std::to_string(files + 1) + " passed, 0 failed"), std::string::npos) << r.out;
}

TEST(OpenApi, IndependentValidatorRefusesEachInvalidRecording) {
  if (auto why = validator_missing(); !why.empty()) GTEST_SKIP() << why;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(kRecordings / "invalid")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    // Alone in a folder, so that its own failure is what fails the run.
    auto dir = testkit::temp_dir("openapi-" + e.path().stem().string());
    fs::copy_file(e.path(), dir / e.path().filename());
    auto r = validate(kDoc, dir);
    EXPECT_EQ(r.exit_code, 1) << e.path() << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("FAIL " + (dir / e.path().filename()).string()), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos) << "the document itself must pass\n" << r.out;
    fs::remove_all(dir);
  }
  EXPECT_GE(files, 3u);
}

TEST(OpenApi, IndependentValidatorRefusesABrokenDocument) {
  if (auto why = validator_missing(); !why.empty()) GTEST_SKIP() << why;
  json doc = load_doc();
  ASSERT_TRUE(doc.is_object());
  auto dir = testkit::temp_dir("openapi-broken");
  struct Case {
    const char* name;
    json doc;
  };
  std::vector<Case> cases;
  {
    json d = doc;
    d["info"].erase("version");
    cases.push_back({"no-info-version", d});
  }
  {
    json d = doc;
    d["components"]["schemas"]["Person"]["properties"]["gender"] = json{{"$ref", "#/components/schemas/Nope"}};
    cases.push_back({"dangling-ref", d});
  }
  {
    json d = doc;  // an example of the document that its own schema refuses
    d["components"]["responses"]["CheckOk"]["content"]["application/json"]["examples"]["hotelOk"]["value"]["person"]
     ["birthDate"] = "23.10.1985";
    cases.push_back({"bad-example", d});
  }
  for (const auto& c : cases) {
    auto path = dir / (std::string(c.name) + ".json");
    ASSERT_TRUE(write_file(path, c.doc.dump(2)));
    auto r = validate(path);
    EXPECT_EQ(r.exit_code, 1) << c.name << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("FAIL " + path.string()), std::string::npos) << c.name << "\n" << r.out << r.err;
  }
  fs::remove_all(dir);
}
