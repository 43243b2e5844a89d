// check-config's reasoning over rules: rules that can never decide under first-match,
// same-rank grants under highest-rank, conditions that can never hold; and quotas the
// known people would exceed.
#include <gtest/gtest.h>

#include "mapping/lint.h"
#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

std::vector<std::string> messages(const std::vector<LintFinding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    EXPECT_EQ(f.severity, LintFinding::Severity::Warning);
    out.push_back(std::to_string(f.location.line) + ": " + f.message);
  }
  return out;
}

std::vector<std::string> lint(std::vector<RuleConfig> rules, std::string resolution) {
  return messages(lint_rules(config_with(std::move(rules), std::move(resolution))));
}

TEST(LintRules, ACleanRuleSetGivesNoWarning) {
  const std::vector<RuleConfig> rules{
      grant("talent-admins", group("CN=Talent Admins,OU=Groups,DC=corp,DC=example"), "administrator",
            "administrator"),
      grant("recruiters", group("CN=Recruiting-*"), "recruiter", "recruiter", "from:department"),
      grant("hiring-managers", matches("title", ".*Manager$"), "hiring_manager", "manager"),
      grant("paris-sourcers", all({group("CN=Sourcing-*"), equals("l", "Paris")}), "collaborator", "recruiter"),
      deny("no-contractors", equals("employeeType", "Contractor"))};
  EXPECT_TRUE(lint(rules, "first-match").empty());
  EXPECT_TRUE(lint(rules, "highest-rank").empty());
}

TEST(LintRules, FirstMatchRuleImpliedByAnEarlierRuleCanNeverDecide) {
  const std::vector<RuleConfig> rules{
      grant("recruiters", group("CN=Recruiting-*"), "recruiter", "recruiter"),
      grant("paris", all({group("CN=Recruiting-Paris,OU=Groups"), present("title")}), "administrator",
            "administrator")};
  EXPECT_EQ(lint(rules, "first-match"),
            std::vector<std::string>{"25: rule 'paris' can never decide: rule 'recruiters' (line 20) comes "
                                     "first and matches whenever it does (first-match)"});
  EXPECT_TRUE(lint(rules, "highest-rank").empty());
}

TEST(LintRules, ShadowingNeedsEveryAtomOfTheEarlierRule) {
  const std::vector<RuleConfig> rules{
      grant("narrow", all({group("CN=Recruiting-*"), equals("title", "Sourcer")}), "recruiter", "recruiter"),
      grant("broad", group("CN=Recruiting-Paris"), "administrator", "administrator"),
      grant("in-list", in("title", {"Sourcer", "Recruiter"}), "member", "recruiter"),
      grant("one-of-list", equals("title", "sourcer"), "assessor", "manager"),
      grant("other-glob", group("CN=Sales-*"), "accountant", "manager")};
  EXPECT_EQ(lint(rules, "first-match"),
            std::vector<std::string>{"35: rule 'one-of-list' can never decide: rule 'in-list' (line 30) comes "
                                     "first and matches whenever it does (first-match)"});
}

TEST(LintRules, EarlierDenyShadowsAndAGrantNeverShadowsADeny) {
  const std::vector<RuleConfig> rules{
      deny("no-contractors", equals("employeeType", "Contractor")),
      grant("contractors", all({equals("employeeType", "contractor"), source({"okta"})}), "member", "recruiter"),
      grant("everyone", all({}), "member", "recruiter"),
      deny("no-interns", equals("employeeType", "Intern"))};
  const auto found = lint(rules, "first-match");
  ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(found);
  EXPECT_EQ(found[0], "25: rule 'contractors' can never decide: rule 'no-contractors' (line 20) comes first "
                      "and matches whenever it does (first-match)");
}

TEST(LintRules, ADenyAnywhereMakesAGrantItCoversUseless) {
  const std::vector<RuleConfig> rules{
      grant("contractors", all({equals("employeeType", "Contractor"), present("title")}), "member", "recruiter"),
      deny("no-contractors", equals("employeeType", "contractor"))};
  EXPECT_EQ(lint(rules, "highest-rank"),
            std::vector<std::string>{"20: rule 'contractors' can never grant: deny rule 'no-contractors' "
                                     "(line 25) matches whenever it does"});
}

TEST(LintRules, HighestRankGrantCoveredByAHigherRankCanNeverDecide) {
  const std::vector<RuleConfig> rules{
      grant("members", all({group("CN=Staff"), present("title")}), "member", "recruiter"),
      grant("admins", group("CN=Staff"), "administrator", "administrator"),
      grant("recruiters", all({group("cn=staff"), equals("title", "Sourcer")}), "recruiter", "recruiter"),
      grant("collaborators", group("CN=Staff"), "collaborator", "recruiter")};
  EXPECT_EQ(lint(rules, "highest-rank"),
            (std::vector<std::string>{
                "20: rule 'members' can never decide: rule 'admins' (line 25) matches whenever it does and "
                "grants administrator, which ranks higher (highest-rank)",
                "30: rule 'recruiters' can never decide: rule 'admins' (line 25) matches whenever it does and "
                "grants administrator, which ranks higher (highest-rank)",
                "35: rule 'collaborators' can never decide: rule 'admins' (line 25) matches whenever it does "
                "and grants administrator, which ranks higher (highest-rank)"}));
  // A lower rank that covers a higher one is fine: the higher one wins when it matches.
  EXPECT_TRUE(lint({grant("everyone", all({}), "member", "recruiter"),
                    grant("admins", group("CN=Staff"), "administrator", "administrator")},
                   "highest-rank")
                  .empty());
}

