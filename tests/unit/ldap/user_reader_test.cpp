// One user entry -> DirectoryUser: anchors, mapped attributes, status rules at `now`, and
// bad entries skipped with a problem that names the DN.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "connectors/ldap/user_reader.h"
#include "tests/unit/ldap/fake_entry.h"

namespace rosterd::ldap {
namespace {

using testing::FakeEntry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Timestamp kNow = *parse_timestamp("2026-03-01T12:00:00Z");
constexpr const char* kDn = "uid=alice,ou=people,dc=example,dc=test";

FakeEntry alice() {
  FakeEntry e(kDn);
  e.with("entryUUID", {"0a1b2c3d-0000-1111-2222-333344445555"})
      .with("uid", {"alice"})
      .with("mail", {"alice@example.test"})
      .with("givenName", {"Alice"})
      .with("sn", {"Archer"})
      .with("title", {"Talent Partner"})
      .with("manager", {"uid=bob,ou=people,dc=example,dc=test"});
  return e;
}

std::string guid_bytes() {
  const unsigned char raw[16] = {0xc9, 0x8b, 0x91, 0x35, 0x6d, 0x19, 0xea, 0x40,
                                 0x97, 0x79, 0x88, 0x9d, 0x79, 0xb7, 0x53, 0xf0};
  return std::string(reinterpret_cast<const char*>(raw), 16);
}

TEST(UserReader, MapsAnOpenLdapEntryWithTheDefaultAttributeMap) {
  std::vector<std::string> problems;
  const auto read = UserReader(DirectorySettings{}, kNow).read(alice(), problems);
  ASSERT_TRUE(read);
  const DirectoryUser& u = read->user;
  EXPECT_EQ(u.anchor, "0a1b2c3d-0000-1111-2222-333344445555");
  EXPECT_EQ(u.dn, kDn);
  EXPECT_EQ(u.user_name, "alice");
  EXPECT_TRUE(u.active);
  std::vector<std::string> names;
  for (const auto& a : u.attributes) names.push_back(a.name);
  EXPECT_THAT(names, ElementsAre("email", "familyName", "givenName", "manager", "title"));
  EXPECT_THAT(*u.find("manager"), ElementsAre("uid=bob,ou=people,dc=example,dc=test"));
  EXPECT_EQ(u.find("userName"), nullptr);  // it is user_name
  EXPECT_TRUE(problems.empty());
}

TEST(UserReader, AsksForOperationalAttributesByName) {
  DirectorySettings s;
  s.membership = Membership::MemberOf;
  s.status.locked_attribute = "pwdAccountLockedTime";
  const UserReader reader(s, kNow);
  EXPECT_THAT(reader.attributes(), ::testing::IsSupersetOf({"entryUUID", "uid", "mail", "memberOf",
                                                            "pwdAccountLockedTime"}));
  EXPECT_THAT(reader.attributes(), ::testing::Not(::testing::Contains("*")));
}

TEST(UserReader, ConfiguredAttributesOverrideTheDefaultsAndEmptyUnmaps) {
  DirectorySettings s;
  s.attributes = {{"userName", "mail"}, {"title", ""}, {"costCenter", "departmentNumber"}};
  std::vector<std::string> problems;
  auto entry = alice();
  entry.with("departmentNumber", {"CC-42"});
  const auto read = UserReader(s, kNow).read(entry, problems);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->user.user_name, "alice@example.test");
  EXPECT_EQ(read->user.find("title"), nullptr);
  EXPECT_THAT(*read->user.find("costCenter"), ElementsAre("CC-42"));
}

TEST(UserReader, SkipsAnEntryWithoutAnchorNamingItsDn) {
  FakeEntry e(kDn);
  e.with("uid", {"alice"});
  std::vector<std::string> problems, skipped;
  EXPECT_FALSE(UserReader(DirectorySettings{}, kNow).read(e, problems, &skipped));
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(kDn));
  EXPECT_THAT(problems[0], HasSubstr("entryUUID"));
}

