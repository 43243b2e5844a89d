// rules[].when: the condition tree (config/read_conditions.cpp), its locations, and every
// problem it reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::errors_of;
using testing::yaml_lines;
using Kind = Condition::Kind;
using Check = Condition::Test;  // "Test" would be the GoogleTest fixture

constexpr std::string_view kHash =
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// Two spaces and three sources (okta and corp-ad feed acme, beta-scim feeds beta), then one
// rule of space acme whose 'when' is given from line 12 on.
std::string rule_when(std::initializer_list<std::string_view> when_lines) {
  const std::string hash(kHash);
  std::string out = yaml_lines({
      "spaces:",                                                                    // 1
      "  acme: {licences: {recruiter: 5}}",                                         // 2
      "  beta: {licences: {recruiter: 1}}",                                         // 3
      "sources:",                                                                   // 4
      "  - {id: okta, kind: scim, space: acme, tokens: [\"" + hash + "\"]}",        // 5
      "  - {id: corp-ad, kind: ldap, space: acme, urls: [ldap://dc.corp.example],"  // 6
      " users: {base: \"DC=corp\"}}",                                               //
      "  - {id: beta-scim, kind: scim, space: beta, tokens: [\"" + hash + "\"]}",   // 7
      "rules:",                                                                     // 8
      "  - name: r",                                                                // 9
      "    space: acme",                                                            // 10
      "    grant: {role: recruiter, licence: recruiter}",                           // 11
  });
  for (const auto line : when_lines) out += std::string(line) + "\n";
  return out;
}

Condition when_of(std::initializer_list<std::string_view> when_lines) {
  const Config config = accepted(rule_when(when_lines));
  return config.rules.empty() ? Condition{} : config.rules[0].when;
}

std::string at(const Condition& c) {
  return std::to_string(c.location.line) + ":" + std::to_string(c.location.column);
}

// ---------------------------------------------------------------------------------------
// What is read

TEST(Conditions, GroupIsReadWithItsPatternAndLocation) {
  const Condition c = when_of({"    when: {group: \"CN=Talent Admins,OU=Groups,DC=corp\"}"});
  EXPECT_EQ(c.kind, Kind::Group);
  EXPECT_EQ(c.pattern, "CN=Talent Admins,OU=Groups,DC=corp");
  EXPECT_FALSE(c.glob);
  EXPECT_TRUE(c.children.empty());
  EXPECT_EQ(c.location.to_string(), "rosterd.yaml:12:19");
}

TEST(Conditions, GroupWithAWildcardIsAGlob) {
  EXPECT_TRUE(when_of({"    when: {group: \"CN=Recruiting-*,OU=Groups\"}"}).glob);
  EXPECT_TRUE(when_of({"    when: {group: \"Team-?\"}"}).glob);
  const Condition plain = when_of({"    when: {group: Recruiters}"});
  EXPECT_FALSE(plain.glob);
  EXPECT_EQ(plain.pattern, "Recruiters");
}

TEST(Conditions, ListOfGroupsIsAnyOfThem) {
  const Condition c = when_of({"    when: {group: [Recruiters, \"CN=Talent-*\"]}"});
  EXPECT_EQ(c.kind, Kind::Any);
  EXPECT_EQ(at(c), "12:12");  // the key 'group'
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].kind, Kind::Group);
  EXPECT_EQ(c.children[0].pattern, "Recruiters");
  EXPECT_FALSE(c.children[0].glob);
  EXPECT_EQ(at(c.children[0]), "12:20");
  EXPECT_EQ(c.children[1].pattern, "CN=Talent-*");
  EXPECT_TRUE(c.children[1].glob);
  EXPECT_EQ(at(c.children[1]), "12:32");
}

