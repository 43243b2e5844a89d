// parse_filter() reads the whole RFC 7644 section 3.4.2.2 grammar into the tree a store
// compiles: operators, precedence, grouping, paths with sub-attributes and schema URNs,
// value filters, literals, and the filters Okta and Entra ID actually send.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scim/filter_parser.h"
#include "tests/unit/scim/predicate_printer.h"

namespace rosterd::scim {
namespace {

using testing::parsed;

// The comparison a one-term filter parses to (a blank one, with a failure, otherwise).
const Comparison& only_comparison(const Result<PredicatePtr>& result) {
  static const Comparison kNone;
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return kNone;
  }
  const auto* comparison = std::get_if<Comparison>(&(*result)->node);
  if (!comparison) ADD_FAILURE() << "not a single comparison: " << testing::print(**result);
  return comparison ? *comparison : kNone;
}

TEST(FilterParser, ReadsEveryComparisonOperator) {
  for (const char* op : {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
    EXPECT_EQ(parsed(std::string("userName ") + op + " \"x\""),
              std::string("(") + op + " userName \"x\")");
  EXPECT_EQ(parsed("title pr"), "(pr title)");
}

TEST(FilterParser, ReadsOperatorsAndKeywordsInAnyCase) {
  EXPECT_EQ(parsed("userName EQ \"x\" AnD title Pr OR NOT (active Eq TRUE)"),
            "(or (and (eq userName \"x\") (pr title)) (not (eq active true)))");
  EXPECT_EQ(parsed("a eq FALSE or b eq Null"), "(or (eq a false) (eq b null))");
}

TEST(FilterParser, KeepsAttributeNamesAsWritten) {
  EXPECT_EQ(parsed("Username eq \"john\""), "(eq Username \"john\")");
}

TEST(FilterParser, BindsAndTighterThanOr) {
  EXPECT_EQ(parsed("a eq 1 or b eq 2 and c eq 3"), "(or (eq a 1) (and (eq b 2) (eq c 3)))");
  EXPECT_EQ(parsed("a eq 1 and b eq 2 or c eq 3"), "(or (and (eq a 1) (eq b 2)) (eq c 3))");
  EXPECT_EQ(parsed("a pr or b pr and c pr or d pr"), "(or (or (pr a) (and (pr b) (pr c))) (pr d))");
}

TEST(FilterParser, GroupsChainsOfTheSameOperatorFromTheLeft) {
  EXPECT_EQ(parsed("a pr and b pr and c pr"), "(and (and (pr a) (pr b)) (pr c))");
  EXPECT_EQ(parsed("a pr or b pr or c pr"), "(or (or (pr a) (pr b)) (pr c))");
}

TEST(FilterParser, LetsParenthesesOverridePrecedence) {
  EXPECT_EQ(parsed("(a eq 1 or b eq 2) and c eq 3"), "(and (or (eq a 1) (eq b 2)) (eq c 3))");
  EXPECT_EQ(parsed("((a pr))"), "(pr a)");
  EXPECT_EQ(parsed("a pr and (b pr or (c pr and d pr))"),
            "(and (pr a) (or (pr b) (and (pr c) (pr d))))");
}

TEST(FilterParser, AppliesNotToTheParenthesisedFilterBeforeAnd) {
  EXPECT_EQ(parsed("not (a pr) and b pr"), "(and (not (pr a)) (pr b))");
  EXPECT_EQ(parsed("not(a pr or b pr)"), "(not (or (pr a) (pr b)))");
  EXPECT_EQ(parsed("not (not (a pr))"), "(not (not (pr a)))");
}

TEST(FilterParser, ReadsAnAttributeNamedNotWhenNoParenthesisFollows) {
  EXPECT_EQ(parsed("not pr"), "(pr not)");
  EXPECT_EQ(parsed("not eq \"x\""), "(eq not \"x\")");
}

TEST(FilterParser, SplitsSubAttributes) {
  const auto result = parse_filter("name.familyName co \"O'Malley\"");
  const auto& c = only_comparison(result);
  EXPECT_EQ(c.path.schema, "");
  EXPECT_EQ(c.path.attribute, "name");
  EXPECT_EQ(c.path.sub_attribute, "familyName");
  EXPECT_EQ(c.op, CompareOp::Co);
  EXPECT_EQ(c.value.text, "O'Malley");
}

TEST(FilterParser, SplitsACoreSchemaUrnAtItsLastColon) {
  const auto result = parse_filter("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"");
  const auto& c = only_comparison(result);
  EXPECT_EQ(c.path.schema, "urn:ietf:params:scim:schemas:core:2.0:User");
  EXPECT_EQ(c.path.attribute, "userName");
  EXPECT_EQ(c.path.sub_attribute, "");
}

TEST(FilterParser, KeepsTheDotsOfAnExtensionUrnOutOfTheSubAttribute) {
  const auto result = parse_filter(
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915\"");
  const auto& c = only_comparison(result);
  EXPECT_EQ(c.path.schema, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
  EXPECT_EQ(c.path.attribute, "manager");
  EXPECT_EQ(c.path.sub_attribute, "value");
  EXPECT_EQ(c.value.text, "26118915");
}

TEST(FilterParser, ReadsComplexValueFilters) {
  EXPECT_EQ(parsed("emails[type eq \"work\" and value co \"@example.com\"]"),
            "emails[(and (eq type \"work\") (co value \"@example.com\"))]");
  EXPECT_EQ(parsed("emails[type eq \"work\"] and not (emails[value pr])"),
            "(and emails[(eq type \"work\")] (not emails[(pr value)]))");
  // Errata 7322: or, parentheses and not inside the brackets.
  EXPECT_EQ(parsed("emails[type eq \"work\" or (type eq \"home\" and value ew \"@example.com\")]"),
            "emails[(or (eq type \"work\") (and (eq type \"home\") (ew value \"@example.com\")))]");
  EXPECT_EQ(parsed("emails[not (type eq \"work\")]"), "emails[(not (eq type \"work\"))]");
  EXPECT_EQ(parsed("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"]"),
            "urn:ietf:params:scim:schemas:core:2.0:User:emails[(eq type \"work\")]");
}

TEST(FilterParser, ReadsTheEntraFormOfASubAttributeAfterAValueFilter) {
  EXPECT_EQ(parsed("emails[type eq \"work\"].value eq \"ada@acme.example\""),
            "emails[(and (eq type \"work\") (eq value \"ada@acme.example\"))]");
  EXPECT_EQ(parsed("emails[type eq \"work\"].value pr or userName eq \"x\""),
            "(or emails[(and (eq type \"work\") (pr value))] (eq userName \"x\"))");
}

TEST(FilterParser, AcceptsTheDollarRefAttribute) {
  EXPECT_EQ(parsed("members[$ref eq \"https://x/Users/1\"]"),
            "members[(eq $ref \"https://x/Users/1\")]");
  EXPECT_EQ(parsed("members.$ref pr"), "(pr members.$ref)");
}

TEST(FilterParser, ParsesEveryExampleFilterOfRfc7644) {
  // RFC 7644 section 3.4.2.2, the list of example filters, line breaks removed.
  const std::vector<std::pair<std::string, std::string>> examples = {
      {R"(userName Eq "john")", R"((eq userName "john"))"},
      {R"(Username eq "john")", R"((eq Username "john"))"},
      {R"(userName eq "bjensen")", R"((eq userName "bjensen"))"},
      {R"(name.familyName co "O'Malley")", R"((co name.familyName "O'Malley"))"},
      {R"(userName sw "J")", R"((sw userName "J"))"},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")",
       R"((sw urn:ietf:params:scim:schemas:core:2.0:User:userName "J"))"},
      {R"(title pr)", R"((pr title))"},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")",
       R"((gt meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified ge "2011-05-13T04:42:34Z")",
       R"((ge meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified lt "2011-05-13T04:42:34Z")",
       R"((lt meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified le "2011-05-13T04:42:34Z")",
       R"((le meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(title pr and userType eq "Employee")", R"((and (pr title) (eq userType "Employee")))"},
      {R"(title pr or userType eq "Intern")", R"((or (pr title) (eq userType "Intern")))"},
      {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")",
       R"((eq schemas "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))"},
      {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
       R"((and (eq userType "Employee") (or (co emails "example.com") (co emails.value "example.org"))))"},
      {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))",
       R"((and (ne userType "Employee") (not (or (co emails "example.com") (co emails.value "example.org")))))"},
      {R"(userType eq "Employee" and (emails.type eq "work"))",
       R"((and (eq userType "Employee") (eq emails.type "work")))"},
      {R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])",
       R"((and (eq userType "Employee") emails[(and (eq type "work") (co value "@example.com"))]))"},
      {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
       R"((or emails[(and (eq type "work") (co value "@example.com"))] ims[(and (eq type "xmpp") (co value "@foo.com"))]))"},
  };
  for (const auto& [filter, tree] : examples) EXPECT_EQ(parsed(filter), tree) << filter;
}

