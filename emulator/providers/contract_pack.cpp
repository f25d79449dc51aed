#include "emulator/providers/contract_pack.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <set>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"

namespace gosdoki::emulator {

namespace s3 = gosdoki::smev3;
using nlohmann::json;

namespace {

constexpr std::uint64_t kMaxPackFile = 4u << 20;

Error pack_error(const std::filesystem::path& file, const std::string& what) {
  return make_error("contract_pack", file.string() + ": " + what);
}

Result<std::string> string_field(const json& j, const char* name, const std::filesystem::path& file, bool required) {
  if (!j.contains(name)) {
    if (required) return pack_error(file, std::string("field '") + name + "' is required");
    return std::string{};
  }
  if (!j[name].is_string() || j[name].get<std::string>().empty()) {
    return pack_error(file, std::string("field '") + name + "' must be a non-empty string");
  }
  return j[name].get<std::string>();
}

bool has_element_with_text(const xmlNode* n, const std::string& local, const std::string& text) {
  for (xmlNode* c = xml::first_element(n); c; c = xml::next_element(c)) {
    if (xml::local_name(c) == local && xml::text(c) == text) return true;
    if (has_element_with_text(c, local, text)) return true;
  }
  return false;
}

Result<ControlExample> load_example(const json& e, const ContractPack& pack, const std::filesystem::path& file,
                                    std::size_t index) {
  std::string where = "examples[" + std::to_string(index) + "]";
  if (!e.is_object()) return pack_error(file, where + " must be an object");
  for (const auto& [k, v] : e.items()) {
    if (k != "name" && k != "match" && k != "response" && k != "rejection") {
      return pack_error(file, where + ": unknown field '" + k + "' (known: name, match, response, rejection)");
    }
  }
  ControlExample ex;
  ex.name = e.value("name", where);
  if (e.contains("match")) {
    const auto& m = e["match"];
    if (!m.is_object() || !m.contains("element") || !m["element"].is_string() || !m.contains("text") ||
        !m["text"].is_string()) {
      return pack_error(file, where + ".match must be {\"element\": local name, \"text\": exact text}");
    }
    ex.match_element = m["element"].get<std::string>();
    ex.match_text = m["text"].get<std::string>();
  }
  if (e.contains("response") == e.contains("rejection")) {
    return pack_error(file, where + " needs exactly one of 'response' (an XML file) and 'rejection'");
  }
  if (e.contains("rejection")) {
    const auto& r = e["rejection"];
    static const std::set<std::string> codes{"ACCESS_DENIED", "NO_DATA", "UNKNOWN_REQUEST_DESCRIPTION", "FAILURE"};
    if (!r.is_object() || !r.contains("code") || !r["code"].is_string() || !codes.count(r["code"].get<std::string>())) {
      return pack_error(file, where + ".rejection.code must be ACCESS_DENIED, NO_DATA, UNKNOWN_REQUEST_DESCRIPTION or FAILURE");
    }
    ex.rejection = s3::Rejection{r["code"].get<std::string>(), r.value("description", r["code"].get<std::string>())};
    return ex;
  }
  if (!e["response"].is_string()) return pack_error(file, where + ".response must be a file name");
  auto path = pack.dir / e["response"].get<std::string>();
  auto text = read_file(path, kMaxPackFile);
  if (!text) return text.error();  // names the file
  auto doc = xml::parse(*text);
  if (!doc) return pack_error(path, doc.error().message);
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!root || xml::ns_uri(root) != pack.type.ns || xml::local_name(root) != pack.type.response_root) {
    return pack_error(path, "the root must be {" + pack.type.ns + "}" + pack.type.response_root);
  }
  if (pack.type.schema) {
    auto issues = pack.type.schema->validate_element(root);
    if (!issues.empty()) {
      return pack_error(path, "line " + std::to_string(issues.front().line) + ": " + issues.front().message +
                                  " (the example does not match the pack's schema)");
    }
  }
  auto xml_text = s3::standalone(doc->get(), root);
  if (!xml_text) return pack_error(path, xml_text.error().message);
  ex.response_xml = std::move(*xml_text);
  return ex;
}

}  // namespace

