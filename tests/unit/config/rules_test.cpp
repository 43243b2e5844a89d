// rules: names, spaces, conditions, and grants checked against spaces and roles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::errors_of;
using testing::yaml_lines;

// Lines 1-3; the rules follow from line 4.
std::string with_rules(std::initializer_list<std::string_view> rule_lines) {
  std::string out = yaml_lines({
      "spaces:",                                                            // 1
      "  acme: {licences: {recruiter: 5, manager: 10, administrator: 2}}",  // 2
      "rules:",                                                             // 3
  });
  for (const auto line : rule_lines) out += std::string(line) + "\n";
  return out;
}

TEST(Rules, GrantAndDenyRulesAreRead) {
  const auto config = accepted(with_rules({
      "  - name: recruiters",                    // 4
      "    space: acme",                         // 5
      "    when: {group: \"CN=Recruiting-*\"}",  // 6
      "    grant: {role: recruiter, licence: recruiter, team: {from: department}, template: rec}",
      "  - name: talent",  // 8
      "    space: acme",
      "    when: {group: Talent}",
      "    grant: {role: administrator, licence: administrator, team: Talent}",
      "  - name: no-contractors",  // 12
      "    space: acme",
      "    when: {attribute: {employeeType: {equals: Contractor}}}",
      "    deny: true",
  }));
  ASSERT_EQ(config.rules.size(), 3u);
  const RuleConfig& recruiters = config.rules[0];
  EXPECT_EQ(recruiters.name, "recruiters");
  EXPECT_EQ(recruiters.space, "acme");
  EXPECT_FALSE(recruiters.deny);
  EXPECT_EQ(recruiters.grant_role, "recruiter");
  EXPECT_EQ(recruiters.grant_licence, "recruiter");
  EXPECT_EQ(recruiters.grant_team, "from:department");
  EXPECT_EQ(recruiters.grant_template, "rec");
  EXPECT_EQ(recruiters.location.to_string(), "rosterd.yaml:4:5");
  EXPECT_EQ(config.rules[1].grant_team, "Talent");
  EXPECT_TRUE(config.rules[2].deny);
  EXPECT_TRUE(config.rules[2].grant_role.empty());
  EXPECT_EQ(config.rules[2].location.to_string(), "rosterd.yaml:12:5");
}

TEST(Rules, WhenIsReadIntoAConditionTree) {
  const auto config = accepted(with_rules({
      "  - name: managers",  // 4
      "    space: acme",
      "    when: {attribute: {title: {matches: \".*Manager$\"}}, group: \"CN=A, OU=B\"}",  // 6
      "    grant: {role: hiring_manager, licence: manager}",
  }));
  ASSERT_EQ(config.rules.size(), 1u);
  const Condition& when = config.rules[0].when;
  EXPECT_EQ(when.kind, Condition::Kind::All);
  EXPECT_EQ(when.location.to_string(), "rosterd.yaml:6:11");
  ASSERT_EQ(when.children.size(), 2u);
  EXPECT_EQ(when.children[0].kind, Condition::Kind::Attribute);
  EXPECT_EQ(when.children[0].attribute, "title");
  EXPECT_EQ(when.children[0].test, Condition::Test::Matches);
  EXPECT_THAT(when.children[0].values, ElementsAre(".*Manager$"));
  EXPECT_EQ(when.children[1].kind, Condition::Kind::Group);
  EXPECT_EQ(when.children[1].pattern, "CN=A, OU=B");
}

TEST(Rules, HandoverIsAnEmailAddress) {
  const auto config = accepted(with_rules({
      "  - name: r",
      "    space: acme",
      "    when: {group: G}",
      "    grant: {role: recruiter, licence: recruiter, handover: bob@acme.example}",
      "  - {name: s, space: acme, when: {group: H}, grant: {role: recruiter, licence: recruiter}}",
  }));
  ASSERT_EQ(config.rules.size(), 2u);
  EXPECT_EQ(config.rules[0].grant_handover, "bob@acme.example");
  EXPECT_EQ(config.rules[1].grant_handover, "");

  EXPECT_THAT(
      error_lines(with_rules({
          "  - name: r",                                                                   // 4
          "    space: acme",                                                               // 5
          "    when: {group: G}",                                                          // 6
          "    grant: {role: recruiter, licence: recruiter, handover: bob}",               // 7
          "  - name: s",                                                                   // 8
          "    space: acme",                                                               // 9
          "    when: {group: G}",                                                          // 10
          "    grant: {role: recruiter, licence: recruiter, handover: [b@acme.example]}",  // 11
      })),
      ElementsAre("rosterd.yaml:7:60: rules[0].grant.handover: 'bob' is not a valid email "
                  "address: it has no '@'",
                  "rosterd.yaml:11:60: rules[1].grant.handover: expected a non-empty string, got "
                  "a list"));
}

