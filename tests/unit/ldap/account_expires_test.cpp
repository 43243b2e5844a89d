// AD accountExpires: FILETIME (100 ns ticks since 1601-01-01 UTC); 0 and 2^63-1 mean never.
#include <gtest/gtest.h>

#include "connectors/ldap/account_expires.h"

namespace rosterd::ldap {
namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

TEST(AccountExpires, ConvertsFiletimeToUtc) {
  EXPECT_EQ(parse_account_expires("116444736000000000").value(), at("1970-01-01T00:00:00Z"));
  EXPECT_EQ(parse_account_expires("134116992000000000").value(), at("2026-01-01T00:00:00Z"));
  // Sub-millisecond ticks are dropped, not rounded up.
  EXPECT_EQ(parse_account_expires("134116992000019999").value(), at("2026-01-01T00:00:00.001Z"));
}

TEST(AccountExpires, ZeroAndTheLargestValueMeanNever) {
  EXPECT_EQ(parse_account_expires("0").value(), std::nullopt);
  EXPECT_EQ(parse_account_expires("9223372036854775807").value(), std::nullopt);
}

TEST(AccountExpires, RefusesTextThatIsNotANonNegativeNumber) {
  EXPECT_FALSE(parse_account_expires(""));
  EXPECT_FALSE(parse_account_expires("-1"));
  EXPECT_FALSE(parse_account_expires("12 34"));
  EXPECT_FALSE(parse_account_expires("20260101000000.0Z"));
  EXPECT_FALSE(parse_account_expires("9223372036854775808"));  // above Int64
  EXPECT_EQ(parse_account_expires("x").error().code, ErrorCode::InvalidValue);
}

TEST(AccountExpires, ExpiredFromTheInstantOnAndNeverForNever) {
  const auto expires = parse_account_expires("134116992000000000").value();
  EXPECT_FALSE(account_expired(expires, at("2025-12-31T23:59:59.999Z")));
  EXPECT_TRUE(account_expired(expires, at("2026-01-01T00:00:00Z")));
  EXPECT_TRUE(account_expired(expires, at("2030-06-01T00:00:00Z")));
  EXPECT_FALSE(account_expired(std::nullopt, at("9999-01-01T00:00:00Z")));
}

}  // namespace
}  // namespace rosterd::ldap
