// Which grant decides when several match (first-match, highest-rank), how the others lose
// and why, and how deny rules and people no rule grants are excluded.
#include <gtest/gtest.h>

#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

const Directory kSourcer{{person("okta", "u-1", "ada@acme.example",
                                 R"({"title": "Sourcer", "userType": "Employee"})")},
                         {}};

std::vector<RuleConfig> three_grants() {
  return {grant("members", present("userType"), "member", "recruiter"),
          grant("recruiters", equals("title", "Sourcer"), "recruiter", "recruiter", "Talent"),
          grant("admins", equals("userType", "Employee"), "administrator", "administrator")};
}

TEST(FirstMatch, TheEarliestMatchingGrantDecidesAndTheOthersLoseInOrder) {
  const auto state = compiled(config_with(three_grants(), "first-match")).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  const DesiredAccount& a = state.accounts[0];
  EXPECT_EQ(a.rule, "members");
  EXPECT_EQ(a.rule_index, 0);
  EXPECT_EQ(a.role, "member");
  const std::vector<LosingGrant> losing{
      {"recruiters", "recruiter", "recruiter", "after rule members (first-match)"},
      {"admins", "administrator", "administrator", "after rule members (first-match)"}};
  EXPECT_EQ(a.losing, losing);
}

TEST(HighestRank, TheHighestRankDecidesWhateverTheOrder) {
  const auto state = compiled(config_with(three_grants(), "highest-rank")).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  const DesiredAccount& a = state.accounts[0];
  EXPECT_EQ(a.rule, "admins");
  EXPECT_EQ(a.rule_index, 2);
  EXPECT_EQ(a.role, "administrator");
  EXPECT_EQ(a.licence, "administrator");
  const std::vector<LosingGrant> losing{
      {"members", "member", "recruiter", "lower rank than administrator (rule admins)"},
      {"recruiters", "recruiter", "recruiter", "lower rank than administrator (rule admins)"}};
  EXPECT_EQ(a.losing, losing);
}

TEST(Sharing, PeopleWhoMatchForTheSameReasonsShareFactsAndLosingGrants) {
  // At 100,000 people most repeat someone else's facts: kept once (the memory target).
  const Directory people{{person("okta", "u-1", "ada@acme.example", R"({"title": "Sourcer", "userType": "Employee"})"),
                          person("okta", "u-2", "bob@acme.example", R"({"title": "Sourcer", "userType": "Employee"})"),
                          person("okta", "u-3", "cy@acme.example", R"({"title": "Sourcer", "userType": "Intern"})")},
                         {}};
  const auto state = compiled(config_with(three_grants(), "first-match")).desired_state(people);
  ASSERT_EQ(state.accounts.size(), 3u);
  const DesiredAccount &ada = state.accounts[0], &bob = state.accounts[1], &cy = state.accounts[2];
  EXPECT_EQ(&*ada.inputs, &*bob.inputs);
  EXPECT_EQ(&*ada.losing, &*bob.losing);
  EXPECT_EQ(ada.inputs, (Facts{{"rule", "members"}, {"userType", "Employee"}}));
  // Cy matched the same rule on another value and lost the same grants: facts of their own.
  EXPECT_NE(&*cy.inputs, &*ada.inputs);
  EXPECT_EQ(cy.inputs, (Facts{{"rule", "members"}, {"userType", "Intern"}}));
  EXPECT_EQ(cy.losing.size(), 1u);
  EXPECT_EQ(cy.losing[0].rule, "recruiters");
}

TEST(HighestRank, TiesGoToTheEarlierRule) {
  const std::vector<RuleConfig> rules{
      grant("sourcers", equals("title", "Sourcer"), "recruiter", "recruiter", "Sourcing"),
      grant("employees", present("userType"), "recruiter", "recruiter", "Everyone")};
  const auto state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].rule, "sourcers");
  EXPECT_EQ(state.accounts[0].team, "Sourcing");
  ASSERT_EQ(state.accounts[0].losing.size(), 1u);
  EXPECT_EQ(state.accounts[0].losing[0].why, "same rank as recruiter, later than rule sourcers");
}

TEST(HighestRank, RanksComeFromTheConfiguredCatalogue) {
  Config config = config_with(three_grants());
  auto roles = RoleCatalogue::with_overrides({RoleOverride{"member", 95, std::nullopt, std::nullopt}});
  ASSERT_TRUE(roles.has_value());
  config.roles = *roles;
  const auto state = compiled(config).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].rule, "members");
}

TEST(Deny, BeatsEveryGrantWhereverItIs) {
  for (const char* resolution : {"first-match", "highest-rank"}) {
    auto rules = three_grants();
    rules.push_back(deny("no-sourcers", equals("title", "sourcer")));
    rules.push_back(deny("no-employees", equals("userType", "employee")));
    const auto state = compiled(config_with(rules, resolution)).desired_state(kSourcer);
    EXPECT_TRUE(state.accounts.empty()) << resolution;
    ASSERT_EQ(state.excluded.size(), 1u) << resolution;
    EXPECT_EQ(state.excluded[0].reason, "denied by rule no-sourcers") << resolution;
    EXPECT_EQ(state.excluded[0].person, "ada@acme.example");
  }
}

TEST(Deny, ThatDoesNotMatchChangesNothing) {
  auto rules = three_grants();
  rules.insert(rules.begin(), deny("no-contractors", equals("userType", "Contractor")));
  const auto state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].rule, "admins");
  EXPECT_EQ(state.accounts[0].rule_index, 3);
}

TEST(NoGrant, ExcludesThePersonWithTheReason) {
  const std::vector<RuleConfig> rules{grant("managers", matches("title", "Manager$"), "hiring_manager", "manager")};
  EXPECT_EQ(outcome(config_with(rules), kSourcer, "ada@acme.example"), "(excluded: no rule grants an account)");
}

TEST(Handover, ComesFromTheDecidingRuleOrTheFirstMatchingRuleOfAnExcludedPerson) {
  auto rules = three_grants();
  rules[0].grant_handover = "lead@acme.example";
  rules[2].grant_handover = "hr@acme.example";
  auto state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].rule_handover, "hr@acme.example");
  rules.push_back(deny("no-sourcers", equals("title", "sourcer")));
  state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.excluded.size(), 1u);
  EXPECT_EQ(state.excluded[0].rule_handover, "lead@acme.example");
}

TEST(Grant, CarriesTheTemplateAndTheTeam) {
  auto rules = three_grants();
  rules[2].grant_template = "template-admin@acme.example";
  rules[2].grant_team = "Ops";
  const auto state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].template_account, "template-admin@acme.example");
  EXPECT_EQ(state.accounts[0].team, "Ops");
}

TEST(Rules, OfOtherSpacesAreIgnored) {
  auto rules = three_grants();
  RuleConfig elsewhere = grant("beta-owners", all({}), "owner", "administrator");
  elsewhere.space = "other";
  rules.insert(rules.begin(), elsewhere);
  const auto state = compiled(config_with(rules)).desired_state(kSourcer);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].rule, "admins");
  EXPECT_EQ(state.accounts[0].rule_index, 2);  // position among acme's rules
}

}  // namespace
}  // namespace rosterd
