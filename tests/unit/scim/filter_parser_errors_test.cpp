// parse_filter() refuses what is not a filter with ErrorCode::InvalidFilter and a message
// that gives the 1-based character position and what was expected there, and refuses
// filters beyond its limits without exhausting the stack.
#include <gtest/gtest.h>

#include <string>

#include "scim/filter_parser.h"
#include "tests/unit/scim/predicate_printer.h"

namespace rosterd::scim {
namespace {

using testing::filter_error;

constexpr const char* kValue = "a value (a string in double quotes, a number, true, false or null)";

TEST(FilterParserErrors, RefusesAnEmptyFilter) {
  EXPECT_EQ(filter_error(""), "invalid filter at position 1: the filter is empty");
  EXPECT_EQ(filter_error(" \t "), "invalid filter at position 1: the filter is empty");
}

TEST(FilterParserErrors, NamesTheUnknownOperatorAndWhereItIs) {
  EXPECT_EQ(filter_error(R"(userName equals "x")"),
            "invalid filter at position 10: expected a comparison operator (eq, ne, co, sw, ew, "
            "gt, ge, lt, le, pr) after 'userName', found 'equals'");
  EXPECT_EQ(filter_error("userName"),
            "invalid filter at position 9: expected a comparison operator (eq, ne, co, sw, ew, "
            "gt, ge, lt, le, pr) after 'userName', found the end of the filter");
}

TEST(FilterParserErrors, RefusesTrailingGarbageWithItsPosition) {
  EXPECT_EQ(
      filter_error(R"(userName eq "x" foo)"),
      "invalid filter at position 17: expected 'and', 'or' or the end of the filter, found 'foo'");
  EXPECT_EQ(filter_error("a pr)"),
            "invalid filter at position 5: found ')' with no '(' before it to close");
  EXPECT_EQ(filter_error("a pr]"),
            "invalid filter at position 5: found ']' with no '[' before it to close");
}

TEST(FilterParserErrors, RefusesAnUnclosedParenthesisNamingWhereItOpened) {
  EXPECT_EQ(filter_error(R"((userName eq "x")"),
            "invalid filter at position 17: expected 'and', 'or' or ')' to close the '(' at "
            "position 1, found the end of the filter");
  EXPECT_EQ(filter_error("a pr and (b pr or (c pr)"),
            "invalid filter at position 25: expected 'and', 'or' or ')' to close the '(' at "
            "position 10, found the end of the filter");
}

TEST(FilterParserErrors, RefusesAnUnclosedBracketNamingWhereItOpened) {
  EXPECT_EQ(filter_error(R"(emails[type eq "work")"),
            "invalid filter at position 22: expected 'and', 'or' or ']' to close the '[' at "
            "position 7, found the end of the filter");
  EXPECT_EQ(filter_error(R"(members[value eq "x" and (display pr])"),
            "invalid filter at position 37: expected 'and', 'or' or ')' to close the '(' at "
            "position 26, found ']'");
}

TEST(FilterParserErrors, RefusesAnUnclosedStringNamingWhereItStarts) {
  EXPECT_EQ(filter_error(R"(userName eq "abc)"),
            "invalid filter at position 17: expected '\"' to close the string that starts at "
            "position 13, found the end of the filter");
}

TEST(FilterParserErrors, RefusesAValueAfterPr) {
  EXPECT_EQ(filter_error(R"(title pr "x")"),
            "invalid filter at position 10: 'pr' (present) takes no value, found '\"x\"'");
  EXPECT_EQ(filter_error("title PR true"),
            "invalid filter at position 10: 'pr' (present) takes no value, found 'true'");
  EXPECT_EQ(filter_error("title pr 1"),
            "invalid filter at position 10: 'pr' (present) takes no value, found '1'");
}

TEST(FilterParserErrors, RefusesAComparisonWithoutAValue) {
  EXPECT_EQ(filter_error("userName eq"), std::string("invalid filter at position 12: expected ") +
                                             kValue + " after 'eq', found the end of the filter");
  EXPECT_EQ(
      filter_error("(userName eq )"),
      std::string("invalid filter at position 14: expected ") + kValue + " after 'eq', found ')'");
  EXPECT_EQ(filter_error("userName eq john"),
            std::string("invalid filter at position 13: expected ") + kValue +
                " after 'eq', found 'john' (strings go in double quotes)");
}

TEST(FilterParserErrors, RefusesNotWithoutParentheses) {
  EXPECT_EQ(filter_error("not a pr"),
            "invalid filter at position 5: expected '(' after 'not', found 'a'");
}

TEST(FilterParserErrors, RequiresSpacesAroundOperatorsAndKeywords) {
  EXPECT_EQ(filter_error(R"(userName eq"x")"),
            "invalid filter at position 12: expected a space after 'eq', found '\"x\"'");
  EXPECT_EQ(filter_error(R"(a eq "x"and b pr)"),
            "invalid filter at position 9: expected a space before 'and'");
  EXPECT_EQ(filter_error("a pr and(b pr)"),
            "invalid filter at position 9: expected a space after 'and', found '('");
  EXPECT_EQ(filter_error("a pr and"),
            "invalid filter at position 9: expected an attribute name, '(' or 'not (', found the "
            "end of the filter");
}

TEST(FilterParserErrors, RefusesInvalidEscapesAtTheBackslash) {
  EXPECT_EQ(
      filter_error(R"(userName eq "a\qb")"),
      R"(invalid filter at position 15: invalid escape in a string: expected one of \" \\ \/ \b \f \n \r \t \uXXXX after '\', found 'qb')");
  EXPECT_EQ(filter_error(R"(a eq "\u12")"),
            R"(invalid filter at position 7: expected four hexadecimal digits after '\u')");
  EXPECT_EQ(filter_error(R"(a eq "\uZZZZ")"),
            R"(invalid filter at position 7: expected four hexadecimal digits after '\u')");
  EXPECT_EQ(
      filter_error(R"(a eq "\)"),
      R"(invalid filter at position 7: invalid escape in a string: expected one of \" \\ \/ \b \f \n \r \t \uXXXX after '\', found the end of the filter)");
}

TEST(FilterParserErrors, RefusesUnpairedSurrogatesAndNul) {
  EXPECT_EQ(
      filter_error(R"(a eq "\udc00")"),
      R"(invalid filter at position 7: a low surrogate (\udc00) must follow a high surrogate)");
  for (const char* filter :
       {R"(a eq "\ud83d")", R"(a eq "\ud83dx")", R"(a eq "\ud83d\u0041")", R"(a eq "\ud83d\n")"})
    EXPECT_EQ(
        filter_error(filter),
        R"(invalid filter at position 7: a high surrogate (\ud83d) must be followed by a low surrogate (\uDC00 to \uDFFF))")
        << filter;
  EXPECT_EQ(filter_error(R"(a eq "\u0000")"),
            R"(invalid filter at position 7: a string may not contain \u0000)");
}

TEST(FilterParserErrors, RefusesMalformedUtf8InStrings) {
  for (const char* bytes :
       {"\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "\x80", "\xFF"})
    EXPECT_EQ(filter_error(std::string("a eq \"x") + bytes + "\""),
              "invalid filter at position 8: a string contains malformed UTF-8")
        << bytes;
}

TEST(FilterParserErrors, RefusesControlCharactersInAndOutOfStrings) {
  EXPECT_EQ(
      filter_error("a eq \"x\ny\""),
      R"(invalid filter at position 8: a string may not contain a control character (0x0A): write it as an escape such as \n or \u000A)");
  EXPECT_EQ(
      filter_error("userName\neq \"x\""),
      "invalid filter at position 9: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, "
      "lt, le, pr) after 'userName', found a control character (0x0A)");
  EXPECT_EQ(filter_error(std::string("\x01"
                                     "a pr")),
            "invalid filter at position 1: expected an attribute name, '(' or 'not (', found a "
            "control character (0x01)");
  EXPECT_EQ(filter_error(std::string("a pr\0", 5)),
            "invalid filter at position 5: expected 'and', 'or' or the end of the filter, found a "
            "control character (0x00)");
}

TEST(FilterParserErrors, RefusesMalformedAttributePaths) {
  const std::string rule = "(a letter, then letters, digits, '-' or '_')";
  EXPECT_EQ(filter_error(R"(1abc eq "x")"),
            "invalid filter at position 1: expected an attribute name " + rule + ", found '1abc'");
  EXPECT_EQ(filter_error(R"(user!name eq "x")"),
            "invalid filter at position 5: expected an attribute name " + rule + ", found '!name'");
  EXPECT_EQ(filter_error("a.b.c pr"),
            "invalid filter at position 4: a path names at most one sub-attribute (as in "
            "'name.familyName'), found '.c'");
  EXPECT_EQ(filter_error("name. pr"),
            "invalid filter at position 6: expected a sub-attribute name after '.' " + rule +
                ", found a space");
  EXPECT_EQ(filter_error("$refs pr"),
            "invalid filter at position 1: expected an attribute name " + rule + ", found '$refs'");
  EXPECT_EQ(filter_error("foo:bar pr"),
            "invalid filter at position 4: expected a schema URN (such as "
            "urn:ietf:params:scim:schemas:core:2.0:User) "
            "before the attribute name, found 'foo:bar'");
  EXPECT_EQ(
      filter_error("urn:ietf:params:scim:schemas:core:2.0:User: pr"),
      "invalid filter at position 44: expected an attribute name " + rule + ", found a space");
}

TEST(FilterParserErrors, RefusesNumbersOutsideTheJsonGrammar) {
  for (const char* number : {"01", "1.", "-", "1e", "1.5x", "--1", "1e+", "0x10"})
    EXPECT_EQ(filter_error(std::string("a eq ") + number),
              std::string("invalid filter at position 6: expected a JSON number (such as -1, 1.5 "
                          "or 1e3), found '") +
                  number + "'")
        << number;
  EXPECT_EQ(filter_error("a eq 1e999"),
            "invalid filter at position 6: the number '1e999' is out of range");
  EXPECT_EQ(filter_error("a eq +1"), std::string("invalid filter at position 6: expected ") +
                                         kValue +
                                         " after 'eq', found '+1' (strings go in double quotes)");
}

TEST(FilterParserErrors, RefusesOperatorsThatCannotApplyToTheValue) {
  EXPECT_EQ(filter_error("active gt true"),
            "invalid filter at position 11: 'gt' compares strings, numbers and dates, not 'true'");
  EXPECT_EQ(filter_error("a LE null"),
            "invalid filter at position 6: 'LE' compares strings, numbers and dates, not 'null'");
  EXPECT_EQ(filter_error("a co 1"),
            "invalid filter at position 6: 'co' needs a string in double quotes, found '1'");
  EXPECT_EQ(filter_error("a sw false"),
            "invalid filter at position 6: 'sw' needs a string in double quotes, found 'false'");
}

TEST(FilterParserErrors, RefusesMisplacedValueFilters) {
  EXPECT_EQ(
      filter_error("name.givenName[value pr]"),
      "invalid filter at position 15: a value filter '[...]' follows a multi-valued attribute, "
      "not the sub-attribute 'name.givenName'");
  EXPECT_EQ(filter_error(R"(emails[type eq "w" and addresses[type pr]])"),
            "invalid filter at position 33: a value filter '[...]' cannot contain another one");
  EXPECT_EQ(
      filter_error(R"(emails[urn:x:y:type eq "w"])"),
      "invalid filter at position 8: inside '[...]' a path names one sub-attribute of the element "
      "(such as 'type' or 'value'), found 'urn:x:y:type'");
  EXPECT_EQ(
      filter_error(R"(emails[type.x eq "w"])"),
      "invalid filter at position 8: inside '[...]' a path names one sub-attribute of the element "
      "(such as 'type' or 'value'), found 'type.x'");
  EXPECT_EQ(filter_error("emails[]"),
            "invalid filter at position 8: expected an attribute name, '(' or 'not (', found ']'");
  EXPECT_EQ(filter_error(R"(emails[type eq "work"].value)"),
            "invalid filter at position 29: expected a comparison operator (eq, ne, co, sw, ew, "
            "gt, ge, lt, "
            "le, pr) after 'value', found the end of the filter");
}

TEST(FilterParserErrors, CountsPositionsInCharactersNotBytes) {
  EXPECT_EQ(
      filter_error(R"(displayName eq "é" foo)"),
      "invalid filter at position 20: expected 'and', 'or' or the end of the filter, found 'foo'");
}

TEST(FilterParserErrors, ShowsMalformedBytesEscapedInMessages) {
  EXPECT_EQ(filter_error("a pr \xFF\xFE"),
            "invalid filter at position 6: expected 'and', 'or' or the end of the filter, found "
            "'\\xFF\\xFE'");
}

TEST(FilterParserLimits, RefusesAFilterLongerThanTheLimitBeforeReadingIt) {
  const std::string filter = "userName eq \"" + std::string(9000 - 14, 'x') + "\"";
  ASSERT_EQ(filter.size(), 9000u);
  EXPECT_EQ(filter_error(filter),
            "invalid filter at position 8193: the filter is longer than 8192 bytes");
  EXPECT_EQ(filter_error(std::string(10000, '(')),
            "invalid filter at position 8193: the filter is longer than 8192 bytes");
}

TEST(FilterParserLimits, RefusesDeepNestingAtTheFirstLevelTooDeep) {
  const FilterLimits long_filters{.max_length = 100000};
  const std::string deep = std::string(10000, '(') + "a pr" + std::string(10000, ')');
  EXPECT_EQ(filter_error(deep, long_filters),
            "invalid filter at position 33: the filter nests deeper than 32 levels of parentheses "
            "and brackets");
  EXPECT_EQ(filter_error(std::string(33, '(') + "a pr" + std::string(33, ')'), long_filters),
            "invalid filter at position 33: the filter nests deeper than 32 levels of parentheses "
            "and brackets");

  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "not (";
  EXPECT_EQ(filter_error(nots, long_filters),
            "invalid filter at position 165: the filter nests deeper than 32 levels of parentheses "
            "and brackets");
}

TEST(FilterParserLimits, CountsAValueFilterAsALevel) {
  EXPECT_EQ(
      filter_error("emails[" + std::string(32, '(') + "value pr" + std::string(32, ')') + "]"),
      "invalid filter at position 39: the filter nests deeper than 32 levels of parentheses and "
      "brackets");
}

TEST(FilterParserLimits, NeverLetsAConfiguredDepthExhaustTheStack) {
  const FilterLimits generous{
      .max_length = 10'000'000, .max_depth = 10'000'000, .max_terms = 10'000'000};
  const std::string deep = std::string(1'000'000, '(') + "a pr" + std::string(1'000'000, ')');
  EXPECT_EQ(filter_error(deep, generous),
            "invalid filter at position 257: the filter nests deeper than 256 levels of "
            "parentheses and brackets");
}

TEST(FilterParserLimits, RefusesMoreComparisonsThanTheLimit) {
  std::string filter = "a pr";
  for (int i = 1; i < 201; ++i) filter += " or a pr";
  EXPECT_EQ(
      filter_error(filter),
      "invalid filter at position 1601: the filter has too many comparisons (the limit is 200)");
  EXPECT_EQ(filter_error("a pr and b pr", FilterLimits{.max_terms = 1}),
            "invalid filter at position 10: the filter has too many comparisons (the limit is 1)");
}

}  // namespace
}  // namespace rosterd::scim
