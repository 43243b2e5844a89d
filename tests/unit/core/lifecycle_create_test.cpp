// decide() for a create: the account it makes, the seat it takes, the event it records,
// copies from a template, and each reason to refuse.
#include <gtest/gtest.h>

#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {
namespace {

using CreateTest = LifecycleTest;
using Folders = std::vector<std::string>;

TEST_F(CreateTest, CreatesAnInvitedManualAccountThatTakesOneSeat) {
  CreateOp op = create_op("ada@acme.example", "recruiter", "recruiter");
  op.team = "Sales";
  op.title = "Talent Partner";
  op.phone = "+33 6 00 00 00 00";
  op.country = "FR";
  op.language = "fr";
  op.folders = {"Paris", "Lyon"};
  const auto t = run(op);
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->operation, "create");
  ASSERT_EQ(t->accounts.size(), 1u);
  const Account& a = t->accounts[0];
  EXPECT_EQ(a.id, "id-1");
  EXPECT_EQ(a.space, "acme");
  EXPECT_EQ(a.email, "ada@acme.example");
  EXPECT_EQ(a.given_name, "Ada");
  EXPECT_EQ(a.family_name, "Lovelace");
  EXPECT_EQ(a.title, "Talent Partner");
  EXPECT_EQ(a.phone, "+33 6 00 00 00 00");
  EXPECT_EQ(a.team, "Sales");
  EXPECT_EQ(a.country, "FR");
  EXPECT_EQ(a.language, "fr");
  EXPECT_EQ(a.role, "recruiter");
  EXPECT_EQ(a.licence, "recruiter");
  EXPECT_EQ(a.state, AccountState::Invited);
  EXPECT_EQ(a.managed_by, "manual");
  EXPECT_EQ(a.folders, (Folders{"Paris", "Lyon"}));
  EXPECT_EQ(a.created_at, kNow);
  EXPECT_EQ(a.updated_at, kNow);
  EXPECT_FALSE(a.activated_at.has_value());
  EXPECT_TRUE(a.successor.empty());
  EXPECT_EQ(a.version, 1);

  ASSERT_EQ(t->seats.size(), 1u);
  EXPECT_EQ(t->seats[0].space, "acme");
  EXPECT_EQ(t->seats[0].licence, "recruiter");
  EXPECT_EQ(t->seats[0].delta, +1);

  ASSERT_EQ(t->events.size(), 1u);
  const Event& e = t->events[0];
  EXPECT_EQ(e.id, "id-2");
  EXPECT_EQ(e.type, "account.created");
  EXPECT_EQ(e.space, "acme");
  EXPECT_EQ(e.account_id, "id-1");
  EXPECT_EQ(e.details, (Details{{"role", "recruiter"}, {"licence", "recruiter"}}));
}

TEST_F(CreateTest, EachCreateGetsAFreshId) {
  const auto first = run_and_apply(create_op("a@acme.example", "recruiter", "recruiter"), root);
  const auto second = run_and_apply(create_op("b@acme.example", "assessor", "manager"), root);
  ASSERT_EQ(first.accounts.size(), 1u);
  ASSERT_EQ(second.accounts.size(), 1u);
  EXPECT_EQ(second.accounts[0].id, "id-3");
  EXPECT_EQ(second.events[0].id, "id-4");
  EXPECT_EQ(view.all().size(), 2u);
}

TEST_F(CreateTest, ASourceCreatesAnAccountThatItManagesWithItsAnchor) {
  CreateOp op = create_op("ada@acme.example", "recruiter", "recruiter");
  op.source_anchor = "7f1c2e9a-entryUUID";
  const auto t = decide_as(op, Actor::source("okta"));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].managed_by, "okta");
  EXPECT_FALSE(t->accounts[0].is_manual());
  EXPECT_EQ(t->accounts[0].source_anchor, "7f1c2e9a-entryUUID");
}

TEST_F(CreateTest, AnAccountActingInThePanelCreatesAManualAccount) {
  seed("admin@acme.example", "administrator", "administrator");
  const auto t = decide_as(create_op("ada@acme.example", "recruiter", "recruiter"),
                           Actor::account("acc-admin"));
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].managed_by, "manual");
}

TEST_F(CreateTest, RefusesAnInvalidEmail) {
  for (const char* email : {"", "ada", "ada@", "@acme.example", "ada@acme", "a da@acme.example",
                            "ada@@acme.example"}) {
    const auto t = run(create_op(email, "recruiter", "recruiter"));
    EXPECT_TRUE(FailsWith(t, ErrorCode::InvalidValue)) << "email '" << email << "'";
  }
}

TEST_F(CreateTest, RefusesAnEmailAlreadyUsedInTheSpaceWhateverItsCase) {
  seed("Ada.Lovelace@Acme.example", "recruiter", "recruiter");
  const auto t = run(create_op("ada.lovelace@ACME.EXAMPLE", "assessor", "manager"));
  EXPECT_TRUE(FailsWith(t, ErrorCode::Uniqueness));
  EXPECT_TRUE(FailsWith(run(create_op("ADA.LOVELACE@acme.example", "assessor", "manager")),
                        ErrorCode::Uniqueness));
}

