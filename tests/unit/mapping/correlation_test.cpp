// One person seen by several sources: correlation by key, source precedence, the profile
// and anchor of the first identity, grants from every identity; people without a key,
// disabled identities, teams from attributes, managers; and deterministic output.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

std::vector<RuleConfig> source_rules() {
  return {grant("ad-recruiters", all({source({"corp-ad"}), group("Recruiting")}), "recruiter", "recruiter",
                "from:department"),
          grant("okta-members", source({"okta"}), "member", "recruiter", "Everyone")};
}

Directory two_sources() {
  DirectoryPerson okta = person("okta", "o-1", "Ada@Acme.example",
                                R"({"name": {"givenName": "Ada", "familyName": "Okta"}, "title": "From Okta"})");
  okta.created = Timestamp(std::chrono::milliseconds(1000));
  DirectoryPerson ad = person("corp-ad", "ad-1", "ada@ACME.example",
                              R"({"name": {"givenName": "Ada", "familyName": "AD"}, "title": "From AD",
                                  ")" + kEnterprise + R"(": {"department": "Talent"}})",
                              {"g-rec"});
  ad.created = Timestamp(std::chrono::milliseconds(2000));
  return Directory{{okta, ad}, {dgroup("corp-ad", "g-rec", "Recruiting")}};
}

TEST(Correlation, OneAccountPerKeyWithProfileFromTheFirstSourceInConfigOrder) {
  const auto state = compiled(config_with(source_rules())).desired_state(two_sources());
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_TRUE(state.excluded.empty());
  const DesiredAccount& a = state.accounts[0];
  EXPECT_EQ(a.person, "ada@acme.example");
  EXPECT_EQ(a.source, "okta");  // okta comes first in the file
  EXPECT_EQ(a.anchor, "o-1");
  EXPECT_EQ(a.email, "Ada@Acme.example");
  EXPECT_EQ(a.family_name, "Okta");
  EXPECT_EQ(a.title, "From Okta");
  EXPECT_EQ(a.first_seen, Timestamp(std::chrono::milliseconds(1000)));
  // The AD identity's grant competes and wins on rank; its team comes from that identity.
  EXPECT_EQ(a.rule, "ad-recruiters");
  EXPECT_EQ(a.team, "Talent");
  const std::vector<std::pair<std::string, std::string>> inputs{
      {"rule", "ad-recruiters"}, {"identity", "corp-ad/ad-1"}, {"source", "corp-ad"},
      {"group", "Recruiting"}, {"department", "Talent"}};
  EXPECT_EQ(a.inputs, inputs);
  ASSERT_EQ(a.losing.size(), 1u);
  EXPECT_EQ(a.losing[0].rule, "okta-members");
}

TEST(Correlation, SourcePrecedenceChoosesTheFirstIdentity) {
  Config config = config_with(source_rules());
  config.spaces[0].source_precedence = {"corp-ad"};
  const auto state = compiled(config).desired_state(two_sources());
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].source, "corp-ad");
  EXPECT_EQ(state.accounts[0].anchor, "ad-1");
  EXPECT_EQ(state.accounts[0].family_name, "AD");
  EXPECT_EQ(state.accounts[0].first_seen, Timestamp(std::chrono::milliseconds(2000)));
  const std::vector<std::pair<std::string, std::string>> inputs{
      {"rule", "ad-recruiters"}, {"source", "corp-ad"}, {"group", "Recruiting"}, {"department", "Talent"}};
  EXPECT_EQ(state.accounts[0].inputs, inputs);
}

TEST(Correlation, ByAnotherAttributeCaseInsensitively) {
  Config config = config_with(source_rules());
  config.spaces[0].correlate_by = "employeeNumber";
  Directory d = two_sources();
  d.people[0].attributes_json = R"({")" + kEnterprise + R"(": {"employeeNumber": "E-7"}})";
  d.people[0].emails = {"other@acme.example"};
  d.people[1].attributes_json = R"({")" + kEnterprise + R"(": {"employeeNumber": "e-7", "department": "X"}})";
  const auto state = compiled(config).desired_state(d);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].person, "e-7");
  EXPECT_EQ(state.accounts[0].email, "other@acme.example");
}

TEST(Correlation, PeopleWithoutAKeyAreExcludedOneByOne) {
  Directory d = two_sources();
  d.people[0].emails.clear();
  d.people.push_back(person("okta", "o-2", ""));
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].source, "corp-ad");  // the AD identity alone now
  ASSERT_EQ(state.excluded.size(), 2u);
  for (const auto& x : state.excluded) {
    EXPECT_EQ(x.person, "");
    EXPECT_EQ(x.reason, "no email to correlate on");
  }
  EXPECT_EQ(state.excluded[0].anchor, "o-1");
  EXPECT_EQ(state.excluded[1].anchor, "o-2");
}

