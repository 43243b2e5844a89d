// `rosterd explain`: one person's identities, groups (direct, then nested with the chain),
// every rule of the space with its verdict in words, and the same outcome as desired_state.
#include <gtest/gtest.h>

#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

const std::string kParisDn = "CN=Recruiting-Paris,OU=Groups,DC=corp,DC=example";

Config explained_config() {
  return config_with({grant("talent-admins", group("CN=Talent Admins,OU=Groups,DC=corp,DC=example"),
                            "administrator", "administrator"),
                      grant("recruiters", group("CN=Recruiting-*"), "recruiter", "recruiter"),
                      grant("sourcers", matches("title", "^Sourcer"), "collaborator", "recruiter"),
                      deny("no-contractors", equals("userType", "Contractor"))});
}

Directory explained_directory() {
  DirectoryPerson ad = person("corp-ad", "ad-1", "ada@acme.example", R"({"title": "Sourcer"})", {"paris"});
  ad.user_name = "ADA";
  return Directory{{ad, person("okta", "o-1", "Ada@Acme.Example", R"({"title": "Engineer"})"),
                    person("okta", "o-2", "bob@acme.example")},
                   {dgroup("corp-ad", "paris", "Paris", "CN=Paris,OU=Teams", {"rp"}),
                    dgroup("corp-ad", "rp", "Recruiting-Paris", kParisDn)}};
}

TEST(Explain, ListsIdentitiesByPrecedenceAndGroupsWithTheirChain) {
  const Directory d = explained_directory();  // the explanation points into it
  const auto e = compiled(explained_config()).explain(d, "ADA@acme.example");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->person, "ada@acme.example");
  ASSERT_EQ(e->identities.size(), 2u);
  EXPECT_EQ(e->identities[0]->id, "o-1");
  EXPECT_EQ(e->identities[1]->id, "ad-1");
  ASSERT_EQ(e->groups.size(), 2u);
  EXPECT_EQ(e->groups[0].name, "Paris");
  EXPECT_FALSE(e->groups[0].nested);
  EXPECT_EQ(e->groups[1].name, "Recruiting-Paris");
  EXPECT_EQ(e->groups[1].dn, kParisDn);
  EXPECT_TRUE(e->groups[1].nested);
  EXPECT_EQ(e->groups[1].via, std::vector<std::string>{"Paris"});
  EXPECT_EQ(e->resolution, "highest-rank");
}

