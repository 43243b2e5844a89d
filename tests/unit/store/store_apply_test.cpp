// apply(): each operation writes its account rows, its audit rows and its outbox rows in
// one transaction; a refused operation writes nothing at all.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

using Details = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> events_of(const std::vector<AuditEntry>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.event);
  return out;
}

TEST_P(AccountStoreTest, CreateWritesTheAccountOneAuditRowAndOneOutboxEvent) {
  CreateOp op = create_op("acme", "ada@acme.example", "recruiter", "recruiter");
  op.team = "Sales";
  op.title = "Talent Partner";
  op.folders = {"Paris", "Shared"};
  const auto t = must_apply(op, root_, "hired in Paris");
  ASSERT_EQ(t.accounts.size(), 1u);
  const Account& decided = t.accounts[0];

  const auto stored = account(decided.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(testing::describe(*stored), testing::describe(decided));
  EXPECT_EQ(stored->state, AccountState::Invited);
  EXPECT_EQ(stored->created_at, kStart);
  EXPECT_EQ(stored->folders, (std::vector<std::string>{"Paris", "Shared"}));
  EXPECT_EQ(stored->id.size(), 36u) << "default ids are UUIDs: " << stored->id;

  const auto rows = audit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at, kStart);
  EXPECT_EQ(rows[0].actor, "operator:root");
  EXPECT_EQ(rows[0].operation, "create");
  EXPECT_EQ(rows[0].event, "account.created");
  EXPECT_EQ(rows[0].event_id, t.events[0].id);
  EXPECT_EQ(rows[0].space, "acme");
  EXPECT_EQ(rows[0].account_id, decided.id);
  EXPECT_EQ(rows[0].email, "ada@acme.example");
  EXPECT_EQ(rows[0].reason, "hired in Paris");
  EXPECT_EQ(rows[0].details, (Details{{"role", "recruiter"}, {"licence", "recruiter"}}));

  const auto out = outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].event_id, t.events[0].id);
  EXPECT_EQ(out[0].type, "account.created");
  EXPECT_EQ(out[0].space, "acme");
  EXPECT_EQ(out[0].account_id, decided.id);
  EXPECT_EQ(out[0].state, "pending");
  EXPECT_EQ(out[0].attempts, 0);
  EXPECT_EQ(out[0].created_at, kStart);

  EXPECT_EQ(usage("acme", "recruiter"), (std::pair<std::int64_t, std::int64_t>{1, 2}));
}

TEST_P(AccountStoreTest, TheOutboxPayloadCarriesTheEventAndTheAccountAfterTheChange) {
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  clock_.advance(std::chrono::minutes(5));
  must_apply(SuspendOp{ada}, root_, "parental leave");
  const auto out = outbox();
  ASSERT_EQ(out.size(), 2u);
  boost::system::error_code ec;
  const auto payload = boost::json::parse(out[1].payload, ec);
  ASSERT_FALSE(ec) << out[1].payload;
  ASSERT_TRUE(payload.is_object());
  const auto& o = payload.as_object();
  EXPECT_EQ(o.at("id").as_string(), out[1].event_id);
  EXPECT_EQ(o.at("type").as_string(), "account.suspended");
  EXPECT_EQ(o.at("space").as_string(), "acme");
  EXPECT_EQ(o.at("reason").as_string(), "parental leave");
  EXPECT_EQ(o.at("occurred_at").as_string(), "2026-11-23T09:05:00.000Z");
  const auto& acc = o.at("account").as_object();
  EXPECT_EQ(acc.at("id").as_string(), ada);
  EXPECT_EQ(acc.at("email").as_string(), "ada@acme.example");
  EXPECT_EQ(acc.at("state").as_string(), "suspended");
  EXPECT_EQ(acc.at("version").as_int64(), 2);
  const auto& details = o.at("details").as_object();
  EXPECT_EQ(details.at("from").as_string(), "invited");
  EXPECT_EQ(details.at("to").as_string(), "suspended");
}

