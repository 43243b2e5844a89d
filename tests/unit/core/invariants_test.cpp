// The invariants no operation may break, checked across operations: the last enabled
// owner, administrators and owners, actors without user-management rights, accounts a
// source may not touch; and errors of the state view passed on as they are.
#include <gtest/gtest.h>

#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {
namespace {

using S = AccountState;

Profile role_change(std::string role, std::optional<std::string> licence = std::nullopt) {
  Profile p;
  p.role = std::move(role);
  p.licence = std::move(licence);
  return p;
}

// --- last owner -------------------------------------------------------------------------

class LastOwnerTest : public LifecycleTest {
 protected:
  LastOwnerTest() {
    seed_owner("owner@acme.example");
    seed("admin@acme.example", "administrator", "administrator");
  }
  // The operations the last-owner invariant refuses, on the first owner.
  std::vector<Operation> guarded_ops() const {
    return {SuspendOp{"acc-owner"}, DeactivateOp{"acc-owner"}, DeleteOp{"acc-owner", "acc-admin"},
            UpdateOp{"acc-owner", role_change("administrator")}};
  }
};

TEST_F(LastOwnerTest, SuspendingTheLastEnabledOwnerIsRefused) {
  const auto t = run(SuspendOp{"acc-owner"});
  ASSERT_TRUE(RefusedBy(t, invariant::kLastOwner));
  EXPECT_NE(t.error().message.find("owner@acme.example"), std::string::npos) << t.error().message;
}

TEST_F(LastOwnerTest, DeactivatingTheLastEnabledOwnerIsRefused) {
  EXPECT_TRUE(RefusedBy(run(DeactivateOp{"acc-owner"}), invariant::kLastOwner));
}

TEST_F(LastOwnerTest, DeletingTheLastEnabledOwnerIsRefused) {
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-owner", "acc-admin"}), invariant::kLastOwner));
}

TEST_F(LastOwnerTest, DemotingTheLastEnabledOwnerIsRefused) {
  EXPECT_TRUE(RefusedBy(run(UpdateOp{"acc-owner", role_change("administrator")}),
                        invariant::kLastOwner));
  EXPECT_TRUE(RefusedBy(run(UpdateOp{"acc-owner", role_change("accountant")}),
                        invariant::kLastOwner));
}

TEST_F(LastOwnerTest, EachIsAllowedWhenASecondOwnerExists) {
  seed_owner("second@acme.example");
  for (const auto& op : guarded_ops()) EXPECT_TRUE(Allowed(run(op))) << operation_name(op);
}

TEST_F(LastOwnerTest, AnInvitedOrLockedOwnerCountsAsASecondOwner) {
  for (const S second : {S::Invited, S::Locked}) {
    seed_owner("second@acme.example", second);
    for (const auto& op : guarded_ops())
      EXPECT_TRUE(Allowed(run(op))) << operation_name(op) << " with a " << to_string(second)
                                    << " second owner";
  }
}

TEST_F(LastOwnerTest, ASuspendedDeactivatedOrDeletedOwnerDoesNotCount) {
  for (const S second : {S::Suspended, S::Deactivated, S::Deleted}) {
    seed_owner("second@acme.example", second);
    for (const auto& op : guarded_ops())
      EXPECT_TRUE(RefusedBy(run(op), invariant::kLastOwner))
          << operation_name(op) << " with a " << to_string(second) << " second owner";
  }
}

TEST_F(LastOwnerTest, AnOwnerInAnotherSpaceDoesNotCount) {
  seed("boss@globex.example", "owner", "administrator", S::Active, "globex");
  EXPECT_TRUE(RefusedBy(run(SuspendOp{"acc-owner"}), invariant::kLastOwner));
}

TEST_F(LastOwnerTest, LockingTheLastOwnerIsAllowed) {
  const auto t = run(LockOp{"acc-owner"});
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].state, S::Locked);
  view.apply(*t);
  // Locked still counts as enabled: the space keeps its owner.
  EXPECT_TRUE(RefusedBy(run(SuspendOp{"acc-owner"}), invariant::kLastOwner));
}

