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

}  // namespace
}  // namespace rosterd