TEST(Correlation, NoKeyNamesTheConfiguredAttribute) {
  Config config = config_with(source_rules());
  config.spaces[0].correlate_by = "employeeNumber";
  const auto state = compiled(config).desired_state(two_sources());
  ASSERT_EQ(state.excluded.size(), 2u);
  EXPECT_EQ(state.excluded[0].reason, "no employeeNumber to correlate on");
}

TEST(Correlation, IdentitiesOfSourcesOutsideTheSpaceAreIgnored) {
  Directory d = two_sources();
  d.people.push_back(person("beta", "b-1", "bob@beta.example"));
  d.people.push_back(person("unknown", "x-1", "eve@acme.example"));
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  EXPECT_EQ(state.accounts.size(), 1u);
  EXPECT_TRUE(state.excluded.empty());
}

TEST(Disabled, TheFirstIdentityDisabledExcludesThePerson) {
  Directory d = two_sources();
  d.people[0].active = false;
  auto rules = source_rules();
  rules[0].grant_handover = "lead@acme.example";
  const auto state = compiled(config_with(rules)).desired_state(d);
  EXPECT_TRUE(state.accounts.empty());
  ASSERT_EQ(state.excluded.size(), 1u);
  EXPECT_EQ(state.excluded[0].reason, "disabled in source okta");
  EXPECT_EQ(state.excluded[0].anchor, "o-1");
  EXPECT_EQ(state.excluded[0].rule_handover, "lead@acme.example");
}

TEST(Disabled, ALaterIdentityDisabledDoesNotExclude) {
  Directory d = two_sources();
  d.people[1].active = false;
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  EXPECT_EQ(state.accounts.size(), 1u);
}

TEST(Team, FromAnAbsentAttributeIsEmptyAndSaysSo) {
  Directory d = two_sources();
  d.people[1].attributes_json = "{}";
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].team, "");
  EXPECT_EQ(state.accounts[0].inputs.back(),
            (std::pair<std::string, std::string>{"department", "(absent: no team)"}));
}

TEST(Manager, IsTheEmailOfTheIdentityTheManagerReferenceNames) {
  Directory d = two_sources();
  d.people[0].attributes_json = R"({")" + kEnterprise + R"(": {"manager": {"value": "o-boss"}}})";
  d.people.push_back(person("okta", "o-boss", "Grace@Acme.example"));
  d.people.push_back(person("corp-ad", "o-boss", "wrong-source@acme.example"));
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  const auto* a = account_of(state, "ada@acme.example");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->manager_email, "Grace@Acme.example");
}

TEST(Manager, UnknownReferenceGivesNoEmail) {
  Directory d = two_sources();
  d.people[0].attributes_json = R"({")" + kEnterprise + R"(": {"manager": {"value": "nobody"}}})";
  d.people[0].active = false;
  const auto state = compiled(config_with(source_rules())).desired_state(d);
  ASSERT_EQ(state.excluded.size(), 1u);
  EXPECT_EQ(state.excluded[0].manager_email, "");
}

Directory crowd() {
  Directory d;
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    const std::string email = "p" + n + "@acme.example";
    d.people.push_back(person("okta", "o" + n, email, std::string(R"({"title": ")") + (i % 3 ? "Sourcer" : "Other") + R"("})",
                              {i % 2 ? "g1" : "g2"}));
    if (i % 4 == 0) d.people.push_back(person("corp-ad", "a" + n, email, "{}", {"g-rec"}));
    if (i % 5 == 0) d.people.push_back(person("okta", "x" + n, ""));
  }
  d.groups = {dgroup("okta", "g1", "One", "", {"g2"}), dgroup("okta", "g2", "Two", "", {"g1"}),
              dgroup("corp-ad", "g-rec", "Recruiting")};
  return d;
}

TEST(Determinism, ShuffledInputGivesIdenticalOutputSortedByPerson) {
  auto rules = source_rules();
  rules.push_back(grant("sourcers", all({equals("title", "sourcer"), group("Two")}), "collaborator", "recruiter"));
  rules.push_back(deny("others", equals("title", "other")));
  const RuleSet set = compiled(config_with(rules));
  Directory d = crowd();
  const DesiredState reference = set.desired_state(d);
  EXPECT_FALSE(reference.accounts.empty());
  EXPECT_FALSE(reference.excluded.empty());
  EXPECT_TRUE(std::is_sorted(reference.accounts.begin(), reference.accounts.end(),
                             [](const auto& a, const auto& b) { return a.person < b.person; }));
  EXPECT_TRUE(std::is_sorted(reference.excluded.begin(), reference.excluded.end(),
                             [](const auto& a, const auto& b) { return a.person < b.person; }));
  std::mt19937 random(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(d.people.begin(), d.people.end(), random);
    std::shuffle(d.groups.begin(), d.groups.end(), random);
    const DesiredState again = set.desired_state(d);
    EXPECT_EQ(again.accounts, reference.accounts);
    EXPECT_EQ(again.excluded, reference.excluded);
  }
}

}  // namespace
}  // namespace rosterd