TEST(Rules, UnknownRoleIsReportedAtTheRoleWithASuggestion) {
  const std::string yaml = with_rules({
      "  - name: r",                                      // 4
      "    space: acme",                                  // 5
      "    when: {group: G}",                             // 6
      "    grant: {role: recuiter, licence: recruiter}",  // 7
      "  - {name: s, space: acme, when: {group: G}, grant: {role: wizard, licence: "
      "recruiter}}",  // 8
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:7:19: rules[0].grant.role: unknown role 'recuiter'; did you mean "
          "'recruiter'?",
          "rosterd.yaml:8:60: rules[1].grant.role: unknown role 'wizard' (roles: accountant, "
          "administrator, assessor, collaborator, contributor, hiring_manager, member, "
          "owner, recruiter)"));
}

TEST(Rules, LicenceMustBeSoldInTheRulesSpace) {
  const std::string yaml = yaml_lines({
      "spaces:",                                                   // 1
      "  acme: {licences: {recruiter: 5, manager: 10}}",           // 2
      "  beta: {licences: {administrator: 1}}",                    // 3
      "rules:",                                                    // 4
      "  - name: r",                                               // 5
      "    space: acme",                                           // 6
      "    when: {group: G}",                                      // 7
      "    grant: {role: administrator, licence: administrator}",  // 8
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:8:43: rules[0].grant.licence: licence type 'administrator' is "
            "not in the licences of space 'acme' (licences: manager, recruiter)");
}

TEST(Rules, RoleThatMayNotHoldTheLicenceIsRefused) {
  const std::string yaml = with_rules({
      "  - name: r",                                           // 4
      "    space: acme",                                       // 5
      "    when: {group: G}",                                  // 6
      "    grant: {role: recruiter, licence: administrator}",  // 7
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:7:39: rules[0].grant.licence: role 'recruiter' may not hold "
            "licence type 'administrator' (it may hold: recruiter; a 'roles' entry can "
            "change that)");
}

TEST(Rules, RoleOverrideIsUsedWhenCheckingGrants) {
  std::string yaml = with_rules({
      "  - {name: r, space: acme, when: {group: G}, grant: {role: recruiter, licence: "
      "administrator}}",
  });
  yaml += "roles: {recruiter: {licences: [recruiter, administrator]}}\n";
  accepted(yaml);
}

TEST(Rules, RuleOfARefusedRoleIsNotReportedTwice) {
  std::string yaml = with_rules({
      "  - {name: r, space: acme, when: {group: G}, grant: {role: sourcer, licence: "
      "recruiter}}",  // 4
  });
  yaml += "roles: {sourcer: {licences: [recruiter]}}\n";  // 5
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:5:9: roles.sourcer: role 'sourcer' is not a built-in role: it "
                  "needs 'rank' and 'licences'"));
}

TEST(Rules, GrantAndDenyTogetherAreRefused) {
  const std::string yaml = with_rules({
      "  - name: r",                                       // 4
      "    space: acme",                                   // 5
      "    when: {group: G}",                              // 6
      "    grant: {role: recruiter, licence: recruiter}",  // 7
      "    deny: true",                                    // 8
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:8:5: rules[0].deny: give either 'grant' or 'deny: true', not both");
}

TEST(Rules, RuleNeedsGrantOrDenyTrue) {
  EXPECT_EQ(errors_of(with_rules({"  - {name: r, space: acme, when: {group: G}}"})),
            "rosterd.yaml:4:5: rules[0]: needs either 'grant' or 'deny: true'");
  EXPECT_EQ(errors_of(with_rules({"  - {name: r, space: acme, when: {group: G}, deny: false}"})),
            "rosterd.yaml:4:52: rules[0].deny: 'deny: false' means nothing: give 'grant' to grant, "
            "'deny: true' to deny");
}

TEST(Rules, NameSpaceAndWhenAreRequiredAndChecked) {
  const std::string yaml = with_rules({
      "  - {grant: {role: recruiter, licence: recruiter}}",                                // 4
      "  - {name: a, space: acme, when: [G], grant: {role: member, licence: recruiter}}",  // 5
      "  - {name: a, space: acne, when: {group: G}, deny: true}",                          // 6
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:4:5: rules[0].name: is required",
                  "rosterd.yaml:4:5: rules[0].space: is required",
                  "rosterd.yaml:4:5: rules[0].when: is required",
                  "rosterd.yaml:5:34: rules[1].when: expected a map of conditions such as {group: "
                  "\"CN=Staff*\"}, got a list",
                  "rosterd.yaml:6:12: rules[2].name: rule name 'a' is already used at line 5",
                  "rosterd.yaml:6:22: rules[2].space: space 'acne' is not defined under 'spaces'; "
                  "did you mean 'acme'?"));
}

TEST(Rules, GrantKeysAreChecked) {
  const std::string yaml = with_rules({
      "  - name: r",                                                          // 4
      "    space: acme",                                                      // 5
      "    when: {group: G}",                                                 // 6
      "    grant: {role: recruiter, licnce: recruiter, team: {form: dept}}",  // 7
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:7:5: rules[0].grant.licence: is required",
                  "rosterd.yaml:7:30: rules[0].grant.licnce: unknown key 'licnce'; did you mean "
                  "'licence'?",
                  "rosterd.yaml:7:49: rules[0].grant.team.from: is required",
                  "rosterd.yaml:7:56: rules[0].grant.team.form: unknown key 'form'; did you mean "
                  "'from'?"));
}

}  // namespace
}  // namespace rosterd
