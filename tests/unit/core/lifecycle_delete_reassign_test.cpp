// decide() for delete (always with a handover to a successor) and reassign (a seat and
// everything the leaver owned go to a new person).
#include <gtest/gtest.h>

#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {
namespace {

using S = AccountState;
using Folders = std::vector<std::string>;

class DeleteTest : public LifecycleTest {
 protected:
  DeleteTest() {
    seed_owner("owner@acme.example");
    seed("ada@acme.example", "recruiter", "recruiter");
    seed("bob@acme.example", "administrator", "administrator");
  }
  void set_default_owner(const std::string& email) { view.find_space("acme")->default_owner = email; }
};

TEST_F(DeleteTest, HandsEverythingOverToTheNamedSuccessorAndFreesTheSeat) {
  const auto t = run(DeleteOp{"acc-ada", "acc-bob"});
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->operation, "delete");
  ASSERT_EQ(t->accounts.size(), 1u);
  const Account& a = t->accounts[0];
  EXPECT_EQ(a.id, "acc-ada");
  EXPECT_EQ(a.state, S::Deleted);
  EXPECT_EQ(a.successor, "acc-bob");
  EXPECT_EQ(a.email, "ada@acme.example");  // the row is kept, marked deleted
  EXPECT_EQ(a.version, 4);
  EXPECT_EQ(a.updated_at, kNow);
  ASSERT_EQ(t->seats.size(), 1u);
  EXPECT_EQ(t->seats[0].licence, "recruiter");
  EXPECT_EQ(t->seats[0].delta, -1);
  ASSERT_EQ(t->events.size(), 2u);
  EXPECT_EQ(t->events[0].type, "account.handover");  // the handover comes first
  EXPECT_EQ(t->events[0].account_id, "acc-ada");
  EXPECT_EQ(t->events[0].details,
            (Details{{"to_account", "acc-bob"}, {"to_email", "bob@acme.example"}}));
  EXPECT_EQ(t->events[1].type, "account.deleted");
  EXPECT_EQ(t->events[1].account_id, "acc-ada");
  EXPECT_EQ(t->events[1].details, (Details{{"from", "active"}, {"successor", "bob@acme.example"}}));
  EXPECT_NE(t->events[0].id, t->events[1].id);
}

TEST_F(DeleteTest, UsesTheSpacesDefaultOwnerWhenNoSuccessorIsNamed) {
  set_default_owner("Owner@ACME.example");  // found case-insensitively
  const auto t = run(DeleteOp{"acc-ada", std::nullopt});
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].successor, "acc-owner");
  EXPECT_EQ(t->events[0].details,
            (Details{{"to_account", "acc-owner"}, {"to_email", "owner@acme.example"}}));
}

TEST_F(DeleteTest, ANamedSuccessorWinsOverTheDefaultOwner) {
  set_default_owner("owner@acme.example");
  const auto t = run(DeleteOp{"acc-ada", "acc-bob"});
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].successor, "acc-bob");
}

TEST_F(DeleteTest, WithoutASuccessorOrADefaultOwnerItIsRefused) {
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", std::nullopt}), invariant::kHandover));
}

TEST_F(DeleteTest, ADefaultOwnerWithoutAnAccountIsRefused) {
  set_default_owner("nobody@acme.example");
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", std::nullopt}), invariant::kHandover));
}

TEST_F(DeleteTest, AMissingSuccessorIsRefused) {
  set_default_owner("owner@acme.example");  // not used: a named successor must exist
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-nobody"}), invariant::kHandover));
}

