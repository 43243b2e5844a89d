// decide() for the operations that change an account's state: suspend, resume, lock,
// unlock, activate, deactivate and reactivate, with the seats they keep, free or take.
#include <gtest/gtest.h>

#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {
namespace {

using StateTest = LifecycleTest;
using S = AccountState;

// One account row changed to `to`, one event of `type` saying from -> to.
::testing::AssertionResult ChangesState(const Result<Transition>& t, std::string_view operation,
                                        std::string_view type, AccountState from,
                                        AccountState to) {
  if (!t) return Allowed(t);
  if (t->operation != operation)
    return ::testing::AssertionFailure() << "operation " << t->operation;
  if (t->accounts.size() != 1 || t->events.size() != 1)
    return ::testing::AssertionFailure() << t->accounts.size() << " accounts, "
                                         << t->events.size() << " events";
  const Account& a = t->accounts[0];
  const Event& e = t->events[0];
  if (a.state != to) return ::testing::AssertionFailure() << "state " << to_string(a.state);
  if (a.version != 4 || a.updated_at != kNow)
    return ::testing::AssertionFailure() << "version " << a.version << ", updated_at "
                                         << format_timestamp(a.updated_at);
  if (e.type != type || e.account_id != a.id || e.space != a.space)
    return ::testing::AssertionFailure() << "event " << e.type << " for " << e.account_id;
  const Details expected{{"from", std::string(to_string(from))}, {"to", std::string(to_string(to))}};
  if (e.details != expected)
    return ::testing::AssertionFailure() << "details " << ::testing::PrintToString(e.details);
  return ::testing::AssertionSuccess();
}

// --- suspend / resume -----------------------------------------------------------------

TEST_F(StateTest, SuspendKeepsTheSeat) {
  seed("ada@acme.example", "recruiter", "recruiter");
  const auto t = run(SuspendOp{"acc-ada"});
  EXPECT_TRUE(ChangesState(t, "suspend", "account.suspended", S::Active, S::Suspended));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->seats.empty());
}

TEST_F(StateTest, InvitedAndLockedAccountsCanBeSuspended) {
  seed("inv@acme.example", "recruiter", "recruiter", S::Invited);
  seed("lock@acme.example", "recruiter", "recruiter", S::Locked);
  EXPECT_TRUE(ChangesState(run(SuspendOp{"acc-inv"}), "suspend", "account.suspended", S::Invited,
                           S::Suspended));
  EXPECT_TRUE(ChangesState(run(SuspendOp{"acc-lock"}), "suspend", "account.suspended", S::Locked,
                           S::Suspended));
}

TEST_F(StateTest, SuspendedAndDeactivatedAccountsCannotBeSuspended) {
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  seed("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto t = run(SuspendOp{"acc-sus"});
  ASSERT_TRUE(RefusedBy(t, invariant::kState));
  EXPECT_NE(t.error().message.find("suspended"), std::string::npos) << t.error().message;
  EXPECT_TRUE(RefusedBy(run(SuspendOp{"acc-off"}), invariant::kState));
}

TEST_F(StateTest, ResumeReturnsAnActivatedAccountToActive) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Suspended);
  const auto t = run(ResumeOp{"acc-ada"});
  EXPECT_TRUE(ChangesState(t, "resume", "account.resumed", S::Suspended, S::Active));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->seats.empty());
}

TEST_F(StateTest, ResumeReturnsANeverActivatedAccountToInvited) {
  Account& a = seed("ada@acme.example", "recruiter", "recruiter", S::Suspended);
  a.activated_at.reset();
  EXPECT_TRUE(ChangesState(run(ResumeOp{"acc-ada"}), "resume", "account.resumed", S::Suspended,
                           S::Invited));
}

