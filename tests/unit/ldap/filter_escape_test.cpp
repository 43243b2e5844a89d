// RFC 4515 value escaping: the characters that would change a filter's meaning, NUL and
// bytes that are not UTF-8 become \XX; everything else, UTF-8 included, stays as it is.
#include <gtest/gtest.h>

#include <string>

#include "connectors/ldap/filter_escape.h"

namespace rosterd::ldap {
namespace {

using namespace std::string_literals;

TEST(EscapeFilterValue, EscapesTheFourSpecialCharactersAndNul) {
  EXPECT_EQ(escape_filter_value("a*b"), "a\\2ab");
  EXPECT_EQ(escape_filter_value("(x)"), "\\28x\\29");
  EXPECT_EQ(escape_filter_value("back\\slash"), "back\\5cslash");
  EXPECT_EQ(escape_filter_value("nul\0end"s), "nul\\00end");
}

TEST(EscapeFilterValue, AnInjectionAttemptBecomesOneLiteralValue) {
  EXPECT_EQ(escape_filter_value("*)(uid=*"), "\\2a\\29\\28uid=\\2a");
}

TEST(EscapeFilterValue, KeepsPlainTextAndValidUtf8AsTheyAre) {
  EXPECT_EQ(escape_filter_value("alice@example.test"), "alice@example.test");
  EXPECT_EQ(escape_filter_value("Zoë Ångström 日本"), "Zoë Ångström 日本");
  EXPECT_EQ(escape_filter_value(""), "");
}

TEST(EscapeFilterValue, EscapesEveryByteThatIsNotPartOfValidUtf8) {
  EXPECT_EQ(escape_filter_value("a\xff" "b"), "a\\ffb");
  EXPECT_EQ(escape_filter_value("\xc3"), "\\c3");              // truncated sequence
  EXPECT_EQ(escape_filter_value("\xc0\xaf"), "\\c0\\af");      // overlong '/'
  EXPECT_EQ(escape_filter_value("\xed\xa0\x80"), "\\ed\\a0\\80");  // a surrogate
  EXPECT_EQ(escape_filter_value("é\x80"), "é\\80");            // stray continuation byte
}

}  // namespace
}  // namespace rosterd::ldap
