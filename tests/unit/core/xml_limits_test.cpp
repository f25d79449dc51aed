#include <gtest/gtest.h>

#include <chrono>

#include "core/xml/xml.hpp"

using namespace gosdoki;

TEST(XmlLimits, RefusesOtherEncodingsSoNoDoctypeSlipsThrough) {
  std::string utf16 = "\xFF\xFE<\0?\0x\0m\0l\0";
  EXPECT_EQ(xml::parse(std::string(utf16.data(), 12)).error().code, "xml.encoding");
  std::string be = std::string("\0<\0?", 4);
  EXPECT_EQ(xml::parse(be).error().code, "xml.encoding");
  EXPECT_EQ(xml::parse("<?xml version=\"1.0\" encoding=\"windows-1251\"?><a/>").error().code, "xml.encoding");
  EXPECT_TRUE(xml::parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>"));
  EXPECT_EQ(xml::parse("<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>").error().code,
            "xml.dtd_forbidden");
}

TEST(XmlLimits, TooManyAttributesIsRefusedBeforeParsing) {
  std::string doc = "<a";
  for (int i = 0; i < 60000; ++i) doc += " a" + std::to_string(i) + "=\"x\"";
  doc += "/>";
  auto t0 = std::chrono::steady_clock::now();
  auto r = xml::parse(doc);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "xml.too_many_attributes");
  EXPECT_LT(ms, 2000) << "refused in linear time, not after libxml2's quadratic check";
  std::string ok = "<a";
  for (int i = 0; i < 256; ++i) ok += " a" + std::to_string(i) + "=\"x>y\"";
  ok += "/>";
  EXPECT_TRUE(xml::parse(ok)) << "256 attributes (with '>' and '=' inside values) are fine";
}

TEST(XmlLimits, DepthAndSize) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<a>";
  for (int i = 0; i < 200; ++i) deep += "</a>";
  EXPECT_EQ(xml::parse(deep).error().code, "xml.too_deep");
  xml::ParseLimits small;
  small.max_bytes = 10;
  EXPECT_EQ(xml::parse("<a>0123456789</a>", small).error().code, "xml.too_large");
}

// XXE and entity expansion cannot happen: any DOCTYPE is refused before libxml2 sees it.
TEST(XmlLimits, ExternalEntitiesAndEntityBombsAreRefused) {
  auto xxe = xml::parse(R"(<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>)");
  ASSERT_FALSE(xxe);
  EXPECT_EQ(xxe.error().code, "xml.dtd_forbidden");
  std::string bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">";
  }
  bomb += "]><lolz>&lol9;</lolz>";
  auto b = xml::parse(bomb);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, "xml.dtd_forbidden");
  // An undeclared entity reference without a DOCTYPE is a plain parse error, not an expansion.
  EXPECT_FALSE(xml::parse("<a>&undefined;</a>"));
}
