// reconcile()'s safety checks (destructive threshold, unhealthy and empty sources, the last
// owner) and the order of a plan's operations.
#include <gtest/gtest.h>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using S = AccountState;
using Strings = std::vector<std::string>;

class Safety : public ReconcileTest {
 protected:
  // n accounts of okta that okta no longer lists (deactivated by the plan).
  void leavers(int n, const std::string& prefix = "l") {
    for (int i = 0; i < n; ++i) has(prefix + std::to_string(i) + "@acme.example", "member", "manager");
  }
  // n accounts that stay as they are.
  void stayers(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string email = "s" + std::to_string(i) + "@acme.example";
      want(email, "member", "manager");
      has(email, "member", "manager");
    }
  }
  static Strings kinds(const ReconcileResult& r) {
    Strings out;
    for (const auto& b : r.blocks) out.push_back(b.kind);
    return out;
  }
};

TEST_F(Safety, MoreDestructiveOperationsThanTheCountBlock) {
  input.policy.space.licences["manager"] = 50;
  input.policy.max_destructive_count = 2;
  leavers(3);
  const auto r = plan();
  EXPECT_EQ(r.destructive, 3u);
  ASSERT_EQ(kinds(r), Strings{"destructive-threshold"});
  EXPECT_EQ(r.blocks[0].message,
            "the plan has 3 destructive operations (deactivate, suspend, delete, demote, "
            "change-licence); the limits are 2 (max_destructive count) and 4 (100% of 4 accounts "
            "that are not deactivated)");
  EXPECT_EQ(r.plan.operations.size(), 3u);  // the whole plan is still there
}

TEST_F(Safety, AtTheCountTheresNoBlock) {
  input.policy.max_destructive_count = 3;
  leavers(3);
  EXPECT_TRUE(plan().blocks.empty());
}

TEST_F(Safety, MoreThanThePercentOfAccountsNotDeactivatedBlock) {
  input.policy.space.licences["manager"] = 50;
  input.policy.max_destructive_percent = 10;
  stayers(17);
  leavers(2);  // 1 owner + 17 + 2 = 20 accounts: 10% is 2
  has("off@acme.example", "member", "manager", S::Deactivated);  // not counted
  EXPECT_TRUE(plan().blocks.empty());
  leavers(1, "m");  // 21 accounts: 10% is still 2
  const auto r = plan();
  ASSERT_EQ(kinds(r), Strings{"destructive-threshold"});
  EXPECT_NE(r.blocks[0].message.find("the limits are 50 (max_destructive count) and 2 (10% of 21 "
                                     "accounts that are not deactivated)"),
            std::string::npos)
      << r.blocks[0].message;
}

TEST_F(Safety, ThePercentLimitIsNeverBelowOne) {
  input.policy.max_destructive_percent = 10;
  leavers(1);  // 2 accounts: 10% rounds down to 0
  EXPECT_TRUE(plan().blocks.empty());
  leavers(2, "m");
  EXPECT_EQ(kinds(plan()), Strings{"destructive-threshold"});
}

TEST_F(Safety, DemotionsAndLicenceChangesAreDestructive) {
  input.policy.max_destructive_count = 1;
  want("down@acme.example", "member", "recruiter");
  has("down@acme.example", "recruiter", "recruiter");
  want("move@acme.example", "collaborator", "manager");
  has("move@acme.example", "collaborator", "recruiter");
  want("up@acme.example", "administrator", "administrator");
  has("up@acme.example", "accountant", "administrator");
  const auto r = plan();
  EXPECT_EQ(r.destructive, 2u);
  EXPECT_EQ(kinds(r), Strings{"destructive-threshold"});
}

TEST_F(Safety, AFailedOrIncompleteSourceBlocksWithItsProblem) {
  source("corp-ad").state = "failed";
  source("corp-ad").problem = "ldaps://dc1.corp.example: connection refused";
  source("okta").state = "incomplete";
  has("a@acme.example", "member", "manager", S::Active, "corp-ad");
  has("b@acme.example", "member", "manager", S::Active, "corp-ad");
  source("ldap").state = "never";
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty());
  ASSERT_EQ(kinds(r), (Strings{"source-unhealthy", "source-unhealthy"}));
  EXPECT_EQ(r.blocks[0].message,
            "source corp-ad: last read failed (ldaps://dc1.corp.example: connection refused); its "
            "2 accounts are left alone");
  EXPECT_EQ(r.blocks[1].message,
            "source okta: last read was incomplete; its 0 accounts are left alone");
}