TEST(Explain, ListsTheDirectGroupsOfEveryIdentityBeforeAnyNestedOne) {
  Directory d = explained_directory();
  d.people[1].groups = {"okta-team"};
  d.groups.push_back(dgroup("okta", "okta-team", "Okta Team", "", {"okta-all"}));
  d.groups.push_back(dgroup("okta", "okta-all", "Okta All"));
  const auto e = compiled(explained_config()).explain(d, "ada@acme.example");
  ASSERT_TRUE(e.has_value());
  std::vector<std::string> names;
  for (const auto& g : e->groups) names.push_back(g.source + ":" + g.name + (g.nested ? " (nested)" : ""));
  const std::vector<std::string> expected{"okta:Okta Team", "corp-ad:Paris", "okta:Okta All (nested)",
                                          "corp-ad:Recruiting-Paris (nested)"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(e->groups[2].via, std::vector<std::string>{"Okta Team"});
}

TEST(Explain, GivesEveryRuleItsVerdictAndReasons) {
  const Directory d = explained_directory();
  const auto e = compiled(explained_config()).explain(d, "ada@acme.example");
  ASSERT_TRUE(e.has_value());
  ASSERT_EQ(e->rules.size(), 4u);
  const RuleVerdict& admins = e->rules[0];
  EXPECT_EQ(admins.rule, "talent-admins");
  EXPECT_FALSE(admins.matched);
  EXPECT_EQ(admins.outcome, "not-matched");
  EXPECT_EQ(admins.location.line, 20);
  const std::vector<std::string> admins_because{
      "in okta/o-1: member of no group matching 'CN=Talent Admins,OU=Groups,DC=corp,DC=example'",
      "in corp-ad/ad-1: member of no group matching 'CN=Talent Admins,OU=Groups,DC=corp,DC=example'"};
  EXPECT_EQ(admins.because, admins_because);

  const RuleVerdict& recruiters = e->rules[1];
  EXPECT_TRUE(recruiters.matched);
  EXPECT_EQ(recruiters.outcome, "decided");
  EXPECT_EQ(recruiters.role, "recruiter");
  EXPECT_EQ(recruiters.because,
            std::vector<std::string>{"in corp-ad/ad-1: member of " + kParisDn + " (nested, via CN=Paris,OU=Teams)"});

  const RuleVerdict& sourcers = e->rules[2];
  EXPECT_TRUE(sourcers.matched);
  EXPECT_EQ(sourcers.outcome, "lost");
  EXPECT_EQ(sourcers.lost_because, "lower rank than recruiter (rule recruiters)");
  EXPECT_EQ(sourcers.because, std::vector<std::string>{"in corp-ad/ad-1: title 'Sourcer' matches ^Sourcer"});

  const RuleVerdict& contractors = e->rules[3];
  EXPECT_TRUE(contractors.deny);
  EXPECT_EQ(contractors.outcome, "not-matched");
  const std::vector<std::string> contractors_because{"in okta/o-1: userType is absent, not 'Contractor'",
                                                     "in corp-ad/ad-1: userType is absent, not 'Contractor'"};
  EXPECT_EQ(contractors.because, contractors_because);
}

TEST(Explain, ReachesTheSameOutcomeAsDesiredState) {
  const RuleSet rules = compiled(explained_config());
  const Directory d = explained_directory();
  const auto e = rules.explain(d, "ada@acme.example");
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(e->desired.has_value());
  EXPECT_FALSE(e->excluded.has_value());
  const auto state = rules.desired_state(d);
  const auto* a = account_of(state, "ada@acme.example");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(*e->desired, *a);
}

TEST(Explain, FindsThePersonByUserNameOrIdentityId) {
  const RuleSet rules = compiled(explained_config());
  const Directory d = explained_directory();
  for (const char* who : {"ada", "AD-1", "o-1"}) {
    const auto e = rules.explain(d, who);
    ASSERT_TRUE(e.has_value()) << who;
    EXPECT_EQ(e->person, "ada@acme.example") << who;
    EXPECT_EQ(e->identities.size(), 2u) << who;
  }
  EXPECT_FALSE(rules.explain(d, "nobody@acme.example").has_value());
}

TEST(Explain, SaysWhyADeniedPersonHasNoAccount) {
  Directory d = explained_directory();
  d.people[2].attributes_json = R"({"userType": "contractor"})";
  const auto e = compiled(explained_config()).explain(d, "bob@acme.example");
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(e->desired.has_value());
  ASSERT_TRUE(e->excluded.has_value());
  EXPECT_EQ(e->excluded->reason, "denied by rule no-contractors");
  EXPECT_EQ(e->rules[3].outcome, "denied");
  EXPECT_EQ(e->rules[3].because, std::vector<std::string>{"userType 'contractor' is 'Contractor'"});
  EXPECT_EQ(e->rules[2].because, std::vector<std::string>{"title is absent, so nothing matches ^Sourcer"});
}

TEST(Explain, DescribesConjunctionsByTheirDecidingParts) {
  const Config config = config_with(
      {grant("both", all({equals("title", "Sourcer"), source({"corp-ad"})}), "recruiter", "recruiter"),
       grant("either", any({equals("title", "Boss"), not_(present("userType"))}), "member", "recruiter")});
  const Directory d{{person("okta", "o-1", "x@acme.example", R"({"title": "Sourcer"})")}, {}};
  const auto e = compiled(config).explain(d, "x@acme.example");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->rules[0].because, std::vector<std::string>{"source is okta, not corp-ad"});
  EXPECT_EQ(e->rules[1].because, std::vector<std::string>{"not: userType is absent"});
  EXPECT_EQ(e->rules[1].outcome, "decided");
}

}  // namespace
}  // namespace rosterd
