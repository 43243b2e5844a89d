// The small domain types: the role catalogue and its overrides, error traits, account
// states and seats, operation names and actor labels.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/account.h"
#include "core/error.h"
#include "core/operation.h"
#include "core/role_catalogue.h"
#include "tests/support/printers.h"

namespace rosterd {
namespace {

using Names = std::vector<std::string>;

// --- role catalogue ---------------------------------------------------------------------

TEST(RoleCatalogue, TheBuiltInRolesAreThoseOfTheDesignSortedByName) {
  const auto c = RoleCatalogue::built_in();
  EXPECT_EQ(c.names(), (Names{"accountant", "administrator", "assessor", "collaborator",
                              "contributor", "hiring_manager", "member", "owner", "recruiter"}));
  EXPECT_EQ(c.find("wizard"), nullptr);
  EXPECT_EQ(c.find("Owner"), nullptr);  // names are exact
}

TEST(RoleCatalogue, OnlyOwnersAndAdministratorsManageUsersAndOnlyOwnersManageOwners) {
  const auto c = RoleCatalogue::built_in();
  for (const auto& [name, role] : c.roles()) {
    EXPECT_EQ(role.manages_users(), name == "owner" || name == "administrator") << name;
    EXPECT_EQ(role.has(permission::kManageOwners), name == "owner") << name;
    EXPECT_EQ(role.has(permission::kDeleteSpace), name == "owner") << name;
    EXPECT_FALSE(role.licences.empty()) << name;
  }
}

TEST(RoleCatalogue, EachRoleHoldsOnlyItsLicenceTypes) {
  const auto c = RoleCatalogue::built_in();
  EXPECT_TRUE(c.find("owner")->may_hold("administrator"));
  EXPECT_FALSE(c.find("owner")->may_hold("recruiter"));
  EXPECT_TRUE(c.find("recruiter")->may_hold("recruiter"));
  EXPECT_FALSE(c.find("recruiter")->may_hold("administrator"));
  EXPECT_FALSE(c.find("recruiter")->may_hold("manager"));
  EXPECT_TRUE(c.find("collaborator")->may_hold("manager"));
  EXPECT_FALSE(c.find("assessor")->may_hold("recruiter"));
  EXPECT_GT(c.find("owner")->rank, c.find("administrator")->rank);
  EXPECT_GT(c.find("administrator")->rank, c.find("recruiter")->rank);
}

TEST(RoleCatalogue, AnOverrideChangesOnlyTheFieldsItGives) {
  RoleOverride o;
  o.name = "recruiter";
  o.licences = Names{"recruiter", "manager"};
  const auto c = RoleCatalogue::with_overrides({o});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  const Role* r = c->find("recruiter");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->may_hold("manager"));
  EXPECT_EQ(r->rank, RoleCatalogue::built_in().find("recruiter")->rank);
  EXPECT_EQ(r->permissions, RoleCatalogue::built_in().find("recruiter")->permissions);
  // The other roles are untouched.
  EXPECT_EQ(c->find("owner")->permissions, RoleCatalogue::built_in().find("owner")->permissions);
  EXPECT_EQ(c->names().size(), 9u);
}

TEST(RoleCatalogue, AnOverrideCanChangeRankAndPermissions) {
  RoleOverride o;
  o.name = "hiring_manager";
  o.rank = 75;
  o.permissions = Names{"decide_candidates", "manage_users"};
  const auto c = RoleCatalogue::with_overrides({o});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->find("hiring_manager")->rank, 75);
  EXPECT_TRUE(c->find("hiring_manager")->manages_users());
  EXPECT_FALSE(c->find("hiring_manager")->has("view_job_ads"));
  EXPECT_EQ(c->find("hiring_manager")->licences, (Names{"manager"}));
}

TEST(RoleCatalogue, ANewRoleIsAddedWithItsRankAndLicences) {
  RoleOverride o;
  o.name = "sourcer";
  o.rank = 45;
  o.licences = Names{"recruiter"};
  const auto c = RoleCatalogue::with_overrides({o});
  ASSERT_TRUE(c.has_value());
  const Role* r = c->find("sourcer");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->name, "sourcer");
  EXPECT_EQ(r->rank, 45);
  EXPECT_TRUE(r->permissions.empty());
  const auto names = c->names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.size(), 10u);
}

