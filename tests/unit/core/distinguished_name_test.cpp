// DNs in the form rosterd compares them (RFC 4514): case and spaces around separators do
// not matter, escaped characters do.
#include <gtest/gtest.h>

#include "core/distinguished_name.h"

namespace rosterd {
namespace {

TEST(NormaliseDn, LowerCasesAndDropsSpacesAroundSeparators) {
  EXPECT_EQ(normalise_dn("CN=Talent Admins , OU = Groups,DC=corp, DC=example"),
            "cn=talent admins,ou=groups,dc=corp,dc=example");
  EXPECT_EQ(normalise_dn("  CN=A + UID=b ,DC=x  "), "cn=a+uid=b,dc=x");
}

TEST(NormaliseDn, KeepsEscapedCharactersAndInnerSpaces) {
  EXPECT_EQ(normalise_dn("CN=Smith\\, John,OU=People"), "cn=smith\\, john,ou=people");
  EXPECT_EQ(normalise_dn("CN=Trailing\\ ,DC=x"), "cn=trailing\\ ,dc=x");
  EXPECT_EQ(normalise_dn("CN=Two  Spaces,DC=x"), "cn=two  spaces,dc=x");
  EXPECT_EQ(normalise_dn("CN=Hex\\2C,DC=x"), "cn=hex\\2c,dc=x");
}

}  // namespace
}  // namespace rosterd
