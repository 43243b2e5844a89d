// Sorting by anchor and dropping duplicates: which entry stays does not depend on the
// order the server sent them in, and every dropped entry is reported with both DNs.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <algorithm>

#include "connectors/ldap/snapshot_order.h"

namespace rosterd::ldap {
namespace {

using ::testing::HasSubstr;

DirectoryUser user(std::string anchor, std::string dn, std::string name, std::string email = "") {
  DirectoryUser u;
  u.anchor = std::move(anchor);
  u.dn = std::move(dn);
  u.user_name = std::move(name);
  if (!email.empty()) u.attributes.push_back({"email", {email}});
  return u;
}

std::vector<std::string> anchors(const std::vector<DirectoryUser>& users) {
  std::vector<std::string> out;
  for (const auto& u : users) out.push_back(u.anchor);
  return out;
}

TEST(OrderAndDeduplicate, SortsUsersByAnchor) {
  std::vector<DirectoryUser> users{user("c", "uid=c", "c"), user("a", "uid=a", "a"), user("b", "uid=b", "b")};
  std::vector<std::string> problems;
  order_and_deduplicate(users, problems);
  EXPECT_EQ(anchors(users), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(problems.empty());
}

TEST(OrderAndDeduplicate, KeepsTheLowestAnchorOfADuplicateUserNameWhateverTheOrder) {
  std::vector<DirectoryUser> in{user("b", "uid=alice,ou=a", "alice"), user("a", "uid=ALICE,ou=b", "ALICE"),
                                user("c", "uid=carol", "carol")};
  for (int round = 0; round < 2; ++round) {
    std::vector<DirectoryUser> users = in;
    if (round == 1) std::reverse(users.begin(), users.end());
    std::vector<std::string> problems, skipped;
    order_and_deduplicate(users, problems, &skipped);
    EXPECT_EQ(anchors(users), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(skipped, (std::vector<std::string>{"b"}));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_THAT(problems[0], HasSubstr("uid=alice,ou=a"));  // dropped
    EXPECT_THAT(problems[0], HasSubstr("uid=ALICE,ou=b"));  // kept
  }
}

TEST(OrderAndDeduplicate, DropsARepeatedAnchor) {
  std::vector<DirectoryUser> users{user("a", "uid=x2", "x2"), user("a", "uid=x1", "x1")};
  std::vector<std::string> problems;
  order_and_deduplicate(users, problems);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].dn, "uid=x1");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("uid=x2"));
}

TEST(OrderAndDeduplicate, ReportsASharedEmailButKeepsBothUsers) {
  std::vector<DirectoryUser> users{user("a", "uid=a", "a", "team@example.test"),
                                   user("b", "uid=b", "b", "TEAM@example.test")};
  std::vector<std::string> problems;
  order_and_deduplicate(users, problems);
  EXPECT_EQ(users.size(), 2u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("uid=b"));
  EXPECT_THAT(problems[0], HasSubstr("uid=a"));
}

TEST(OrderAndDeduplicate, GroupsSortedWithRepeatedAnchorsDropped) {
  std::vector<DirectoryGroup> groups(3);
  groups[0] = {"z", "cn=z", "z", {}, {}, {}};
  groups[1] = {"m", "cn=m2", "m", {}, {}, {}};
  groups[2] = {"m", "cn=m1", "m", {}, {}, {}};
  std::vector<std::string> problems;
  order_and_deduplicate(groups, problems);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].dn, "cn=m1");
  EXPECT_EQ(groups[1].dn, "cn=z");
  EXPECT_EQ(problems.size(), 1u);
}

}  // namespace
}  // namespace rosterd::ldap
