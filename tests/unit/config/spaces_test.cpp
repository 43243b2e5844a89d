// spaces: ids, licence quotas, default owner, resolution, leave policy, limits, webhook.
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

TEST(Spaces, FullSpaceIsReadWithEveryPolicy) {
  const auto config = accepted(yaml_lines({
      "spaces:",
      "  acme:",
      "    licences: {recruiter: 25, manager: 0}",
      "    default_owner: alice@acme.example",
      "    resolution: first-match",
      "    on_leave: {action: delete, delete_after_days: 30}",
      "    max_destructive: {count: 7, percent: 100}",
      "    webhook: {url: https://h.example/x, secret_file: /etc/s}",
      "  beta-2: {licences: {manager: 1}}",
  }));
  ASSERT_EQ(config.spaces.size(), 2u);
  const SpaceConfig& acme = config.spaces[0];
  EXPECT_EQ(acme.space.id, "acme");
  EXPECT_EQ(acme.space.licences.at("recruiter"), 25);
  EXPECT_EQ(acme.space.licences.at("manager"), 0);
  EXPECT_EQ(acme.space.default_owner, "alice@acme.example");
  EXPECT_EQ(acme.resolution, "first-match");
  EXPECT_EQ(acme.on_leave.action, "delete");
  EXPECT_EQ(acme.on_leave.delete_after_days, 30);
  EXPECT_EQ(acme.max_destructive.count, 7);
  EXPECT_EQ(acme.max_destructive.percent, 100);
  ASSERT_TRUE(acme.webhook.has_value());
  EXPECT_EQ(acme.webhook->url, "https://h.example/x");
  EXPECT_EQ(acme.location.to_string(), "rosterd.yaml:2:3");
  // Defaults where the file says nothing.
  const SpaceConfig& beta = config.spaces[1];
  EXPECT_EQ(beta.space.id, "beta-2");
  EXPECT_EQ(beta.resolution, "highest-rank");
  EXPECT_EQ(beta.on_leave.action, "deactivate");
  EXPECT_EQ(beta.max_destructive.count, 50);
  EXPECT_FALSE(beta.webhook.has_value());
  EXPECT_EQ(beta.location.to_string(), "rosterd.yaml:9:3");
}

