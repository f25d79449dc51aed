#include <gtest/gtest.h>

#include "core/xml/xml.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

using namespace gosdoki;

namespace {

std::string transform(const std::string& xml_text) {
  auto doc = xml::parse(xml_text);
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().message);
  if (!doc) return {};
  auto out = xmldsig::smev_transform(xmlDocGetRootElement(doc->get()));
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? *out : std::string{};
}

}  // namespace

// The S9 test document (domain/smev3.md §6): expected output per the Java reference algorithm,
// which allocates a new prefix for every declaration (ns6..ns8 for the later siblings).
TEST(SmevTransform, SyntheticVectorFromTheReferenceAlgorithm) {
  const std::string input = R"(<?xml version="1.0" encoding="UTF-8"?>
            <?xml-stylesheet type="text/xsl" href="style.xsl"?>
            <elementOne xmlns="http://test/1" xmlns:qwe="http://test/2" xmlns:asd="http://test/3">
                <qwe:elementTwo>
                    <asd:elementThree
                        xmlns:wer="http://test/a"
                        xmlns:zxc="http://test/0"
                        wer:attZ="zzz"
                        attB="bbb"
                        attA="aaa"
                        zxc:attC="ccc"
                        asd:attD="ddd"
                        asd:attE="eee"
                        qwe:attF="fff"
                    />
                </qwe:elementTwo>
                <qwe:elementFour>0</qwe:elementFour>
                <qwe:elementFive/>
                <qwe:elementSix>   </qwe:elementSix>
            </elementOne>)";
  const std::string expected =
      R"(<ns1:elementOne xmlns:ns1="http://test/1"><ns2:elementTwo xmlns:ns2="http://test/2"><ns3:elementThree xmlns:ns3="http://test/3" xmlns:ns4="http://test/0" xmlns:ns5="http://test/a" ns4:attC="ccc" ns2:attF="fff" ns3:attD="ddd" ns3:attE="eee" ns5:attZ="zzz" attA="aaa" attB="bbb"></ns3:elementThree></ns2:elementTwo><ns6:elementFour xmlns:ns6="http://test/2">0</ns6:elementFour><ns7:elementFive xmlns:ns7="http://test/2"></ns7:elementFive><ns8:elementSix xmlns:ns8="http://test/2"></ns8:elementSix></ns1:elementOne>)";
  EXPECT_EQ(transform(input), expected);
}

TEST(SmevTransform, TreeWalkEqualsExcC14nThenTransformOverOctets) {
  const std::string input =
      "<a:root xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns:unused=\"urn:u\"><!-- c --><b:x b:k=\"1\" z=\"2\">t<!--x--> "
      "u</b:x><a:y><![CDATA[<&>]]></a:y></a:root>";
  auto doc = xml::parse(input);
  ASSERT_TRUE(doc);
  xmlNode* root = xmlDocGetRootElement(doc->get());
  auto c14n = xml::exc_c14n(doc->get(), root);
  ASSERT_TRUE(c14n);
  auto via_octets = xmldsig::smev_transform_octets(*c14n);
  auto via_tree = xmldsig::smev_transform(root);
  ASSERT_TRUE(via_octets && via_tree);
  EXPECT_EQ(*via_tree, *via_octets);
  EXPECT_EQ(*via_tree,
            "<ns1:root xmlns:ns1=\"urn:a\"><ns2:x xmlns:ns2=\"urn:b\" ns2:k=\"1\" z=\"2\">t u</ns2:x>"
            "<ns1:y>&lt;&amp;></ns1:y></ns1:root>");
}

TEST(SmevTransform, WoodstoxTextEscapingTable) {
  // domain/smev3.md §5.6
  EXPECT_EQ(xmldsig::escape_text_woodstox(">a"), "&gt;a");
  EXPECT_EQ(xmldsig::escape_text_woodstox("a>b"), "a>b");
  EXPECT_EQ(xmldsig::escape_text_woodstox("a]>b"), "a]&gt;b");
  EXPECT_EQ(xmldsig::escape_text_woodstox("&>x"), "&amp;>x");
  EXPECT_EQ(xmldsig::escape_text_woodstox(">>text&content<"), "&gt;&gt;text&amp;content&lt;");
  // Long path: '>' right after an escaped char is escaped too; short path it is not.
  EXPECT_EQ(xmldsig::escape_text_woodstox("0123456789a&>"), "0123456789a&amp;&gt;");
  EXPECT_EQ(xmldsig::escape_text_woodstox("a\rb"), "a&#xd;b");
  EXPECT_EQ(xmldsig::escape_text_woodstox("tab\tlf\n\"'"), "tab\tlf\n\"'");
  EXPECT_EQ(xmldsig::escape_text_woodstox("\xc2\x85"), "&#x85;");
  EXPECT_EQ(xmldsig::escape_text_woodstox("Привет"), "Привет");
}

