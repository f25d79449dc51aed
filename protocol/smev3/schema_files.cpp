#include "protocol/smev3/schema_files.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace gosdoki::smev3 {

namespace detail {
// Defined by the table that protocol/CMakeLists.txt generates from protocol/smev3/schema/.
std::vector<SchemaFile> embedded_schema_files();
}  // namespace detail

namespace {

constexpr std::string_view kUrlPrefix = "gosdoki-embedded://smev3/";

xmlExternalEntityLoader g_previous_loader = nullptr;

// Serves gosdoki-embedded://smev3/<name> from the embedded table; hands anything else on.
xmlParserInputPtr embedded_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
  if (url != nullptr && std::string_view(url).starts_with(kUrlPrefix)) {
    std::string_view text = schema_file(std::string_view(url).substr(kUrlPrefix.size()));
    if (text.empty() || ctxt == nullptr) return nullptr;  // unknown name: a load error, never the disk
    xmlParserInputBufferPtr buf =
        xmlParserInputBufferCreateMem(text.data(), static_cast<int>(text.size()), XML_CHAR_ENCODING_NONE);
    if (buf == nullptr) return nullptr;
    xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
    if (in == nullptr) {
      xmlFreeParserInputBuffer(buf);
      return nullptr;
    }
    // The document's base URI: relative schemaLocations resolve against it to our scheme again.
    in->filename = reinterpret_cast<char*>(xmlStrdup(reinterpret_cast<const xmlChar*>(url)));
    return in;
  }
  return g_previous_loader != nullptr ? g_previous_loader(url, id, ctxt) : nullptr;
}

void install_loader() {
  static std::once_flag once;
  std::call_once(once, [] {
    xml::init();
    g_previous_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(embedded_loader);
  });
}

std::string file_name(std::string_view part, Version v) {
  return "gosdoki-smev-message-exchange-" + std::string(part) + "-" + version_name(v) + ".xsd";
}

Result<xml::Schema> load_uncached(Version v, SchemaPart part) {
  install_loader();
  const Namespaces& n = namespaces(v);
  auto import = [&](const std::string& ns, std::string_view what) {
    return "<xs:import namespace=\"" + ns + "\" schemaLocation=\"" + embedded_schema_url(file_name(what, v)) + "\"/>";
  };
  std::string wrapper = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">";
  if (part != SchemaPart::faults) wrapper += import(n.types, "types");
  if (part != SchemaPart::types) wrapper += import(n.faults, "faults");
  wrapper += "</xs:schema>";
  const char* what = part == SchemaPart::types ? "types" : part == SchemaPart::faults ? "faults" : "types+faults";
  return xml::Schema::load_memory(wrapper, std::string("own SMEV 3 ") + version_name(v) + " schema (" + what + ")");
}

}  // namespace

const std::vector<SchemaFile>& schema_files() {
  static const std::vector<SchemaFile> files = [] {
    auto f = detail::embedded_schema_files();
    std::sort(f.begin(), f.end(), [](const SchemaFile& a, const SchemaFile& b) { return a.name < b.name; });
    return f;
  }();
  return files;
}

std::string_view schema_file(std::string_view name) {
  const auto& files = schema_files();
  auto it = std::lower_bound(files.begin(), files.end(), name,
                             [](const SchemaFile& f, std::string_view n) { return f.name < n; });
  if (it == files.end() || it->name != name) return {};
  return it->text;
}

std::string wsdl_file_name(Version v) {
  return std::string("gosdoki-smev-message-exchange-service-") + version_name(v) + ".wsdl";
}

std::vector<std::string_view> schema_file_names(Version v) {
  std::vector<std::string_view> out;
  auto add = [&](const std::string& name) {
    for (const auto& f : schema_files()) {
      if (f.name == name) out.push_back(f.name);
    }
  };
  add(wsdl_file_name(v));
  for (const char* part : {"types", "basic", "faults", "routing", "directive"}) add(file_name(part, v));
  return out;
}

std::string own_wsdl(Version v, std::string_view endpoint_url) {
  std::string text(schema_file(wsdl_file_name(v)));
  auto at = text.find(kWsdlAddressPlaceholder);
  if (at != std::string::npos) text.replace(at, kWsdlAddressPlaceholder.size(), xml::escape_attr(endpoint_url));
  return text;
}

std::string embedded_schema_url(std::string_view name) { return std::string(kUrlPrefix) + std::string(name); }

Result<xml::Schema> load_own_schema(Version v, SchemaPart part) {
  static std::mutex mu;
  static std::map<std::pair<Version, SchemaPart>, xml::Schema> cache;
  std::lock_guard lock(mu);
  auto key = std::make_pair(v, part);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto loaded = load_uncached(v, part);
  if (!loaded) return loaded;
  cache.emplace(key, *loaded);
  return loaded;
}

}  // namespace gosdoki::smev3
