// One group entry -> DirectoryGroup: name, members per membership model, AD ranges noticed.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "connectors/ldap/group_reader.h"
#include "connectors/ldap/range_retrieval.h"
#include "tests/unit/ldap/fake_entry.h"

namespace rosterd::ldap {
namespace {

using testing::FakeEntry;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kDn = "cn=recruiting,ou=groups,dc=example,dc=test";

FakeEntry group() {
  FakeEntry e(kDn);
  e.with("entryUUID", {"11111111-2222-3333-4444-555555555555"}).with("cn", {"recruiting"});
  return e;
}

TEST(GroupReader, ReadsNameAndMembers) {
  auto e = group();
  e.with("member", {"uid=a,ou=people,dc=example,dc=test", "cn=nested,ou=groups,dc=example,dc=test"});
  std::vector<std::string> problems;
  const auto read = GroupReader(DirectorySettings{}).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->group.anchor, "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(read->group.name, "recruiting");
  EXPECT_THAT(read->group.members,
              ElementsAre("uid=a,ou=people,dc=example,dc=test", "cn=nested,ou=groups,dc=example,dc=test"));
  EXPECT_EQ(read->more_from, std::nullopt);
}

TEST(GroupReader, FallsBackToDisplayNameAndSkipsAGroupWithNeither) {
  FakeEntry named("cn=x,dc=t");
  named.with("entryUUID", {"u1"}).with("displayName", {"Recruiting Paris"});
  std::vector<std::string> problems;
  EXPECT_EQ(GroupReader(DirectorySettings{}).read(named, problems)->group.name, "Recruiting Paris");

  FakeEntry nameless("ou=odd,dc=t");
  nameless.with("entryUUID", {"u2"});
  EXPECT_FALSE(GroupReader(DirectorySettings{}).read(nameless, problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("ou=odd,dc=t"));
}

TEST(GroupReader, UniqueMemberValuesLoseTheirUidSuffix) {
  DirectorySettings s;
  s.membership = Membership::UniqueMember;
  auto e = group();
  e.with("uniqueMember", {"uid=a,dc=t#'01'B", "uid=b,dc=t"}).with("member", {"uid=ignored,dc=t"});
  std::vector<std::string> problems;
  const auto read = GroupReader(s).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->group.members, ElementsAre("uid=a,dc=t", "uid=b,dc=t"));
}

TEST(GroupReader, AdAsksForAnExplicitRangeAndNoticesThatMoreIsLeft) {
  DirectorySettings s;
  s.dialect = Dialect::ActiveDirectory;
  const GroupReader reader(s);
  EXPECT_THAT(reader.attributes(), Contains("member;range=0-1499"));
  EXPECT_THAT(reader.attributes(), Contains("objectGUID"));
  FakeEntry e("CN=Big,OU=Groups,DC=corp,DC=example");
  e.with("objectGUID", {std::string(16, '\x01')}).with("cn", {"Big"});
  e.with("member;range=0-1", {"CN=A,DC=corp", "CN=B,DC=corp"});
  std::vector<std::string> problems;
  const auto read = reader.read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->group.members, ElementsAre("CN=A,DC=corp", "CN=B,DC=corp"));
  EXPECT_EQ(read->more_from, 2u);
  EXPECT_EQ(reader.dn_attribute(), "member");
}

TEST(GroupReader, ARangeEndingInAStarIsComplete) {
  DirectorySettings s;
  s.dialect = Dialect::ActiveDirectory;
  FakeEntry e("CN=Small,DC=corp");
  e.with("objectGUID", {std::string(16, '\x02')}).with("cn", {"Small"});
  e.with("member;range=0-*", {"CN=A,DC=corp"});
  std::vector<std::string> problems;
  const auto read = GroupReader(s).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->group.members, ElementsAre("CN=A,DC=corp"));
  EXPECT_EQ(read->more_from, std::nullopt);
}

TEST(GroupReader, DropsAMemberValueThatIsNotUtf8AndKeepsTheGroup) {
  auto e = group();
  e.with("member", {"uid=a,dc=t", "uid=caf\xe9,dc=t"});
  std::vector<std::string> problems;
  const auto read = GroupReader(DirectorySettings{}).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->group.members, ElementsAre("uid=a,dc=t"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(kDn));
}

TEST(GroupReader, MemberOfModelReadsTheGroupsOwnMemberOf) {
  DirectorySettings s;
  s.membership = Membership::MemberOf;
  auto e = group();
  e.with("memberOf", {"cn=parent,dc=t"}).with("member", {"uid=a,dc=t"});
  std::vector<std::string> problems;
  const auto read = GroupReader(s).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->group.member_of, ElementsAre("cn=parent,dc=t"));
  EXPECT_TRUE(read->group.members.empty());
}

TEST(RangedValues, FindsPlainAndRangedFormsOfTheAttribute) {
  FakeEntry plain("cn=g");
  plain.with("cn", {"g"}).with("Member", {"a", "b"});
  const RangedValues p = ranged_values(plain, "member");
  EXPECT_THAT(p.values, ElementsAre("a", "b"));
  EXPECT_EQ(p.low, std::nullopt);
  EXPECT_EQ(p.next_low, std::nullopt);

  FakeEntry ranged("cn=g");
  ranged.with("member;range=1500-2999", {"x"});
  const RangedValues r = ranged_values(ranged, "member");
  EXPECT_EQ(r.low, 1500u);
  EXPECT_EQ(r.next_low, 3000u);
  EXPECT_TRUE(ranged_values(ranged, "memberOf").values.empty());
}

}  // namespace
}  // namespace rosterd::ldap
