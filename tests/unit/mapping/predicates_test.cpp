// Attribute and source conditions as rules apply them: equals / in / matches / present /
// absent, case folding, multi-valued attributes, extension attributes, all / any / not.
#include <gtest/gtest.h>

#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

DirectoryPerson with(std::string json, std::string source = "okta") {
  return person(std::move(source), "u-1", "ada@acme.example", std::move(json));
}

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

TEST(Equals, ComparesCaseInsensitively) {
  const auto p = with(R"({"title": "Senior SOURCER"})");
  EXPECT_TRUE(grants(equals("title", "senior sourcer"), p));
  EXPECT_TRUE(grants(equals("TITLE", "Senior Sourcer"), p));
  EXPECT_FALSE(grants(equals("title", "Sourcer"), p));
  EXPECT_FALSE(grants(equals("title", "Senior Sourcer "), p));
}

TEST(Equals, MatchesAnyValueOfAMultiValuedAttribute) {
  const auto p = with(R"({"emails": [{"value": "x@a.example", "type": "work"},
                                     {"value": "y@a.example", "type": "HOME"}]})");
  EXPECT_TRUE(grants(equals("emails.type", "home"), p));
  EXPECT_FALSE(grants(equals("emails.type", "other"), p));
  // "emails" are the person's own emails (the field), any of them.
  DirectoryPerson two = with("{}");
  two.emails = {"first@a.example", "Second@A.example"};
  EXPECT_TRUE(grants(equals("emails", "second@a.example"), two));
  EXPECT_FALSE(grants(equals("email", "second@a.example"), two));  // the primary one only
}

TEST(In, MatchesWhenAnyValueIsOneOfTheList) {
  const auto p = with(R"({"userType": "Employee"})");
  EXPECT_TRUE(grants(in("userType", {"Contractor", "EMPLOYEE"}), p));
  EXPECT_FALSE(grants(in("userType", {"Contractor", "Intern"}), p));
}

TEST(Matches, SearchesEachValueWithTheRegularExpression) {
  const auto p = with(R"({"title": "Talent Acquisition Manager"})");
  EXPECT_TRUE(grants(matches("title", ".*Manager$"), p));
  EXPECT_TRUE(grants(matches("title", "Acquisition"), p));  // unanchored: a search
  EXPECT_FALSE(grants(matches("title", "^Manager"), p));
  EXPECT_FALSE(grants(matches("title", "manager$"), p));  // the expression decides about case
  EXPECT_TRUE(grants(matches("title", "(?i)manager$"), p));
  const auto multi = with(R"({"urn:example:x": {"skills": ["java", "sourcing"]}})");
  EXPECT_TRUE(grants(matches("skills", "^sourc"), multi));
  EXPECT_FALSE(grants(matches("skills", "^python"), multi));
}

TEST(Matches, RefusesABadRegularExpressionWithTheConditionsLocation) {
  Condition bad = matches("title", "(unclosed");
  bad.location = {"rosterd.yaml", 41, 9};
  const auto rules = RuleSet::compile(config_with({grant("r", bad, "recruiter", "recruiter")}), "acme");
  ASSERT_FALSE(rules.has_value());
  EXPECT_EQ(rules.error().code, ErrorCode::InvalidValue);
  EXPECT_NE(rules.error().message.find("rosterd.yaml:41:9"), std::string::npos) << rules.error().message;
}

TEST(PresentAndAbsent, LookForANonEmptyValue) {
  EXPECT_TRUE(grants(present("title"), with(R"({"title": "x"})")));
  EXPECT_FALSE(grants(present("title"), with(R"({"title": ""})")));
  EXPECT_FALSE(grants(present("title"), with("{}")));
  EXPECT_TRUE(grants(absent("title"), with(R"({"title": ""})")));
  EXPECT_TRUE(grants(absent("title"), with(R"({"title": null})")));
  EXPECT_FALSE(grants(absent("title"), with(R"({"title": "x"})")));
}

TEST(ExtensionAttributes, AreReachedByUrnPathAndByBareName) {
  const auto p = with(R"({")" + kEnterprise + R"(": {"department": "Sales", "employeeNumber": "42",
                                                      "manager": {"value": "boss-1"}}})");
  EXPECT_TRUE(grants(equals(kEnterprise + ":department", "sales"), p));
  EXPECT_TRUE(grants(equals("Department", "SALES"), p));
  EXPECT_TRUE(grants(equals("employeeNumber", "42"), p));
  EXPECT_TRUE(grants(equals("manager", "boss-1"), p));
  EXPECT_TRUE(grants(equals(kEnterprise + ":manager.value", "boss-1"), p));
  EXPECT_FALSE(grants(equals("department", "Engineering"), p));
}

TEST(PersonFields, AreAttributesToo) {
  DirectoryPerson p = with("{}");
  p.user_name = "ADA.L";
  p.display_name = "Ada Lovelace";
  EXPECT_TRUE(grants(equals("userName", "ada.l"), p));
  EXPECT_TRUE(grants(equals("displayname", "ada lovelace"), p));
  EXPECT_TRUE(grants(equals("id", "u-1"), p));
  EXPECT_TRUE(grants(equals("active", "true"), p));
}

TEST(SourceCondition, MatchesTheIdentitysSource) {
  EXPECT_TRUE(grants(source({"okta"}), with("{}", "okta")));
  EXPECT_TRUE(grants(source({"corp-ad", "okta"}), with("{}", "okta")));
  EXPECT_FALSE(grants(source({"corp-ad"}), with("{}", "okta")));
}

TEST(Combinations, AllAnyAndNotCombineTheirChildren) {
  const auto p = with(R"({"title": "Sourcer", "userType": "Employee"})");
  EXPECT_TRUE(grants(all({equals("title", "sourcer"), equals("userType", "employee")}), p));
  EXPECT_FALSE(grants(all({equals("title", "sourcer"), equals("userType", "contractor")}), p));
  EXPECT_TRUE(grants(any({equals("title", "manager"), equals("userType", "employee")}), p));
  EXPECT_FALSE(grants(any({equals("title", "manager"), equals("userType", "contractor")}), p));
  EXPECT_TRUE(grants(not_(equals("userType", "contractor")), p));
  EXPECT_FALSE(grants(not_(equals("userType", "employee")), p));
  EXPECT_TRUE(grants(all({not_(absent("title")), any({source({"corp-ad"}), present("userType")})}), p));
}

TEST(Combinations, AnEmptyConjunctionMatchesEveryone) {
  EXPECT_TRUE(grants(all({}), with("{}")));
}

}  // namespace
}  // namespace rosterd
