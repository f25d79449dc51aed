#include "tests/support/fixtures.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

namespace gosdoki::testkit {

const harness::FileSource& fixture_source() {
  static auto src = harness::directory_source(source_dir() / "fixtures");
  return *src;
}

const harness::Fixtures& fixtures() {
  static const harness::Fixtures f = [] {
    auto r = harness::load_fixtures(fixture_source());
    if (!r) throw std::runtime_error("fixtures: " + r.error().message);
    return std::move(*r);
  }();
  return f;
}

const std::optional<OfficialSchemas>& official_schemas(const std::string& version) {
  static std::mutex mu;
  static std::map<std::string, std::optional<OfficialSchemas>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(version);
  if (it != cache.end()) return it->second;
  auto dir = shared_dir() / "reference" / "smev3-schemas" / version;
  std::optional<OfficialSchemas> out;
  auto types = dir / ("smev-message-exchange-types-" + version + ".xsd");
  auto faults = dir / ("smev-message-exchange-faults-" + version + ".xsd");
  if (std::filesystem::exists(types) && std::filesystem::exists(faults)) {
    auto t = xml::Schema::load_file(types.string());
    auto f = xml::Schema::load_file(faults.string());
    if (!t) throw std::runtime_error(t.error().message);
    if (!f) throw std::runtime_error(f.error().message);
    const std::string base = "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/";
    auto a = xml::Schema::load_memory("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:import namespace=\"" +
                                          base + version + "\" schemaLocation=\"" + types.string() +
                                          "\"/><xs:import namespace=\"" + base + "faults/" + version +
                                          "\" schemaLocation=\"" + faults.string() + "\"/></xs:schema>",
                                      "official " + version);
    if (!a) throw std::runtime_error(a.error().message);
    out = OfficialSchemas{*t, *f, *a};
  }
  return cache.emplace(version, std::move(out)).first->second;
}

}  // namespace gosdoki::testkit
