// apply_plan(): many operations, `per_transaction` to a transaction, each all-or-nothing.
// Refused operations are listed with their index and the others are applied, whatever the
// batch size; later operations see what earlier ones did.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

struct PlanRun {
  PlanOutcome outcome;
  testing::StoreSnapshot after;  // ids normalised
};

// On a fresh store: an owner and one recruiter, then a plan of nine operations of which
// four are refused and one changes nothing.
PlanRun run_mixed_plan(const StoreBackend& backend, StoreOptions options,
                       std::size_t per_transaction) {
  testing::TempDir dir;
  auto opened = backend.open(dir.path(), std::move(options));
  EXPECT_TRUE(opened.has_value());
  if (!opened) return {};
  AccountStore& store = **opened;
  const Actor root = Actor::operator_named("root");
  EXPECT_TRUE(store.configure_spaces(std::vector<Space>{
                       Space{"acme", {{"administrator", 3}, {"manager", 3}, {"recruiter", 2}}, ""}})
                  .has_value());
  auto make = [&](const char* email, const char* role, const char* licence) {
    CreateOp c;
    c.space = "acme";
    c.email = email;
    c.given_name = "Given";
    c.family_name = "Family";
    c.role = role;
    c.licence = licence;
    return c;
  };
  const auto owner = store.apply(make("owner@acme.example", "owner", "administrator"), root, "seed");
  const auto r1 = store.apply(make("r1@acme.example", "recruiter", "recruiter"), root, "seed");
  EXPECT_TRUE(owner && r1);
  if (!owner || !r1) return {};
  const std::string owner_id = owner->transition.accounts[0].id;
  const std::string r1_id = r1->transition.accounts[0].id;

  Profile unchanged;
  unchanged.family_name = "Family";
  Plan plan;
  auto add = [&](Operation op, std::string reason) {
    plan.operations.push_back(planned(std::move(op), std::move(reason)));
  };
  add(make("ada@acme.example", "recruiter", "recruiter"), "0: ada joins");       // 2/2 recruiters
  add(make("ADA@acme.example", "assessor", "manager"), "1: duplicate email");    // Uniqueness
  add(make("bob@acme.example", "recruiter", "recruiter"), "2: no seat left");    // quota
  add(SuspendOp{owner_id}, "3: last owner");                                     // last-owner
  add(DeactivateOp{r1_id}, "4: r1 leaves");                                      // frees a seat
  add(make("carol@acme.example", "recruiter", "recruiter"), "5: takes r1's seat");
  add(UpdateOp{r1_id, unchanged}, "6: nothing to change");                       // unchanged
  add(ResumeOp{owner_id}, "7: owner is not suspended");                          // state
  add(LockOp{owner_id}, "8: too many failed logins");

  auto outcome = store.apply_plan(plan, root, per_transaction);
  EXPECT_TRUE(outcome.has_value()) << (outcome ? "" : outcome.error().message);
  if (!outcome) return {};
  return {*outcome, testing::normalise_uuids(testing::snapshot(store))};
}

TEST_P(AccountStoreTest, APlanAppliesTheOthersAndListsTheRefusedWithTheirIndexes) {
  for (const std::size_t per_transaction : {std::size_t{1}, std::size_t{100}}) {
    SCOPED_TRACE("per_transaction " + std::to_string(per_transaction));
    const PlanRun run = run_mixed_plan(GetParam(), options(), per_transaction);
    EXPECT_EQ(run.outcome.applied, 4u);
    EXPECT_EQ(run.outcome.unchanged, 1u);
    ASSERT_EQ(run.outcome.refused.size(), 4u);
    EXPECT_EQ(run.outcome.refused[0].first, 1u);
    EXPECT_EQ(run.outcome.refused[0].second.code, ErrorCode::Uniqueness);
    EXPECT_EQ(run.outcome.refused[1].first, 2u);
    EXPECT_EQ(run.outcome.refused[1].second.invariant, invariant::kLicenceQuota);
    EXPECT_EQ(run.outcome.refused[2].first, 3u);
    EXPECT_EQ(run.outcome.refused[2].second.invariant, invariant::kLastOwner);
    EXPECT_EQ(run.outcome.refused[3].first, 7u);
    EXPECT_EQ(run.outcome.refused[3].second.invariant, invariant::kState);

    // Two seeds and the four applied operations, each with its own reason.
    EXPECT_EQ(run.after.audit.find("duplicate email"), std::string::npos);
    EXPECT_EQ(run.after.audit.find("no seat left"), std::string::npos);
    EXPECT_EQ(run.after.audit.find("last owner"), std::string::npos);
    EXPECT_EQ(run.after.audit.find("nothing to change"), std::string::npos);
    for (const char* reason : {"0: ada joins", "4: r1 leaves", "5: takes r1's seat",
                               "8: too many failed logins"})
      EXPECT_NE(run.after.audit.find(reason), std::string::npos) << reason;
    EXPECT_EQ(std::count(run.after.audit.begin(), run.after.audit.end(), '\n'), 6);
    EXPECT_EQ(std::count(run.after.outbox.begin(), run.after.outbox.end(), '\n'), 6);
    EXPECT_NE(run.after.accounts.find("email=carol@acme.example"), std::string::npos);
    EXPECT_EQ(run.after.accounts.find("email=bob@acme.example"), std::string::npos);
    EXPECT_NE(run.after.licences.find("licence acme/recruiter used=2 total=2"), std::string::npos)
        << run.after.licences;
    EXPECT_NE(run.after.accounts.find("email=owner@acme.example given_name=Given family_name=Family "
                                      "title= phone= team= country= language= role=owner "
                                      "licence=administrator state=locked"),
              std::string::npos)
        << run.after.accounts;
  }
}