Result<ContractPack> load_contract_pack(const std::filesystem::path& dir) {
  ContractPack pack;
  pack.dir = dir;
  auto file = dir / "contract.json";
  auto text = read_file(file, kMaxPackFile);
  if (!text) return text.error();  // names the file
  json j;
  try {
    j = json::parse(*text);
  } catch (const json::parse_error& e) {
    return pack_error(file, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) return pack_error(file, "must be a JSON object");
  static const std::set<std::string> known{"namespace", "requestRoot", "responseRoot", "schema", "provider",
                                           "providerName", "providerCertificate", "consumers", "examples"};
  for (const auto& [k, v] : j.items()) {
    if (!known.count(k)) {
      return pack_error(file, "unknown field '" + k + "' (known: namespace, requestRoot, responseRoot, schema, provider, "
                              "providerName, providerCertificate, consumers, examples)");
    }
  }
  auto ns = string_field(j, "namespace", file, true);
  if (!ns) return ns.error();
  auto req = string_field(j, "requestRoot", file, true);
  if (!req) return req.error();
  auto resp = string_field(j, "responseRoot", file, true);
  if (!resp) return resp.error();
  auto provider = string_field(j, "provider", file, false);
  if (!provider) return provider.error();
  pack.type.ns = *ns;
  pack.type.request_root = *req;
  pack.type.response_root = *resp;
  pack.type.provider = provider->empty() ? std::string(kEmuMnemonic) : *provider;
  if (auto schema = string_field(j, "schema", file, false); !schema) {
    return schema.error();
  } else if (!schema->empty()) {
    auto loaded = xml::Schema::load_file((dir / *schema).string());
    if (!loaded) {
      bool named = loaded.error().message.find((dir / *schema).string()) != std::string::npos;
      return named ? loaded.error() : pack_error(dir / *schema, loaded.error().message);
    }
    pack.type.schema = std::make_shared<const xml::Schema>(std::move(*loaded));
  }
  if (pack.type.provider != kEmuMnemonic) {
    auto cert_file = string_field(j, "providerCertificate", file, false);
    if (!cert_file) return cert_file.error();
    if (!cert_file->empty()) {
      auto pem = read_file(dir / *cert_file, kMaxPackFile);
      if (!pem) return pem.error();
      auto cert = crypto::Certificate::from_pem(*pem);
      if (!cert) return pack_error(dir / *cert_file, cert.error().message);
      pack.provider = Participant{pack.type.provider, j.value("providerName", pack.type.provider), *cert};
    }
  }
  if (!j.contains("consumers") || !j["consumers"].is_array() || j["consumers"].empty()) {
    return pack_error(file, "field 'consumers' must be a non-empty array of mnemonics (\"*\" = every participant)");
  }
  for (const auto& c : j["consumers"]) {
    if (!c.is_string() || c.get<std::string>().empty()) return pack_error(file, "'consumers' must hold mnemonics");
    pack.type.consumers.insert(c.get<std::string>());
  }
  if (j.contains("examples")) {
    if (!j["examples"].is_array()) return pack_error(file, "field 'examples' must be an array");
    if (pack.type.provider != kEmuMnemonic) {
      return pack_error(file, "'examples' are answered by the emulator recipient: use them with \"provider\": \"emu\"");
    }
    for (std::size_t i = 0; i < j["examples"].size(); ++i) {
      auto ex = load_example(j["examples"][i], pack, file, i);
      if (!ex) return ex.error();
      pack.examples.push_back(std::move(*ex));
    }
  }
  return pack;
}

void register_contract_pack(Registry& registry, const ContractPack& pack) {
  if (pack.provider) registry.add_participant(*pack.provider);
  registry.add_business_type(pack.type);
}

Answerer emu_answerer(std::vector<ContractPack> packs) {
  auto shared = std::make_shared<const std::vector<ContractPack>>(std::move(packs));
  return [shared](const s3::RequestMessage& rm, s3::SenderProvidedResponseData& out) -> std::string {
    for (const auto& pack : *shared) {
      if (pack.type.ns != rm.business.ns || pack.type.request_root != rm.business.root) continue;
      for (const auto& ex : pack.examples) {
        if (!ex.match_element.empty() && !has_element_with_text(rm.business.node, ex.match_element, ex.match_text)) {
          continue;
        }
        if (ex.rejection) out.rejections.push_back(*ex.rejection);
        else out.business_xml = ex.response_xml;
        return "example " + ex.name;
      }
    }
    out.rejections.push_back({"NO_DATA", "emu: нет контрольного примера для запроса {" + rm.business.ns + "}" +
                                             rm.business.root + " [эмулятор GosDoki Sandbox]"});
    return "NO_DATA";
  };
}

}  // namespace gosdoki::emulator
