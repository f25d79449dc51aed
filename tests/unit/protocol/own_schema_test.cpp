// Our own SMEV 3 schemas (protocol/smev3/schema) against the official ones: for every document
// of a corpus (own_schema_corpus.hpp) our verdict (valid / invalid) must equal the official
// schema's verdict. The official files are read from ../shared/reference/smev3-schemas/<V> when
// present; 1.2 has no official schema, so there only the expected verdicts are checked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/xml/xml.hpp"
#include "protocol/smev3/schema_files.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/unit/protocol/own_schema_corpus.hpp"

using namespace gosdoki;
using namespace gosdoki::testkit::own_schema;
namespace s3 = gosdoki::smev3;
using s3::Version;

namespace {

const char* const kVersions[] = {"1.1", "1.2", "1.3"};

// ---- running a schema over one document ----

struct Verdict {
  bool valid = false;
  std::string why;
};

// Validates the element under soap:Body, or the detail element of a soap:Fault, or the root.
Verdict judge(const xml::Schema& schema, const std::string& text) {
  auto doc = xml::parse(text);
  if (!doc) return {false, "not XML: " + doc.error().message};
  xmlNode* el = xmlDocGetRootElement(doc->get());
  if (xml::is(el, s3::kSoapNs, "Envelope")) el = xml::first_element(xml::child(el, s3::kSoapNs, "Body"));
  if (el && xml::is(el, s3::kSoapNs, "Fault")) {
    xmlNode* detail = nullptr;
    for (xmlNode* c = xml::first_element(el); c; c = xml::next_element(c)) {
      if (xml::local_name(c) == "detail") detail = c;
    }
    el = detail ? xml::first_element(detail) : nullptr;
  }
  if (!el) return {false, "no element to validate"};
  auto issues = schema.validate_element(el);
  Verdict v{issues.empty(), ""};
  for (const auto& i : issues) v.why += "\n      " + i.message;
  return v;
}

char expected(const Doc& d, Version v) { return d.expect[static_cast<std::size_t>(v)]; }

std::filesystem::path official_dir(const char* v) { return testkit::shared_dir() / "reference" / "smev3-schemas" / v; }

// The official types and faults of a version as one schema set (tests/support).
std::optional<xml::Schema> official(const char* v) {
  const auto& o = testkit::official_schemas(v);
  if (!o) return std::nullopt;
  return o->all;
}

Version version_of(const char* v) {
  return std::string(v) == "1.1" ? Version::v1_1 : std::string(v) == "1.2" ? Version::v1_2 : Version::v1_3;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(OwnSchemaFiles, EmbeddedFilesAreTheSourceFilesAndSayTheyAreOurs) {
  const auto dir = testkit::source_dir() / "protocol" / "smev3" / "schema";
  std::size_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto ext = e.path().extension();
    if (ext != ".xsd" && ext != ".wsdl") continue;
    ++on_disk;
    std::string name = e.path().filename().string();
    std::string_view text = s3::schema_file(name);
    EXPECT_TRUE(text == read(e.path())) << name << " differs from the embedded copy (rebuild?)";
    EXPECT_TRUE(text.starts_with("<!--\n  GosDoki Sandbox - our own ")) << name;
    EXPECT_NE(text.substr(0, 400).find("It is not the"), std::string_view::npos) << name;
    EXPECT_TRUE(xml::parse(text)) << name;
  }
  EXPECT_EQ(on_disk, s3::schema_files().size());
  EXPECT_EQ(s3::schema_file_names(Version::v1_1).size(), 4u);
  EXPECT_EQ(s3::schema_file_names(Version::v1_2).size(), 4u);
  EXPECT_EQ(s3::schema_file_names(Version::v1_3).size(), 6u);
  EXPECT_TRUE(s3::schema_file("no-such.xsd").empty());
}

TEST(OwnSchemaFiles, NoOfficialDocumentationTextIsCopied) {
  for (const char* v : {"1.1", "1.3"}) {
    if (!std::filesystem::exists(official_dir(v))) GTEST_SKIP() << "no official schemas under " << official_dir(v);
    for (const auto& e : std::filesystem::directory_iterator(official_dir(v))) {
      auto doc = xml::parse(read(e.path()));
      ASSERT_TRUE(doc) << e.path();
      std::vector<xmlNode*> stack{xmlDocGetRootElement(doc->get())};
      while (!stack.empty()) {
        xmlNode* n = stack.back();
        stack.pop_back();
        for (xmlNode* c = n->children; c; c = c->next) {
          if (c->type == XML_ELEMENT_NODE) stack.push_back(c);
          if (c->type != XML_TEXT_NODE && c->type != XML_COMMENT_NODE) continue;
          std::string t = reinterpret_cast<const char*>(c->content);
          t.erase(0, t.find_first_not_of(" \t\r\n"));
          t.erase(t.find_last_not_of(" \t\r\n") + 1);
          if (t.size() < 24) continue;
          for (const auto& f : s3::schema_files()) {
            EXPECT_EQ(f.text.find(t), std::string_view::npos)
                << f.name << " contains text of " << e.path() << ": " << t;
          }
        }
      }
    }
  }
}

TEST(OwnSchemaFiles, WsdlIsServedWithTheRealAddress) {
  for (const char* v : kVersions) {
    std::string wsdl = s3::own_wsdl(version_of(v), "http://127.0.0.1:9/smev?a=1&b=2");
    EXPECT_EQ(wsdl.find(s3::kWsdlAddressPlaceholder), std::string::npos) << v;
    EXPECT_NE(wsdl.find("location=\"http://127.0.0.1:9/smev?a=1&amp;b=2\""), std::string::npos) << v;
    auto doc = xml::parse(wsdl);
    ASSERT_TRUE(doc) << v;
    std::size_t ops = 0;
    for (std::size_t at = wsdl.find("soapAction=\"urn:"); at != std::string::npos;
         at = wsdl.find("soapAction=\"urn:", at + 1))
      ++ops;
    EXPECT_EQ(ops, std::string(v) == "1.1" ? 7u : 6u) << v;
    EXPECT_EQ(wsdl.find("types/routing/"), std::string::npos) << v;  // routing lives in the XSDs only
  }
}

TEST(OwnSchemaFiles, EveryVersionAndPartLoadsFromMemory) {
  for (const char* v : kVersions) {
    for (auto part : {s3::SchemaPart::types, s3::SchemaPart::faults, s3::SchemaPart::all}) {
      auto s = s3::load_own_schema(version_of(v), part);
      EXPECT_TRUE(s) << v << ": " << (s ? "" : s.error().message);
    }
  }
  // The types part alone knows no fault elements; `all` knows both.
  auto types = s3::load_own_schema(Version::v1_3, s3::SchemaPart::types);
  auto all = s3::load_own_schema(Version::v1_3);
  ASSERT_TRUE(types && all);
  std::string f = envelope(Version::v1_3, fault("<f:SMEVFailure/>"));
  EXPECT_FALSE(judge(*types, f).valid);
  EXPECT_TRUE(judge(*all, f).valid);
}

class OwnSchemaEquivalence : public ::testing::TestWithParam<const char*> {};

TEST_P(OwnSchemaEquivalence, SameVerdictAsTheOfficialSchema) {
  const char* vname = GetParam();
  const Version v = version_of(vname);
  auto ours = s3::load_own_schema(v);
  ASSERT_TRUE(ours) << ours.error().message;
  std::optional<xml::Schema> theirs;
  if (v != Version::v1_2) {
    theirs = official(vname);
    if (!theirs) GTEST_SKIP() << "official " << vname << " schemas not found under " << official_dir(vname);
  }
  auto docs = builder_corpus(v);
  std::size_t from_builders = docs.size();
  for (auto& d : handwritten()) docs.push_back(std::move(d));
  std::size_t valid = 0, disagreements = 0;
  for (const auto& d : docs) {
    std::string text = text_for(d, v);
    Verdict mine = judge(*ours, text);
    valid += mine.valid ? 1 : 0;
    if (theirs) {
      Verdict ref = judge(*theirs, text);
      if (ref.valid != mine.valid) ++disagreements;
      EXPECT_EQ(mine.valid, ref.valid) << vname << " '" << d.name << "': ours says "
                                       << (mine.valid ? "valid" : "invalid") << ", the official schema "
                                       << (ref.valid ? "valid" : "invalid") << mine.why << ref.why << "\n    " << text;
    }
    char e = expected(d, v);
    if (e != '?') {
      EXPECT_EQ(mine.valid, e == 'v') << vname << " '" << d.name << "': expected " << (e == 'v' ? "valid" : "invalid")
                                      << mine.why << "\n    " << text;
    }
  }
  std::cout << "[ own schema " << vname << " ] " << docs.size() << " documents (" << from_builders
            << " from builders), " << valid << " valid, "
            << (theirs ? std::to_string(disagreements) + " disagreements with the official schema"
                       : std::string("no official schema: expectations only"))
            << "\n";
}

INSTANTIATE_TEST_SUITE_P(Versions, OwnSchemaEquivalence, ::testing::Values("1.1", "1.2", "1.3"),
                         [](const auto& p) { return std::string("v1_") + p.param[2]; });
