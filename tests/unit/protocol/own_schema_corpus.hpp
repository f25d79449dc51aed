#pragma once
// The document corpus of own_schema_test.cpp: what protocol/smev3/envelope.hpp emits for a
// version, hand-written shapes (incl. the 1.1-only ones) and deliberately broken variants,
// each with the verdict we expect per version.
#include <string>
#include <utility>
#include <vector>

#include "protocol/smev3/messages.hpp"

namespace gosdoki::testkit::own_schema {

inline constexpr const char* kMid = "1f2e3d4c-5b6a-11ee-8c99-0242ac120002";  // lower-case UUID v1
inline constexpr const char* kMid2 = "2a2e3d4c-5b6a-11ee-8c99-0242ac120002";

// Expected verdict per version 1.1, 1.2, 1.3: 'v' valid, 'i' invalid, '?' not asserted.
struct Doc {
  Doc(std::string n, std::string t, std::string e, std::string from = {}, std::string to = {})
      : name(std::move(n)),
        text(std::move(t)),
        expect(std::move(e)),
        after_from(std::move(from)),
        after_to(std::move(to)) {}
  std::string name;
  std::string text;  // a whole envelope, or a body with the tokens of envelope()
  std::string expect;
  std::string after_from, after_to;  // one replacement made after the tokens are expanded
};

// A SOAP envelope around `body` that declares the prefixes t b f r d ds xsi q for version v and
// expands the tokens: {V} version, {MID} a message id, {C} business content, {SIG} a signature
// wrapper's content, {MD} valid MessageMetadata of the version, {MD11} metadata in the 1.1 shape.
std::string envelope(smev3::Version v, const std::string& body);
std::string fault(const std::string& detail);  // a soap:Fault with this detail content

std::vector<Doc> handwritten();
std::vector<Doc> builder_corpus(smev3::Version v);     // own_schema_builders.cpp
std::string text_for(const Doc& d, smev3::Version v);  // the final text for version v

}  // namespace gosdoki::testkit::own_schema
