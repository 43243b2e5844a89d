// Group patterns: DNs compared in RFC 4514 normal form (core/distinguished_name.h),
// display names case-insensitively, '*' and '?' as wildcards only in a glob.
#include <gtest/gtest.h>

#include "mapping/group_pattern.h"

namespace rosterd {
namespace {

TEST(GlobMatch, StarIsAnyRunAndQuestionMarkOneCharacter) {
  EXPECT_TRUE(glob_match("cn=recruiting-*", "cn=recruiting-paris,ou=groups"));
  EXPECT_TRUE(glob_match("cn=recruiting-*", "cn=recruiting-"));
  EXPECT_FALSE(glob_match("cn=recruiting-*", "cn=sales,ou=recruiting-x"));
  EXPECT_TRUE(glob_match("team-?", "team-a"));
  EXPECT_FALSE(glob_match("team-?", "team-"));
  EXPECT_FALSE(glob_match("team-?", "team-ab"));
  EXPECT_TRUE(glob_match("team-?", "team-é"));  // one character, two bytes
  EXPECT_TRUE(glob_match("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(glob_match("*a*b", "xxaxxbxxc"));
  EXPECT_TRUE(glob_match("exact", "exact"));
  EXPECT_FALSE(glob_match("exact", "exactly"));
}

TEST(GroupPattern, LiteralMatchesNameOrNormalisedDnOnly) {
  const GroupPattern p("CN=Talent Admins, OU=Groups,DC=corp,DC=example", false);
  EXPECT_TRUE(p.matches("talent admins", "cn=talent admins,ou=groups,dc=corp,dc=example"));
  EXPECT_FALSE(p.matches("talent admins", "cn=talent admins,ou=other,dc=corp,dc=example"));
  const GroupPattern name("Recruiting Team", false);
  EXPECT_TRUE(name.matches("recruiting team", ""));
  EXPECT_FALSE(name.matches("recruiting team 2", ""));
}

TEST(GroupPattern, StarIsLiteralWhenNotAGlob) {
  const GroupPattern p("Stars*", false);
  EXPECT_TRUE(p.matches("stars*", ""));
  EXPECT_FALSE(p.matches("starship", ""));
}

TEST(GroupPattern, GlobCoversTheLiteralsItMatches) {
  const GroupPattern glob("CN=Recruiting-*", true);
  EXPECT_TRUE(glob.covers(GroupPattern("CN=Recruiting-Paris,OU=Groups", false)));
  EXPECT_FALSE(glob.covers(GroupPattern("CN=Sales,OU=Groups", false)));
  EXPECT_FALSE(GroupPattern("CN=Recruiting-Paris", false).covers(glob));
  EXPECT_TRUE(glob.covers(GroupPattern("cn=recruiting-*", true)));
}

}  // namespace
}  // namespace rosterd
