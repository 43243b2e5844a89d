// The ReconcileStore half of the store: stored plans and their states (with an audit row
// each), the seat queue, the sources' states, and apply_plan() running each planned
// operation as the source that planned it, with the rule and facts in its audit rows.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/reconcile_store.h"
#include "tests/unit/store/store_backends.h"

namespace rosterd::store_test {
namespace {

using namespace std::chrono_literals;
using Details = std::vector<std::pair<std::string, std::string>>;

StoredPlan stored_plan(std::string id, std::string space, Timestamp at, std::string state = "planned") {
  StoredPlan p;
  p.id = std::move(id);
  p.space = std::move(space);
  p.created_at = at;
  p.input_hash = "sha256:" + std::string(64, '0');
  p.state = std::move(state);
  p.body = R"({"operations":[]})";
  return p;
}

std::vector<std::string> ids(const std::vector<StoredPlan>& plans) {
  std::vector<std::string> out;
  for (const auto& p : plans) out.push_back(p.id + ":" + p.state);
  return out;
}

std::string detail(const AuditEntry& e, const std::string& key) {
  for (const auto& [k, v] : e.details)
    if (k == key) return v;
  return "<none>";
}

class ReconcileStoreTest : public AccountStoreTest {
 protected:
  ReconcileStore& rs() { return store_->reconcile(); }
  void save(const StoredPlan& p) {
    auto r = rs().save_plan(p);
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  std::vector<StoredPlan> plans(std::optional<std::string_view> space = std::nullopt,
                                std::size_t limit = 0) {
    auto r = rs().plans(space, limit);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : std::vector<StoredPlan>{};
  }
  std::optional<StoredPlan> plan(const std::string& id) {
    auto r = rs().plan(id);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : std::nullopt;
  }
  std::vector<SeatClaim> queue(const std::string& space) {
    auto r = rs().seat_queue(space);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : std::vector<SeatClaim>{};
  }
  std::vector<SourceState> states() {
    auto r = rs().source_states();
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : std::vector<SourceState>{};
  }
  std::int64_t count_of(const std::string& source) {
    for (const auto& s : states())
      if (s.source == source) return s.identity_count;
    return -1;
  }
  // Applies a one-operation plan and returns the outcome.
  PlanOutcome run(PlannedOperation op, const Actor& actor) {
    Plan p;
    p.operations.push_back(std::move(op));
    auto r = store_->apply_plan(p, actor, 10);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : PlanOutcome{};
  }
};

// --- plans ---------------------------------------------------------------------------

TEST_P(ReconcileStoreTest, ASavedPlanReadsBackFieldForField) {
  StoredPlan p = stored_plan("p1", "acme", kStart, "blocked");
  p.blocked_reason = "12 deactivations exceed the threshold of 10\nsource corp-ad failed";
  p.body = R"({"id":"p1","operations":[{"op":"deactivate"}]})";
  p.applied_by = "";
  save(p);
  const auto back = plan("p1");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, "p1");
  EXPECT_EQ(back->space, "acme");
  EXPECT_EQ(back->created_at, kStart);
  EXPECT_EQ(back->input_hash, p.input_hash);
  EXPECT_EQ(back->state, "blocked");
  EXPECT_EQ(back->blocked_reason, p.blocked_reason);
  EXPECT_EQ(back->body, p.body);
  EXPECT_FALSE(back->applied_at.has_value());
  EXPECT_EQ(back->applied_by, "");
  EXPECT_FALSE(plan("nope").has_value());
}

TEST_P(ReconcileStoreTest, SavingAPlanSupersedesTheOlderOpenPlansOfItsSpaceOnly) {
  save(stored_plan("a1", "acme", kStart));
  save(stored_plan("a2", "acme", kStart + 1s, "blocked"));
  save(stored_plan("a3", "acme", kStart + 2s));
  ASSERT_TRUE(rs().set_plan_state("a3", "applied", "operator:root", "").has_value());
  save(stored_plan("g1", "globex", kStart + 3s));
  save(stored_plan("a4", "acme", kStart + 4s));
  EXPECT_EQ(ids(plans("acme")),
            (std::vector<std::string>{"a4:planned", "a3:applied", "a2:superseded", "a1:superseded"}));
  EXPECT_EQ(ids(plans("globex")), std::vector<std::string>{"g1:planned"});
}

TEST_P(ReconcileStoreTest, PlansAreListedNewestFirstWithALimit) {
  save(stored_plan("old", "acme", kStart));
  save(stored_plan("g", "globex", kStart + 2s));
  // Stored later but created earlier: created_at decides.
  save(stored_plan("older", "globex", kStart - 1s));
  // Two plans of one millisecond: the one stored last is the newer.
  save(stored_plan("same-1", "acme", kStart + 5s));
  save(stored_plan("same-0", "acme", kStart + 5s));
  EXPECT_EQ(ids(plans()), (std::vector<std::string>{"same-0:planned", "same-1:superseded", "g:superseded",
                                                    "old:superseded", "older:planned"}));
  EXPECT_EQ(ids(plans(std::nullopt, 2)), (std::vector<std::string>{"same-0:planned", "same-1:superseded"}));
  EXPECT_EQ(ids(plans("globex", 1)), std::vector<std::string>{"g:superseded"});
}

TEST_P(ReconcileStoreTest, SavingATakenPlanIdFailsAndSupersedesNothing) {
  save(stored_plan("p1", "acme", kStart));
  save(stored_plan("p2", "acme", kStart + 1s));
  const auto r = rs().save_plan(stored_plan("p1", "acme", kStart + 2s));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Uniqueness);
  EXPECT_EQ(ids(plans("acme")), (std::vector<std::string>{"p2:planned", "p1:superseded"}));
}

TEST_P(ReconcileStoreTest, MarkingAPlanAppliedRecordsWhoWhenAndAnAuditRow) {
  save(stored_plan("p1", "acme", kStart));
  clock_.advance(90s);
  ASSERT_TRUE(rs().set_plan_state("p1", "applied", "operator:root", "reviewed by Ada").has_value());
  const auto p = plan("p1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->state, "applied");
  EXPECT_EQ(p->applied_at, std::optional<Timestamp>(kStart + 90s));
  EXPECT_EQ(p->applied_by, "operator:root");
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event, "plan.applied");
  EXPECT_EQ(rows[0].actor, "operator:root");
  EXPECT_EQ(rows[0].space, "acme");
  EXPECT_EQ(rows[0].reason, "reviewed by Ada");
  EXPECT_EQ(rows[0].at, kStart + 90s);
  EXPECT_EQ(detail(rows[0], "plan"), "p1");
  EXPECT_FALSE(rows[0].event_id.empty());
  const auto v = rs().verify_audit();
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(ReconcileStoreTest, MarkingAPlanBlockedOrRefusedKeepsTheNote) {
  save(stored_plan("b", "acme", kStart));
  save(stored_plan("r", "globex", kStart));
  ASSERT_TRUE(rs().set_plan_state("b", "blocked", "source:corp-ad", "source corp-ad is empty").has_value());
  ASSERT_TRUE(rs().set_plan_state("r", "refused", "operator:root", "the inputs changed").has_value());
  EXPECT_EQ(plan("b")->state, "blocked");
  EXPECT_EQ(plan("b")->blocked_reason, "source corp-ad is empty");
  EXPECT_EQ(plan("r")->state, "refused");
  EXPECT_FALSE(plan("r")->applied_at.has_value());
  EXPECT_EQ(plan("r")->applied_by, "");
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].event, "plan.blocked");
  EXPECT_EQ(rows[0].actor, "source:corp-ad");
  EXPECT_EQ(rows[0].reason, "source corp-ad is empty");
  EXPECT_EQ(detail(rows[0], "plan"), "b");
  EXPECT_EQ(rows[1].event, "plan.refused");
  EXPECT_EQ(rows[1].space, "globex");
  EXPECT_EQ(rows[1].reason, "the inputs changed");
  EXPECT_EQ(detail(rows[1], "plan"), "r");
}

