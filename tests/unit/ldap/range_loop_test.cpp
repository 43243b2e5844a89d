// The AD range loop over recorded answers shaped like Windows': 1,500 values at a time,
// the last range ending in '*'. slapd has no range retrieval, so this is where the loop's
// own logic is tested; the base searches around it are the ones every read uses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "connectors/ldap/range_retrieval.h"

namespace rosterd::ldap {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> members(std::uint64_t from, std::uint64_t to) {
  std::vector<std::string> out;
  for (std::uint64_t i = from; i <= to; ++i) out.push_back("CN=U" + std::to_string(i) + ",DC=corp");
  return out;
}

// Answers keyed by the requested low bound; a request for any other bound is a failure.
struct Recorded {
  std::map<std::uint64_t, std::optional<RangedValues>> answers;
  std::vector<std::uint64_t> asked;

  RangeFetch fetch() {
    return [this](std::uint64_t low) -> Result<std::optional<RangedValues>> {
      asked.push_back(low);
      const auto found = answers.find(low);
      if (found == answers.end()) return fail(ErrorCode::Unavailable, "unexpected request from " + std::to_string(low));
      return found->second;
    };
  }
};

RangedValues range(std::uint64_t low, std::optional<std::uint64_t> high) {
  RangedValues r;
  r.values = members(low, high ? *high : low + 9);  // a last range of 10 values
  r.low = low;
  if (high) r.next_low = *high + 1;
  return r;
}

TEST(FollowRanges, ReadsEveryRangeUntilTheOneEndingInAStar) {
  Recorded server;
  server.answers[1500] = range(1500, 2999);
  server.answers[3000] = range(3000, std::nullopt);  // 3000-*
  std::vector<std::string> values = members(0, 1499);  // the first range, from the group search
  ASSERT_TRUE(follow_ranges(server.fetch(), 1500, "member of 'CN=Big'", values));
  EXPECT_THAT(server.asked, ElementsAre(1500u, 3000u));
  ASSERT_EQ(values.size(), 3010u);
  EXPECT_EQ(values[1500], "CN=U1500,DC=corp");
  EXPECT_EQ(values.back(), "CN=U3009,DC=corp");
}

TEST(FollowRanges, AnAnswerWithoutTheAttributeEndsTheLoop) {
  Recorded server;
  server.answers[1500] = RangedValues{};  // exactly 1,500 members: nothing further
  std::vector<std::string> values = members(0, 1499);
  ASSERT_TRUE(follow_ranges(server.fetch(), 1500, "member of 'CN=Exact'", values));
  EXPECT_EQ(values.size(), 1500u);
}

TEST(FollowRanges, ARangeStartingElsewhereIsAnErrorNotADuplicate) {
  Recorded server;
  server.answers[1500] = range(0, 1499);  // the server started over
  std::vector<std::string> values = members(0, 1499);
  const auto result = follow_ranges(server.fetch(), 1500, "member of 'CN=Big'", values);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("member of 'CN=Big', values from 1500"));
  EXPECT_THAT(result.error().message, HasSubstr("starting at 0"));
}

TEST(FollowRanges, APlainAttributeInAnswerToARangeIsAnError) {
  Recorded server;
  RangedValues plain;
  plain.values = members(0, 1600);
  server.answers[1500] = plain;
  std::vector<std::string> values;
  EXPECT_FALSE(follow_ranges(server.fetch(), 1500, "member of 'CN=Big'", values));
}

TEST(FollowRanges, AMissingEntryOrAFailedFetchIsAnError) {
  Recorded gone;
  gone.answers[1500] = std::nullopt;  // deleted between the pages and the follow-up
  std::vector<std::string> values;
  const auto missing = follow_ranges(gone.fetch(), 1500, "member of 'CN=Gone'", values);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("not returned"));

  Recorded down;  // no answer recorded: the fetch fails
  const auto failed = follow_ranges(down.fetch(), 1500, "member of 'CN=Big'", values);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message, HasSubstr("unexpected request from 1500"));
}

}  // namespace
}  // namespace rosterd::ldap
