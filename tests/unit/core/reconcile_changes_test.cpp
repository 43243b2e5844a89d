// reconcile() for desired persons: creates, updates grouped as promote/demote/
// change-licence/update, resume and reactivate, accounts matched by anchor or correlated by
// email, manual accounts and foreign sources left alone, template accounts resolved.
#include <gtest/gtest.h>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using Changes = ReconcileTest;
using S = AccountState;
using Strings = std::vector<std::string>;

const UpdateOp& only_update(const ReconcileResult& r) {
  EXPECT_EQ(r.plan.operations.size(), 1u);
  static const UpdateOp kNone{};
  if (r.plan.operations.empty()) return kNone;
  const auto* u = std::get_if<UpdateOp>(&r.plan.operations[0].op);
  EXPECT_NE(u, nullptr);
  return u ? *u : kNone;
}

std::optional<std::string> only_email_change(const ReconcileResult& r, std::size_t index) {
  if (index >= r.plan.operations.size()) return std::nullopt;
  const auto* u = std::get_if<UpdateOp>(&r.plan.operations[index].op);
  if (!u) return std::nullopt;
  Profile others = u->changes;
  others.email.reset();
  EXPECT_EQ(others, Profile{});
  return u->changes.email;
}

TEST_F(Changes, NothingToDoWhenAccountsAreAsDesired) {
  want("ada@acme.example");
  has("ada@acme.example");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  EXPECT_TRUE(r.blocks.empty());
  EXPECT_TRUE(r.notes.empty()) << result_text(r);
}

TEST_F(Changes, CreatesTheAccountOfANewPersonWithEveryField) {
  DesiredAccount& d = want("Ada@acme.example", "recruiter", "recruiter", "corp-ad");
  d.phone = "+33 6 00 00 00 00";
  d.rule_index = 2;
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 1u) << result_text(r);
  const PlannedOperation& p = r.plan.operations[0];
  const auto* c = std::get_if<CreateOp>(&p.op);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->space, "acme");
  EXPECT_EQ(c->email, "Ada@acme.example");
  EXPECT_EQ(c->given_name, "Given Ada");
  EXPECT_EQ(c->family_name, "Family");
  EXPECT_EQ(c->title, "Talent Partner");
  EXPECT_EQ(c->phone, "+33 6 00 00 00 00");
  EXPECT_EQ(c->country, "FR");
  EXPECT_EQ(c->language, "fr");
  EXPECT_EQ(c->team, std::optional<std::string>("Talent"));
  EXPECT_EQ(c->role, std::optional<std::string>("recruiter"));
  EXPECT_EQ(c->licence, std::optional<std::string>("recruiter"));
  EXPECT_EQ(c->template_account, std::nullopt);
  EXPECT_EQ(c->source_anchor, "anchor-Ada");
  EXPECT_EQ(p.group, "create");
  EXPECT_EQ(p.source, "corp-ad");
  EXPECT_EQ(p.person, "ada@acme.example");
  EXPECT_EQ(p.rule, "recruiters");
  EXPECT_EQ(p.reason, "member of CN=Recruiting-Paris via rule recruiters");
  EXPECT_EQ(p.details, (Details{{"rule", "recruiters"}, {"groups", "CN=Recruiting-Paris"}}));
}

TEST_F(Changes, ACreateSharesTheFactsOfItsDesiredAccountAndNamesTheRuleOnce) {
  // As mapping makes them: the deciding rule first, then what matched.
  DesiredAccount& d = want("ada@acme.example");
  d.inputs = {{"rule", "recruiters"}, {"title", "Sourcer"}};
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 1u) << result_text(r);
  const PlannedOperation& p = r.plan.operations[0];
  EXPECT_EQ(&*p.details, &*input.desired.accounts[0].inputs);  // no copy per operation
  EXPECT_EQ(p.details, (Details{{"rule", "recruiters"}, {"title", "Sourcer"}}));
  EXPECT_EQ(p.reason, "title \"Sourcer\" via rule recruiters");
}