TEST(LintRules, HighestRankSameRankEarlierCoveringRuleShadows) {
  const std::vector<RuleConfig> rules{
      grant("recruiters", group("CN=Staff"), "recruiter", "recruiter", "A"),
      grant("paris-recruiters", all({group("CN=Staff"), equals("l", "Paris")}), "recruiter", "recruiter", "B")};
  EXPECT_EQ(lint(rules, "highest-rank"),
            std::vector<std::string>{"25: rule 'paris-recruiters' can never decide: rule 'recruiters' (line 20) "
                                     "matches whenever it does and grants recruiter of the same rank and comes "
                                     "first (highest-rank)"});
}

TEST(LintRules, HighestRankGrantsOfDifferentRolesWithTheSameRankThatCanMeet) {
  Config config = config_with({grant("sourcers", group("CN=Sourcing"), "recruiter", "recruiter"),
                               grant("specials", present("title"), "special", "recruiter"),
                               grant("okta-only", all({source({"okta"}), group("X")}), "twin", "recruiter"),
                               grant("ad-only", all({source({"corp-ad"}), group("Y")}), "twin2", "recruiter")});
  auto roles = RoleCatalogue::with_overrides(
      {RoleOverride{"special", 70, std::vector<std::string>{"recruiter"}, std::nullopt},
       RoleOverride{"twin", 10, std::vector<std::string>{"recruiter"}, std::nullopt},
       RoleOverride{"twin2", 10, std::vector<std::string>{"recruiter"}, std::nullopt}});
  ASSERT_TRUE(roles.has_value());
  config.roles = *roles;
  EXPECT_EQ(messages(lint_rules(config)),
            std::vector<std::string>{
                "25: rules 'sourcers' (line 20) and 'specials' grant roles recruiter and special of the same "
                "rank (70): for someone matching both, only rule order decides (recruiter wins)"});
  config.spaces[0].resolution = "first-match";
  EXPECT_TRUE(messages(lint_rules(config)).empty());
}

TEST(LintRules, ConditionsThatCanNeverHold) {
  const std::vector<RuleConfig> rules{
      deny("ghosts", all({present("title"), absent("title")})),
      grant("neither", all({equals("userType", "Employee"), not_(equals("usertype", "employee"))}), "member",
            "recruiter"),
      grant("two-sources", all({source({"okta"}), source({"corp-ad"})}), "assessor", "manager"),
      grant("absent-equal", all({absent("department"), equals("department", "Sales")}), "collaborator",
            "recruiter"),
      grant("group-not-glob", all({group("CN=Recruiting-Paris"), not_(group("CN=Recruiting-*"))}),
            "hiring_manager", "manager")};
  EXPECT_EQ(lint(rules, "highest-rank"),
            (std::vector<std::string>{
                "20: rule 'ghosts' matches nothing: its condition can never hold ('title present' and "
                "'title absent' cannot both hold)",
                "25: rule 'neither' can never match: its condition can never hold ('userType equals "
                "'Employee'' and 'not usertype equals 'employee'' cannot both hold)",
                "30: rule 'two-sources' can never match: its condition can never hold (an identity has one "
                "source: 'source okta' and 'source corp-ad' cannot both hold)",
                "35: rule 'absent-equal' can never match: its condition can never hold ('department equals "
                "'Sales'' and 'department absent' cannot both hold)",
                "40: rule 'group-not-glob' can never match: its condition can never hold ('group "
                "'CN=Recruiting-Paris'' and 'not group 'CN=Recruiting-*'' cannot both hold)"}));
}

TEST(LintRules, MultiValuedAttributesAreNotContradictions) {
  const std::vector<RuleConfig> rules{
      grant("two-emails", all({equals("emails", "a@x.example"), equals("emails", "b@x.example")}), "member",
            "recruiter"),
      grant("in-two", all({source({"okta", "corp-ad"}), source({"corp-ad"})}), "assessor", "manager")};
  EXPECT_TRUE(lint(rules, "first-match").empty());
}

TEST(LintRules, FindingsAreSortedByLocationAcrossSpaces) {
  std::vector<RuleConfig> rules{grant("a", all({present("x"), absent("x")}), "member", "recruiter"),
                                grant("b", all({present("y"), absent("y")}), "member", "recruiter")};
  rules[0].space = "other";
  Config config = config_with(rules);
  std::swap(config.spaces[0], config.spaces[1]);
  const auto found = lint_rules(config);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].location.line, 20);
  EXPECT_EQ(found[1].location.line, 25);
}

TEST(LintQuotas, WarnsWhenMorePeopleQualifyThanThereAreSeats) {
  const Config config = config_with({});
  DesiredState acme{"acme", {}, {}};
  for (int i = 0; i < 31; ++i) {
    DesiredAccount a;
    a.person = "p" + std::to_string(i);
    a.licence = "recruiter";
    acme.accounts.push_back(a);
  }
  for (int i = 0; i < 3; ++i) {
    DesiredAccount a;
    a.licence = "administrator";
    acme.accounts.push_back(a);  // exactly the 3 seats: fine
  }
  const auto found = lint_quotas(config, {acme});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, LintFinding::Severity::Warning);
  EXPECT_EQ(found[0].location.line, 5);
  EXPECT_EQ(found[0].message, "space acme: 31 people qualify for licence recruiter, 25 seats: 6 would wait as pending");
  acme.accounts.resize(25);
  EXPECT_TRUE(lint_quotas(config, {acme}).empty());
}

}  // namespace
}  // namespace rosterd