TEST(Spaces, QuotaThatIsNotANumberIsLocatedAtTheValue) {
  const auto yaml = yaml_lines({
      "spaces:",                // 1
      "  acme:",                // 2
      "    licences:",          // 3
      "      manager: 3",       // 4
      "      recruiter: lots",  // 5
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:5:18: spaces.acme.licences.recruiter: expected a whole number >= 0, got "
            "'lots'");
}

TEST(Spaces, QuotaMustBeAWholeNonNegativeUnquotedNumber) {
  const auto yaml = yaml_lines({
      "spaces:",                               // 1
      "  acme:",                               // 2
      "    licences:",                         // 3
      "      recruiter: -2",                   // 4
      "      manager: 2.5",                    // 5
      "      administrator: \"3\"",            // 6
      "      assessor: 99999999999999999999",  // 7
      "      member: [1]",                     // 8
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:4:18: spaces.acme.licences.recruiter: expected a whole number >= 0, got "
          "'-2'",
          "rosterd.yaml:5:16: spaces.acme.licences.manager: expected a whole number >= 0, got "
          "'2.5'",
          "rosterd.yaml:6:22: spaces.acme.licences.administrator: expected a whole number >= 0, "
          "got the quoted string '3'",
          "rosterd.yaml:7:17: spaces.acme.licences.assessor: expected a whole number >= 0, got "
          "'99999999999999999999'",
          "rosterd.yaml:8:15: spaces.acme.licences.member: expected a whole number >= 0, got a "
          "list"));
}

TEST(Spaces, LicencesAreRequiredAndNotEmpty) {
  EXPECT_EQ(errors_of(yaml_lines({"spaces:", "  acme:", "    default_owner: a@b.example"})),
            "rosterd.yaml:2:3: spaces.acme.licences: is required");
  EXPECT_EQ(errors_of(yaml_lines({"spaces:", "  acme:", "    licences: {}"})),
            "rosterd.yaml:3:15: spaces.acme.licences: expected at least one licence type with its "
            "number of seats, e.g. {recruiter: 25}");
  EXPECT_EQ(errors_of(yaml_lines({"spaces:", "  acme:", "    licences: [recruiter]"})),
            "rosterd.yaml:3:15: spaces.acme.licences: expected a map, got a list");
}

TEST(Spaces, SpaceIdMustBeLowerCaseLettersDigitsDashAndUnderscore) {
  const auto yaml = yaml_lines({
      "spaces:",                                  // 1
      "  Acme Corp: {licences: {recruiter: 1}}",  // 2
      "  -x: {licences: {recruiter: 1}}",         // 3
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:2:3: spaces.Acme Corp: space id 'Acme Corp' must start with a "
                  "lower-case letter or a digit and contain only a-z, 0-9, '_' and '-'",
                  "rosterd.yaml:3:3: spaces.-x: space id '-x' must start with a lower-case letter "
                  "or a digit and contain only a-z, 0-9, '_' and '-'"));
}

TEST(Spaces, SpacesMustBeAMap) {
  EXPECT_EQ(errors_of("spaces: [acme]\n"), "rosterd.yaml:1:9: spaces: expected a map, got a list");
}

TEST(Spaces, DefaultOwnerMustBeAValidEmail) {
  const auto yaml = yaml_lines({
      "spaces:",                                // 1
      "  acme:",                                // 2
      "    licences: {recruiter: 1}",           // 3
      "    default_owner: alice.acme.example",  // 4
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:4:20: spaces.acme.default_owner: 'alice.acme.example' is not "
            "a valid email address: it has no '@'");
}

TEST(Spaces, LeavePolicyAndLimitsAreChecked) {
  const auto yaml = yaml_lines({
      "spaces:",                                              // 1
      "  acme:",                                              // 2
      "    licences: {recruiter: 1}",                         // 3
      "    on_leave: {action: remove, delete_after_day: 3}",  // 4
      "    max_destructive: {count: -1, percent: 101}",       // 5
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:4:24: spaces.acme.on_leave.action: expected one of deactivate, suspend, "
          "delete, got 'remove'",
          "rosterd.yaml:4:32: spaces.acme.on_leave.delete_after_day: unknown key "
          "'delete_after_day'; did you mean 'delete_after_days'?",
          "rosterd.yaml:5:30: spaces.acme.max_destructive.count: expected a whole number >= 0, got "
          "'-1'",
          "rosterd.yaml:5:43: spaces.acme.max_destructive.percent: expected a whole number from 0 "
          "to 100, got '101'"));
}

TEST(Spaces, WebhookNeedsAnHttpUrl) {
  const auto yaml = yaml_lines({
      "spaces:",                                // 1
      "  acme:",                                // 2
      "    licences: {recruiter: 1}",           // 3
      "    webhook: {secret_file: /etc/s}",     // 4
      "  beta:",                                // 5
      "    licences: {recruiter: 1}",           // 6
      "    webhook: {url: ftp://h.example/x}",  // 7
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:4:5: spaces.acme.webhook.url: is required",
          "rosterd.yaml:7:20: spaces.beta.webhook.url: expected an http:// or https:// URL, "
          "got 'ftp://h.example/x'"));
}

// Sources come first in these files: the order of the top-level keys does not matter.
constexpr std::string_view kHash =
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string sources_then(std::initializer_list<std::string_view> space_lines) {
  const std::string hash(kHash);
  std::string out = yaml_lines({
      "sources:",                                                                  // 1
      "  - {id: okta, kind: scim, space: acme, tokens: [\"" + hash + "\"]}",       // 2
      "  - {id: corp-ad, kind: scim, space: acme, tokens: [\"" + hash + "\"]}",    // 3
      "  - {id: beta-scim, kind: scim, space: beta, tokens: [\"" + hash + "\"]}",  // 4
      "spaces:",                                                                   // 5
      "  beta: {licences: {recruiter: 1}}",                                        // 6
  });
  for (const auto line : space_lines) out += std::string(line) + "\n";  // 7...
  return out;
}

TEST(Spaces, CorrelateNamesTheAttributeAndTheSourcePrecedence) {
  const auto config = accepted(sources_then({
      "  acme:",
      "    licences: {recruiter: 1}",
      "    correlate:",
      "      attribute: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
      "      precedence: [corp-ad, okta]",
  }));
  const SpaceConfig* acme = config.find_space("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->correlate_by,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber");
  EXPECT_THAT(acme->source_precedence, ElementsAre("corp-ad", "okta"));
  // Without 'correlate': by email, sources in file order.
  const SpaceConfig* beta = config.find_space("beta");
  EXPECT_EQ(beta->correlate_by, "email");
  EXPECT_TRUE(beta->source_precedence.empty());
  // Either key alone.
  const auto only_order = accepted(
      sources_then({"  acme: {licences: {recruiter: 1}, correlate: {precedence: [okta]}}"}));
  EXPECT_EQ(only_order.find_space("acme")->correlate_by, "email");
  EXPECT_THAT(only_order.find_space("acme")->source_precedence, ElementsAre("okta"));
  const auto only_attribute = accepted(
      sources_then({"  acme: {licences: {recruiter: 1}, correlate: {attribute: employeeID}}"}));
  EXPECT_EQ(only_attribute.find_space("acme")->correlate_by, "employeeID");
}

TEST(Spaces, PrecedenceNamesSourcesOfTheSpaceEachOnce) {
  EXPECT_THAT(
      error_lines(sources_then({
          "  acme:",                                                 // 7
          "    licences: {recruiter: 1}",                            // 8
          "    correlate:",                                          // 9
          "      precedence: [okta, beta-scim, corp-da, okta, hr]",  // 10
      })),
      ElementsAre("rosterd.yaml:10:26: spaces.acme.correlate.precedence[1]: source 'beta-scim' "
                  "feeds space 'beta', not 'acme'",
                  "rosterd.yaml:10:37: spaces.acme.correlate.precedence[2]: source 'corp-da' is "
                  "not defined under 'sources'; did you mean 'corp-ad'?",
                  "rosterd.yaml:10:46: spaces.acme.correlate.precedence[3]: source 'okta' is "
                  "listed twice",
                  "rosterd.yaml:10:52: spaces.acme.correlate.precedence[4]: source 'hr' is not "
                  "defined under 'sources' (sources of space 'acme': okta, corp-ad)"));
}

TEST(Spaces, PrecedenceIsCheckedEvenWithoutASourcesSection) {
  const auto yaml = yaml_lines({
      "spaces:",                                                              // 1
      "  acme: {licences: {recruiter: 1}, correlate: {precedence: [okta]}}",  // 2
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:2:61: spaces.acme.correlate.precedence[0]: source 'okta' is not "
            "defined under 'sources' (space 'acme' has no sources)");
}

TEST(Spaces, CorrelateKeysAndValuesAreChecked) {
  EXPECT_THAT(
      error_lines(sources_then({
          "  acme:",                                                   // 7
          "    licences: {recruiter: 1}",                              // 8
          "    correlate: {atribute: mail, precedence: []}",           // 9
          "  gamma:",                                                  // 10
          "    licences: {recruiter: 1}",                              // 11
          "    correlate: {attribute: \"e mail\", precedence: okta}",  // 12
          "  delta: {licences: {recruiter: 1}, correlate: email}",     // 13
      })),
      ElementsAre(
          "rosterd.yaml:9:17: spaces.acme.correlate.atribute: unknown key 'atribute'; did you "
          "mean 'attribute'?",
          "rosterd.yaml:9:45: spaces.acme.correlate.precedence: expected at least one source id "
          "(leave 'precedence' out to rank the sources in file order)",
          "rosterd.yaml:12:28: spaces.gamma.correlate.attribute: attribute name 'e mail' may "
          "contain only letters, digits, '.', ':', '-' and '_'",
          "rosterd.yaml:12:50: spaces.gamma.correlate.precedence: expected a list, got 'okta'",
          "rosterd.yaml:13:48: spaces.delta.correlate: expected a map, got 'email'"));
}

}  // namespace
}  // namespace rosterd
