// roles: overrides of the built-in catalogue and new roles.
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

TEST(Roles, WithoutOverridesTheCatalogueIsTheBuiltInOne) {
  const auto config = accepted("spaces: {}\n");
  EXPECT_EQ(config.roles.names(), RoleCatalogue::built_in().names());
  EXPECT_FALSE(config.roles.find("recruiter")->may_hold("administrator"));
}

TEST(Roles, OverrideLetsRecruiterHoldAnAdministratorLicence) {
  const auto config = accepted(yaml_lines({
      "spaces:",
      "  acme: {licences: {recruiter: 1, administrator: 1}}",
      "roles:",
      "  recruiter: {licences: [recruiter, administrator]}",
      "rules:",
      "  - {name: r, space: acme, when: {group: G}, grant: {role: recruiter, licence: "
      "administrator}}",
  }));
  const Role* recruiter = config.roles.find("recruiter");
  ASSERT_NE(recruiter, nullptr);
  EXPECT_TRUE(recruiter->may_hold("administrator"));
  EXPECT_TRUE(recruiter->may_hold("recruiter"));
  EXPECT_EQ(recruiter->rank, RoleCatalogue::built_in().find("recruiter")->rank);  // kept
  EXPECT_EQ(config.rules.size(), 1u);
}

TEST(Roles, NewRoleWithRankAndLicencesIsAdded) {
  const auto config = accepted(yaml_lines({
      "roles:",
      "  sourcer: {rank: 45, licences: [recruiter], permissions: [cv_library]}",
  }));
  const Role* sourcer = config.roles.find("sourcer");
  ASSERT_NE(sourcer, nullptr);
  EXPECT_EQ(sourcer->rank, 45);
  EXPECT_TRUE(sourcer->has("cv_library"));
}

TEST(Roles, NewRoleWithoutRankIsRefusedAtTheRole) {
  const auto yaml = yaml_lines({
      "spaces: {acme: {licences: {recruiter: 1}}}",  // 1
      "roles:",                                      // 2
      "  recruiter: {rank: 75}",                     // 3
      "  sourcer:",                                  // 4
      "    licences: [recruiter]",                   // 5
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:4:3: roles.sourcer: role 'sourcer' is not a built-in role: "
            "it needs 'rank' and 'licences'");
}

TEST(Roles, RoleWithNoLicenceIsRefused) {
  EXPECT_EQ(errors_of("roles: {member: {licences: []}}\n"),
            "rosterd.yaml:1:9: roles.member: role 'member' may hold no licence type");
}

TEST(Roles, WrongTypesAndUnknownKeysAreReported) {
  const auto yaml = yaml_lines({
      "roles:",                                           // 1
      "  recruiter: {rank: high, licence: [recruiter]}",  // 2
      "  member: {permissions: view_job_ads}",            // 3
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:2:21: roles.recruiter.rank: expected a whole number, got 'high'",
                  "rosterd.yaml:2:27: roles.recruiter.licence: unknown key 'licence'; did you mean "
                  "'licences'?",
                  "rosterd.yaml:3:25: roles.member.permissions: expected a list of strings, got "
                  "'view_job_ads'"));
}

TEST(Roles, LicenceThatNoSpaceSellsIsRefused) {
  const auto yaml = yaml_lines({
      "spaces:",                                              // 1
      "  acme: {licences: {recruiter: 1, manager: 1}}",       // 2
      "roles:",                                               // 3
      "  recruiter: {licences: [recruiter, administrator]}",  // 4
      "  assessor: {licences: [manger]}",                     // 5
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:4:37: roles.recruiter.licences[1]: licence type 'administrator' is "
                  "not in the licences of any space",
                  "rosterd.yaml:5:25: roles.assessor.licences[0]: licence type 'manger' is not in "
                  "the licences of any space; did you mean 'manager'?"));
}

TEST(Roles, LicencesAreNotCrossCheckedWithoutSpaces) {
  accepted("roles: {recruiter: {licences: [recruiter, administrator]}}\n");
}

}  // namespace
}  // namespace rosterd