TEST_P(AccountStoreTest, EveryOperationWritesItsRowsAuditAndOutbox) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "collaborator", "recruiter");
  struct Step {
    Operation op;
    std::vector<std::string> events;
    AccountState state_after;
  };
  Profile p;
  p.title = "Lead";
  p.licence = "manager";
  const std::vector<Step> steps{
      {ActivateOp{ada}, {"account.activated"}, AccountState::Active},
      {UpdateOp{ada, p}, {"account.updated", "licence.changed"}, AccountState::Active},
      {LockOp{ada}, {"account.locked"}, AccountState::Locked},
      {UnlockOp{ada}, {"account.unlocked"}, AccountState::Active},
      {SuspendOp{ada}, {"account.suspended"}, AccountState::Suspended},
      {ResumeOp{ada}, {"account.resumed"}, AccountState::Active},
      {DeactivateOp{ada}, {"account.deactivated"}, AccountState::Deactivated},
      {ReactivateOp{ada}, {"account.reactivated"}, AccountState::Active},
      {DeleteOp{ada, owner}, {"account.handover", "account.deleted"}, AccountState::Deleted},
  };
  std::int64_t version = account(ada)->version;
  for (const auto& step : steps) {
    const std::string name(operation_name(step.op));
    const auto audit_before = audit().size();
    const auto outbox_before = outbox().size();
    clock_.advance(std::chrono::seconds(1));
    const auto t = must_apply(step.op, root_, "step " + name);
    const auto stored = account(ada);
    ASSERT_TRUE(stored.has_value()) << name;
    EXPECT_EQ(stored->state, step.state_after) << name;
    EXPECT_EQ(stored->version, ++version) << name;
    EXPECT_EQ(stored->updated_at, clock_.now()) << name;
    ASSERT_EQ(t.accounts.size(), 1u) << name;
    EXPECT_EQ(testing::describe(*stored), testing::describe(t.accounts[0])) << name;

    const auto rows = audit();
    ASSERT_EQ(rows.size(), audit_before + step.events.size()) << name;
    const std::vector<AuditEntry> added(rows.begin() + static_cast<std::ptrdiff_t>(audit_before),
                                        rows.end());
    EXPECT_EQ(events_of(added), step.events) << name;
    for (const auto& row : added) {
      EXPECT_EQ(row.operation, name);
      EXPECT_EQ(row.reason, "step " + name);
      EXPECT_EQ(row.account_id, ada);
      EXPECT_EQ(row.at, clock_.now());
    }
    const auto out = outbox();
    ASSERT_EQ(out.size(), outbox_before + step.events.size()) << name;
    for (std::size_t i = 0; i < added.size(); ++i) {
      EXPECT_EQ(out[outbox_before + i].event_id, added[i].event_id) << name;
      EXPECT_EQ(out[outbox_before + i].type, added[i].event) << name;
    }
  }
}

TEST_P(AccountStoreTest, ReassignWritesBothAccountsAndKeepsTheSeatCount) {
  const std::string dave = create("acme", "dave@acme.example", "recruiter", "recruiter");
  create("acme", "r2@acme.example", "recruiter", "recruiter");  // 2/2 recruiters
  const auto t = must_apply(ReassignOp{dave, "farid@acme.example", "Farid", "Benali", "2026-11-01"});
  ASSERT_EQ(t.accounts.size(), 2u);
  const std::string farid = t.accounts[1].id;
  const auto from = account(dave);
  const auto to = account(farid);
  ASSERT_TRUE(from && to);
  EXPECT_EQ(from->state, AccountState::Deactivated);
  EXPECT_EQ(from->successor, farid);
  EXPECT_EQ(to->state, AccountState::Invited);
  EXPECT_EQ(to->email, "farid@acme.example");
  EXPECT_EQ(testing::describe(*to), testing::describe(t.accounts[1]));
  EXPECT_EQ(usage("acme", "recruiter"), (std::pair<std::int64_t, std::int64_t>{2, 2}));
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[2].event, "account.reassigned");
  EXPECT_EQ(rows[2].account_id, farid);
  EXPECT_EQ(rows[2].email, "farid@acme.example");
  EXPECT_EQ(rows[3].event, "account.handover");
  EXPECT_EQ(rows[3].account_id, dave);
  EXPECT_EQ(rows[3].email, "dave@acme.example");
  EXPECT_EQ(rows[3].details, (Details{{"to_account", farid},
                                      {"to_email", "farid@acme.example"},
                                      {"effective", "2026-11-01"}}));
  EXPECT_EQ(outbox().size(), 4u);
}