TEST(Conditions, EveryAttributeTestIsReadWithItsOperands) {
  const Condition c = when_of({
      "    when:",                               // 12
      "      attribute:",                        // 13
      "        title: {matches: \"^Sourcer\"}",  // 14
      "        department: {in: [Sales, HR]}",   // 15
      "        employeeType: Contractor",        // 16
      "        manager: {present: true}",        // 17
      "        mobile: {absent: true}",          // 18
      "        costCenter: {equals: \"4711\"}",  // 19
  });
  EXPECT_EQ(c.kind, Kind::All);
  EXPECT_EQ(at(c), "13:7");  // the key 'attribute'
  ASSERT_EQ(c.children.size(), 6u);
  for (const Condition& child : c.children) {
    EXPECT_EQ(child.kind, Kind::Attribute);
    EXPECT_TRUE(child.children.empty());
  }
  const auto& title = c.children[0];
  EXPECT_EQ(title.attribute, "title");
  EXPECT_EQ(title.test, Check::Matches);
  EXPECT_THAT(title.values, ElementsAre("^Sourcer"));
  EXPECT_EQ(at(title), "14:9");
  const auto& department = c.children[1];
  EXPECT_EQ(department.attribute, "department");
  EXPECT_EQ(department.test, Check::In);
  EXPECT_THAT(department.values, ElementsAre("Sales", "HR"));
  EXPECT_EQ(at(department), "15:9");
  const auto& type = c.children[2];  // shorthand
  EXPECT_EQ(type.attribute, "employeeType");
  EXPECT_EQ(type.test, Check::Equals);
  EXPECT_THAT(type.values, ElementsAre("Contractor"));
  EXPECT_EQ(at(type), "16:9");
  EXPECT_EQ(c.children[3].attribute, "manager");
  EXPECT_EQ(c.children[3].test, Check::Present);
  EXPECT_TRUE(c.children[3].values.empty());
  EXPECT_EQ(c.children[4].attribute, "mobile");
  EXPECT_EQ(c.children[4].test, Check::Absent);
  EXPECT_TRUE(c.children[4].values.empty());
  EXPECT_EQ(c.children[5].test, Check::Equals);
  EXPECT_THAT(c.children[5].values, ElementsAre("4711"));
  EXPECT_EQ(at(c.children[5]), "19:9");
}

TEST(Conditions, ShorthandValueIsEqualsAndOneAttributeIsItsOwnNode) {
  const Condition c = when_of({"    when: {attribute: {employeeType: Contractor}}"});
  EXPECT_EQ(c.kind, Kind::Attribute);
  EXPECT_EQ(c.attribute, "employeeType");
  EXPECT_EQ(c.test, Check::Equals);
  EXPECT_THAT(c.values, ElementsAre("Contractor"));
  EXPECT_EQ(at(c), "12:24");
}