TEST(SmevTransform, ChunkBoundaryEvery512Utf16Units) {
  std::string text(512, 'a');
  text += ">b";  // '>' is the first char of the second chunk
  EXPECT_EQ(xmldsig::escape_text_woodstox(text), std::string(512, 'a') + "&gt;b");
  std::string cyr;
  for (int i = 0; i < 510; ++i) cyr += "ж";  // 2 UTF-8 bytes but one UTF-16 unit each
  cyr += "x>";                               // '>' is unit 511: inside chunk 1, after 'x'
  EXPECT_TRUE(xmldsig::escape_text_woodstox(cyr) == cyr);
  std::string cyr2;
  for (int i = 0; i < 512; ++i) cyr2 += "ж";
  cyr2 += ">";
  std::string want2;
  for (int i = 0; i < 512; ++i) want2 += "ж";
  want2 += "&gt;";
  EXPECT_TRUE(xmldsig::escape_text_woodstox(cyr2) == want2);  // '>' is unit 512: starts chunk 2
}

TEST(SmevTransform, AttributeEscaping) {
  EXPECT_EQ(xmldsig::escape_attribute_woodstox("a&b<c>d\"e'f"), "a&amp;b&lt;c>d&quot;e'f");
  EXPECT_EQ(xmldsig::escape_attribute_woodstox("\t\n\r"), "&#x9;&#xa;&#xd;");
}

TEST(SmevTransform, RefusesWhatTheReferenceCannotHandle) {
  auto unqualified = xml::parse("<a:r xmlns:a=\"urn:a\"><plain/></a:r>");
  ASSERT_TRUE(unqualified);
  auto r1 = xmldsig::smev_transform(xmlDocGetRootElement(unqualified->get()));
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, "xmldsig.transform");
  EXPECT_NE(r1.error().message.find("plain"), std::string::npos);
  auto xml_lang = xml::parse("<a:r xmlns:a=\"urn:a\" xml:lang=\"ru\"/>");
  ASSERT_TRUE(xml_lang);
  EXPECT_FALSE(xmldsig::smev_transform(xmlDocGetRootElement(xml_lang->get())));
}

TEST(SmevTransform, DropsWhitespaceOnlyTextKeepsOtherTextVerbatim) {
  EXPECT_EQ(transform("<a:r xmlns:a=\"urn:a\">  <a:s>  x  </a:s>\n\t<a:t>\xc2\xa0</a:t></a:r>"),
            "<ns1:r xmlns:ns1=\"urn:a\"><ns1:s>  x  </ns1:s><ns1:t>\xc2\xa0</ns1:t></ns1:r>");
}

TEST(SmevTransform, AttributeOnlyNamespaceIsDeclaredOnItsElement) {
  EXPECT_EQ(transform("<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><a:s b:x=\"1\"/><a:t b:y=\"2\"/></a:r>"),
            "<ns1:r xmlns:ns1=\"urn:a\"><ns1:s xmlns:ns2=\"urn:b\" ns2:x=\"1\"></ns1:s>"
            "<ns1:t xmlns:ns3=\"urn:b\" ns3:y=\"2\"></ns1:t></ns1:r>");
}

// libxml2 keeps '&' of a namespace declaration as "&#38;"; the transform must see '&' (as the
// Java reference does) and write it as &amp;.
TEST(SmevTransform, AmpersandInANamespaceName) {
  EXPECT_EQ(transform("<a:r xmlns:a=\"urn:z&amp;q\" a:k=\"v&amp;w\"/>"),
            "<ns1:r xmlns:ns1=\"urn:z&amp;q\" ns1:k=\"v&amp;w\"></ns1:r>");
}