TEST_F(Changes, UpdateCarriesOnlyTheFieldsThatDiffer) {
  DesiredAccount& d = want("ada@acme.example");
  d.title = "Head of Talent";
  d.team = "Paris";
  d.inputs = {{"title", "Head of Talent"}};
  has("ada@acme.example");
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  EXPECT_EQ(u.account, "acc-ada");
  Profile expected;
  expected.title = "Head of Talent";
  expected.team = "Paris";
  EXPECT_EQ(u.changes, expected);
  EXPECT_EQ(r.plan.operations[0].group, "update");
  EXPECT_EQ(r.plan.operations[0].reason,
            "title, team changed: title \"Head of Talent\" via rule recruiters");
  EXPECT_EQ(r.destructive, 0u);
}

TEST_F(Changes, EveryProfileFieldIsCompared) {
  DesiredAccount& d = want("ada@acme.example");
  d.email = "ada.lovelace@acme.example";
  d.given_name = "Ada";
  d.family_name = "Lovelace";
  d.phone = "+1";
  d.country = "GB";
  d.language = "en";
  has("ada@acme.example");
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  Profile expected;
  expected.email = "ada.lovelace@acme.example";
  expected.given_name = "Ada";
  expected.family_name = "Lovelace";
  expected.phone = "+1";
  expected.country = "GB";
  expected.language = "en";
  EXPECT_EQ(u.changes, expected);
}

// A pair that differs in one field only is not taken for one with nothing to do.
TEST_F(Changes, EachFieldAloneIsADifference) {
  struct Field {
    const char* name;
    void (*change)(DesiredAccount&);
    const char* role = "recruiter";  // the account's and, unless changed, the person's
  };
  const Field fields[] = {
      {"email", [](DesiredAccount& d) { d.email = "ada.l@acme.example"; }},
      {"given name", [](DesiredAccount& d) { d.given_name = "Ada"; }},
      {"family name", [](DesiredAccount& d) { d.family_name = "Lovelace"; }},
      {"title", [](DesiredAccount& d) { d.title = "Sourcer"; }},
      {"phone", [](DesiredAccount& d) { d.phone = "+1"; }},
      {"country", [](DesiredAccount& d) { d.country = "GB"; }},
      {"language", [](DesiredAccount& d) { d.language = "en"; }},
      {"team", [](DesiredAccount& d) { d.team = "Paris"; }},
      {"role", [](DesiredAccount& d) { d.role = "collaborator"; }},
      {"licence", [](DesiredAccount& d) { d.licence = "manager"; }, "collaborator"},
  };
  const ReconcileInput base = input;
  for (const Field& f : fields) {
    SCOPED_TRACE(f.name);
    input = base;
    f.change(want("ada@acme.example", f.role));
    has("ada@acme.example", f.role);
    const auto r = plan();
    ASSERT_EQ(r.plan.operations.size(), 1u) << result_text(r);
    EXPECT_EQ(operation_target(r.plan.operations[0].op), "acc-ada");
    EXPECT_TRUE(r.notes.empty()) << result_text(r);
  }
}

TEST_F(Changes, WithoutARuleTheReasonIsTheFactsOrElseTheSource) {
  want("ada@acme.example").rule.clear();
  DesiredAccount& bob = want("bob@acme.example");
  bob.rule.clear();
  bob.inputs = {};
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 2u) << result_text(r);
  EXPECT_EQ(r.plan.operations[0].reason, "member of CN=Recruiting-Paris");
  EXPECT_EQ(r.plan.operations[1].reason, "desired by source okta");
}

TEST_F(Changes, AHigherRankedRoleIsAPromotion) {
  want("ada@acme.example", "collaborator", "recruiter");
  has("ada@acme.example", "member", "recruiter");
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  EXPECT_EQ(u.changes.role, std::optional<std::string>("collaborator"));
  EXPECT_EQ(u.changes.licence, std::nullopt);
  EXPECT_EQ(r.plan.operations[0].group, "promote");
  EXPECT_EQ(r.destructive, 0u);
}

TEST_F(Changes, ALowerRankedRoleIsADemotionAndDestructive) {
  want("ada@acme.example", "member", "recruiter");
  has("ada@acme.example", "recruiter", "recruiter");
  const auto r = plan();
  only_update(r);
  EXPECT_EQ(r.plan.operations[0].group, "demote");
  EXPECT_EQ(r.plan.operations[0].reason,
            "role recruiter -> member: member of CN=Recruiting-Paris via rule recruiters");
  EXPECT_EQ(r.destructive, 1u);
}