TEST(Conditions, AttributeNamesMayBeQualifiedByAUrnOrAnOid) {
  const Condition c = when_of({
      "    when:",         // 12
      "      attribute:",  // 13
      "        urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department: Sales",
      "        msDS-cloudExtensionAttribute1: {present: true}",  // 15
      "        2.5.4.12: {matches: Manager}",                    // 16
      "        x_ms.dept: {equals: HR}",                         // 17
  });
  ASSERT_EQ(c.children.size(), 4u);
  EXPECT_EQ(c.children[0].attribute,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
  EXPECT_THAT(c.children[0].values, ElementsAre("Sales"));
  EXPECT_EQ(c.children[1].attribute, "msDS-cloudExtensionAttribute1");
  EXPECT_EQ(c.children[2].attribute, "2.5.4.12");
  EXPECT_EQ(c.children[3].attribute, "x_ms.dept");
}

TEST(Conditions, SourceIsOneNodeNamingEverySourceListed) {
  const Condition one = when_of({"    when: {source: okta}"});
  EXPECT_EQ(one.kind, Kind::Source);
  EXPECT_THAT(one.sources, ElementsAre("okta"));
  EXPECT_EQ(at(one), "12:20");
  const Condition two = when_of({"    when: {source: [corp-ad, okta]}"});
  EXPECT_EQ(two.kind, Kind::Source);
  EXPECT_THAT(two.sources, ElementsAre("corp-ad", "okta"));
  EXPECT_EQ(at(two), "12:20");
  EXPECT_TRUE(two.children.empty());
}

TEST(Conditions, SeveralKeysInOneMapAreAllOfThemInFileOrder) {
  const Condition flow = when_of({"    when: {source: okta, group: G, attribute: {title: Boss}}"});
  EXPECT_EQ(flow.kind, Kind::All);
  EXPECT_EQ(at(flow), "12:11");  // the map
  ASSERT_EQ(flow.children.size(), 3u);
  EXPECT_EQ(flow.children[0].kind, Kind::Source);
  EXPECT_EQ(flow.children[1].kind, Kind::Group);
  EXPECT_EQ(flow.children[2].kind, Kind::Attribute);
  EXPECT_EQ(at(flow.children[2]), "12:48");

  const Condition block = when_of({
      "    when:",           // 12
      "      group: G",      // 13
      "      source: okta",  // 14
  });
  EXPECT_EQ(block.kind, Kind::All);
  EXPECT_EQ(at(block), "13:7");
  ASSERT_EQ(block.children.size(), 2u);
  EXPECT_EQ(at(block.children[0]), "13:14");
  EXPECT_EQ(at(block.children[1]), "14:15");
}

TEST(Conditions, AllAnyAndNotNestWithTheirLocations) {
  const Condition c = when_of({
      "    when:",                                                  // 12
      "      any:",                                                 // 13
      "        - group: A",                                         // 14
      "        - all:",                                             // 15
      "            - attribute: {title: {matches: \"Manager$\"}}",  // 16
      "            - not: {group: \"Interns*\"}",                   // 17
      "            - {source: corp-ad, group: B}",                  // 18
  });
  EXPECT_EQ(c.kind, Kind::Any);
  EXPECT_EQ(at(c), "13:7");
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].kind, Kind::Group);
  EXPECT_EQ(c.children[0].pattern, "A");
  EXPECT_EQ(at(c.children[0]), "14:18");
  const Condition& all = c.children[1];
  EXPECT_EQ(all.kind, Kind::All);
  EXPECT_EQ(at(all), "15:11");
  ASSERT_EQ(all.children.size(), 3u);
  EXPECT_EQ(all.children[0].kind, Kind::Attribute);
  EXPECT_EQ(all.children[0].test, Check::Matches);
  EXPECT_EQ(at(all.children[0]), "16:27");
  const Condition& negation = all.children[1];
  EXPECT_EQ(negation.kind, Kind::Not);
  EXPECT_EQ(at(negation), "17:15");
  ASSERT_EQ(negation.children.size(), 1u);
  EXPECT_EQ(negation.children[0].kind, Kind::Group);
  EXPECT_EQ(negation.children[0].pattern, "Interns*");
  EXPECT_TRUE(negation.children[0].glob);
  EXPECT_EQ(at(negation.children[0]), "17:28");
  const Condition& both = all.children[2];  // a map of two keys inside a list
  EXPECT_EQ(both.kind, Kind::All);
  EXPECT_EQ(at(both), "18:15");
  ASSERT_EQ(both.children.size(), 2u);
  EXPECT_EQ(both.children[0].kind, Kind::Source);
  EXPECT_EQ(both.children[1].kind, Kind::Group);
}

TEST(Conditions, ListOfOneConditionStaysAnAllOrAnAny) {
  const Condition c = when_of({"    when: {all: [{group: G}]}"});
  EXPECT_EQ(c.kind, Kind::All);
  EXPECT_EQ(at(c), "12:12");
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_EQ(c.children[0].kind, Kind::Group);
}