TEST_P(ReconcileStoreTest, APlanStateChangeThatIsRefusedWritesNothing) {
  save(stored_plan("p1", "acme", kStart));
  auto r = rs().set_plan_state("p1", "superseded", "operator:root", "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
  r = rs().set_plan_state("p9", "applied", "operator:root", "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::NotFound);
  ASSERT_TRUE(rs().set_plan_state("p1", "applied", "operator:root", "").has_value());
  r = rs().set_plan_state("p1", "applied", "operator:eve", "again");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::PreconditionFailed);
  EXPECT_EQ(plan("p1")->applied_by, "operator:root");
  EXPECT_EQ(audit().size(), 1u);
}

// --- seat queue and source states ----------------------------------------------------

TEST_P(ReconcileStoreTest, TheSeatQueueKeepsItsOrderAndIsReplacedPerSpace) {
  EXPECT_TRUE(queue("acme").empty());
  // Not in any sorted order: the order given is the queue's.
  const std::vector<SeatClaim> acme{{"zoe@acme.example", "recruiter", kStart + 3s},
                                    {"ada@acme.example", "recruiter", kStart + 5s},
                                    {"max@acme.example", "manager", kStart}};
  const std::vector<SeatClaim> globex{{"gus@globex.example", "recruiter", kStart}};
  ASSERT_TRUE(rs().after_apply("acme", acme, {}).has_value());
  ASSERT_TRUE(rs().after_apply("globex", globex, {}).has_value());
  EXPECT_EQ(queue("acme"), acme);
  EXPECT_EQ(queue("globex"), globex);

  const std::vector<SeatClaim> shorter{{"ada@acme.example", "recruiter", kStart + 5s}};
  ASSERT_TRUE(rs().after_apply("acme", shorter, {}).has_value());
  EXPECT_EQ(queue("acme"), shorter);
  EXPECT_EQ(queue("globex"), globex);
  ASSERT_TRUE(rs().after_apply("acme", {}, {}).has_value());
  EXPECT_TRUE(queue("acme").empty());
}

TEST_P(ReconcileStoreTest, AfterApplyRecordsEachSourcesCurrentCount) {
  SourceStatus okta{"okta", "ok", "", 0, 120};
  SourceStatus ad{"corp-ad", "ok", "", 40, 45};
  ASSERT_TRUE(rs().after_apply("acme", {}, {okta, ad}).has_value());
  EXPECT_EQ(count_of("okta"), 120);
  EXPECT_EQ(count_of("corp-ad"), 45);
  okta.current_count = 118;
  ASSERT_TRUE(rs().after_apply("acme", {}, {okta}).has_value());
  EXPECT_EQ(count_of("okta"), 118);
  EXPECT_EQ(count_of("corp-ad"), 45);
}

TEST_P(ReconcileStoreTest, AFailedAfterApplyChangesNeitherQueueNorCounts) {
  const std::vector<SeatClaim> before{{"ada@acme.example", "recruiter", kStart}};
  ASSERT_TRUE(rs().after_apply("acme", before, {SourceStatus{"okta", "ok", "", 0, 10}}).has_value());
  // The same person twice cannot be stored: the whole call is undone.
  const std::vector<SeatClaim> twice{{"bob@acme.example", "recruiter", kStart},
                                     {"bob@acme.example", "manager", kStart}};
  EXPECT_FALSE(rs().after_apply("acme", twice, {SourceStatus{"okta", "ok", "", 10, 99}}).has_value());
  EXPECT_EQ(queue("acme"), before);
  EXPECT_EQ(count_of("okta"), 10);
}

TEST_P(ReconcileStoreTest, SourceStatesAreUpsertedAndKeepTheAppliedCount) {
  EXPECT_TRUE(states().empty());
  SourceState ad;
  ad.source = "corp-ad";
  ad.status = "failed";
  ad.error = "ldaps://dc1.corp.example: connection refused";
  ad.last_attempt_at = kStart;
  ad.cursor = "usn:1234";
  ASSERT_TRUE(rs().set_source_state(ad).has_value());
  SourceState okta;
  okta.source = "okta";
  okta.status = "ok";
  okta.identity_count = 7;  // a new row takes it
  ASSERT_TRUE(rs().set_source_state(okta).has_value());
  auto all = states();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source, "corp-ad");
  EXPECT_EQ(all[0].status, "failed");
  EXPECT_EQ(all[0].error, ad.error);
  EXPECT_EQ(all[0].last_attempt_at, std::optional<Timestamp>(kStart));
  EXPECT_FALSE(all[0].last_success_at.has_value());
  EXPECT_FALSE(all[0].last_full_at.has_value());
  EXPECT_EQ(all[0].cursor, "usn:1234");
  EXPECT_EQ(all[1].source, "okta");
  EXPECT_EQ(all[1].identity_count, 7);

  ASSERT_TRUE(rs().after_apply("acme", {}, {SourceStatus{"corp-ad", "ok", "", 0, 300}}).has_value());
  ad.status = "ok";
  ad.error = "";
  ad.last_attempt_at = ad.last_success_at = ad.last_full_at = kStart + 60s;
  ad.cursor = "usn:1300";
  ad.read_digest = "sha256:5e1f";
  ad.identity_count = 0;  // a poller's fresh value does not reset the applied count
  ASSERT_TRUE(rs().set_source_state(ad).has_value());
  all = states();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].status, "ok");
  EXPECT_EQ(all[0].error, "");
  EXPECT_EQ(all[0].last_success_at, std::optional<Timestamp>(kStart + 60s));
  EXPECT_EQ(all[0].last_full_at, std::optional<Timestamp>(kStart + 60s));
  EXPECT_EQ(all[0].cursor, "usn:1300");
  EXPECT_EQ(all[0].read_digest, "sha256:5e1f");
  EXPECT_EQ(all[1].read_digest, "");
  EXPECT_EQ(all[0].identity_count, 300);
}