TEST_F(LastOwnerTest, OnceOneOfTwoOwnersIsSuspendedTheOtherIsTheLast) {
  seed_owner("second@acme.example");
  run_and_apply(SuspendOp{"acc-second"}, root);
  EXPECT_TRUE(RefusedBy(run(DeactivateOp{"acc-owner"}), invariant::kLastOwner));
  run_and_apply(ResumeOp{"acc-second"}, root);
  EXPECT_TRUE(Allowed(run(DeactivateOp{"acc-owner"})));
}

TEST_F(LastOwnerTest, ChangingSomethingElseThanTheRoleOfTheLastOwnerIsAllowed) {
  Profile p;
  p.title = "Founder";
  p.role = "owner";
  EXPECT_TRUE(Allowed(run(UpdateOp{"acc-owner", p})));
}

// --- administrators and owners ----------------------------------------------------------

class OwnerRightsTest : public LifecycleTest {
 protected:
  OwnerRightsTest() {
    view.find_space("acme")->licences["administrator"] = 20;  // seats are not the point here
    seed_owner("owner@acme.example");
    seed_owner("owner2@acme.example");
    seed("admin@acme.example", "administrator", "administrator");
    seed("ada@acme.example", "recruiter", "recruiter");
  }
  const Actor admin = Actor::account("acc-admin");
  const Actor owner = Actor::account("acc-owner");
};

TEST_F(OwnerRightsTest, AnAdministratorMayNotChangeAnOwnerInAnyWay) {
  seed("sus@acme.example", "owner", "administrator", S::Suspended);
  seed("lock@acme.example", "owner", "administrator", S::Locked);
  seed("off@acme.example", "owner", "administrator", S::Deactivated);
  seed("inv@acme.example", "owner", "administrator", S::Invited);
  Profile title;
  title.title = "CEO";
  const std::vector<Operation> ops{
      UpdateOp{"acc-owner2", title},   SuspendOp{"acc-owner2"},
      DeactivateOp{"acc-owner2"},      LockOp{"acc-owner2"},
      DeleteOp{"acc-owner2", "acc-admin"},
      ReassignOp{"acc-owner2", "new@acme.example", "New", "Owner", ""},
      ResumeOp{"acc-sus"},             UnlockOp{"acc-lock"},
      ReactivateOp{"acc-off"},         ActivateOp{"acc-inv"}};
  for (const auto& op : ops) {
    EXPECT_TRUE(RefusedBy(decide_as(op, admin), invariant::kAdministratorOnOwner))
        << operation_name(op);
    EXPECT_TRUE(Allowed(decide_as(op, owner))) << operation_name(op);
  }
}

TEST_F(OwnerRightsTest, AnAdministratorMayNotCreateAnOwner) {
  EXPECT_TRUE(RefusedBy(decide_as(create_op("new@acme.example", "owner", "administrator"), admin),
                        invariant::kAdministratorOnOwner));
  EXPECT_TRUE(Allowed(decide_as(create_op("new@acme.example", "owner", "administrator"), owner)));
}

TEST_F(OwnerRightsTest, AnAdministratorMayNotCopyAnOwnerTemplate) {
  CreateOp op = create_op("new@acme.example", std::nullopt, std::nullopt);
  op.template_account = "acc-owner2";
  EXPECT_TRUE(RefusedBy(decide_as(op, admin), invariant::kAdministratorOnOwner));
  EXPECT_TRUE(Allowed(decide_as(op, owner)));
}

TEST_F(OwnerRightsTest, AnAdministratorMayNotPromoteSomeoneToOwner) {
  seed("admin2@acme.example", "administrator", "administrator");
  EXPECT_TRUE(RefusedBy(decide_as(UpdateOp{"acc-admin2", role_change("owner")}, admin),
                        invariant::kAdministratorOnOwner));
  EXPECT_TRUE(RefusedBy(
      decide_as(UpdateOp{"acc-ada", role_change("owner", "administrator")}, admin),
      invariant::kAdministratorOnOwner));
  EXPECT_TRUE(Allowed(decide_as(UpdateOp{"acc-admin2", role_change("owner")}, owner)));
}