TEST(FilterParser, ParsesTheFiltersOktaAndEntraIdSend) {
  EXPECT_EQ(parsed(R"(userName eq "test.user@okta.local")"),
            R"((eq userName "test.user@okta.local"))");
  EXPECT_EQ(parsed(R"(externalId eq "abc")"), R"((eq externalId "abc"))");
  EXPECT_EQ(parsed(R"(displayName eq "Group A")"), R"((eq displayName "Group A"))");
  // Entra ID's "test connection" looks up a user that cannot exist.
  EXPECT_EQ(parsed(R"(userName eq "e3b2c8a0-6f1d-4c57-9a0e-58b1d3c7f2aa")"),
            R"((eq userName "e3b2c8a0-6f1d-4c57-9a0e-58b1d3c7f2aa"))");
  EXPECT_EQ(parsed(R"(id eq "x")"), R"((eq id "x"))");
  EXPECT_EQ(parsed(R"(meta.lastModified gt "2011-05-13T04:42:34Z")"),
            R"((gt meta.lastModified "2011-05-13T04:42:34Z"))");
  EXPECT_EQ(
      parsed(
          R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])"),
      R"((or emails[(and (eq type "work") (co value "@example.com"))] ims[(and (eq type "xmpp") (co value "@foo.com"))]))");
}