TEST_P(ReconcileStoreTest, ReconcileRequestsAreListedOldestFirstAndClearedOnlyIfUnchanged) {
  auto conn = connect();
  ASSERT_NE(conn, nullptr);
  const std::string t1 = format_timestamp(kStart + 1s), t2 = format_timestamp(kStart + 2s);
  ASSERT_TRUE(conn->execute("INSERT INTO reconcile_queue (space, requested_at) VALUES ($1, $2)",
                            {std::string_view("globex"), std::string_view(t1)}).has_value());
  ASSERT_TRUE(conn->execute("INSERT INTO reconcile_queue (space, requested_at) VALUES ($1, $2)",
                            {std::string_view("acme"), std::string_view(t2)}).has_value());
  auto requests = rs().reconcile_requests();
  ASSERT_TRUE(requests.has_value()) << requests.error().message;
  ASSERT_EQ(requests->size(), 2u);
  EXPECT_EQ((*requests)[0].space, "globex");
  EXPECT_EQ((*requests)[0].requested_at, kStart + 1s);
  EXPECT_EQ((*requests)[1].space, "acme");

  // A request newer than the one read stays.
  auto cleared = rs().clear_reconcile_request("acme", kStart + 1s);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_FALSE(*cleared);
  cleared = rs().clear_reconcile_request("acme", kStart + 2s);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_TRUE(*cleared);
  requests = rs().reconcile_requests();
  ASSERT_TRUE(requests.has_value());
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ((*requests)[0].space, "globex");
}