TEST(Conditions, LocationsNameTheFile) {
  const auto config = parse_config(rule_when({"    when: {group: G}"}), "/etc/rosterd/r.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->rules[0].when.location.to_string(), "/etc/rosterd/r.yaml:12:19");
}

// A `when` of `levels` nested nots around {group: G}, all on line 12.
std::string nested_nots(int levels) {
  std::string when = "    when: ";
  for (int i = 0; i < levels; ++i) when += "{not: ";
  when += "{group: G}";
  when += std::string(static_cast<std::size_t>(levels), '}');
  return rule_when({when});
}

TEST(Conditions, ThirtyTwoLevelsOfNestingAreAccepted) {
  const Config config = accepted(nested_nots(32));
  ASSERT_EQ(config.rules.size(), 1u);
  const Condition* c = &config.rules[0].when;
  int nots = 0;
  while (c->kind == Kind::Not && c->children.size() == 1) {
    ++nots;
    c = &c->children[0];
  }
  EXPECT_EQ(nots, 32);
  EXPECT_EQ(c->kind, Kind::Group);
}

TEST(Conditions, ThirtyThreeLevelsOfNestingAreRefusedAtTheTooDeepMap) {
  std::string path = "rules[0].when";
  for (int i = 0; i < 33; ++i) path += ".not";
  // "    when: " is 10 columns, each "{not: " 6 more: the 33rd not's map is at 11 + 6 * 33.
  EXPECT_EQ(errors_of(nested_nots(33)),
            "rosterd.yaml:12:209: " + path +
                ": conditions nest more than 32 levels deep (all, any, not): split the rule or "
                "simplify it");
}

TEST(Conditions, DepthCountsAllAndAnyToo) {
  std::string when = "    when: ";
  for (int i = 0; i < 11; ++i) when += "{all: [{any: [{not: ";
  when += "{group: G}";
  for (int i = 0; i < 11; ++i) when += "}]}]}";
  EXPECT_THAT(errors_of(rule_when({when})),
              ::testing::HasSubstr("conditions nest more than 32 levels deep"));
}

// ---------------------------------------------------------------------------------------
// What is refused

TEST(Conditions, GroupPatternThatLooksLikeADnMustBeOne) {
  EXPECT_EQ(errors_of(rule_when({"    when: {group: \"CN=Recruiting,OU\"}"})),
            "rosterd.yaml:12:19: rules[0].when.group: 'CN=Recruiting,OU' is not a valid DN: 'OU' "
            "has no '=' (expected type=value)");
  EXPECT_THAT(errors_of(rule_when({"    when: {group: \"CN=A,,DC=corp\"}"})),
              ::testing::HasSubstr("an empty RDN"));
  EXPECT_THAT(errors_of(rule_when({"    when: {group: \"C N=A,DC=corp\"}"})),
              ::testing::HasSubstr("'C N' is not an attribute type"));
  EXPECT_THAT(errors_of(rule_when({"    when: {group: \"\"}"})), ::testing::HasSubstr("empty string"));
  // Escaped separators, OIDs, spaces after commas, '+' and wildcards are fine.
  EXPECT_EQ(when_of({"    when: {group: \"CN=Smith\\\\, J+UID=js, 2.5.4.11=Groups*, DC=corp\"}"}).kind,
            Kind::Group);
}

TEST(Conditions, BadRegularExpressionIsReportedAtThePatternWithPcresMessage) {
  EXPECT_EQ(errors_of(rule_when({"    when: {attribute: {title: {matches: \"^(Sourcer\"}}}"})),
            "rosterd.yaml:12:41: rules[0].when.attribute.title.matches: invalid regular "
            "expression '^(Sourcer': missing closing parenthesis at offset 9");
  EXPECT_EQ(errors_of(rule_when({
                "    when:",                       // 12
                "      any:",                      // 13
                "        - group: G",              // 14
                "        - attribute:",            // 15
                "            title:",              // 16
                "              matches: \"[a-\"",  // 17
            })),
            "rosterd.yaml:17:24: rules[0].when.any[1].attribute.title.matches: invalid regular "
            "expression '[a-': missing terminating ] for character class at offset 3");
}

TEST(Conditions, UnknownKeysAreReportedWithASuggestion) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                              // 12
          "      gruop: G",                         // 13
          "      attribute: {title: {matchs: x}}",  // 14
          "      whatever: 1",                      // 15
          "      al: [{group: G}]",                 // 16
          "      anny: [{group: G}]",               // 17
      })),
      ElementsAre(
          "rosterd.yaml:13:7: rules[0].when.gruop: unknown key 'gruop'; did you mean 'group'?",
          "rosterd.yaml:14:27: rules[0].when.attribute.title.matchs: unknown key 'matchs'; did "
          "you mean 'matches'?",
          "rosterd.yaml:15:7: rules[0].when.whatever: unknown key 'whatever' (expected one of: "
          "group, attribute, source, all, any, not)",
          "rosterd.yaml:16:7: rules[0].when.al: unknown key 'al'; did you mean 'all'?",
          "rosterd.yaml:17:7: rules[0].when.anny: unknown key 'anny'; did you mean 'any'?"));
  EXPECT_EQ(errors_of(rule_when({"    when: {attribute: {title: {regex: x}}}"})),
            "rosterd.yaml:12:32: rules[0].when.attribute.title.regex: unknown key 'regex' "
            "(expected one of: equals, in, matches, present, absent)");
}