TEST_F(StateTest, ResumingAnAccountThatIsNotSuspendedIsRefused) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Active);
  seed("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  seed("lock@acme.example", "recruiter", "recruiter", S::Locked);
  EXPECT_TRUE(RefusedBy(run(ResumeOp{"acc-ada"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(ResumeOp{"acc-off"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(ResumeOp{"acc-lock"}), invariant::kState));
}

// --- lock / unlock / activate -----------------------------------------------------------

TEST_F(StateTest, ActiveAndInvitedAccountsCanBeLockedKeepingTheirSeat) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Active);
  seed("inv@acme.example", "recruiter", "recruiter", S::Invited);
  const auto t = run(LockOp{"acc-ada"});
  EXPECT_TRUE(ChangesState(t, "lock", "account.locked", S::Active, S::Locked));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->seats.empty());
  EXPECT_TRUE(ChangesState(run(LockOp{"acc-inv"}), "lock", "account.locked", S::Invited, S::Locked));
}

TEST_F(StateTest, LockedSuspendedAndDeactivatedAccountsCannotBeLocked) {
  seed("lock@acme.example", "recruiter", "recruiter", S::Locked);
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  seed("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  EXPECT_TRUE(RefusedBy(run(LockOp{"acc-lock"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(LockOp{"acc-sus"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(LockOp{"acc-off"}), invariant::kState));
}

TEST_F(StateTest, UnlockReturnsToActiveOrToInvitedBeforeTheFirstLogin) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Locked);
  Account& never = seed("new@acme.example", "recruiter", "recruiter", S::Locked);
  never.activated_at.reset();
  EXPECT_TRUE(ChangesState(run(UnlockOp{"acc-ada"}), "unlock", "account.unlocked", S::Locked,
                           S::Active));
  EXPECT_TRUE(ChangesState(run(UnlockOp{"acc-new"}), "unlock", "account.unlocked", S::Locked,
                           S::Invited));
}

TEST_F(StateTest, UnlockingAnAccountThatIsNotLockedIsRefused) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Active);
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  EXPECT_TRUE(RefusedBy(run(UnlockOp{"acc-ada"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(UnlockOp{"acc-sus"}), invariant::kState));
}

TEST_F(StateTest, ActivateRecordsTheFirstLogin) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Invited);
  const auto t = run(ActivateOp{"acc-ada"});
  EXPECT_TRUE(ChangesState(t, "activate", "account.activated", S::Invited, S::Active));
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->accounts[0].activated_at.has_value());
  EXPECT_EQ(*t->accounts[0].activated_at, kNow);
  EXPECT_TRUE(t->seats.empty());
}

TEST_F(StateTest, OnlyAnInvitedAccountCanBeActivated) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Active);
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  EXPECT_TRUE(RefusedBy(run(ActivateOp{"acc-ada"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(ActivateOp{"acc-sus"}), invariant::kState));
}

TEST_F(StateTest, AnActivatedAccountComesBackActiveAfterASuspension) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Invited);
  run_and_apply(ActivateOp{"acc-ada"}, root);
  run_and_apply(SuspendOp{"acc-ada"}, root);
  const auto t = run(ResumeOp{"acc-ada"});
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].state, S::Active);
  EXPECT_EQ(t->accounts[0].version, 6);
}

// --- deactivate / reactivate ------------------------------------------------------------

TEST_F(StateTest, DeactivateFreesTheSeatFromEveryStateThatHoldsOne) {
  for (const S from : {S::Invited, S::Active, S::Suspended, S::Locked}) {
    seed("ada@acme.example", "recruiter", "recruiter", from);
    const auto t = run(DeactivateOp{"acc-ada"});
    EXPECT_TRUE(ChangesState(t, "deactivate", "account.deactivated", from, S::Deactivated))
        << to_string(from);
    ASSERT_TRUE(t);
    ASSERT_EQ(t->seats.size(), 1u);
    EXPECT_EQ(t->seats[0].space, "acme");
    EXPECT_EQ(t->seats[0].licence, "recruiter");
    EXPECT_EQ(t->seats[0].delta, -1);
  }
}

TEST_F(StateTest, DeactivatingADeactivatedAccountIsRefused) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Deactivated);
  EXPECT_TRUE(RefusedBy(run(DeactivateOp{"acc-ada"}), invariant::kState));
}

TEST_F(StateTest, DeactivatingFreesTheSeatForTheNextCreate) {
  seed("r1@acme.example", "recruiter", "recruiter");
  seed("r2@acme.example", "recruiter", "recruiter");
  EXPECT_TRUE(RefusedBy(run(create_op("ada@acme.example", "recruiter", "recruiter")),
                        invariant::kLicenceQuota));
  run_and_apply(DeactivateOp{"acc-r1"}, root);
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "recruiter", "recruiter"))));
}

