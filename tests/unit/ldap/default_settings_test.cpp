// What a source means when its configuration leaves something out.
#include <gtest/gtest.h>

#include "connectors/ldap/default_settings.h"

namespace rosterd::ldap {
namespace {

TEST(DefaultSettings, EachDialectHasItsAnchorAndUserName) {
  DirectorySettings openldap;
  EXPECT_EQ(anchor_attribute(openldap), "entryUUID");
  EXPECT_EQ(effective_attributes(openldap).at("userName"), "uid");
  DirectorySettings ad;
  ad.dialect = Dialect::ActiveDirectory;
  EXPECT_EQ(anchor_attribute(ad), "objectGUID");
  EXPECT_EQ(effective_attributes(ad).at("userName"), "sAMAccountName");
  EXPECT_EQ(effective_attributes(ad).at("department"), "department");
  ad.anchor_attribute = "objectSid";
  EXPECT_EQ(anchor_attribute(ad), "objectSid");
}

TEST(DefaultSettings, ConfiguredFiltersWinOverTheDialectDefaults) {
  DirectorySettings s;
  EXPECT_EQ(user_filter(s), "(objectClass=inetOrgPerson)");
  s.users.filter = "(employeeType=staff)";
  EXPECT_EQ(user_filter(s), "(employeeType=staff)");
  s.dialect = Dialect::ActiveDirectory;
  EXPECT_EQ(group_filter(s), "(objectClass=group)");
}

TEST(DefaultSettings, MemberAttributeFollowsTheMembershipModel) {
  DirectorySettings s;
  EXPECT_EQ(member_attribute(s), "member");
  s.membership = Membership::UniqueMember;
  EXPECT_EQ(member_attribute(s), "uniqueMember");
}

}  // namespace
}  // namespace rosterd::ldap