TEST(Conditions, EmptyMapsAndListsAreRefused) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                              // 12
          "      all: []",                          // 13
          "      any: [{}]",                        // 14
          "      group: []",                        // 15
          "      source: []",                       // 16
          "      attribute: {a: {in: []}, b: {}}",  // 17
          "      not: {attribute: {}}",             // 18
      })),
      ElementsAre(
          "rosterd.yaml:13:12: rules[0].when.all: expected at least one condition",
          "rosterd.yaml:14:13: rules[0].when.any[0]: expected at least one condition, such as "
          "{group: \"CN=Staff*\"}",
          "rosterd.yaml:15:14: rules[0].when.group: expected at least one group",
          "rosterd.yaml:16:15: rules[0].when.source: expected at least one source id",
          "rosterd.yaml:17:27: rules[0].when.attribute.a.in: expected at least one value",
          "rosterd.yaml:17:35: rules[0].when.attribute.b: expected one test: equals, in, matches, "
          "present or absent",
          "rosterd.yaml:18:24: rules[0].when.not.attribute: expected at least one attribute "
          "test, such as {title: {matches: \"^Sourcer\"}}"));
  EXPECT_EQ(errors_of(rule_when({"    when: {}"})),
            "rosterd.yaml:12:11: rules[0].when: expected at least one condition, such as {group: "
            "\"CN=Staff*\"}");
}

TEST(Conditions, FalsePresentOrAbsentPointsAtTheOtherTest) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                          // 12
          "      attribute:",                   // 13
          "        manager: {present: false}",  // 14
          "        mobile: {absent: false}",    // 15
          "        phone: {present: yes}",      // 16
      })),
      ElementsAre("rosterd.yaml:14:28: rules[0].when.attribute.manager.present: 'present: false' "
                  "is not a test: write 'absent: true'",
                  "rosterd.yaml:15:26: rules[0].when.attribute.mobile.absent: 'absent: false' is "
                  "not a test: write 'present: true'",
                  "rosterd.yaml:16:26: rules[0].when.attribute.phone.present: expected true or "
                  "false, got 'yes'"));
}

TEST(Conditions, OneTestPerAttribute) {
  EXPECT_EQ(errors_of(rule_when({"    when: {attribute: {title: {equals: A, matches: B}}}"})),
            "rosterd.yaml:12:43: rules[0].when.attribute.title.matches: one test per attribute, "
            "and 'equals' is already given; combine tests with all or any");
}

TEST(Conditions, SourceMustFeedTheRulesSpace) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                               // 12
          "      any:",                              // 13
          "        - source: beta-scim",             // 14
          "        - source: [okta, okt, workday]",  // 15
          "        - source: [corp-ad, corp-ad]",    // 16
      })),
      ElementsAre("rosterd.yaml:14:19: rules[0].when.any[0].source: source 'beta-scim' feeds "
                  "space 'beta', not 'acme'",
                  "rosterd.yaml:15:26: rules[0].when.any[1].source[1]: source 'okt' is not "
                  "defined under 'sources'; did you mean 'okta'?",
                  "rosterd.yaml:15:31: rules[0].when.any[1].source[2]: source 'workday' is not "
                  "defined under 'sources' (sources of space 'acme': okta, corp-ad)",
                  "rosterd.yaml:16:29: rules[0].when.any[2].source[1]: source 'corp-ad' is "
                  "listed twice"));
}

