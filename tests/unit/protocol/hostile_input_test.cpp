// Inputs that fuzzing (fuzz/, docs/reliability.md "Fuzzing") or its review found to crash, hang
// or blow up a reader; each must now give a clean error at a bounded cost.
#include <gtest/gtest.h>

#include <string>

#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/parse.hpp"

using namespace gosdoki;

namespace {

std::string soap_with_includes(int n) {
  std::string body = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                     "<ns:AckRequest xmlns:ns=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3\">";
  for (int i = 0; i < n; ++i) {
    body += "<ns:X><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:big%40part\"/></ns:X>";
  }
  return body + "</ns:AckRequest></soap:Body></soap:Envelope>";
}

}  // namespace

// Found while writing fuzz_smev3_envelope: every xop:Include inlined the whole base64 of its
// part, so N references to one 6 MB part within an 8 MiB body made N × 8 MB of document.
TEST(HostileInput, XopPartReferencedTwiceIsRefusedNotInlinedAgain) {
  smev3::MimePart big;
  big.content_id = "big@part";
  big.body = std::string(1000, 'x');
  auto twice = smev3::build_mtom(soap_with_includes(2), {big});
  auto env = smev3::parse_message(twice.content_type, twice.body);
  ASSERT_FALSE(env);
  EXPECT_EQ(env.error().code, "mtom.invalid");
  EXPECT_NE(env.error().message.find("already inlined"), std::string::npos) << env.error().message;

  auto once = smev3::build_mtom(soap_with_includes(1), {big});
  auto ok = smev3::parse_message(once.content_type, once.body);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->xop_resolved, 1);
}