TEST_F(OwnerRightsTest, AnAdministratorManagesEveryoneWhoIsNotAnOwner) {
  seed("admin2@acme.example", "administrator", "administrator");
  EXPECT_TRUE(Allowed(decide_as(SuspendOp{"acc-ada"}, admin)));
  EXPECT_TRUE(Allowed(decide_as(SuspendOp{"acc-admin2"}, admin)));
  EXPECT_TRUE(Allowed(decide_as(DeleteOp{"acc-ada", "acc-owner"}, admin)));
  EXPECT_TRUE(Allowed(decide_as(create_op("new@acme.example", "administrator", "administrator"), admin)));
  EXPECT_TRUE(Allowed(decide_as(UpdateOp{"acc-ada", role_change("collaborator")}, admin)));
}

TEST_F(OwnerRightsTest, AnOwnerMayDemoteAnotherOwnerButNotTheLastOne) {
  EXPECT_TRUE(Allowed(decide_as(UpdateOp{"acc-owner2", role_change("administrator")}, owner)));
  run_and_apply(UpdateOp{"acc-owner2", role_change("administrator")}, owner);
  EXPECT_TRUE(RefusedBy(decide_as(UpdateOp{"acc-owner", role_change("administrator")}, owner),
                        invariant::kLastOwner));
}

// --- actors without user-management rights ----------------------------------------------

class ActorRightsTest : public LifecycleTest {
 protected:
  ActorRightsTest() {
    seed_owner("owner@acme.example");
    seed("ada@acme.example", "recruiter", "recruiter");
    seed("bob@acme.example", "collaborator", "manager");
  }
};

TEST_F(ActorRightsTest, ARoleThatDoesNotManageUsersMayNotActOnAccounts) {
  for (const char* role : {"recruiter", "collaborator", "hiring_manager", "assessor",
                           "accountant", "member", "contributor"}) {
    const std::string licence = roles.find(role)->licences.front();
    seed("actor@acme.example", role, licence);
    const Actor actor = Actor::account("acc-actor");
    EXPECT_TRUE(RefusedBy(decide_as(SuspendOp{"acc-bob"}, actor), invariant::kActorRights)) << role;
    EXPECT_TRUE(RefusedBy(decide_as(create_op("new@acme.example", "member", "manager"), actor),
                          invariant::kActorRights))
        << role;
    Profile p;
    p.title = "x";
    EXPECT_TRUE(RefusedBy(decide_as(UpdateOp{"acc-bob", p}, actor), invariant::kActorRights)) << role;
    EXPECT_TRUE(RefusedBy(decide_as(DeleteOp{"acc-bob", "acc-owner"}, actor), invariant::kActorRights))
        << role;
  }
}

TEST_F(ActorRightsTest, TheActingAccountMustBeAnEnabledAccountOfTheSameSpace) {
  seed("boss@globex.example", "owner", "administrator", S::Active, "globex");
  EXPECT_TRUE(RefusedBy(decide_as(SuspendOp{"acc-ada"}, Actor::account("acc-boss")),
                        invariant::kActorRights));
  EXPECT_TRUE(RefusedBy(decide_as(SuspendOp{"acc-ada"}, Actor::account("acc-nobody")),
                        invariant::kActorRights));
  for (const S state : {S::Suspended, S::Deactivated, S::Locked, S::Deleted}) {
    seed("admin@acme.example", "administrator", "administrator", state);
    EXPECT_TRUE(RefusedBy(decide_as(SuspendOp{"acc-ada"}, Actor::account("acc-admin")),
                          invariant::kActorRights))
        << to_string(state);
  }
  seed("admin@acme.example", "administrator", "administrator", S::Invited);
  EXPECT_TRUE(Allowed(decide_as(SuspendOp{"acc-ada"}, Actor::account("acc-admin"))));
}

