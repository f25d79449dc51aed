#include <gtest/gtest.h>

#include "protocol/ids/identifiers.hpp"

using namespace gosdoki::ids;

// Values checked by hand against the published algorithms.
TEST(Identifiers, Ogrn) {
  // 102770013219: mod 11 = 5 -> check 5 (ОГРН of ПАО Сбербанк, 1027700132195).
  EXPECT_TRUE(valid_ogrn("1027700132195"));
  EXPECT_FALSE(valid_ogrn("1027700132194"));
  EXPECT_EQ(ogrn_with_check("102770013219"), "1027700132195");
  EXPECT_FALSE(valid_ogrn("10277001321"));
}

TEST(Identifiers, InnLegal) {
  // 7707083893 (ПАО Сбербанк): weights 2,4,10,3,5,9,4,6,8 -> 179 mod 11 = 3.
  EXPECT_TRUE(valid_inn_legal("7707083893"));
  EXPECT_FALSE(valid_inn_legal("7707083894"));
  EXPECT_EQ(inn_legal_with_check("770708389"), "7707083893");
  EXPECT_EQ(inn_legal_as_12("7707083893"), "007707083893");
}

TEST(Identifiers, InnPerson) {
  EXPECT_TRUE(valid_inn_person("500100732259"));
  EXPECT_FALSE(valid_inn_person("500100732258"));
}

TEST(Identifiers, Snils) {
  // 112-233-445 95: 1*9+1*8+2*7+2*6+3*5+3*4+4*3+4*2+5*1 = 95.
  EXPECT_TRUE(valid_snils("112-233-445 95"));
  EXPECT_TRUE(valid_snils("11223344595"));
  EXPECT_FALSE(valid_snils("112-233-445 96"));
  EXPECT_EQ(snils_with_check("112233445"), "112-233-445 95");
  EXPECT_EQ(snils_with_check("000000006"), "000-000-006 06");  // 6*1 = 6
  EXPECT_EQ(snils_with_check("000000600"), "000-000-600 18");  // 6*3 = 18
  EXPECT_EQ(snils_with_check("911010000"), "911-010-000 00");  // 81+8+7+5 = 101 -> 00
  EXPECT_EQ(snils_with_check("999999999"), "999-999-999 01");  // 405 mod 101 = 1
}

TEST(Identifiers, Kpp) {
  EXPECT_TRUE(valid_kpp("773601001"));
  EXPECT_TRUE(valid_kpp("7736AB001"));
  EXPECT_FALSE(valid_kpp("77360100"));
  EXPECT_FALSE(valid_kpp("7736ab001"));
}