TEST_F(CreateTest, TheEmailOfADeactivatedAccountIsStillTaken) {
  seed("ada@acme.example", "recruiter", "recruiter", AccountState::Deactivated);
  EXPECT_TRUE(FailsWith(run(create_op("ada@acme.example", "assessor", "manager")),
                        ErrorCode::Uniqueness));
}

TEST_F(CreateTest, TheEmailOfADeletedAccountIsFreeAgain) {
  seed("ada@acme.example", "recruiter", "recruiter", AccountState::Deleted);
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "assessor", "manager"))));
}

TEST_F(CreateTest, TheSameEmailMayExistInAnotherSpace) {
  seed("ada@acme.example", "recruiter", "recruiter", AccountState::Active, "globex");
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "recruiter", "recruiter"))));
}

TEST_F(CreateTest, RefusesAnUnknownSpace) {
  EXPECT_TRUE(FailsWith(run(create_op("ada@acme.example", "recruiter", "recruiter", "initech")),
                        ErrorCode::InvalidValue));
}

TEST_F(CreateTest, RefusesAnUnknownRoleAndListsTheKnownOnes) {
  const auto t = run(create_op("ada@acme.example", "wizard", "recruiter"));
  ASSERT_TRUE(FailsWith(t, ErrorCode::InvalidValue));
  EXPECT_NE(t.error().message.find("wizard"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("recruiter"), std::string::npos) << t.error().message;
}

TEST_F(CreateTest, RefusesALicenceTypeTheSpaceDoesNotHave) {
  const auto t = run(create_op("ada@acme.example", "member", "enterprise"));
  ASSERT_TRUE(FailsWith(t, ErrorCode::InvalidValue));
  EXPECT_NE(t.error().message.find("enterprise"), std::string::npos) << t.error().message;
  // globex sells no manager licences even though the role may hold one.
  EXPECT_TRUE(FailsWith(run(create_op("ada@globex.example", "assessor", "manager", "globex")),
                        ErrorCode::InvalidValue));
}

TEST_F(CreateTest, RefusesAMissingGivenOrFamilyName) {
  CreateOp no_given = create_op("ada@acme.example", "recruiter", "recruiter");
  no_given.given_name.clear();
  EXPECT_TRUE(FailsWith(run(no_given), ErrorCode::InvalidValue));
  CreateOp no_family = create_op("ada@acme.example", "recruiter", "recruiter");
  no_family.family_name.clear();
  EXPECT_TRUE(FailsWith(run(no_family), ErrorCode::InvalidValue));
}

TEST_F(CreateTest, RefusesAMissingRoleOrLicenceWithoutATemplate) {
  EXPECT_TRUE(FailsWith(run(create_op("ada@acme.example", std::nullopt, "recruiter")),
                        ErrorCode::InvalidValue));
  EXPECT_TRUE(FailsWith(run(create_op("ada@acme.example", "recruiter", std::nullopt)),
                        ErrorCode::InvalidValue));
}

TEST_F(CreateTest, ARecruiterMayNotHoldAnAdministratorLicence) {
  EXPECT_TRUE(RefusedBy(run(create_op("ada@acme.example", "recruiter", "administrator")),
                        invariant::kRoleLicence));
  EXPECT_TRUE(RefusedBy(run(create_op("ada@acme.example", "owner", "recruiter")),
                        invariant::kRoleLicence));
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "collaborator", "manager"))));
}

TEST_F(CreateTest, IsRefusedWhenEveryLicenceOfTheTypeIsInUse) {
  seed("r1@acme.example", "recruiter", "recruiter", AccountState::Suspended);  // keeps its seat
  seed("r2@acme.example", "recruiter", "recruiter", AccountState::Locked);     // keeps its seat
  const auto t = run(create_op("ada@acme.example", "recruiter", "recruiter"));
  ASSERT_TRUE(RefusedBy(t, invariant::kLicenceQuota));
  EXPECT_NE(t.error().message.find("2/2"), std::string::npos) << t.error().message;
}

TEST_F(CreateTest, AnInvitedAccountHoldsASeatToo) {
  seed("r1@acme.example", "recruiter", "recruiter", AccountState::Invited);
  seed("r2@acme.example", "collaborator", "recruiter", AccountState::Active);
  EXPECT_TRUE(RefusedBy(run(create_op("ada@acme.example", "recruiter", "recruiter")),
                        invariant::kLicenceQuota));
}

TEST_F(CreateTest, DeactivatedAndDeletedAccountsHoldNoSeat) {
  seed("r1@acme.example", "recruiter", "recruiter", AccountState::Deactivated);
  seed("r2@acme.example", "recruiter", "recruiter", AccountState::Deleted);
  seed("r3@acme.example", "recruiter", "recruiter", AccountState::Active);
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "recruiter", "recruiter"))));
}

