// A plan applied a transaction at a time while the instance still leads
// (PlanRunOptions::keep_applying, daemon/reconcile/plan_runner.h): the same outcome as one
// apply_plan, refusals at their index in the whole plan; a "no" stops before the next
// transaction, the ones before it committed.
#include <gtest/gtest.h>

#include "daemon/reconcile/plan_runner.h"
#include "store/sqlite/open_sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

PlannedOperation create(const std::string& email) {
  CreateOp op;
  op.space = "acme";
  op.email = email;
  op.given_name = email.substr(0, email.find('@'));
  op.family_name = "Test";
  op.role = "recruiter";
  op.licence = "recruiter";
  PlannedOperation p;
  p.op = op;
  p.reason = "test";
  return p;
}

class PlanApplySteps : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = open_sqlite_store(dir_.file("store.db"), StoreOptions{});
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    const std::vector<Space> spaces{Space{"acme", {{"recruiter", 10}}, ""}};
    ASSERT_TRUE(store_->configure_spaces(spaces).has_value());
    // The fourth repeats the first's email: refused, in the second transaction.
    for (const char* email : {"ann@acme.example", "ben@acme.example", "cat@acme.example", "ann@acme.example",
                              "dan@acme.example"})
      plan_.operations.push_back(create(email));
    options_.actor = Actor::operator_named("test");
    options_.per_transaction = 2;
  }
  std::size_t accounts() {
    auto all = store_->accounts(AccountFilter{});
    EXPECT_TRUE(all.has_value());
    return all ? all->size() : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<AccountStore> store_;
  Plan plan_;
  PlanRunOptions options_;
};

TEST_F(PlanApplySteps, GivesTheOutcomeOfTheWholePlanWithRefusalsAtTheirIndexInIt) {
  int asked = 0;
  options_.keep_applying = [&asked] { return ++asked > 0; };
  auto outcome = apply_in_steps(plan_, *store_, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(asked, 3) << "once before each of the three transactions";
  EXPECT_EQ(outcome->applied, 4u);
  ASSERT_EQ(outcome->refused.size(), 1u);
  EXPECT_EQ(outcome->refused[0].first, 3u);
  EXPECT_EQ(accounts(), 4u);
}

TEST_F(PlanApplySteps, StopsBeforeTheNextTransactionWhenToldAndKeepsWhatWasCommitted) {
  int asked = 0;
  options_.keep_applying = [&asked] { return ++asked <= 2; };
  auto outcome = apply_in_steps(plan_, *store_, options_);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::Unavailable);
  EXPECT_NE(outcome.error().message.find("after 4 of 5 operations"), std::string::npos) << outcome.error().message;
  EXPECT_EQ(accounts(), 3u) << "ann, ben, cat: the two transactions before the stop";
}

}  // namespace
}  // namespace rosterd
