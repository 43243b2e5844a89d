// uniqueMember's optional "#'bits'B" suffix is not part of the member's DN.
#include <gtest/gtest.h>

#include "connectors/ldap/unique_member.h"

namespace rosterd::ldap {
namespace {

TEST(UniqueMemberDn, DropsTheOptionalUidBitString) {
  EXPECT_EQ(unique_member_dn("uid=a,ou=people,dc=x#'0101'B"), "uid=a,ou=people,dc=x");
  EXPECT_EQ(unique_member_dn("uid=a,dc=x#''B"), "uid=a,dc=x");
}

TEST(UniqueMemberDn, KeepsDnsWithoutOneIncludingAHashInAValue) {
  EXPECT_EQ(unique_member_dn("uid=a,ou=people,dc=x"), "uid=a,ou=people,dc=x");
  EXPECT_EQ(unique_member_dn("cn=a#b,dc=x"), "cn=a#b,dc=x");
  EXPECT_EQ(unique_member_dn("cn=x#'012'B"), "cn=x#'012'B");  // not a bit string
  EXPECT_EQ(unique_member_dn("cn=x'01'B"), "cn=x'01'B");      // no '#'
}

}  // namespace
}  // namespace rosterd::ldap