TEST_P(AccountStoreTest, DeleteKeepsTheRowHidesItFromListsAndFreesTheEmail) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  must_apply(DeleteOp{ada, owner});
  const auto stored = account(ada);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->state, AccountState::Deleted);
  EXPECT_EQ(stored->successor, owner);
  EXPECT_EQ(accounts(Where().space("acme")).size(), 1u);
  AccountFilter all;
  all.include_deleted = true;
  EXPECT_EQ(accounts(all).size(), 2u);
  EXPECT_TRUE(store_->accounts_by_email("ada@acme.example", std::nullopt).value().empty());
  EXPECT_EQ(usage("acme", "recruiter").first, 0);
  const std::string again = create("acme", "ada@acme.example", "recruiter", "recruiter");
  EXPECT_NE(again, ada);
  EXPECT_EQ(store_->accounts_by_email("ada@acme.example", std::nullopt).value().size(), 1u);
}

TEST_P(AccountStoreTest, DeleteHandsOverToTheSpacesDefaultOwnerFoundWhateverItsCase) {
  ASSERT_TRUE(configure({Space{"globex", {{"administrator", 2}, {"recruiter", 1}}, "Boss@GLOBEX.example"}}));
  const std::string boss = create("globex", "boss@globex.example", "owner", "administrator");
  const std::string gus = create("globex", "gus@globex.example", "recruiter", "recruiter");
  const auto t = must_apply(DeleteOp{gus, std::nullopt});
  EXPECT_EQ(account(gus)->successor, boss);
  const auto rows = audit(AuditWhere().account(gus));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].event, "account.handover");
  EXPECT_EQ(rows[1].details, (Details{{"to_account", boss}, {"to_email", "boss@globex.example"}}));
  EXPECT_EQ(rows[2].event, "account.deleted");
}

TEST_P(AccountStoreTest, TheAuditKeepsTheEmailAnAccountHadAtTheTime) {
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  Profile p;
  p.email = "ada.lovelace@acme.example";
  must_apply(UpdateOp{ada, p});
  must_apply(SuspendOp{ada});
  const auto rows = audit(AuditWhere().account(ada));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].email, "ada@acme.example");
  EXPECT_EQ(rows[1].email, "ada.lovelace@acme.example");
  EXPECT_EQ(rows[1].details, (Details{{"email", "ada@acme.example -> ada.lovelace@acme.example"}}));
  EXPECT_EQ(rows[2].email, "ada.lovelace@acme.example");
}

TEST_P(AccountStoreTest, AuditRowsNameTheActor) {
  const std::string owner = create_owner();
  const std::string admin = create("acme", "admin@acme.example", "administrator", "administrator");
  must_apply(create_op("acme", "ada@acme.example", "recruiter", "recruiter"), Actor::account(owner));
  must_apply(create_op("acme", "bob@acme.example", "assessor", "manager"), Actor::account(admin));
  must_apply(create_op("acme", "okta@acme.example", "assessor", "manager"), Actor::source("okta"));
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].actor, "operator:root");
  EXPECT_EQ(rows[3].actor, "account:" + owner);
  EXPECT_EQ(rows[4].actor, "account:" + admin);
  EXPECT_EQ(rows[5].actor, "source:okta");
  EXPECT_EQ(store_->accounts_by_email("okta@acme.example", "acme").value().front().managed_by, "okta");
}