TEST_F(Changes, ALicenceChangeWinsOverTheRoleForTheGroup) {
  want("ada@acme.example", "administrator", "administrator");
  has("ada@acme.example", "collaborator", "recruiter");
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  EXPECT_EQ(u.changes.role, std::optional<std::string>("administrator"));
  EXPECT_EQ(u.changes.licence, std::optional<std::string>("administrator"));
  EXPECT_EQ(r.plan.operations[0].group, "change-licence");
  EXPECT_EQ(r.destructive, 1u);
  EXPECT_EQ(r.usage_after[0].licence, "administrator");
  EXPECT_EQ(r.usage_after[0].used, 2);  // the manual owner and ada
  EXPECT_EQ(r.usage_after[2].licence, "recruiter");
  EXPECT_EQ(r.usage_after[2].used, 0);
}

TEST_F(Changes, SuspendedAccountIsResumedAndDeactivatedOneReactivated) {
  want("sus@acme.example");
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  want("off@acme.example");
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"resume acc-sus", "reactivate acc-off"}));
  EXPECT_EQ(r.plan.operations[0].reason,
            "desired again: member of CN=Recruiting-Paris via rule recruiters");
  EXPECT_EQ(r.plan.operations[1].source, "okta");
}

TEST_F(Changes, LockedAccountIsOnlyUpdated) {
  want("ada@acme.example").title = "Sourcer";
  has("ada@acme.example", "recruiter", "recruiter", S::Locked);
  EXPECT_EQ(op_list(plan().plan), (Strings{"update acc-ada"}));
}

TEST_F(Changes, ManualAccountIsNeverInAPlanAndItsEmailGetsANote) {
  want("boss@acme.example", "administrator", "administrator");
  manual("boss@acme.example", "recruiter", "recruiter");
  manual("other@acme.example", "recruiter", "recruiter");  // no desired person: no leaver
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("boss@acme.example belongs to a manual account"), std::string::npos)
      << r.notes[0];
}

TEST_F(Changes, ManualEmailStopsEvenAnAnchorMatchedAccount) {
  want("boss@acme.example").anchor = "anchor-ada";
  has("ada@acme.example");
  manual("boss@acme.example", "recruiter", "recruiter");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);  // ada is not a leaver either
  EXPECT_EQ(r.notes.size(), 1u);
}

TEST_F(Changes, AnchorMatchFollowsARename) {
  DesiredAccount& d = want("ada.byron@acme.example");
  d.anchor = "anchor-ada";
  d.given_name = "Given ada";
  has("ada@acme.example");
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  EXPECT_EQ(u.account, "acc-ada");
  EXPECT_EQ(u.changes.email, std::optional<std::string>("ada.byron@acme.example"));
}

TEST_F(Changes, AnchorOfAnotherSourceDoesNotMatch) {
  want("ada@acme.example", "recruiter", "recruiter", "corp-ad").anchor = "x";
  has("bob@acme.example").source_anchor = "x";  // okta's x, not corp-ad's
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-bob", "create ada@acme.example"}));
}

TEST_F(Changes, CorrelatesByEmailAcrossSourcesAndActsAsTheManagingSource) {
  DesiredAccount& d = want("ada@acme.example", "recruiter", "recruiter", "corp-ad");
  d.email = "ADA@acme.example";
  d.title = "Sourcer";
  has("ada@acme.example");  // managed by okta, other anchor
  input.current.back().source_anchor = "okta-1";
  const auto r = plan();
  const UpdateOp& u = only_update(r);
  EXPECT_EQ(u.account, "acc-ada");
  EXPECT_EQ(u.changes.email, std::optional<std::string>("ADA@acme.example"));
  EXPECT_EQ(r.plan.operations[0].source, "okta");
}

TEST_F(Changes, AccountOfAnUnknownSourceIsLeftAloneWithANote) {
  has("ada@acme.example", "recruiter", "recruiter", S::Active, "old-ldap");
  want("bob@acme.example");
  has("bob@acme.example", "recruiter", "recruiter", S::Active, "old-ldap");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  ASSERT_EQ(r.notes.size(), 3u) << result_text(r);
  EXPECT_NE(r.notes[0].find("'old-ldap', which is not a source of space 'acme'; no operation"),
            std::string::npos);
  EXPECT_NE(r.notes[1].find("account ada@acme.example is managed by 'old-ldap'"),
            std::string::npos);
  EXPECT_NE(r.notes[2].find("account bob@acme.example is managed by 'old-ldap'"),
            std::string::npos);
}