TEST(Conditions, SourceOfASpaceWithoutSourcesSaysSo) {
  const std::string yaml = yaml_lines({
      "spaces: {solo: {licences: {recruiter: 1}}}",  // 1
      "rules:",                                      // 2
      "  - name: r",                                 // 3
      "    space: solo",                             // 4
      "    grant: {role: recruiter, licence: recruiter}",
      "    when: {source: okta}",  // 6
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:6:20: rules[0].when.source: source 'okta' is not defined under "
            "'sources' (space 'solo' has no sources)");
}

TEST(Conditions, WrongTypesSayWhatWasExpected) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                                 // 12
          "      group: {cn: x}",                      // 13
          "      all: {group: G}",                     // 14
          "      not: [{group: G}]",                   // 15
          "      attribute: [title]",                  // 16
          "      source: {id: okta}",                  // 17
          "      any: [group, {group: [A, {x: y}]}]",  // 18
      })),
      ElementsAre(
          "rosterd.yaml:13:14: rules[0].when.group: expected a group's DN or display name, or a "
          "list of them, got a map",
          "rosterd.yaml:14:12: rules[0].when.all: expected a list of condition maps such as "
          "{group: \"CN=Staff*\"}, got a map",
          "rosterd.yaml:15:12: rules[0].when.not: expected a map of conditions such as {group: "
          "\"CN=Staff*\"}, got a list",
          "rosterd.yaml:16:18: rules[0].when.attribute: expected a map of attribute names to "
          "tests such as {title: {matches: \"^Sourcer\"}}, got a list",
          "rosterd.yaml:17:15: rules[0].when.source: expected a source id or a list of them, got "
          "a map",
          "rosterd.yaml:18:13: rules[0].when.any[0]: expected a map of conditions such as "
          "{group: \"CN=Staff*\"}, got 'group'",
          "rosterd.yaml:18:32: rules[0].when.any[1].group[1]: expected a non-empty string, got a "
          "map"));
}

TEST(Conditions, WrongTestOperandsSayWhatWasExpected) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                        // 12
          "      attribute:",                 // 13
          "        department: [Sales, HR]",  // 14
          "        title: {matches: [a]}",    // 15
          "        team: {in: Sales}",        // 16
          "        office: {equals: \"\"}",   // 17
          "        mobile:",                  // 18
      })),
      ElementsAre(
          "rosterd.yaml:14:21: rules[0].when.attribute.department: expected a value or a map "
          "with one test (equals, in, matches, present, absent), got a list; for any of several "
          "values write {in: [...]}",
          "rosterd.yaml:15:26: rules[0].when.attribute.title.matches: expected a non-empty "
          "string, got a list",
          "rosterd.yaml:16:20: rules[0].when.attribute.team.in: expected a list of strings, got "
          "'Sales'",
          "rosterd.yaml:17:26: rules[0].when.attribute.office.equals: expected a non-empty "
          "string, got the quoted string ''",
          "rosterd.yaml:18:9: rules[0].when.attribute.mobile: expected a value or a map with one "
          "test (equals, in, matches, present, absent), got nothing"));
}

TEST(Conditions, AttributeNamesAreChecked) {
  EXPECT_THAT(
      error_lines(rule_when({
          "    when:",                    // 12
          "      attribute:",             // 13
          "        \"first name\": Ada",  // 14
          "        \"title!\": Boss",     // 15
          "        département: Ventes",  // 16
      })),
      ElementsAre("rosterd.yaml:14:9: rules[0].when.attribute.first name: attribute name 'first "
                  "name' may contain only letters, digits, '.', ':', '-' and '_'",
                  "rosterd.yaml:15:9: rules[0].when.attribute.title!: attribute name 'title!' may "
                  "contain only letters, digits, '.', ':', '-' and '_'",
                  "rosterd.yaml:16:9: rules[0].when.attribute.département: attribute name "
                  "'département' may contain only letters, digits, '.', ':', '-' and '_'"));
}

TEST(Conditions, EveryProblemOfEveryRuleIsReportedAtOnce) {
  std::string yaml = rule_when({"    when: {group: [], attribute: {title: {matches: \"(\"}}}"});
  yaml += yaml_lines({
      "  - name: s",                                             // 13
      "    space: acme",                                         // 14
      "    deny: true",                                          // 15
      "    when: {not: {source: beta-scim}, any: [{grop: G}]}",  // 16
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:12:19: rules[0].when.group: expected at least one group",
          "rosterd.yaml:12:52: rules[0].when.attribute.title.matches: invalid regular "
          "expression '(': missing closing parenthesis at offset 1",
          "rosterd.yaml:16:26: rules[1].when.not.source: source 'beta-scim' feeds space 'beta', "
          "not 'acme'",
          "rosterd.yaml:16:45: rules[1].when.any[0].grop: unknown key 'grop'; did you mean "
          "'group'?"));
}

}  // namespace
}  // namespace rosterd