TEST_F(StateTest, ReactivateTakesASeatAgain) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto t = run(ReactivateOp{"acc-ada"});
  EXPECT_TRUE(ChangesState(t, "reactivate", "account.reactivated", S::Deactivated, S::Active));
  ASSERT_TRUE(t);
  ASSERT_EQ(t->seats.size(), 1u);
  EXPECT_EQ(t->seats[0].space, "acme");
  EXPECT_EQ(t->seats[0].licence, "recruiter");
  EXPECT_EQ(t->seats[0].delta, +1);
}

TEST_F(StateTest, ReactivatingANeverActivatedAccountReturnsItToInvited) {
  Account& a = seed("ada@acme.example", "recruiter", "recruiter", S::Deactivated);
  a.activated_at.reset();
  EXPECT_TRUE(ChangesState(run(ReactivateOp{"acc-ada"}), "reactivate", "account.reactivated",
                           S::Deactivated, S::Invited));
}

TEST_F(StateTest, ReactivateIsRefusedWhenTheLicenceIsFull) {
  seed("ada@acme.example", "recruiter", "recruiter", S::Deactivated);
  seed("r1@acme.example", "recruiter", "recruiter");
  seed("r2@acme.example", "recruiter", "recruiter", S::Suspended);
  EXPECT_TRUE(RefusedBy(run(ReactivateOp{"acc-ada"}), invariant::kLicenceQuota));
}

TEST_F(StateTest, ReactivatingAnAccountThatIsNotDeactivatedIsAStateErrorEvenWhenFull) {
  seed("r1@acme.example", "recruiter", "recruiter");
  seed("r2@acme.example", "recruiter", "recruiter", S::Suspended);
  EXPECT_TRUE(RefusedBy(run(ReactivateOp{"acc-r1"}), invariant::kState));
  EXPECT_TRUE(RefusedBy(run(ReactivateOp{"acc-r2"}), invariant::kState));
}

TEST_F(StateTest, ReactivateChecksTheRoleMayStillHoldTheLicence) {
  RoleOverride narrower;
  narrower.name = "collaborator";
  narrower.licences = std::vector<std::string>{"manager"};
  auto narrowed = RoleCatalogue::with_overrides({narrower});
  ASSERT_TRUE(narrowed.has_value());
  roles = *narrowed;
  seed("ada@acme.example", "collaborator", "recruiter", S::Deactivated);
  EXPECT_TRUE(RefusedBy(run(ReactivateOp{"acc-ada"}), invariant::kRoleLicence));
}

TEST_F(StateTest, ReactivateIsRefusedForALicenceTypeTheSpaceNoLongerSells) {
  seed("ada@acme.example", "assessor", "manager", S::Deactivated);
  view.find_space("acme")->licences.erase("manager");
  EXPECT_TRUE(FailsWith(run(ReactivateOp{"acc-ada"}), ErrorCode::InvalidValue));
}

// --- every operation on an account that is not there ----------------------------------

TEST_F(StateTest, EveryOperationOnAMissingOrDeletedAccountIsNotFound) {
  seed("gone@acme.example", "recruiter", "recruiter", S::Deleted);
  seed("bob@acme.example", "administrator", "administrator");
  Profile title;
  title.title = "x";
  for (const char* missing : {"acc-nobody", "acc-gone"}) {
    const std::string id = missing;
    const std::vector<Operation> ops{
        UpdateOp{id, title}, SuspendOp{id}, ResumeOp{id}, DeactivateOp{id},
        ReactivateOp{id}, LockOp{id}, UnlockOp{id}, ActivateOp{id},
        ReassignOp{id, "new@acme.example", "New", "Holder", ""}, DeleteOp{id, "acc-bob"}};
    for (const auto& op : ops)
      EXPECT_TRUE(FailsWith(run(op), ErrorCode::NotFound)) << operation_name(op) << " " << id;
  }
}

}  // namespace
}  // namespace rosterd::core_test