TEST_F(ActorRightsTest, AnOperatorIsNotLimitedByRoles) {
  seed_owner("owner2@acme.example");
  EXPECT_TRUE(Allowed(decide_as(SuspendOp{"acc-owner2"}, Actor::operator_named("alice"))));
  EXPECT_TRUE(Allowed(decide_as(create_op("new@acme.example", "owner", "administrator"),
                                Actor::operator_named("alice"))));
}

TEST_F(ActorRightsTest, AConfiguredRoleOverrideCanGrantUserManagement) {
  RoleOverride lead;
  lead.name = "team_lead";
  lead.rank = 80;
  lead.licences = std::vector<std::string>{"recruiter"};
  lead.permissions = std::vector<std::string>{"manage_users"};
  auto catalogue = RoleCatalogue::with_overrides({lead});
  ASSERT_TRUE(catalogue.has_value());
  roles = *catalogue;
  seed("lead@acme.example", "team_lead", "recruiter");
  EXPECT_TRUE(Allowed(decide_as(SuspendOp{"acc-ada"}, Actor::account("acc-lead"))));
  // manage_users without manage_owners: still an administrator-level actor.
  EXPECT_TRUE(RefusedBy(decide_as(LockOp{"acc-owner"}, Actor::account("acc-lead")),
                        invariant::kAdministratorOnOwner));
}

// --- sources ----------------------------------------------------------------------------

class SourceRightsTest : public LifecycleTest {
 protected:
  SourceRightsTest() {
    seed_owner("owner@acme.example");
    seed("manual@acme.example", "recruiter", "recruiter");
    seed("okta@acme.example", "recruiter", "recruiter").managed_by = "okta";
    seed("ldap@acme.example", "collaborator", "manager").managed_by = "ldap-paris";
  }
  static std::vector<Operation> ops_on(const std::string& id) {
    Profile p;
    p.title = "From the directory";
    return {UpdateOp{id, p},  SuspendOp{id}, DeactivateOp{id},
            LockOp{id},       DeleteOp{id, "acc-owner"},
            ReassignOp{id, "new@acme.example", "New", "Person", ""}};
  }
  const Actor okta = Actor::source("okta");
};

TEST_F(SourceRightsTest, ASourceNeverTouchesAManualAccount) {
  for (const auto& op : ops_on("acc-manual"))
    EXPECT_TRUE(RefusedBy(decide_as(op, okta), invariant::kManualAccount)) << operation_name(op);
}

TEST_F(SourceRightsTest, ASourceNeverTouchesAnAccountOfAnotherSource) {
  for (const auto& op : ops_on("acc-ldap"))
    EXPECT_TRUE(RefusedBy(decide_as(op, okta), invariant::kOtherSource)) << operation_name(op);
}

TEST_F(SourceRightsTest, ASourceChangesTheAccountsItManages) {
  for (const auto& op : ops_on("acc-okta")) EXPECT_TRUE(Allowed(decide_as(op, okta))) << operation_name(op);
}

TEST_F(SourceRightsTest, AnOperatorMayChangeAnAccountManagedByASource) {
  for (const auto& op : ops_on("acc-okta")) EXPECT_TRUE(Allowed(run(op))) << operation_name(op);
}

// --- the state view failing ---------------------------------------------------------------

TEST_F(LifecycleTest, AnErrorOfTheStateViewIsPassedOnAsItIs) {
  seed("ada@acme.example", "recruiter", "recruiter");
  view.fail_reads(Error{ErrorCode::Storage, "disk I/O error", {}});
  const std::vector<Operation> ops{create_op("new@acme.example", "recruiter", "recruiter"),
                                   SuspendOp{"acc-ada"}, DeleteOp{"acc-ada", "acc-ada"}};
  for (const auto& op : ops) {
    const auto t = run(op);
    ASSERT_TRUE(FailsWith(t, ErrorCode::Storage)) << operation_name(op);
    EXPECT_EQ(t.error().message, "disk I/O error");
  }
}

}  // namespace
}  // namespace rosterd::core_test