TEST_F(CreateTest, TheQuotaCountsPerLicenceTypeAndPerSpace) {
  seed("r1@acme.example", "recruiter", "recruiter");
  seed("r2@acme.example", "recruiter", "recruiter");
  EXPECT_TRUE(Allowed(run(create_op("ada@acme.example", "collaborator", "manager"))));
  EXPECT_TRUE(Allowed(run(create_op("ada@globex.example", "recruiter", "recruiter", "globex"))));
}

TEST_F(CreateTest, TheQuotaFollowsTheCreatesAlreadyApplied) {
  run_and_apply(create_op("a@acme.example", "recruiter", "recruiter"), root);
  run_and_apply(create_op("b@acme.example", "recruiter", "recruiter"), root);
  EXPECT_TRUE(RefusedBy(run(create_op("c@acme.example", "recruiter", "recruiter")),
                        invariant::kLicenceQuota));
}

// --- from a template ------------------------------------------------------------------

class TemplateTest : public LifecycleTest {
 protected:
  TemplateTest() {
    Account& tpl = seed("template@acme.example", "collaborator", "manager");
    tpl.team = "Sales";
    tpl.title = "Template title";
    tpl.folders = {"Paris", "Shared"};
  }
  CreateOp copy(std::string email) {
    CreateOp op = create_op(std::move(email), std::nullopt, std::nullopt);
    op.template_account = "acc-template";
    return op;
  }
};

TEST_F(TemplateTest, ACopyTakesTheRoleLicenceTeamAndFoldersOfItsTemplate) {
  CreateOp op = copy("ada@acme.example");
  op.folders = {"Shared", "Lyon"};
  const auto t = run(op);
  ASSERT_TRUE(Allowed(t));
  const Account& a = t->accounts[0];
  EXPECT_EQ(a.role, "collaborator");
  EXPECT_EQ(a.licence, "manager");
  EXPECT_EQ(a.team, "Sales");
  EXPECT_EQ(a.folders, (Folders{"Paris", "Shared", "Lyon"}));  // no duplicate "Shared"
  EXPECT_EQ(a.title, "");                                      // a profile field: not copied
  EXPECT_EQ(a.state, AccountState::Invited);
  ASSERT_EQ(t->seats.size(), 1u);
  EXPECT_EQ(t->seats[0].licence, "manager");
  EXPECT_EQ(t->events[0].details, (Details{{"role", "collaborator"},
                                           {"licence", "manager"},
                                           {"template", "template@acme.example"}}));
}

TEST_F(TemplateTest, ACopyMayRepeatTheTemplatesLicence) {
  CreateOp op = copy("ada@acme.example");
  op.licence = "manager";
  EXPECT_TRUE(Allowed(run(op)));
}

TEST_F(TemplateTest, ACopyMayNotHaveADifferentLicence) {
  CreateOp op = copy("ada@acme.example");
  op.licence = "recruiter";  // the role could hold it, the template rule forbids it
  EXPECT_TRUE(RefusedBy(run(op), invariant::kTemplateLicence));
}

TEST_F(TemplateTest, ACopyMayChangeTheRoleAndTheTeam) {
  CreateOp op = copy("ada@acme.example");
  op.role = "assessor";
  op.team = "Engineering";
  const auto t = run(op);
  ASSERT_TRUE(Allowed(t));
  EXPECT_EQ(t->accounts[0].role, "assessor");
  EXPECT_EQ(t->accounts[0].team, "Engineering");
  EXPECT_EQ(t->accounts[0].licence, "manager");
}

TEST_F(TemplateTest, ACopyIsStillBoundByTheQuota) {
  seed("m1@acme.example", "assessor", "manager");  // with the template: 2/2 managers
  EXPECT_TRUE(RefusedBy(run(copy("ada@acme.example")), invariant::kLicenceQuota));
}

TEST_F(TemplateTest, ATemplateFromAnotherSpaceIsRefused) {
  seed("other@globex.example", "recruiter", "recruiter", AccountState::Active, "globex");
  CreateOp op = copy("ada@acme.example");
  op.template_account = "acc-other";
  EXPECT_TRUE(FailsWith(run(op), ErrorCode::InvalidValue));
}

TEST_F(TemplateTest, AMissingOrDeletedTemplateIsNotFound) {
  CreateOp op = copy("ada@acme.example");
  op.template_account = "acc-nobody";
  EXPECT_TRUE(FailsWith(run(op), ErrorCode::NotFound));
  seed("gone@acme.example", "recruiter", "recruiter", AccountState::Deleted);
  op.template_account = "acc-gone";
  EXPECT_TRUE(FailsWith(run(op), ErrorCode::NotFound));
}

}  // namespace
}  // namespace rosterd::core_test
