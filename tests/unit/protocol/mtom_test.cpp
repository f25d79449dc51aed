#include <gtest/gtest.h>

#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/parse.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;

// The real MTOM-framed empty GetResponseResponse from the СМЭВ test environment (Apache CXF).
TEST(Mtom, ReadsTheRealMultipartEmptyQueueAnswer) {
  auto path = testkit::shared_dir() / "conformance/smev3-real/GetResponseResponce_MultipartEmptyQueue.xml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "conformance material not present at " << path;
  auto body = read_file(path);
  ASSERT_TRUE(body);
  // The HTTP Content-Type is not in the file; this is what CXF sends with such a body.
  std::string ct = "multipart/related; type=\"application/xop+xml\"; boundary=\"f438a15e-9b5b-491f-9b47-aba4d00b8837\"; "
                   "start=\"<root.message@cxf.apache.org>\"; start-info=\"text/xml\"";
  auto env = smev3::parse_message(ct, *body);
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_TRUE(env->mtom);
  EXPECT_EQ(env->local, "GetResponseResponse");
  EXPECT_EQ(env->version, smev3::Version::v1_2);
  auto msg = smev3::read_get_response_response(*env);
  ASSERT_TRUE(msg) << msg.error().message;
  EXPECT_FALSE(msg->has_value()) << "an empty element means an empty queue";
}

TEST(Mtom, ReadsTheRealPlainEmptyQueueAnswerToo) {
  auto path = testkit::shared_dir() / "conformance/smev3-real/GetResponseResponce_EmptyQueue.xml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "conformance material not present at " << path;
  auto env = smev3::parse_message("text/xml; charset=utf-8", *read_file(path));
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_FALSE(env->mtom);
  auto msg = smev3::read_get_response_response(*env);
  ASSERT_TRUE(msg);
  EXPECT_FALSE(msg->has_value());
}

TEST(Mtom, InlinesXopPartsAsBase64) {
  std::string binary("\x00\x01\xfe\xffPNG", 8);
  std::vector<smev3::MimePart> att(1);
  att[0].content_id = "face@example";
  att[0].body = binary;
  att[0].headers["content-type"] = "image/jpeg";
  std::string envelope =
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<x:Doc xmlns:x=\"urn:x\"><x:img><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" "
      "href=\"cid:face%40example\"/></x:img></x:Doc></soap:Body></soap:Envelope>";
  auto m = smev3::build_mtom(envelope, att);
  auto parts = smev3::parse_multipart(m.content_type, m.body);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ(parts->front().body, envelope);
  EXPECT_EQ((*parts)[1].body, binary);
  auto doc = xml::parse(parts->front().body);
  auto n = smev3::resolve_xop(doc->get(), *parts);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
  EXPECT_NE(xml::serialize(doc->get()).find("<x:img>" + base64_encode(binary) + "</x:img>"), std::string::npos);
}

TEST(Mtom, RefusesBrokenFraming) {
  std::string ct = "multipart/related; boundary=\"b\"";
  EXPECT_EQ(smev3::parse_multipart("multipart/related", "x").error().code, "mtom.invalid");
  EXPECT_FALSE(smev3::parse_multipart(ct, "no boundary here"));
  EXPECT_FALSE(smev3::parse_multipart(ct, "--b\r\nContent-ID: <a>\r\n\r\nbody without end"));
  auto unknown_start = smev3::parse_multipart("multipart/related; boundary=b; start=\"<zz>\"",
                                              "--b\r\nContent-ID: <a>\r\n\r\nx\r\n--b--\r\n");
  ASSERT_FALSE(unknown_start);
  EXPECT_NE(unknown_start.error().message.find("zz"), std::string::npos);
  std::string many;
  for (int i = 0; i < 200; ++i) many += "--b\r\nContent-ID: <p" + std::to_string(i) + ">\r\n\r\nx\r\n";
  many += "--b--\r\n";
  auto too_many = smev3::parse_multipart(ct, many);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message.find("parts"), std::string::npos);
  auto doc = xml::parse("<a:r xmlns:a=\"urn:a\"><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:gone\"/></a:r>");
  std::vector<smev3::MimePart> only_root(1);
  auto unresolved = smev3::resolve_xop(doc->get(), only_root);
  ASSERT_FALSE(unresolved);
  EXPECT_EQ(unresolved.error().code, "mtom.unresolved");
}