// --- apply_plan and planned operations ------------------------------------------------

TEST_P(ReconcileStoreTest, APlannedOperationWithASourceIsAppliedAsThatSource) {
  PlannedOperation from_okta = planned(create_op("acme", "ada@acme.example", "recruiter", "recruiter"),
                                       "rule recruiters");
  from_okta.source = "okta";
  PlannedOperation by_hand = planned(create_op("acme", "bob@acme.example", "assessor", "manager"), "asked");
  const Plan plan{{from_okta, by_hand}};
  const auto outcome = store_->apply_plan(plan, root_, 10);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->applied, 2u);
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actor, "source:okta");
  EXPECT_EQ(rows[0].reason, "rule recruiters");
  EXPECT_EQ(rows[1].actor, "operator:root");
  EXPECT_EQ(accounts(Where().search("ada")).at(0).managed_by, "okta");
  EXPECT_EQ(accounts(Where().search("bob")).at(0).managed_by, "manual");
}

TEST_P(ReconcileStoreTest, ASourceOperationOnAnAccountOfAnotherSourceIsRefused) {
  PlannedOperation create = planned(create_op("acme", "ada@acme.example", "recruiter", "recruiter"), "r");
  create.source = "okta";
  ASSERT_EQ(run(create, root_).applied, 1u);
  const std::string ada = accounts(Where().search("ada")).at(0).id;

  PlannedOperation from_ad = planned(SuspendOp{ada}, "left corp-ad");
  from_ad.source = "corp-ad";
  // The caller is an operator, who could suspend ada: the operation's source decides.
  const auto refused = run(from_ad, root_);
  ASSERT_EQ(refused.refused.size(), 1u);
  EXPECT_EQ(refused.refused[0].second.invariant, invariant::kOtherSource);
  EXPECT_EQ(account(ada)->state, AccountState::Invited);

  PlannedOperation from_okta = planned(SuspendOp{ada}, "left okta");
  from_okta.source = "okta";
  EXPECT_EQ(run(from_okta, Actor::source("corp-ad")).applied, 1u);
  EXPECT_EQ(account(ada)->state, AccountState::Suspended);
}