TEST(RoleCatalogue, ANewRoleWithoutRankOrLicencesIsAConfigError) {
  RoleOverride no_rank;
  no_rank.name = "sourcer";
  no_rank.licences = Names{"recruiter"};
  const auto a = RoleCatalogue::with_overrides({no_rank});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::Config);
  EXPECT_NE(a.error().message.find("sourcer"), std::string::npos);

  RoleOverride no_licences;
  no_licences.name = "sourcer";
  no_licences.rank = 45;
  const auto b = RoleCatalogue::with_overrides({no_licences});
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, ErrorCode::Config);
}

TEST(RoleCatalogue, ARoleThatMayHoldNoLicenceIsAConfigError) {
  RoleOverride o;
  o.name = "member";
  o.licences = Names{};
  const auto c = RoleCatalogue::with_overrides({o});
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::Config);
  EXPECT_NE(c.error().message.find("member"), std::string::npos);
}

TEST(RoleCatalogue, LaterOverridesOfTheSameRoleWin) {
  RoleOverride first;
  first.name = "member";
  first.rank = 1;
  RoleOverride second;
  second.name = "member";
  second.rank = 2;
  const auto c = RoleCatalogue::with_overrides({first, second});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->find("member")->rank, 2);
}

// --- errors -----------------------------------------------------------------------------

TEST(ErrorTraits, ARefusalExitsWith1AndAUserMistakeWith2) {
  EXPECT_EQ(traits(ErrorCode::Invariant).exit_code, 1);
  EXPECT_EQ(traits(ErrorCode::Uniqueness).exit_code, 1);
  EXPECT_EQ(traits(ErrorCode::NotFound).exit_code, 1);
  EXPECT_EQ(traits(ErrorCode::InvalidValue).exit_code, 2);
  EXPECT_EQ(traits(ErrorCode::Config).exit_code, 2);
  EXPECT_EQ(traits(ErrorCode::Usage).exit_code, 2);
  EXPECT_EQ(traits(ErrorCode::Storage).exit_code, 3);
  EXPECT_EQ(traits(ErrorCode::Unavailable).exit_code, 3);
  EXPECT_EQ(traits(ErrorCode::Internal).exit_code, 3);
}

TEST(ErrorTraits, HttpStatusAndScimTypeFollowTheCode) {
  EXPECT_EQ(traits(ErrorCode::InvalidValue).http_status, 400);
  EXPECT_EQ(traits(ErrorCode::InvalidValue).scim_type, "invalidValue");
  EXPECT_EQ(traits(ErrorCode::Uniqueness).http_status, 409);
  EXPECT_EQ(traits(ErrorCode::Uniqueness).scim_type, "uniqueness");
  EXPECT_EQ(traits(ErrorCode::Invariant).http_status, 409);
  EXPECT_EQ(traits(ErrorCode::NotFound).http_status, 404);
  EXPECT_EQ(traits(ErrorCode::PreconditionFailed).http_status, 412);
  EXPECT_EQ(traits(ErrorCode::Unavailable).http_status, 503);
  EXPECT_EQ(traits(ErrorCode::InvalidFilter).scim_type, "invalidFilter");
  EXPECT_EQ(traits(ErrorCode::InvalidVersion).scim_type, "invalidVers");
}

TEST(ErrorTraits, EveryCodeHasItsOwnStableName) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
    const auto& t = traits(static_cast<ErrorCode>(i));
    EXPECT_FALSE(t.name.empty()) << i;
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate name " << t.name;
    EXPECT_GE(t.exit_code, 1) << t.name;
    EXPECT_LE(t.exit_code, 3) << t.name;
  }
  EXPECT_EQ(traits(ErrorCode::Invariant).name, "invariant");
  EXPECT_EQ(traits(ErrorCode::InvalidValue).name, "invalid-value");
}

