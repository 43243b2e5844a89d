// reconcile() for leavers: each on_leave policy, delete_after_days, the handover successor
// (manager, rule handover, default owner, none), and sources whose last read did not
// succeed, whose accounts are left alone.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using Leavers = ReconcileTest;
using S = AccountState;
using Strings = std::vector<std::string>;

std::optional<std::string> successor_of(const ReconcileResult& r, std::size_t i = 0) {
  return std::get<DeleteOp>(r.plan.operations.at(i).op).successor;
}

TEST_F(Leavers, DeactivatesAnAccountGoneFromItsSource) {
  has("bob@acme.example");
  const auto r = plan();
  ASSERT_EQ(op_list(r.plan), Strings{"deactivate acc-bob"});
  const PlannedOperation& p = r.plan.operations[0];
  EXPECT_EQ(p.source, "okta");
  EXPECT_EQ(p.person, "bob@acme.example");
  EXPECT_EQ(p.reason, "gone from source okta; on_leave: deactivate");
  EXPECT_EQ(p.details, (Details{{"reason", "gone from source okta"}, {"on_leave", "deactivate"}}));
  EXPECT_EQ(r.destructive, 1u);
  EXPECT_EQ(r.usage_after[2].used, 0);  // recruiter seat freed
}

TEST_F(Leavers, TheExcludedPersonsReasonIsGivenMatchedByAnchorThenEmail) {
  has("bob@acme.example");
  gone("bob@acme.example", "denied by rule no-contractors");
  has("cy@acme.example", "recruiter", "recruiter", S::Active, "corp-ad");
  gone("CY@acme.example", "disabled in source corp-ad", "corp-ad").anchor = "other";
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 2u);
  EXPECT_EQ(r.plan.operations[0].reason, "denied by rule no-contractors; on_leave: deactivate");
  EXPECT_EQ(r.plan.operations[1].reason, "disabled in source corp-ad; on_leave: deactivate");
  EXPECT_EQ(r.plan.operations[1].source, "corp-ad");
}

TEST_F(Leavers, AnAccountAlreadyDeactivatedIsLeftAsItIs) {
  has("bob@acme.example", "recruiter", "recruiter", S::Deactivated);
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Leavers, SuspendPolicySuspendsUnlessSuspendedOrDeactivated) {
  input.policy.on_leave = LeaveAction::Suspend;
  has("act@acme.example");
  has("lock@acme.example", "recruiter", "recruiter", S::Locked);
  has("inv@acme.example", "recruiter", "recruiter", S::Invited);
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"suspend acc-act", "suspend acc-inv", "suspend acc-lock"}));
  EXPECT_EQ(r.plan.operations[0].reason, "gone from source okta; on_leave: suspend");
  EXPECT_TRUE(apply(r).empty());
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Leavers, DeleteHandsOverToTheManager) {
  input.policy.on_leave = LeaveAction::Delete;
  has("bob@acme.example");
  gone("bob@acme.example", "disabled in source okta").manager_email = "MGR@acme.example";
  manual("mgr@acme.example", "recruiter", "recruiter");
  const auto r = plan();
  ASSERT_EQ(op_list(r.plan), Strings{"delete acc-bob"});
  EXPECT_EQ(successor_of(r), std::optional<std::string>("acc-mgr"));
  EXPECT_EQ(r.plan.operations[0].reason,
            "disabled in source okta; on_leave: delete; handover to mgr@acme.example (manager)");
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_EQ(current("acc-bob")->state, S::Deleted);
  EXPECT_EQ(current("acc-bob")->successor, "acc-mgr");
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Leavers, AManagerWhoLeavesTooGivesWayToTheRuleHandover) {
  input.policy.on_leave = LeaveAction::Delete;
  has("bob@acme.example");
  ExcludedPerson& e = gone("bob@acme.example", "gone");
  e.manager_email = "mgr@acme.example";
  e.rule_handover = "lead@acme.example";
  has("mgr@acme.example");  // no desired account: leaves in this plan
  want("lead@acme.example");
  has("lead@acme.example");
  const auto r = plan();
  ASSERT_EQ(op_list(r.plan), (Strings{"delete acc-bob", "delete acc-mgr"}));
  EXPECT_EQ(successor_of(r), std::optional<std::string>("acc-lead"));
  EXPECT_EQ(r.plan.operations[0].details->back(),
            (std::pair<std::string, std::string>{"successor", "lead@acme.example"}));
}

TEST_F(Leavers, AManagerWhoIsNotEnabledGivesWayToTheDefaultOwner) {
  input.policy.on_leave = LeaveAction::Delete;
  has("bob@acme.example");
  ExcludedPerson& e = gone("bob@acme.example", "gone");
  e.manager_email = "mgr@acme.example";
  e.rule_handover = "nobody@acme.example";
  manual("mgr@acme.example", "recruiter", "recruiter", S::Suspended);
  const auto r = plan();
  ASSERT_EQ(op_list(r.plan), Strings{"delete acc-bob"});
  EXPECT_EQ(successor_of(r), std::nullopt);  // decide() takes the default owner
  EXPECT_NE(r.plan.operations[0].reason.find("handover to owner@acme.example (default owner)"),
            std::string::npos);
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_EQ(current("acc-bob")->successor, "acc-owner");
}

