#include <gtest/gtest.h>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/util/uuid.hpp"

using namespace gosdoki;
using namespace std::chrono;

TEST(DateTime, FormatsMoscowTimeWithMilliseconds) {
  // 2021-03-23T04:03:07Z is 07:03:07 in Moscow (UTC+3).
  TimePoint t{sys_days{year{2021} / 3 / 23} + hours{4} + minutes{3} + seconds{7}};
  EXPECT_EQ(format_datetime(t), "2021-03-23T07:03:07.000+03:00");
  EXPECT_EQ(format_datetime(t, 0), "2021-03-23T04:03:07.000+00:00");
}

TEST(DateTime, ParsesOffsetsAndFractions) {
  auto a = parse_datetime("2021-03-23T07:03:07.000+03:00");
  auto b = parse_datetime("2021-03-23T04:03:07Z");
  auto c = parse_datetime("2021-03-23T04:03:07.5-00:00");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*c - *b, milliseconds{500});
  EXPECT_FALSE(parse_datetime("2021-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_datetime("2021-03-23 07:03:07"));
  EXPECT_FALSE(parse_datetime("2021-03-23T07:03:07+3"));
}

TEST(DateTime, Durations) {
  EXPECT_EQ(*parse_duration("181s"), seconds{181});
  EXPECT_EQ(*parse_duration("1h30m"), minutes{90});
  EXPECT_EQ(*parse_duration("250ms"), milliseconds{250});
  EXPECT_FALSE(parse_duration("5 parsecs"));
  EXPECT_FALSE(parse_duration(""));
}

TEST(DateTime, AgeInWholeYears) {
  auto birth = *parse_date("2008-06-15");
  EXPECT_EQ(years_between(birth, *parse_date("2022-06-14")), 13);
  EXPECT_EQ(years_between(birth, *parse_date("2022-06-15")), 14);
}

TEST(Uuid, V1CarriesTheVirtualClockTime) {
  TimePoint start{sys_days{year{2026} / 1 / 15} + hours{7}};
  VirtualClock clock(start, true);
  UuidGenerator gen(clock, 42);
  std::string id = gen.v1();
  EXPECT_TRUE(is_lowercase_uuid(id));
  auto info = inspect_uuid(id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->version, 1);
  EXPECT_TRUE(info->rfc4122_variant);
  ASSERT_TRUE(info->time);
  EXPECT_LE(*info->time - start, microseconds{1});
  // Same frozen instant: ids still differ and stay ordered by time.
  EXPECT_NE(gen.v1(), id);
}

TEST(Uuid, KnownSmevMessageIdDecodesToItsTime) {
  // MessageId from the real SMEV SendRequestResponse (conformance V1); SMEV stamped it
  // SendingTimestamp 2021-03-23T07:03:07.000+03:00, and the id's own time is within that second.
  auto info = inspect_uuid("ac9fbf27-8b8c-11eb-9086-e2bf794ac2e9");
  ASSERT_TRUE(info && info->time);
  EXPECT_EQ(info->version, 1);
  auto sending = *parse_datetime("2021-03-23T07:03:07.000+03:00");
  auto diff = *info->time - sending;
  EXPECT_GE(diff, seconds{0});
  EXPECT_LT(diff, seconds{1});
}

TEST(Uuid, V4AndCaseRules) {
  VirtualClock clock;
  UuidGenerator gen(clock, 1);
  auto v4 = gen.v4();
  EXPECT_EQ(inspect_uuid(v4)->version, 4);
  EXPECT_FALSE(is_lowercase_uuid("AC9FBF27-8B8C-11EB-9086-E2BF794AC2E9"));
  EXPECT_TRUE(inspect_uuid("AC9FBF27-8B8C-11EB-9086-E2BF794AC2E9"));
  EXPECT_FALSE(inspect_uuid("ac9fbf27-8b8c-11eb-9086"));
}

TEST(Base64, RoundTripAndStrictness) {
  std::string s = "ГосДоки\x01\xff";
  auto enc = base64_encode(s);
  auto dec = base64_decode(enc);
  ASSERT_TRUE(dec);
  EXPECT_EQ(std::string(dec->begin(), dec->end()), s);
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_TRUE(base64_decode("Zm9v\nYmFy"));
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Z"));
  EXPECT_FALSE(base64_decode("Zg=a"));
  EXPECT_EQ(base64url_encode(as_bytes("\xfb\xff")), "-_8");
}

TEST(DateTime, DurationsDoNotOverflow) {
  EXPECT_FALSE(parse_duration("3000000000000d"));
  EXPECT_FALSE(parse_duration("99999999999h"));
  EXPECT_FALSE(parse_duration("36600d1s"));
  EXPECT_TRUE(parse_duration("36500d"));
}