TEST_P(ReconcileStoreTest, ThePlannedRuleAndFactsGoIntoTheAuditRowsAndTheOutbox) {
  PlannedOperation op = planned(create_op("acme", "ada@acme.example", "recruiter", "recruiter"),
                                "matched rule recruiters");
  op.source = "okta";
  op.rule = "recruiters";
  op.person = "ada@acme.example";
  op.group = "create";
  op.details = {{"group", "CN=Recruiting-Paris"}, {"role", "not-the-event's"}};
  ASSERT_EQ(run(op, root_).applied, 1u);
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "matched rule recruiters");
  // The event's own facts first and unchanged, then the plan's.
  EXPECT_EQ(rows[0].details, (Details{{"role", "recruiter"},
                                      {"licence", "recruiter"},
                                      {"rule", "recruiters"},
                                      {"group", "CN=Recruiting-Paris"}}));
  const auto sent = outbox();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].payload.find(R"("rule":"recruiters")"), std::string::npos) << sent[0].payload;
  EXPECT_NE(sent[0].payload.find(R"("group":"CN=Recruiting-Paris")"), std::string::npos) << sent[0].payload;
  EXPECT_EQ(sent[0].payload.find("not-the-event's"), std::string::npos) << sent[0].payload;
}

TEST_P(ReconcileStoreTest, EveryEventOfAPlannedOperationCarriesItsRule) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  PlannedOperation del = planned(DeleteOp{ada, owner}, "left the company");
  del.rule = "leavers";
  ASSERT_EQ(run(del, root_).applied, 1u);
  const auto rows = audit(AuditWhere().account(ada));
  std::size_t with_rule = 0;
  for (const auto& e : rows)
    if (e.event == "account.handover" || e.event == "account.deleted") {
      EXPECT_EQ(detail(e, "rule"), "leavers") << e.event;
      EXPECT_EQ(e.reason, "left the company");
      ++with_rule;
    }
  EXPECT_EQ(with_rule, 2u);
  // A plain apply() adds nothing.
  EXPECT_EQ(detail(audit(AuditWhere().account(owner)).front(), "rule"), "<none>");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReconcileStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace rosterd::store_test