TEST_F(Leavers, WithoutAnySuccessorTheDeleteIsSkippedAndTheLeaverDeactivated) {
  input.policy.on_leave = LeaveAction::Delete;
  input.policy.space.default_owner.clear();
  has("bob@acme.example");
  has("old@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-bob"});
  EXPECT_EQ(r.plan.operations[0].reason,
            "gone from source okta; on_leave: delete, deactivated until a successor can be named");
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_NE(r.notes[0].find("account bob@acme.example is not deleted"), std::string::npos);
  EXPECT_NE(r.notes[1].find("account old@acme.example is not deleted"), std::string::npos);
  EXPECT_TRUE(apply(r).empty());
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Leavers, ADefaultOwnerWhoLeavesIsNoSuccessor) {
  input.policy.on_leave = LeaveAction::Delete;
  input.current.clear();
  has("owner@acme.example", "owner", "administrator");  // managed by okta, gone from it
  has("bob@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-bob", "deactivate acc-owner"}));
  EXPECT_EQ(r.notes.size(), 2u);
}

TEST_F(Leavers, DeleteAfterDaysDeletesWhatStayedInThePolicyStateLongEnough) {
  input.policy.delete_after_days = 90;
  has("old@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(90);
  has("new@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(89);
  has("act@acme.example").updated_at = kNow - std::chrono::days(400);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-act", "delete acc-old"}));
  EXPECT_EQ(r.plan.operations[1].reason,
            "gone from source okta; deactivated since 2026-08-25, delete_after_days: 90; handover "
            "to owner@acme.example (default owner)");
  EXPECT_TRUE(apply(r).empty());
  EXPECT_TRUE(plan().plan.operations.empty());  // act's clock starts again now
}

// The moment time alone changes the plan: `serve` plans the space again then.
TEST_F(Leavers, TheNextDeadlineIsTheEarliestDeleteStillToCome) {
  input.policy.delete_after_days = 90;
  has("old@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(95);  // due already: deleted now, no deadline
  has("mid@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(60);
  has("new@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(10);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"delete acc-old"});
  ASSERT_TRUE(r.next_deadline.has_value());
  EXPECT_EQ(*r.next_deadline, kNow + std::chrono::days(30));
}

// An account this plan deactivates starts waiting when the plan is applied: its deadline is
// days from now at the earliest, and it is the next one when nothing waits longer already.
TEST_F(Leavers, AnAccountThisPlanDeactivatesOrSuspendsHasItsDeadlineFromNow) {
  input.policy.delete_after_days = 90;
  has("act@acme.example");
  auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-act"});
  ASSERT_TRUE(r.next_deadline.has_value());
  EXPECT_EQ(*r.next_deadline, kNow + std::chrono::days(90));

  input.policy.on_leave = LeaveAction::Suspend;
  r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"suspend acc-act"});
  ASSERT_TRUE(r.next_deadline.has_value());
  EXPECT_EQ(*r.next_deadline, kNow + std::chrono::days(90));

  input.policy.on_leave = LeaveAction::Delete;  // deleted now: nothing waits
  EXPECT_FALSE(plan().next_deadline.has_value());

  input.policy.on_leave = LeaveAction::Deactivate;
  input.policy.delete_after_days = 0;
  EXPECT_FALSE(plan().next_deadline.has_value());
}

TEST_F(Leavers, ThereIsNoDeadlineWithoutDeleteAfterDaysOrOutsideThePolicyState) {
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at = kNow - std::chrono::days(10);
  EXPECT_FALSE(plan().next_deadline.has_value()) << "delete_after_days 0: never";

  input.policy.delete_after_days = 30;
  input.policy.on_leave = LeaveAction::Deactivate;
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended).updated_at = kNow - std::chrono::days(10);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-sus"});
  ASSERT_TRUE(r.next_deadline.has_value()) << "off waits";
  EXPECT_EQ(*r.next_deadline, kNow + std::chrono::days(20));

  source("okta").state = "failed";  // its accounts are left alone: no clock runs for them
  EXPECT_FALSE(plan().next_deadline.has_value());
}

TEST_F(Leavers, DeleteAfterDaysUnderSuspendCountsSuspendedAndDeactivated) {
  input.policy.on_leave = LeaveAction::Suspend;
  input.policy.delete_after_days = 30;
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended).updated_at =
      kNow - std::chrono::days(31);
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(31);
  EXPECT_EQ(op_list(plan().plan), (Strings{"delete acc-off", "delete acc-sus"}));
}

TEST_F(Leavers, ZeroDeleteAfterDaysNeverDeletes) {
  has("old@acme.example", "recruiter", "recruiter", S::Deactivated).updated_at =
      kNow - std::chrono::days(4000);
  EXPECT_TRUE(plan().plan.operations.empty());
}

class UnhealthySource : public Leavers, public ::testing::WithParamInterface<const char*> {};

TEST_P(UnhealthySource, LeavesItsAccountsAloneButNotThoseOfOtherSources) {
  source("corp-ad").state = GetParam();
  has("ad@acme.example", "recruiter", "recruiter", S::Active, "corp-ad");
  has("okta@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-okta"});
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "account ad@acme.example is not in the last read of source corp-ad, "
                        "which is " + std::string(GetParam()) + ": it is left alone (unknown, not gone)");
}

INSTANTIATE_TEST_SUITE_P(States, UnhealthySource,
                         ::testing::Values("failed", "incomplete", "never"));

}  // namespace
}  // namespace rosterd::core_test