TEST(Error, RefuseNamesTheInvariantAndFailDoesNot) {
  const Result<int> refused = refuse("last-owner", "cannot suspend");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::Invariant);
  EXPECT_EQ(refused.error().invariant, "last-owner");
  EXPECT_EQ(refused.error().message, "cannot suspend");
  EXPECT_EQ(refused.error().exit_code(), 1);
  EXPECT_EQ(refused.error().http_status(), 409);

  const Result<int> failed = fail(ErrorCode::Usage, "unknown flag --x");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::Usage);
  EXPECT_TRUE(failed.error().invariant.empty());
  EXPECT_EQ(failed.error().exit_code(), 2);
  EXPECT_EQ(failed.error().scim_type(), "");
}

// --- accounts ---------------------------------------------------------------------------

TEST(AccountState, NamesRoundTripAndUnknownNamesAreRefused) {
  for (const AccountState s : {AccountState::Invited, AccountState::Active, AccountState::Suspended,
                               AccountState::Deactivated, AccountState::Locked, AccountState::Deleted})
    EXPECT_EQ(parse_account_state(to_string(s)), s);
  EXPECT_EQ(to_string(AccountState::Deactivated), "deactivated");
  EXPECT_EQ(parse_account_state("Active"), std::nullopt);
  EXPECT_EQ(parse_account_state(""), std::nullopt);
}

TEST(AccountState, EveryStateButDeactivatedAndDeletedHoldsASeat) {
  EXPECT_TRUE(holds_seat(AccountState::Invited));
  EXPECT_TRUE(holds_seat(AccountState::Active));
  EXPECT_TRUE(holds_seat(AccountState::Suspended));
  EXPECT_TRUE(holds_seat(AccountState::Locked));
  EXPECT_FALSE(holds_seat(AccountState::Deactivated));
  EXPECT_FALSE(holds_seat(AccountState::Deleted));
}

TEST(AccountState, SuspendedDeactivatedAndDeletedAccountsAreNotEnabled) {
  EXPECT_TRUE(is_enabled(AccountState::Invited));
  EXPECT_TRUE(is_enabled(AccountState::Active));
  EXPECT_TRUE(is_enabled(AccountState::Locked));
  EXPECT_FALSE(is_enabled(AccountState::Suspended));
  EXPECT_FALSE(is_enabled(AccountState::Deactivated));
  EXPECT_FALSE(is_enabled(AccountState::Deleted));
}

TEST(Account, ANewAccountIsManualAndReturnsToInvitedUntilItsFirstLogin) {
  Account a;
  EXPECT_TRUE(a.is_manual());
  EXPECT_EQ(a.enabled_state(), AccountState::Invited);
  a.activated_at = Timestamp{};
  EXPECT_EQ(a.enabled_state(), AccountState::Active);
  a.managed_by = "okta";
  EXPECT_FALSE(a.is_manual());
}

// --- operations and actors --------------------------------------------------------------

TEST(Operation, EachOperationHasItsStableNameAndTarget) {
  const std::vector<std::pair<Operation, std::string>> ops{
      {CreateOp{}, "create"},          {UpdateOp{"a1", {}}, "update"},
      {SuspendOp{"a1"}, "suspend"},    {ResumeOp{"a1"}, "resume"},
      {DeactivateOp{"a1"}, "deactivate"}, {ReactivateOp{"a1"}, "reactivate"},
      {LockOp{"a1"}, "lock"},          {UnlockOp{"a1"}, "unlock"},
      {ActivateOp{"a1"}, "activate"},  {ReassignOp{"a1", "", "", "", ""}, "reassign"},
      {DeleteOp{"a1", std::nullopt}, "delete"}};
  for (const auto& [op, name] : ops) {
    EXPECT_EQ(operation_name(op), name);
    EXPECT_EQ(operation_target(op), name == "create" ? "" : "a1") << name;
  }
}

TEST(Actor, LabelsSayWhatKindOfActorItIs) {
  EXPECT_EQ(Actor::operator_named("root").label(), "operator:root");
  EXPECT_EQ(Actor::account("acc-1").label(), "account:acc-1");
  EXPECT_EQ(Actor::source("okta").label(), "source:okta");
}

}  // namespace
}  // namespace rosterd