TEST(UserReader, SkipsAnEntryWithoutUserNameNamingItsDnAndKeepingItsAnchor) {
  FakeEntry e(kDn);
  e.with("entryUUID", {"0a1b2c3d-0000-1111-2222-333344445555"}).with("mail", {"a@example.test"});
  std::vector<std::string> problems, skipped;
  EXPECT_FALSE(UserReader(DirectorySettings{}, kNow).read(e, problems, &skipped));
  EXPECT_THAT(skipped, ElementsAre("0a1b2c3d-0000-1111-2222-333344445555"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(kDn));
  EXPECT_THAT(problems[0], HasSubstr("userName"));
}

TEST(UserReader, SkipsAnEntryWithAMappedValueThatIsNotUtf8) {
  auto e = alice();
  e.with("displayName", {"caf\xe9"});
  std::vector<std::string> problems;
  EXPECT_FALSE(UserReader(DirectorySettings{}, kNow).read(e, problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(kDn));
  EXPECT_THAT(problems[0], HasSubstr("displayName"));
  EXPECT_THAT(problems[0], ::testing::Not(HasSubstr("caf\xe9")));
}

TEST(UserReader, OpenLdapStatusRuleDisables) {
  DirectorySettings s;
  s.status.locked_attribute = "pwdAccountLockedTime";
  std::vector<std::string> problems;
  auto locked = alice();
  locked.with("pwdAccountLockedTime", {"000001010000Z"});
  EXPECT_FALSE(UserReader(s, kNow).read(locked, problems)->user.active);
  EXPECT_TRUE(UserReader(s, kNow).read(alice(), problems)->user.active);

  DirectorySettings by_value;
  by_value.status = StatusRule{"", "employeeType", {"Left"}};
  auto left = alice();
  left.with("employeeType", {"left"});
  EXPECT_FALSE(UserReader(by_value, kNow).read(left, problems)->user.active);
}

FakeEntry ad_user(const std::string& uac, const std::string& expires) {
  FakeEntry e("CN=Alice Archer,OU=People,DC=corp,DC=example");
  e.with("objectGUID", {guid_bytes()}).with("sAMAccountName", {"aarcher"});
  e.with("userAccountControl", {uac}).with("accountExpires", {expires});
  return e;
}

DirectorySettings ad() {
  DirectorySettings s;
  s.dialect = Dialect::ActiveDirectory;
  return s;
}

TEST(UserReader, AdAnchorIsTheCanonicalObjectGuid) {
  std::vector<std::string> problems;
  const auto read = UserReader(ad(), kNow).read(ad_user("512", "0"), problems);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->user.anchor, "35918bc9-196d-40ea-9779-889d79b753f0");
  EXPECT_EQ(read->user.user_name, "aarcher");
  EXPECT_TRUE(read->user.active);
}

TEST(UserReader, AdDisabledOrExpiredAtNowIsInactive) {
  std::vector<std::string> problems;
  const UserReader reader(ad(), kNow);
  EXPECT_FALSE(reader.read(ad_user("514", "0"), problems)->user.active);
  // 2026-01-01 is before kNow; the next two are kNow itself and one millisecond after.
  EXPECT_FALSE(reader.read(ad_user("512", "134116992000000000"), problems)->user.active);
  EXPECT_FALSE(reader.read(ad_user("512", "134168400000000000"), problems)->user.active);
  EXPECT_TRUE(reader.read(ad_user("512", "134168400000010000"), problems)->user.active);
  EXPECT_TRUE(reader.read(ad_user("512", "9223372036854775807"), problems)->user.active);
  EXPECT_TRUE(problems.empty());
}

TEST(UserReader, AnUnreadableAdFlagKeepsTheUserActiveAndIsReported) {
  std::vector<std::string> problems;
  const auto read = UserReader(ad(), kNow).read(ad_user("banana", "0"), problems);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->user.active);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("CN=Alice Archer"));
  EXPECT_THAT(problems[0], HasSubstr("userAccountControl"));
}

TEST(UserReader, AdRejectsAnObjectGuidThatIsNotSixteenBytes) {
  FakeEntry e("CN=Broken,DC=corp,DC=example");
  e.with("objectGUID", {"not-a-guid"}).with("sAMAccountName", {"broken"});
  std::vector<std::string> problems;
  EXPECT_FALSE(UserReader(ad(), kNow).read(e, problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("CN=Broken"));
}

TEST(UserReader, MemberOfModelReadsGroupDnsAndNoticesARange) {
  DirectorySettings s = ad();
  s.membership = Membership::MemberOf;
  auto e = ad_user("512", "0");
  e.with("memberOf;range=0-1", {"CN=A,DC=corp", "CN=B,DC=corp"});
  std::vector<std::string> problems;
  const auto read = UserReader(s, kNow).read(e, problems);
  ASSERT_TRUE(read);
  EXPECT_THAT(read->user.member_of, ElementsAre("CN=A,DC=corp", "CN=B,DC=corp"));
  EXPECT_EQ(read->more_member_of_from, 2u);
}

}  // namespace
}  // namespace rosterd::ldap
