// AD range retrieval: reading "member;range=0-1499" and asking for "member;range=1500-2999".
#include <gtest/gtest.h>

#include "connectors/ldap/ranged_attribute.h"

namespace rosterd::ldap {
namespace {

TEST(ParseAttributeRange, ReadsAFirstRangeWithItsUpperBound) {
  const auto range = parse_attribute_range("member;range=0-1499");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->attribute, "member");
  EXPECT_EQ(range->low, 0u);
  EXPECT_EQ(range->high, 1499u);
}

TEST(ParseAttributeRange, ReadsTheLastRangeEndingInAStar) {
  const auto range = parse_attribute_range("member;range=3000-*");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->attribute, "member");
  EXPECT_EQ(range->low, 3000u);
  EXPECT_EQ(range->high, std::nullopt);
}

TEST(ParseAttributeRange, IgnoresTheCaseOfTheOptionAndKeepsOtherOptions) {
  const auto upper = parse_attribute_range("Member;Range=1500-2999");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->attribute, "Member");
  EXPECT_EQ(upper->low, 1500u);
  EXPECT_EQ(upper->high, 2999u);
  EXPECT_EQ(parse_attribute_range("member;binary;range=0-9")->attribute, "member;binary");
  EXPECT_EQ(parse_attribute_range("member;range=0-9;binary")->attribute, "member;binary");
}

TEST(ParseAttributeRange, RefusesWhatIsNotAWellFormedRange) {
  EXPECT_EQ(parse_attribute_range("member"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;binary"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range="), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range=5"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range=a-b"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range=-5"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range=9-2"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;range=0-*x"), std::nullopt);
  EXPECT_EQ(parse_attribute_range("member;ranger=0-1"), std::nullopt);
}

// A bounded window, never "<low>-*": Samba answers "member;range=0-*" with every value at
// once, so only a bounded request makes it send ranges (and the follow-ups run).
TEST(RangeRequest, AsksForOneWindowOf1500ValuesFromTheGivenValueOn) {
  EXPECT_EQ(range_request("member", 0), "member;range=0-1499");
  EXPECT_EQ(range_request("member", 1500), "member;range=1500-2999");
  EXPECT_EQ(range_request("memberOf", 3001), "memberOf;range=3001-4500");
}

}  // namespace
}  // namespace rosterd::ldap