TEST_P(AccountStoreTest, ARefusedOperationChangesNothingAtAll) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  const std::string bob = create("acme", "bob@acme.example", "recruiter", "recruiter");
  const std::string off = create("acme", "off@acme.example", "assessor", "manager");
  must_apply(DeactivateOp{off});
  const std::string recruiter_actor = ada;
  Profile demote;
  demote.role = "administrator";
  Profile dup_email;
  dup_email.email = "BOB@acme.example";
  struct Refusal {
    Operation op;
    Actor actor;
    ErrorCode code;
    std::string invariant_name;
  };
  const std::vector<Refusal> refusals{
      {create_op("acme", "Ada@ACME.example", "recruiter", "recruiter"), root_, ErrorCode::Uniqueness, ""},
      {create_op("acme", "cy@acme.example", "recruiter", "recruiter"), root_, ErrorCode::Invariant,
       invariant::kLicenceQuota},
      {create_op("acme", "cy@acme.example", "recruiter", "administrator"), root_,
       ErrorCode::Invariant, invariant::kRoleLicence},
      {create_op("acme", "cy@acme.example", "wizard", "recruiter"), root_, ErrorCode::InvalidValue, ""},
      {create_op("nowhere", "cy@acme.example", "recruiter", "recruiter"), root_,
       ErrorCode::InvalidValue, ""},
      {create_op("acme", "not an email", "recruiter", "recruiter"), root_, ErrorCode::InvalidValue, ""},
      {SuspendOp{owner}, root_, ErrorCode::Invariant, invariant::kLastOwner},
      {DeactivateOp{owner}, root_, ErrorCode::Invariant, invariant::kLastOwner},
      {UpdateOp{owner, demote}, root_, ErrorCode::Invariant, invariant::kLastOwner},
      {DeleteOp{ada, std::nullopt}, root_, ErrorCode::Invariant, invariant::kHandover},
      {DeleteOp{ada, off}, root_, ErrorCode::Invariant, invariant::kHandover},
      {UpdateOp{ada, dup_email}, root_, ErrorCode::Uniqueness, ""},
      {ResumeOp{ada}, root_, ErrorCode::Invariant, invariant::kState},
      {ReactivateOp{ada}, root_, ErrorCode::Invariant, invariant::kState},
      {SuspendOp{bob}, Actor::account(recruiter_actor), ErrorCode::Invariant, invariant::kActorRights},
      {SuspendOp{bob}, Actor::source("okta"), ErrorCode::Invariant, invariant::kManualAccount},
      {ReassignOp{ada, "bob@acme.example", "B", "C", ""}, root_, ErrorCode::Uniqueness, ""},
      {ReassignOp{ada, "new@acme.example", "B", "C", "2026-02-30"}, root_, ErrorCode::InvalidValue, ""},
      {ReassignOp{ada, "new@acme.example", "B", "C", "2026-11-24"}, root_, ErrorCode::InvalidValue, ""},
      {SuspendOp{"no-such-id"}, root_, ErrorCode::NotFound, ""},
  };
  // A full manager pool: reactivating `off` is refused by the quota.
  ASSERT_TRUE(configure({Space{"acme", {{"administrator", 3}, {"manager", 0}, {"recruiter", 2}}, ""}}));
  const auto before = snap();
  for (const auto& r : refusals) {
    const auto e = must_refuse(r.op, r.actor);
    EXPECT_EQ(e.code, r.code) << operation_name(r.op) << ": " << e.message;
    EXPECT_EQ(e.invariant, r.invariant_name) << operation_name(r.op) << ": " << e.message;
    expect_same(before, snap());
  }
  const auto e = must_refuse(ReactivateOp{off});
  EXPECT_EQ(e.invariant, invariant::kLicenceQuota) << e.message;
  expect_same(before, snap());
}

TEST_P(AccountStoreTest, AnUpdateThatChangesNothingWritesNothing) {
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  const auto before = snap();
  Profile same;
  same.role = "recruiter";
  same.email = "ada@acme.example";
  const auto r = store_->apply(UpdateOp{ada, same}, root_, "no-op");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->transition.changed());
  expect_same(before, snap());
}

}  // namespace
}  // namespace rosterd::store_test