TEST_F(Safety, ASourceThatCameBackEmptyBlocks) {
  source("okta").previous_count = 120;
  source("okta").current_count = 0;
  source("corp-ad").previous_count = 0;
  source("corp-ad").current_count = 0;
  leavers(1);
  const auto r = plan();
  ASSERT_EQ(kinds(r), Strings{"source-empty"});
  EXPECT_EQ(r.blocks[0].message,
            "source okta: it has no identities now and had 120 at the last applied plan; every "
            "account it manages would be a leaver");
}

class LastOwner : public Safety {
 protected:
  LastOwner() {
    input.current.clear();
    manual("admin@acme.example", "administrator", "administrator");
    manual("gone@acme.example", "owner", "administrator", S::Suspended);  // not enabled
    has("boss@acme.example", "owner", "administrator");
  }
};

TEST_F(LastOwner, DeactivatingTheLastEnabledOwnerBlocks) {
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-boss"});
  ASSERT_EQ(kinds(r), Strings{"last-owner"});
  EXPECT_EQ(r.blocks[0].message,
            "space 'acme' would lose its last active owner: deactivate boss@acme.example would "
            "leave no enabled owner; name another owner first");
  EXPECT_EQ(apply(r).size(), 1u);  // decide() refuses it too
}

TEST_F(LastOwner, TheSeatOfAnOwnerWhoCannotGoIsGivenToNobody) {
  input.policy.space.licences["administrator"] = 3;  // admin, gone (suspended) and boss
  want("new@acme.example", "administrator", "administrator");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), Strings{"deactivate acc-boss"});
  ASSERT_EQ(r.pending.size(), 1u);
  EXPECT_EQ(r.pending[0].reason, "quota administrator 3/3");
  EXPECT_EQ(apply(r).size(), 1u);  // only the deactivation is refused
}

TEST_F(LastOwner, DemotingTheLastOwnerBlocks) {
  want("boss@acme.example", "administrator", "administrator");
  EXPECT_EQ(kinds(plan()), Strings{"last-owner"});
}

TEST_F(LastOwner, APromotionInTheSamePlanKeepsAnOwner) {
  want("admin2@acme.example", "owner", "administrator");
  has("admin2@acme.example", "administrator", "administrator");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"promote acc-admin2", "deactivate acc-boss"}));
  EXPECT_TRUE(r.blocks.empty()) << result_text(r);
  EXPECT_EQ(apply(r), Strings{});
}

TEST_F(LastOwner, AnOwnerCreatedLaterInThePlanComesTooLate) {
  input.policy.space.licences["administrator"] = 9;
  want("new@acme.example", "owner", "administrator");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-boss", "create new@acme.example"}));
  EXPECT_EQ(kinds(r), Strings{"last-owner"});
  EXPECT_EQ(apply(r).size(), 1u);
}

TEST_F(LastOwner, ASpaceWithoutAnEnabledOwnerIsNotBlocked) {
  input.current.pop_back();
  EXPECT_TRUE(plan().blocks.empty());
}

TEST_F(Safety, OperationsAreOrderedByGroupThenPersonThenAccount) {
  input.policy.space.licences = {{"administrator", 9}, {"manager", 9}, {"recruiter", 9}};
  input.policy.on_leave = LeaveAction::Suspend;
  input.policy.delete_after_days = 1;
  want("z-create@acme.example");
  want("a-create@acme.example");
  want("react@acme.example");
  has("react@acme.example", "recruiter", "recruiter", S::Deactivated);
  want("res@acme.example");
  has("res@acme.example", "recruiter", "recruiter", S::Suspended);
  want("upd@acme.example").title = "Sourcer";
  has("upd@acme.example");
  want("lic@acme.example", "collaborator", "manager");
  has("lic@acme.example", "collaborator", "recruiter");
  want("dem@acme.example", "member", "recruiter");
  has("dem@acme.example");
  has("del@acme.example", "recruiter", "recruiter", S::Suspended);
  has("sus-b@acme.example");
  has("sus-a@acme.example");
  want("pro@acme.example", "administrator", "administrator");
  has("pro@acme.example", "accountant", "administrator");
  input.policy.max_destructive_count = 99;
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan),
            (Strings{"promote acc-pro", "suspend acc-sus-a", "suspend acc-sus-b", "delete acc-del",
                     "demote acc-dem", "change-licence acc-lic", "update acc-upd", "resume acc-res",
                     "reactivate acc-react", "create a-create@acme.example",
                     "create z-create@acme.example"}))
      << result_text(r);
  EXPECT_EQ(apply(r), Strings{});
  EXPECT_TRUE(plan().plan.operations.empty());
}

}  // namespace
}  // namespace rosterd::core_test
