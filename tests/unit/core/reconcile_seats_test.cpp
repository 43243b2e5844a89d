// reconcile() within licence quotas: holders keep their seats, seats freed in a plan go to
// the waiting in priority order (rule, then since, then first seen), the others are
// pending with their place in the queue, and changes of licence type are ordered so that
// decide() finds each seat free.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using Seats = ReconcileTest;
using S = AccountState;
using Strings = std::vector<std::string>;

Strings pending_list(const ReconcileResult& r) {
  Strings out;
  for (const auto& p : r.pending)
    out.push_back(p.licence + " #" + std::to_string(p.position) + " " + p.person + " (" + p.reason + ")");
  return out;
}

// Three recruiters, desired by a late rule, hold the three recruiter seats.
class SeatsFull : public Seats {
 protected:
  SeatsFull() {
    for (const char* who : {"h1@acme.example", "h2@acme.example", "h3@acme.example"}) {
      want(who).rule_index = 9;
      has(who);
    }
  }
};

TEST_F(SeatsFull, AHolderNeverLosesItsSeatToAHigherPriorityNewcomer) {
  want("vip@acme.example").rule_index = 0;
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  ASSERT_EQ(r.pending.size(), 1u);
  const PendingSeat& p = r.pending[0];
  EXPECT_EQ(p.person, "vip@acme.example");
  EXPECT_EQ(p.email, "vip@acme.example");
  EXPECT_EQ(p.licence, "recruiter");
  EXPECT_EQ(p.rule, "recruiters");
  EXPECT_EQ(p.since, kNow);
  EXPECT_EQ(p.position, 1u);
  EXPECT_EQ(p.reason, "quota recruiter 3/3");
  EXPECT_EQ(r.queue, (std::vector<SeatClaim>{{"vip@acme.example", "recruiter", kNow}}));
  EXPECT_EQ(r.usage_after[2].used, 3);
  EXPECT_EQ(r.usage_after[2].pending, 1);
}

TEST_F(SeatsFull, AClaimQueuedTwiceKeepsItsEarliestSinceAndCountsOnce) {
  want("w@acme.example");
  input.queue = {{"w@acme.example", "recruiter", kEarlier - std::chrono::hours(5)},
                 {"w@acme.example", "recruiter", kEarlier}};
  const auto r = plan();
  ASSERT_EQ(r.pending.size(), 1u) << result_text(r);
  EXPECT_EQ(r.pending[0].since, kEarlier - std::chrono::hours(5));
  EXPECT_EQ(r.usage_before[2].licence, "recruiter");
  EXPECT_EQ(r.usage_before[2].pending, 1);
}

TEST_F(Seats, PendingOrderIsRuleThenSinceThenFirstSeen) {
  input.policy.space.licences["recruiter"] = 1;
  want("late-rule@acme.example").rule_index = 1;
  want("queued-long@acme.example");
  want("queued-recently@acme.example");
  want("seen-first@acme.example").first_seen = kEarlier - std::chrono::days(1);
  want("seen-later@acme.example");
  want("queued-other-type@acme.example");
  input.queue = {{"queued-recently@acme.example", "recruiter", at("2026-10-01")},
                 {"queued-long@acme.example", "recruiter", at("2026-09-01")},
                 {"queued-other-type@acme.example", "manager", at("2026-01-01")}};
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"create queued-long@acme.example"});
  EXPECT_EQ(pending_list(r),
            (Strings{"recruiter #1 queued-recently@acme.example (quota recruiter 1/1)",
                     "recruiter #2 seen-first@acme.example (quota recruiter 1/1)",
                     "recruiter #3 queued-other-type@acme.example (quota recruiter 1/1)",
                     "recruiter #4 seen-later@acme.example (quota recruiter 1/1)",
                     "recruiter #5 late-rule@acme.example (quota recruiter 1/1)"}));
  // The queue keeps when each started waiting for this licence type.
  EXPECT_EQ(r.queue[0], (SeatClaim{"queued-recently@acme.example", "recruiter", at("2026-10-01")}));
  EXPECT_EQ(r.queue[2], (SeatClaim{"queued-other-type@acme.example", "recruiter", kNow}));
}