TEST_F(Changes, TemplateIsResolvedByEmailOrId) {
  has("tpl@acme.example", "recruiter", "recruiter", S::Active, std::string(kManualManager));
  want("ada@acme.example").template_account = "TPL@acme.example";
  want("bob@acme.example").template_account = "acc-tpl";
  const auto r = plan();
  ASSERT_EQ(r.plan.operations.size(), 2u) << result_text(r);
  for (const auto& p : r.plan.operations)
    EXPECT_EQ(std::get<CreateOp>(p.op).template_account, std::optional<std::string>("acc-tpl"));
  EXPECT_TRUE(apply(r).empty());
}

TEST_F(Changes, MissingTemplateMeansNoCreateAndANote) {
  want("ada@acme.example").template_account = "nobody@acme.example";
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty());
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("template account 'nobody@acme.example' does not exist"),
            std::string::npos);
}

TEST_F(Changes, TemplateOfAnotherLicenceTypeMeansNoCreate) {
  manual("tpl@acme.example", "collaborator", "manager");
  want("ada@acme.example", "collaborator", "recruiter").template_account = "tpl@acme.example";
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty());
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("has licence type 'manager', not 'recruiter'"), std::string::npos);
}

TEST_F(Changes, AGrantTheCatalogueRefusesIsNotPlanned) {
  want("ada@acme.example", "recruiter", "manager");  // recruiters hold recruiter seats only
  want("bob@acme.example", "wizard", "recruiter");
  want("cy@acme.example", "recruiter", "gold");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  EXPECT_EQ(r.notes.size(), 3u);
}

TEST_F(Changes, AnEmailInUseByAnotherAccountIsNotTaken) {
  want("ada@acme.example").email = "bob@acme.example";
  has("ada@acme.example");
  want("bob@acme.example").anchor = "anchor-bob";
  has("bob@acme.example");
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  EXPECT_EQ(r.notes.size(), 1u);
}

// Deletes come first in a plan: the email of an account deleted in it is free again.
TEST_F(Changes, ARenameMayTakeTheEmailOfAnAccountTheSamePlanDeletes) {
  input.policy.on_leave = LeaveAction::Delete;
  has("old@acme.example");
  want("ada@acme.example").email = "OLD@acme.example";
  has("ada@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"delete acc-old", "update acc-ada"})) << result_text(r);
  EXPECT_EQ(only_email_change(r, 1), "OLD@acme.example");
  EXPECT_TRUE(r.notes.empty()) << result_text(r);
  EXPECT_EQ(apply(r), Strings{});
}

TEST_F(Changes, ARenameMayNotTakeTheEmailOfAnAccountThePlanOnlyDeactivates) {
  has("old@acme.example");
  want("ada@acme.example").email = "OLD@acme.example";
  has("ada@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"deactivate acc-old"})) << result_text(r);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("email OLD@acme.example is in use by another account"),
            std::string::npos)
      << r.notes[0];
}

TEST_F(Changes, PlannedChangesAreAcceptedByDecideAndLeaveNothingToDo) {
  want("new@acme.example", "hiring_manager", "manager");
  want("up@acme.example", "administrator", "administrator");
  has("up@acme.example", "collaborator", "recruiter");
  want("down@acme.example", "member", "recruiter");
  has("down@acme.example", "recruiter", "recruiter");
  want("sus@acme.example").phone = "+33";
  has("sus@acme.example", "recruiter", "recruiter", S::Suspended);
  want("off@acme.example", "member", "manager");
  has("off@acme.example", "recruiter", "recruiter", S::Deactivated);
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan),
            (Strings{"demote acc-down", "demote acc-off", "change-licence acc-up",
                     "update acc-sus", "resume acc-sus", "reactivate acc-off",
                     "create new@acme.example"}))
      << result_text(r);
  EXPECT_EQ(apply(r), Strings{});
  const auto again = plan();
  EXPECT_TRUE(again.plan.operations.empty()) << result_text(again);
  EXPECT_EQ(current("acc-off")->licence, "manager");
  EXPECT_EQ(current("acc-off")->state, S::Active);
}

}  // namespace
}  // namespace rosterd::core_test