TEST_P(AccountStoreTest, APlanEndsTheSameWhateverTheBatchSize) {
  const PlanRun one = run_mixed_plan(GetParam(), options(), 1);
  for (const std::size_t per_transaction : {std::size_t{0}, std::size_t{2}, std::size_t{3},
                                            std::size_t{4}, std::size_t{9}, std::size_t{100}}) {
    SCOPED_TRACE("per_transaction " + std::to_string(per_transaction));
    const PlanRun other = run_mixed_plan(GetParam(), options(), per_transaction);
    expect_same(one.after, other.after);
    EXPECT_EQ(other.outcome.applied, one.outcome.applied);
    EXPECT_EQ(other.outcome.unchanged, one.outcome.unchanged);
    ASSERT_EQ(other.outcome.refused.size(), one.outcome.refused.size());
    for (std::size_t i = 0; i < one.outcome.refused.size(); ++i)
      EXPECT_EQ(other.outcome.refused[i].first, one.outcome.refused[i].first);
  }
}

TEST_P(AccountStoreTest, AnEmptyPlanChangesNothing) {
  create_owner();
  const auto before = snap();
  const auto outcome = store_->apply_plan(Plan{}, root_, 10);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->applied, 0u);
  EXPECT_EQ(outcome->unchanged, 0u);
  EXPECT_TRUE(outcome->refused.empty());
  expect_same(before, snap());
}

TEST_P(AccountStoreTest, APlanOfOnlyRefusedOperationsChangesNothing) {
  const std::string owner = create_owner();
  const auto before = snap();
  Plan plan;
  plan.operations.push_back(planned(SuspendOp{owner}, "last owner"));
  plan.operations.push_back(
      planned(create_op("acme", "owner@acme.example", "recruiter", "recruiter"), "dup"));
  plan.operations.push_back(planned(DeleteOp{owner, std::nullopt}, "no successor"));
  for (const std::size_t per_transaction : {std::size_t{1}, std::size_t{2}, std::size_t{100}}) {
    const auto outcome = store_->apply_plan(plan, root_, per_transaction);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->applied, 0u);
    EXPECT_EQ(outcome->refused.size(), 3u);
    expect_same(before, snap());
  }
}

TEST_P(AccountStoreTest, ThePlanActorIsRecordedOnEveryRow) {
  Plan plan;
  plan.operations.push_back(
      planned(create_op("acme", "a@acme.example", "recruiter", "recruiter"), "rule sales"));
  plan.operations.push_back(
      planned(create_op("acme", "b@acme.example", "assessor", "manager"), "rule eng"));
  const auto outcome = store_->apply_plan(plan, Actor::source("okta"), 100);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->applied, 2u);
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actor, "source:okta");
  EXPECT_EQ(rows[0].reason, "rule sales");
  EXPECT_EQ(rows[1].actor, "source:okta");
  EXPECT_EQ(rows[1].reason, "rule eng");
  for (const auto& a : accounts(AccountFilter{})) EXPECT_EQ(a.managed_by, "okta");
}

}  // namespace
}  // namespace rosterd::store_test