TEST(FilterParser, DecodesEveryJsonStringEscape) {
  const auto result = parse_filter(R"(a eq "q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00")");
  EXPECT_EQ(only_comparison(result).value.text,
            "q\" b\\ s/ \b\f\n\r\t \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(FilterParser, KeepsUtf8TextAsWritten) {
  const auto result = parse_filter("displayName eq \"Zoë Ångström 日本\"");
  EXPECT_EQ(only_comparison(result).value.text, "Zoë Ångström 日本");
}

TEST(FilterParser, ReadsJsonNumbersAndKeepsTheirText) {
  const std::vector<std::pair<std::string, double>> numbers = {
      {"-1", -1}, {"0", 0}, {"1.5", 1.5}, {"1e3", 1000}, {"-0.25E-2", -0.0025}, {"12E+1", 120}};
  for (const auto& [text, value] : numbers) {
    const auto result = parse_filter("loginCount ge " + text);
    const auto& c = only_comparison(result);
    EXPECT_EQ(c.value.kind, Literal::Kind::Number) << text;
    EXPECT_DOUBLE_EQ(c.value.number, value) << text;
    EXPECT_EQ(c.value.text, text);
  }
}

TEST(FilterParser, ReadsBooleansAndNullInAnyCase) {
  EXPECT_EQ(only_comparison(parse_filter("active eq True")).value.kind, Literal::Kind::Boolean);
  EXPECT_TRUE(only_comparison(parse_filter("active eq TRUE")).value.boolean);
  EXPECT_FALSE(only_comparison(parse_filter("active eq fAlSe")).value.boolean);
  EXPECT_EQ(only_comparison(parse_filter("nickName eq NULL")).value.kind, Literal::Kind::Null);
}

TEST(FilterParser, AcceptsRunsOfSpacesAndTabsBetweenTokens) {
  EXPECT_EQ(parsed("  userName \t eq\t\t\"x\"   and\ttitle  pr  "),
            "(and (eq userName \"x\") (pr title))");
  EXPECT_EQ(parsed("( a pr )"), "(pr a)");
  EXPECT_EQ(parsed("emails[ type eq \"work\" ]"), "emails[(eq type \"work\")]");
}

TEST(FilterParser, AcceptsFiltersAtTheExactLimits) {
  const std::string value(8192 - std::string("a eq \"\"").size(), 'v');
  EXPECT_TRUE(parse_filter("a eq \"" + value + "\"").has_value());

  std::string nested = std::string(32, '(') + "a pr" + std::string(32, ')');
  EXPECT_EQ(parsed(nested), "(pr a)");

  std::string terms = "a pr";
  for (int i = 1; i < 200; ++i) terms += " or a pr";
  EXPECT_TRUE(parse_filter(terms).has_value());
}

}  // namespace
}  // namespace rosterd::scim