TEST_F(SeatsFull, ASeatFreedInThePlanGoesToTheFirstWaitingInTheSamePlan) {
  input.desired.accounts.erase(input.desired.accounts.begin());  // h1 leaves
  want("second@acme.example").rule_index = 3;
  want("first@acme.example").rule_index = 2;
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-h1", "create first@acme.example"}));
  EXPECT_EQ(pending_list(r), Strings{"recruiter #1 second@acme.example (quota recruiter 3/3)"});
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(SeatsFull, ASeatFreedLaterGoesToTheFirstPendingInTheNextPlan) {
  want("second@acme.example");
  want("first@acme.example");
  input.desired.accounts.back().first_seen = kEarlier - std::chrono::hours(1);
  auto r = plan();
  EXPECT_EQ(pending_list(r), (Strings{"recruiter #1 first@acme.example (quota recruiter 3/3)",
                                      "recruiter #2 second@acme.example (quota recruiter 3/3)"}));
  apply(r);
  // h2 leaves; meanwhile third arrives with an earlier first_seen but no place in the queue.
  input.desired.accounts.erase(input.desired.accounts.begin() + 1);
  want("third@acme.example").first_seen = kEarlier - std::chrono::days(365);
  input.now = kNow + std::chrono::hours(1);
  r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-h2", "create first@acme.example"}));
  EXPECT_EQ(pending_list(r), (Strings{"recruiter #1 second@acme.example (quota recruiter 3/3)",
                                      "recruiter #2 third@acme.example (quota recruiter 3/3)"}));
  EXPECT_EQ(r.queue[0].since, kNow);  // second has waited since the first plan
}

TEST_F(SeatsFull, AnOverUsedQuotaGivesNoNewSeatEvenAfterFreeingOne) {
  manual("m1@acme.example", "recruiter", "recruiter");
  manual("m2@acme.example", "recruiter", "recruiter");
  has("leaver@acme.example");
  want("new@acme.example").rule_index = 0;
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-leaver"});
  EXPECT_EQ(pending_list(r), Strings{"recruiter #1 new@acme.example (quota recruiter 5/3)"});
  EXPECT_EQ(r.usage_before[2].used, 6);
  EXPECT_EQ(r.usage_before[2].total, 3);
  EXPECT_EQ(r.usage_after[2].used, 5);
}

TEST_F(SeatsFull, AReactivationWaitsForASeatWhileItsProfileIsUpdated) {
  want("back@acme.example").title = "Sourcer";
  has("back@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"update acc-back"});
  EXPECT_EQ(pending_list(r), Strings{"recruiter #1 back@acme.example (quota recruiter 3/3)"});
}

TEST_F(Seats, AChangeOfLicenceWithoutASeatKeepsTheOtherChanges) {
  input.policy.space.licences["administrator"] = 1;  // the manual owner holds it
  DesiredAccount& d = want("ada@acme.example", "administrator", "administrator");
  d.title = "Head of Talent";
  has("ada@acme.example", "collaborator", "recruiter");
  want("cy@acme.example", "accountant", "administrator");
  has("cy@acme.example", "member", "manager");
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 2u) << result_text(r);
  // ada: administrators may not hold a recruiter seat, so the role waits with the licence.
  const auto& ada = std::get<UpdateOp>(r.plan.operations[1].op);
  Profile title_only;
  title_only.title = "Head of Talent";
  EXPECT_EQ(ada.changes, title_only);
  EXPECT_EQ(r.plan.operations[1].group, "update");
  // cy: accountants may hold a manager seat, so the role changes now.
  const auto& cy = std::get<UpdateOp>(r.plan.operations[0].op);
  Profile role_only;
  role_only.role = "accountant";
  EXPECT_EQ(cy.changes, role_only);
  EXPECT_EQ(r.plan.operations[0].group, "demote");
  EXPECT_EQ(pending_list(r),
            (Strings{"administrator #1 ada@acme.example (quota administrator 1/1)",
                     "administrator #2 cy@acme.example (quota administrator 1/1)"}));
  EXPECT_EQ(apply(r), Strings{});
  const auto again = plan();
  EXPECT_TRUE(again.plan.operations.empty()) << result_text(again);
  EXPECT_EQ(again.pending.size(), 2u);
}

TEST_F(SeatsFull, AHolderChangingTypeGivesItsSeatToTheFirstWaitingNotTheNextInLine) {
  input.desired.accounts.clear();
  input.current.resize(1);  // the manual owner
  want("first@acme.example").rule_index = 0;
  want("mover@acme.example", "collaborator", "manager").rule_index = 1;
  has("mover@acme.example", "collaborator", "recruiter");
  want("h1@acme.example").rule_index = 2;
  has("h1@acme.example");
  want("h2@acme.example").rule_index = 2;
  has("h2@acme.example");
  want("last@acme.example").rule_index = 3;
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan),
            (Strings{"change-licence acc-mover", "create first@acme.example"}));
  EXPECT_EQ(pending_list(r), Strings{"recruiter #1 last@acme.example (quota recruiter 3/3)"});
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Seats, AChangeThatNeedsTheSeatAnotherChangeFreesComesAfterIt) {
  input.policy.space.licences["manager"] = 1;
  want("alice@acme.example", "collaborator", "manager");
  has("alice@acme.example", "collaborator", "recruiter");
  want("zed@acme.example", "collaborator", "recruiter");
  has("zed@acme.example", "collaborator", "manager");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"change-licence acc-zed", "change-licence acc-alice"}));
  EXPECT_TRUE(r.pending.empty());
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_TRUE(plan().plan.operations.empty());
}

TEST_F(Seats, ASwapBetweenTwoFullPoolsWaits) {
  input.policy.space.licences["manager"] = 1;
  input.policy.space.licences["recruiter"] = 1;
  want("alice@acme.example", "collaborator", "manager");
  has("alice@acme.example", "collaborator", "recruiter");
  want("zed@acme.example", "collaborator", "recruiter");
  has("zed@acme.example", "collaborator", "manager");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  EXPECT_EQ(pending_list(r), (Strings{"manager #1 alice@acme.example (quota manager 1/1)",
                                      "recruiter #1 zed@acme.example (quota recruiter 1/1)"}));
}

TEST_F(Seats, UsageCountsManualAccountsAndEveryStateHoldingASeat) {
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  has("lock@acme.example", "recruiter", "recruiter", S::Locked);
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  for (const char* who : {"sus@acme.example", "lock@acme.example", "off@acme.example"}) want(who);
  input.queue = {{"x@acme.example", "manager", kEarlier}};
  const auto r = plan();
  ASSERT_EQ(r.usage_before.size(), 3u);
  EXPECT_EQ(r.usage_before[0].space, "acme");
  EXPECT_EQ(r.usage_before[0].licence, "administrator");
  EXPECT_EQ(r.usage_before[0].used, 1);
  EXPECT_EQ(r.usage_before[1].pending, 1);
  EXPECT_EQ(r.usage_before[2].used, 2);
  EXPECT_EQ(r.usage_after[2].used, 3);  // off reactivated
  EXPECT_EQ(r.usage_after[1].pending, 0);
}

}  // namespace
}  // namespace rosterd::core_test
