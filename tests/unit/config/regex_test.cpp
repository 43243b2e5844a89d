// config/regex: PCRE2 patterns as rules' `matches` tests use them.
#include "config/regex.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace rosterd {
namespace {

Regex compiled(std::string_view pattern) {
  auto regex = Regex::compile(pattern);
  EXPECT_TRUE(regex.has_value()) << regex.error().message;
  return regex ? *regex : *Regex::compile("(*FAIL)");
}

TEST(Regex, SearchFindsTheMatchAnywhereInTheText) {
  const Regex regex = compiled("Manager");
  EXPECT_TRUE(regex.search("Manager"));
  EXPECT_TRUE(regex.search("Senior Manager, Sales"));
  EXPECT_TRUE(regex.search("Hiring Manager"));
  EXPECT_FALSE(regex.search("Managing Director"));
  EXPECT_FALSE(regex.search(""));
}

TEST(Regex, AnchorsTieTheMatchToTheStartOrTheEnd) {
  const Regex starts = compiled("^Sourcer");
  EXPECT_TRUE(starts.search("Sourcer II"));
  EXPECT_FALSE(starts.search("Senior Sourcer"));
  const Regex ends = compiled(".*Manager$");
  EXPECT_TRUE(ends.search("Hiring Manager"));
  EXPECT_FALSE(ends.search("Manager of Sales"));
  const Regex whole = compiled("^(Intern|Trainee)$");
  EXPECT_TRUE(whole.search("Trainee"));
  EXPECT_FALSE(whole.search("Trainee Recruiter"));
}

TEST(Regex, MatchingIsCaseSensitiveUnlessThePatternSaysOtherwise) {
  EXPECT_FALSE(compiled("manager").search("Hiring Manager"));
  EXPECT_TRUE(compiled("(?i)manager").search("Hiring Manager"));
  EXPECT_TRUE(compiled("(?i)^ÉQUIPE").search("équipe Paris"));
}

TEST(Regex, PatternAndTextAreUtf8WithUnicodeClasses) {
  // One character of two bytes: without UTF mode '.' would take one byte.
  EXPECT_TRUE(compiled("^.$").search("é"));
  EXPECT_FALSE(compiled("^..$").search("é"));
  // \w covers letters beyond ASCII (UCP).
  EXPECT_TRUE(compiled("^\\w+$").search("Ångström"));
  EXPECT_TRUE(compiled("^Direct(eur|rice) général").search("Directrice générale"));
  EXPECT_TRUE(compiled("^[à-ÿ]").search("ébéniste"));
}

TEST(Regex, TextThatIsNotUtf8MatchesInItsValidParts) {
  const Regex regex = compiled("Manager$");
  EXPECT_TRUE(regex.search("\xff\xfe Manager"));
  EXPECT_FALSE(compiled("^.$").search("\xff"));
}

TEST(Regex, EmptyTextIsSearchedLikeAnyOther) {
  EXPECT_TRUE(compiled("^$").search(std::string_view()));  // a null data pointer
  EXPECT_TRUE(compiled("").search(std::string_view()));
  EXPECT_TRUE(compiled(std::string_view()).search("anything"));  // an empty, null pattern
  EXPECT_TRUE(compiled("").search("anything"));
  EXPECT_FALSE(compiled("^.+$").search(""));
}

TEST(Regex, BadPatternIsRefusedWithPcreMessageAndOffset) {
  const auto regex = Regex::compile("^(Sourcer");
  ASSERT_FALSE(regex.has_value());
  EXPECT_EQ(regex.error().code, ErrorCode::InvalidValue);
  EXPECT_EQ(regex.error().message,
            "invalid regular expression '^(Sourcer': missing closing parenthesis at offset 9");

  const auto quantifier = Regex::compile("*Manager");
  ASSERT_FALSE(quantifier.has_value());
  EXPECT_EQ(quantifier.error().message,
            "invalid regular expression '*Manager': quantifier does not follow a repeatable "
            "item at offset 0");
}

TEST(Regex, PatternThatIsNotUtf8IsRefused) {
  const auto regex = Regex::compile("Manager\xff");
  ASSERT_FALSE(regex.has_value());
  EXPECT_EQ(regex.error().code, ErrorCode::InvalidValue);
  EXPECT_NE(regex.error().message.find("UTF-8"), std::string::npos) << regex.error().message;
  EXPECT_NE(regex.error().message.find("at offset 7"), std::string::npos) << regex.error().message;
}

TEST(Regex, PatternIsKeptAsWrittenAndCopiesOutliveTheOriginal) {
  std::optional<Regex> copy;
  {
    const Regex original = compiled("^Sourcer");
    EXPECT_EQ(original.pattern(), "^Sourcer");
    copy = original;
  }
  EXPECT_EQ(copy->pattern(), "^Sourcer");
  EXPECT_TRUE(copy->search("Sourcer"));
}

}  // namespace
}  // namespace rosterd
