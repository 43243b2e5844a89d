// decide() for an update: profile changes recorded field by field, licence changes that
// move a seat, and the checks on email, names, role and licence.
#include <gtest/gtest.h>

#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {
namespace {

using UpdateTest = LifecycleTest;

UpdateOp update(std::string account, Profile changes) {
  return UpdateOp{std::move(account), std::move(changes)};
}

TEST_F(UpdateTest, ChangesProfileFieldsAndRecordsEachChangeInOrder) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile p;
  p.team = "Sales";
  p.title = "Head of Talent";
  p.given_name = "Augusta";
  p.country = "GB";
  const auto t = run(update("acc-ada", p));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->operation, "update");
  ASSERT_EQ(t->accounts.size(), 1u);
  const Account& a = t->accounts[0];
  EXPECT_EQ(a.id, "acc-ada");
  EXPECT_EQ(a.given_name, "Augusta");
  EXPECT_EQ(a.family_name, "Family");
  EXPECT_EQ(a.title, "Head of Talent");
  EXPECT_EQ(a.team, "Sales");
  EXPECT_EQ(a.country, "GB");
  EXPECT_EQ(a.state, AccountState::Active);
  EXPECT_EQ(a.version, 4);
  EXPECT_EQ(a.updated_at, kNow);
  EXPECT_EQ(a.created_at, kEarlier);
  EXPECT_TRUE(t->seats.empty());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].type, "account.updated");
  EXPECT_EQ(t->events[0].account_id, "acc-ada");
  EXPECT_EQ(t->events[0].space, "acme");
  EXPECT_EQ(t->events[0].details, (Details{{"given_name", "Given -> Augusta"},
                                           {"title", " -> Head of Talent"},
                                           {"team", "Talent -> Sales"},
                                           {"country", " -> GB"}}));
}

TEST_F(UpdateTest, AnUpdateThatChangesNothingWritesNothing) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile p;
  p.team = "Talent";  // as it is
  p.role = "recruiter";
  p.licence = "recruiter";
  const auto t = run(update("acc-ada", p));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->operation, "update");
  EXPECT_FALSE(t->changed());
  EXPECT_TRUE(t->accounts.empty());
  EXPECT_TRUE(t->seats.empty());
  EXPECT_TRUE(t->events.empty());
}

TEST_F(UpdateTest, ANewEmailMustNotBelongToAnotherAccountWhateverItsCase) {
  seed("ada@acme.example", "recruiter", "recruiter");
  seed("bob@acme.example", "recruiter", "recruiter");
  Profile p;
  p.email = "BOB@Acme.Example";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", p)), ErrorCode::Uniqueness));
}

TEST_F(UpdateTest, AnAccountMayChangeTheCaseOfItsOwnEmail) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile p;
  p.email = "Ada@Acme.example";
  const auto t = run(update("acc-ada", p));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].email, "Ada@Acme.example");
  EXPECT_EQ(t->events[0].details, (Details{{"email", "ada@acme.example -> Ada@Acme.example"}}));
}

TEST_F(UpdateTest, AnInvalidEmailOrABlankNameIsRefused) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile bad_email;
  bad_email.email = "ada at acme";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", bad_email)), ErrorCode::InvalidValue));
  Profile blank_given;
  blank_given.given_name = "";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", blank_given)), ErrorCode::InvalidValue));
  Profile blank_family;
  blank_family.family_name = "";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", blank_family)), ErrorCode::InvalidValue));
}

TEST_F(UpdateTest, ChangingTheLicenceMovesTheSeat) {
  seed("ada@acme.example", "collaborator", "recruiter");
  Profile p;
  p.licence = "manager";
  const auto t = run(update("acc-ada", p));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].licence, "manager");
  ASSERT_EQ(t->seats.size(), 2u);
  EXPECT_EQ(t->seats[0].licence, "recruiter");
  EXPECT_EQ(t->seats[0].delta, -1);
  EXPECT_EQ(t->seats[1].licence, "manager");
  EXPECT_EQ(t->seats[1].delta, +1);
  EXPECT_EQ(t->seats[0].space, "acme");
  EXPECT_EQ(t->seats[1].space, "acme");
  ASSERT_EQ(t->events.size(), 2u);
  EXPECT_EQ(t->events[0].type, "account.updated");
  EXPECT_EQ(t->events[0].details, (Details{{"licence", "recruiter -> manager"}}));
  EXPECT_EQ(t->events[1].type, "licence.changed");
  EXPECT_EQ(t->events[1].account_id, "acc-ada");
  EXPECT_EQ(t->events[1].details, (Details{{"from", "recruiter"}, {"to", "manager"}}));
  EXPECT_NE(t->events[0].id, t->events[1].id);
}

TEST_F(UpdateTest, ChangingTheLicenceNeedsAFreeSeatOfTheNewType) {
  seed("ada@acme.example", "collaborator", "recruiter");
  seed("m1@acme.example", "assessor", "manager");
  seed("m2@acme.example", "assessor", "manager", AccountState::Suspended);
  Profile p;
  p.licence = "manager";
  EXPECT_TRUE(RefusedBy(run(update("acc-ada", p)), invariant::kLicenceQuota));
}

TEST_F(UpdateTest, ChangingTheLicenceOfADeactivatedAccountTakesNoSeat) {
  seed("ada@acme.example", "collaborator", "recruiter", AccountState::Deactivated);
  seed("m1@acme.example", "assessor", "manager");
  seed("m2@acme.example", "assessor", "manager");
  Profile p;
  p.licence = "manager";
  const auto t = run(update("acc-ada", p));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].licence, "manager");
  EXPECT_TRUE(t->seats.empty());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].type, "account.updated");
}

TEST_F(UpdateTest, TheNewLicenceMustSuitTheRoleAndTheNewRoleTheLicence) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile licence_only;
  licence_only.licence = "manager";
  EXPECT_TRUE(RefusedBy(run(update("acc-ada", licence_only)), invariant::kRoleLicence));
  Profile role_only;
  role_only.role = "assessor";  // manager licences only
  EXPECT_TRUE(RefusedBy(run(update("acc-ada", role_only)), invariant::kRoleLicence));
  Profile both;
  both.role = "assessor";
  both.licence = "manager";
  const auto t = run(update("acc-ada", both));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].role, "assessor");
  EXPECT_EQ(t->seats.size(), 2u);
}

TEST_F(UpdateTest, AnUnknownRoleOrLicenceTypeIsRefused) {
  seed("ada@acme.example", "recruiter", "recruiter");
  Profile role;
  role.role = "wizard";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", role)), ErrorCode::InvalidValue));
  Profile licence;
  licence.licence = "enterprise";
  EXPECT_TRUE(FailsWith(run(update("acc-ada", licence)), ErrorCode::InvalidValue));
}

TEST_F(UpdateTest, AMissingOrDeletedAccountIsNotFound) {
  seed("gone@acme.example", "recruiter", "recruiter", AccountState::Deleted);
  Profile p;
  p.title = "x";
  EXPECT_TRUE(FailsWith(run(update("acc-nobody", p)), ErrorCode::NotFound));
  EXPECT_TRUE(FailsWith(run(update("acc-gone", p)), ErrorCode::NotFound));
}

}  // namespace
}  // namespace rosterd::core_test