TEST_F(DeleteTest, ASuccessorThatIsNotEnabledIsRefused) {
  seed("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  seed("gone@acme.example", "recruiter", "recruiter", S::Deleted);
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-off"}), invariant::kHandover));
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-sus"}), invariant::kHandover));
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-gone"}), invariant::kHandover));
}

TEST_F(DeleteTest, ADeactivatedDefaultOwnerIsRefused) {
  seed("old@acme.example", "administrator", "administrator", S::Deactivated);
  set_default_owner("old@acme.example");
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", std::nullopt}), invariant::kHandover));
}

// account.h: is_enabled() is "used for the last active owner and for successors:
// suspended, deactivated and deleted accounts do not count". A locked account counts as
// an owner for the last-owner rule, so it must count as a successor too; refusing it
// blocks every default-owner delete of a space whose default owner got locked.
TEST_F(DeleteTest, ALockedSuccessorIsAcceptedLikeAnyEnabledAccount) {
  seed("lock@acme.example", "administrator", "administrator", S::Locked);
  EXPECT_TRUE(Allowed(run(DeleteOp{"acc-ada", "acc-lock"})));
  set_default_owner("lock@acme.example");
  EXPECT_TRUE(Allowed(run(DeleteOp{"acc-ada", std::nullopt})));
}

TEST_F(DeleteTest, AnInvitedSuccessorIsAccepted) {
  seed("new@acme.example", "recruiter", "recruiter", S::Invited);
  EXPECT_TRUE(Allowed(run(DeleteOp{"acc-ada", "acc-new"})));
}

TEST_F(DeleteTest, ASuccessorInAnotherSpaceIsRefused) {
  seed("carol@globex.example", "recruiter", "recruiter", S::Active, "globex");
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-carol"}), invariant::kHandover));
}

TEST_F(DeleteTest, AnAccountCannotBeItsOwnSuccessor) {
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", "acc-ada"}), invariant::kHandover));
  set_default_owner("ada@acme.example");
  EXPECT_TRUE(RefusedBy(run(DeleteOp{"acc-ada", std::nullopt}), invariant::kHandover));
}

TEST_F(DeleteTest, DeletingADeactivatedAccountFreesNoSecondSeat) {
  seed("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto t = run(DeleteOp{"acc-off", "acc-bob"});
  ASSERT_TRUE(Allowed(t));
  EXPECT_TRUE(t->seats.empty());
  EXPECT_EQ(t->events[1].details, (Details{{"from", "deactivated"}, {"successor", "bob@acme.example"}}));
}

TEST_F(DeleteTest, DeletingASuspendedOrLockedAccountFreesItsSeat) {
  seed("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  seed("lock@acme.example", "assessor", "manager", S::Locked);
  for (const char* id : {"acc-sus", "acc-lock"}) {
    const auto t = run(DeleteOp{id, "acc-bob"});
    ASSERT_TRUE(Allowed(t)) << id;
    ASSERT_EQ(t->seats.size(), 1u) << id;
    EXPECT_EQ(t->seats[0].delta, -1) << id;
  }
}

TEST_F(DeleteTest, ADeletedAccountCannotBeDeletedAgain) {
  run_and_apply(DeleteOp{"acc-ada", "acc-bob"}, root);
  EXPECT_TRUE(FailsWith(run(DeleteOp{"acc-ada", "acc-bob"}), ErrorCode::NotFound));
}

// --- reassign ---------------------------------------------------------------------------

class ReassignTest : public LifecycleTest {
 protected:
  ReassignTest() {
    Account& dave = seed("dave@acme.example", "recruiter", "recruiter");
    dave.title = "Talent Partner";
    dave.team = "Sales";
    dave.country = "FR";
    dave.language = "fr";
    dave.folders = {"Paris", "Shared"};
    dave.source_anchor = "anchor-dave";
  }
  static ReassignOp to_farid(std::string effective = "2026-11-01") {
    return ReassignOp{"acc-dave", "farid@acme.example", "Farid", "Benali", std::move(effective)};
  }
};

TEST_F(ReassignTest, TheNewHolderGetsTheSeatRoleTeamAndFoldersAndTheLeaverIsDeactivated) {
  const auto t = run(to_farid());
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->operation, "reassign");
  ASSERT_EQ(t->accounts.size(), 2u);
  const Account& from = t->accounts[0];
  const Account& to = t->accounts[1];

  EXPECT_EQ(from.id, "acc-dave");
  EXPECT_EQ(from.state, S::Deactivated);
  EXPECT_EQ(from.successor, to.id);
  EXPECT_EQ(from.email, "dave@acme.example");
  EXPECT_EQ(from.source_anchor, "anchor-dave");
  EXPECT_EQ(from.version, 4);
  EXPECT_EQ(from.updated_at, kNow);

  EXPECT_EQ(to.id, "id-1");
  EXPECT_EQ(to.space, "acme");
  EXPECT_EQ(to.email, "farid@acme.example");
  EXPECT_EQ(to.given_name, "Farid");
  EXPECT_EQ(to.family_name, "Benali");
  EXPECT_EQ(to.role, "recruiter");
  EXPECT_EQ(to.licence, "recruiter");
  EXPECT_EQ(to.team, "Sales");
  EXPECT_EQ(to.title, "Talent Partner");
  EXPECT_EQ(to.folders, (Folders{"Paris", "Shared"}));
  EXPECT_EQ(to.phone, "");          // the leaver's phone is not the new person's
  EXPECT_EQ(to.source_anchor, "");  // nor is the leaver's identity
  EXPECT_EQ(to.successor, "");
  EXPECT_EQ(to.managed_by, "manual");
  EXPECT_EQ(to.state, S::Invited);
  EXPECT_FALSE(to.activated_at.has_value());
  EXPECT_EQ(to.created_at, kNow);
  EXPECT_EQ(to.updated_at, kNow);
  EXPECT_EQ(to.version, 1);

  EXPECT_TRUE(t->seats.empty()) << "the seat moves with the account; the count is unchanged";

  ASSERT_EQ(t->events.size(), 2u);
  EXPECT_EQ(t->events[0].type, "account.reassigned");
  EXPECT_EQ(t->events[0].account_id, to.id);
  EXPECT_EQ(t->events[0].details, (Details{{"from_account", "acc-dave"},
                                           {"from_email", "dave@acme.example"},
                                           {"to_email", "farid@acme.example"},
                                           {"effective", "2026-11-01"}}));
  EXPECT_EQ(t->events[1].type, "account.handover");
  EXPECT_EQ(t->events[1].account_id, "acc-dave");
  EXPECT_EQ(t->events[1].details, (Details{{"to_account", to.id},
                                           {"to_email", "farid@acme.example"},
                                           {"effective", "2026-11-01"}}));
}

TEST_F(ReassignTest, TheEffectiveDateDefaultsToTodayInUtc) {
  const auto t = run(to_farid(""));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->events[0].details.back(), (std::pair<std::string, std::string>{"effective", "2026-11-23"}));
  EXPECT_EQ(t->events[1].details.back(), (std::pair<std::string, std::string>{"effective", "2026-11-23"}));
}

TEST_F(ReassignTest, AnEffectiveDateMayBeTodayButNotInTheFuture) {
  const auto today = run(to_farid("2026-11-23"));
  ASSERT_TRUE(Allowed(today));
  EXPECT_EQ(today->events[0].details.back().second, "2026-11-23");
  for (const char* date : {"2026-11-24", "2027-01-01"})
    EXPECT_TRUE(FailsWith(run(to_farid(date)), ErrorCode::InvalidValue)) << date;
}

TEST_F(ReassignTest, AnEffectiveDateThatIsNotADateIsRefused) {
  for (const char* date : {"2026-02-30", "2026-13-01", "01/12/2026", "2026-12-1", "tomorrow"})
    EXPECT_TRUE(FailsWith(run(to_farid(date)), ErrorCode::InvalidValue)) << date;
}

TEST_F(ReassignTest, TheNewHoldersEmailMustBeValidAndFree) {
  seed("farid@acme.example", "assessor", "manager");
  ReassignOp taken = to_farid();
  taken.to_email = "FARID@acme.example";
  EXPECT_TRUE(FailsWith(run(taken), ErrorCode::Uniqueness));
  ReassignOp same = to_farid();
  same.to_email = "dave@acme.example";  // the leaver keeps its address
  EXPECT_TRUE(FailsWith(run(same), ErrorCode::Uniqueness));
  ReassignOp invalid = to_farid();
  invalid.to_email = "farid";
  EXPECT_TRUE(FailsWith(run(invalid), ErrorCode::InvalidValue));
}

TEST_F(ReassignTest, TheNewHolderNeedsBothNames) {
  ReassignOp no_given = to_farid();
  no_given.to_given_name.clear();
  EXPECT_TRUE(FailsWith(run(no_given), ErrorCode::InvalidValue));
  ReassignOp no_family = to_farid();
  no_family.to_family_name.clear();
  EXPECT_TRUE(FailsWith(run(no_family), ErrorCode::InvalidValue));
}

TEST_F(ReassignTest, AFullLicencePoolDoesNotStopAReassign) {
  seed("r2@acme.example", "recruiter", "recruiter");  // 2/2 recruiters
  EXPECT_TRUE(Allowed(run(to_farid())));
}

TEST_F(ReassignTest, AnAccountWithoutASeatCannotBeReassigned) {
  view.put([&] {
    Account a = *view.find("acc-dave");
    a.state = S::Deactivated;
    return a;
  }());
  EXPECT_TRUE(RefusedBy(run(to_farid()), invariant::kState));
}

TEST_F(ReassignTest, ReassigningTheOnlyOwnerLeavesTheNewHolderAsOwner) {
  seed_owner("owner@acme.example");
  ReassignOp op{"acc-owner", "heir@acme.example", "Heir", "Apparent", ""};
  const auto t = run(op);
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[1].role, "owner");
  view.apply(*t);
  EXPECT_EQ(view.enabled_owners("acme").value(), 1);
}

}  // namespace
}  // namespace rosterd::core_test
