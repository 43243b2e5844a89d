// Group conditions: by display name or DN (normalised), glob patterns, membership through
// nested groups, cycles, and what the decision records about the group that matched.
#include <gtest/gtest.h>

#include "mapping/group_index.h"
#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

const std::string kParisDn = "CN=Recruiting-Paris,OU=Groups,DC=corp,DC=example";

Directory directory_with(std::vector<std::string> direct, std::vector<DirectoryGroup> groups,
                         std::string source = "corp-ad") {
  return Directory{{person(source, "u-1", "ada@acme.example", "{}", std::move(direct))}, std::move(groups)};
}

TEST(GroupCondition, MatchesDisplayNameCaseInsensitively) {
  const auto d = directory_with({"g1"}, {dgroup("corp-ad", "g1", "Recruiting Team")});
  EXPECT_TRUE(grants(group("recruiting TEAM"), d));
  EXPECT_FALSE(grants(group("Recruiting"), d));
}

TEST(GroupCondition, MatchesTheDnInNormalisedForm) {
  const auto d = directory_with({"g1"}, {dgroup("corp-ad", "g1", "Paris", kParisDn)});
  EXPECT_TRUE(grants(group(kParisDn), d));
  EXPECT_TRUE(grants(group("cn=recruiting-paris, ou=groups , dc=corp,DC=EXAMPLE"), d));
  EXPECT_FALSE(grants(group("CN=Recruiting-Paris,OU=Other,DC=corp,DC=example"), d));
  const auto spaced = directory_with({"g1"}, {dgroup("corp-ad", "g1", "Paris", "CN = Recruiting-Paris , OU=Groups,DC=corp,DC=example")});
  EXPECT_TRUE(grants(group(kParisDn), spaced));
}

TEST(GroupCondition, GlobMatchesDnOrName) {
  const auto d = directory_with({"g1"}, {dgroup("corp-ad", "g1", "Paris", kParisDn)});
  EXPECT_TRUE(grants(group("CN=Recruiting-*"), d));
  EXPECT_TRUE(grants(group("cn=recruiting-p?ris,*"), d));
  EXPECT_TRUE(grants(group("Par*"), d));
  EXPECT_FALSE(grants(group("CN=Sales-*"), d));
  EXPECT_FALSE(grants(group("Recruiting-*"), d));  // the DN starts with CN=
}

TEST(GroupCondition, FollowsNestedMembershipTransitively) {
  // ada -> team -> paris -> recruiting -> all-staff (depth 4)
  const auto d = directory_with({"team"}, {dgroup("corp-ad", "team", "Team 7", "", {"paris"}),
                                           dgroup("corp-ad", "paris", "Paris", "", {"recruiting"}),
                                           dgroup("corp-ad", "recruiting", "Recruiting", "", {"all"}),
                                           dgroup("corp-ad", "all", "All Staff")});
  EXPECT_TRUE(grants(group("Team 7"), d));
  EXPECT_TRUE(grants(group("Recruiting"), d));
  EXPECT_TRUE(grants(group("All Staff"), d));
  EXPECT_FALSE(grants(group("Nobody"), d));
}

TEST(GroupCondition, DoesNotGoDownToChildGroups) {
  // ada is in "parent"; "child" is in "parent": ada is not in "child".
  const auto d = directory_with({"parent"}, {dgroup("corp-ad", "parent", "Parent"),
                                             dgroup("corp-ad", "child", "Child", "", {"parent"})});
  EXPECT_FALSE(grants(group("Child"), d));
}

TEST(GroupCondition, SurvivesCyclesAndReachesEveryGroupOfTheCycle) {
  const auto d = directory_with({"a"}, {dgroup("corp-ad", "a", "A", "", {"b"}),
                                        dgroup("corp-ad", "b", "B", "", {"c"}),
                                        dgroup("corp-ad", "c", "C", "", {"a", "d"}),
                                        dgroup("corp-ad", "d", "D", "", {"d"})});
  EXPECT_TRUE(grants(group("A"), d));
  EXPECT_TRUE(grants(group("B"), d));
  EXPECT_TRUE(grants(group("C"), d));
  EXPECT_TRUE(grants(group("D"), d));
  EXPECT_FALSE(grants(group("E"), d));
}

TEST(GroupCondition, IgnoresGroupsOfOtherSourcesAndUnknownIds) {
  // The person's group id names a group of another source: not its group.
  const auto d = directory_with({"g1", "missing"}, {dgroup("okta", "g1", "Recruiting")});
  EXPECT_FALSE(grants(group("Recruiting"), d));
}

TEST(GroupCondition, InputsNameTheGroupAndTheNestingChain) {
  const Config config = config_with({grant("recruiters", group("CN=Recruiting-*"), "recruiter", "recruiter")});
  const auto d = directory_with({"paris-team"},
                                {dgroup("corp-ad", "paris-team", "Paris", "CN=Paris,OU=Teams", {"rp"}),
                                 dgroup("corp-ad", "rp", "Recruiting-Paris", kParisDn)});
  const auto state = compiled(config).desired_state(d);
  ASSERT_EQ(state.accounts.size(), 1u);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"rule", "recruiters"}, {"group", kParisDn + " (nested via CN=Paris,OU=Teams)"}};
  EXPECT_EQ(state.accounts[0].inputs, expected);
}

TEST(GroupIndex, ShortestChainAndEveryReachedGroupOnce) {
  const Directory d{{}, {dgroup("s", "a", "A", "", {"b", "c"}), dgroup("s", "b", "B", "", {"d"}),
                         dgroup("s", "c", "C", "", {"d"}), dgroup("s", "d", "D", "", {"a"})}};
  const std::vector<std::string> sources{"s"};
  const std::vector<GroupPattern> patterns{GroupPattern("D", false)};
  const GroupIndex index(d, sources, patterns);
  std::vector<int> direct;
  DirectoryPerson p;
  p.source = "s";
  p.groups = {"a"};
  index.direct_groups(p, direct);
  const auto chain = index.path_to(direct, 0);
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(index.name(chain[0]), "A");
  EXPECT_EQ(index.name(chain[1]), "B");  // B before C: groups are walked in a fixed order
  EXPECT_EQ(index.name(chain[2]), "D");
  EXPECT_EQ(index.reached(direct).size(), 4u);
}

}  // namespace
}  // namespace rosterd
