// All or nothing: a SqlConnection decorator makes the Nth execute() fail as a broken
// database would, and for every N during an operation either the whole operation is in
// the store (accounts, licence counters, audit, outbox) or nothing of it is.
#include <gtest/gtest.h>

#include <memory>

#include "store/sql/sql_store.h"
#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

// Counts execute() calls, and queries that write rows (INSERT ... RETURNING: the audit
// chain's head and rows), once armed and fails the Nth with `code`, without passing it
// on. Read queries, scripts and BEGIN go through untouched.
class FailingConnection final : public sql::SqlConnection {
 public:
  struct Control {
    int fail_at = 0;  // 0: never
    int calls = 0;
    ErrorCode code = ErrorCode::Storage;
    bool data_only = false;  // count only statements that write rows, not transaction control
    void arm(int n, ErrorCode c = ErrorCode::Storage, bool only_data = false) {
      fail_at = n;
      calls = 0;
      code = c;
      data_only = only_data;
    }
    void disarm() { fail_at = 0; }
  };

  FailingConnection(std::unique_ptr<sql::SqlConnection> inner, std::shared_ptr<Control> control)
      : inner_(std::move(inner)), control_(std::move(control)) {}

  sql::Dialect dialect() const override { return inner_->dialect(); }
  Result<void> execute_script(std::string_view sql) override { return inner_->execute_script(sql); }
  Result<std::int64_t> execute(std::string_view sql, std::span<const sql::SqlValue> params) override {
    if (control_->fail_at > 0 && (!control_->data_only || writes_rows(sql)) &&
        ++control_->calls == control_->fail_at)
      return fail(control_->code, "injected failure of execute #" + std::to_string(control_->calls) +
                                      ": " + std::string(sql.substr(0, 40)));
    return inner_->execute(sql, params);
  }
  Result<sql::SqlRows> query(std::string_view sql, std::span<const sql::SqlValue> params) override {
    if (writes_rows(sql) && control_->fail_at > 0 && ++control_->calls == control_->fail_at)
      return fail(control_->code, "injected failure of write query #" +
                                      std::to_string(control_->calls) + ": " +
                                      std::string(sql.substr(0, 40)));
    return inner_->query(sql, params);
  }
  Result<void> begin_write() override { return inner_->begin_write(); }
  using SqlConnection::execute;
  using SqlConnection::query;

 private:
  static bool writes_rows(std::string_view sql) {
    for (std::string_view verb : {"INSERT", "UPDATE", "DELETE"})
      if (sql.substr(0, verb.size()) == verb) return true;
    return false;
  }

  std::unique_ptr<sql::SqlConnection> inner_;
  std::shared_ptr<Control> control_;
};

class Atomicity {
 public:
  // Seeds a fresh database through the ordinary store, then reopens it through the
  // decorator.
  Atomicity(const StoreBackend& backend, StoreOptions options,
            const std::function<void(AccountStore&)>& seed)
      : control_(std::make_shared<FailingConnection::Control>()) {
    {
      auto plain = backend.open(dir_.path(), options);
      EXPECT_TRUE(plain.has_value());
      if (!plain) return;
      seed(**plain);
    }
    auto inner = backend.connect(dir_.path());
    EXPECT_TRUE(inner.has_value());
    if (!inner) return;
    auto store = sql::SqlStore::open(
        std::make_unique<FailingConnection>(std::move(*inner), control_), std::move(options));
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
    if (store) store_ = std::move(*store);
  }

  AccountStore& store() { return *store_; }
  bool ok() const { return store_ != nullptr; }
  FailingConnection::Control& control() { return *control_; }

 private:
  testing::TempDir dir_;
  std::shared_ptr<FailingConnection::Control> control_;
  std::unique_ptr<sql::SqlStore> store_;
};

// The seed every case starts from.
struct Seeded {
  std::string owner, ada, bob;
};

Seeded seed_store(AccountStore& store) {
  const Actor root = Actor::operator_named("root");
  EXPECT_TRUE(store
                  .configure_spaces(std::vector<Space>{Space{
                      "acme", {{"administrator", 3}, {"manager", 3}, {"recruiter", 2}}, ""}})
                  .has_value());
  auto make = [&](const char* email, const char* role, const char* licence) -> std::string {
    CreateOp c;
    c.space = "acme";
    c.email = email;
    c.given_name = "Given";
    c.family_name = "Family";
    c.role = role;
    c.licence = licence;
    auto r = store.apply(c, root, "seed");
    EXPECT_TRUE(r.has_value());
    return r ? r->transition.accounts[0].id : std::string();
  };
  Seeded s{make("owner@acme.example", "owner", "administrator"),
           make("ada@acme.example", "recruiter", "recruiter"),
           make("bob@acme.example", "assessor", "manager")};
  EXPECT_TRUE(store.apply(ActivateOp{s.ada}, root, "seed").has_value());
  return s;
}

// Runs `act` with the Nth execute failing, for N = 1, 2, ... until it succeeds. Each
// failed attempt must leave the store exactly as it was; the successful one must leave
// it as the same operation does on a store that never fails.
void expect_all_or_nothing(const StoreBackend& backend, const StoreOptions& options,
                           const std::function<Result<void>(AccountStore&, const Seeded&)>& act,
                           ErrorCode injected = ErrorCode::Storage) {
  Seeded ref_ids;
  Atomicity reference(backend, options, [&](AccountStore& s) { ref_ids = seed_store(s); });
  ASSERT_TRUE(reference.ok());
  ASSERT_TRUE(act(reference.store(), ref_ids).has_value()) << "the operation fails on its own";
  const auto expected = testing::normalise_uuids(testing::snapshot(reference.store()));

  Seeded ids;
  Atomicity faulty(backend, options, [&](AccountStore& s) { ids = seed_store(s); });
  ASSERT_TRUE(faulty.ok());
  const auto before = testing::snapshot(faulty.store());
  int failures = 0;
  for (int n = 1; n <= 200; ++n) {
    SCOPED_TRACE("execute #" + std::to_string(n) + " fails");
    faulty.control().arm(n, injected);
    const auto r = act(faulty.store(), ids);
    const bool reached = faulty.control().calls >= n;
    faulty.control().disarm();
    if (r) {
      EXPECT_FALSE(reached) << "the injected failure was swallowed: the operation reported success";
      expect_same(expected, testing::normalise_uuids(testing::snapshot(faulty.store())));
      EXPECT_GE(failures, 3) << "the operation should need several writes";
      return;
    }
    ++failures;
    EXPECT_TRUE(reached) << "failed without the injected failure: " << r.error().message;
    EXPECT_EQ(r.error().code, injected) << r.error().message;
    expect_same(before, testing::snapshot(faulty.store()));
    if (::testing::Test::HasFailure()) return;
  }
  ADD_FAILURE() << "still failing after 200 injected failures";
}

Result<void> applied(const Result<Applied>& r) {
  if (!r) return tl::unexpected(r.error());
  return {};
}
Result<void> applied(const Result<PlanOutcome>& r) {
  if (!r) return tl::unexpected(r.error());
  if (!r->refused.empty()) return tl::unexpected(r->refused.front().second);
  return {};
}

const Actor kRoot = Actor::operator_named("root");

TEST_P(AccountStoreTest, AFailedWriteDuringCreateLeavesAllOrNothing) {
  expect_all_or_nothing(GetParam(), options(), [](AccountStore& s, const Seeded&) {
    CreateOp c;
    c.space = "acme";
    c.email = "new@acme.example";
    c.given_name = "New";
    c.family_name = "Person";
    c.role = "recruiter";
    c.licence = "recruiter";
    return applied(s.apply(c, kRoot, "join"));
  });
}

TEST_P(AccountStoreTest, AFailedWriteDuringDeleteLeavesAllOrNothing) {
  expect_all_or_nothing(GetParam(), options(), [](AccountStore& s, const Seeded& ids) {
    return applied(s.apply(DeleteOp{ids.ada, ids.owner}, kRoot, "left"));
  });
}

TEST_P(AccountStoreTest, AFailedWriteDuringReassignLeavesAllOrNothing) {
  expect_all_or_nothing(GetParam(), options(), [](AccountStore& s, const Seeded& ids) {
    return applied(
        s.apply(ReassignOp{ids.ada, "farid@acme.example", "Farid", "Benali", "2026-11-01"}, kRoot,
                "replaced"));
  });
}

TEST_P(AccountStoreTest, AFailedWriteDuringALicenceChangeLeavesAllOrNothing) {
  expect_all_or_nothing(GetParam(), options(), [](AccountStore& s, const Seeded& ids) {
    Profile p;
    p.role = "collaborator";
    p.licence = "manager";
    return applied(s.apply(UpdateOp{ids.ada, p}, kRoot, "moved"));
  });
}

TEST_P(AccountStoreTest, AFailedWriteInAPlanBatchLeavesTheWholeBatchOrNothing) {
  expect_all_or_nothing(GetParam(), options(), [](AccountStore& s, const Seeded& ids) {
    Plan plan;
    plan.operations.push_back(planned(DeactivateOp{ids.bob}, "left"));
    plan.operations.push_back(
        planned(ReassignOp{ids.ada, "farid@acme.example", "Farid", "Benali", ""}, "replaced"));
    plan.operations.push_back(planned(DeleteOp{ids.bob, ids.owner}, "gone"));
    return applied(s.apply_plan(plan, kRoot, 100));
  });
}

TEST_P(AccountStoreTest, AFailedWriteInAPlanOfOneOperationBatchesKeepsEachOperationWhole) {
  // per_transaction 1: each operation commits on its own, so a failure in the second
  // leaves the first applied, and nothing of the second.
  auto make_plan = [](const Seeded& ids) {
    Plan plan;
    plan.operations.push_back(planned(DeactivateOp{ids.bob}, "left"));
    plan.operations.push_back(planned(DeleteOp{ids.ada, ids.owner}, "gone"));
    return plan;
  };
  std::vector<testing::StoreSnapshot> states;  // after 0, 1 and 2 operations of the plan
  for (std::size_t done = 0; done <= 2; ++done) {
    Seeded ids;
    Atomicity reference(GetParam(), options(), [&](AccountStore& s) { ids = seed_store(s); });
    ASSERT_TRUE(reference.ok());
    Plan plan = make_plan(ids);
    plan.operations.resize(done);
    ASSERT_TRUE(reference.store().apply_plan(plan, kRoot, 1).has_value());
    states.push_back(testing::normalise_uuids(testing::snapshot(reference.store())));
  }
  ASSERT_NE(states[0], states[1]);
  ASSERT_NE(states[1], states[2]);

  std::size_t furthest = 0;  // the plan may only get further as the failure comes later
  for (int n = 1; n <= 200; ++n) {
    SCOPED_TRACE("execute #" + std::to_string(n) + " fails");
    Seeded ids;
    Atomicity faulty(GetParam(), options(), [&](AccountStore& s) { ids = seed_store(s); });
    ASSERT_TRUE(faulty.ok());
    faulty.control().arm(n);
    const auto outcome = faulty.store().apply_plan(make_plan(ids), kRoot, 1);
    const bool reached = faulty.control().calls >= n;
    faulty.control().disarm();
    const auto now = testing::normalise_uuids(testing::snapshot(faulty.store()));
    if (outcome) {
      EXPECT_FALSE(reached) << "the injected failure was swallowed";
      EXPECT_EQ(outcome->applied, 2u);
      expect_same(states[2], now);
      EXPECT_EQ(furthest, 1u) << "failures in both operations were seen";
      return;
    }
    EXPECT_TRUE(reached) << outcome.error().message;
    EXPECT_EQ(outcome.error().code, ErrorCode::Storage);
    const std::size_t done = now == states[0] ? 0 : now == states[1] ? 1 : 99;
    ASSERT_NE(done, 99u) << "a state that is neither before nor after the first operation:"
                         << ::testing::PrintToString(now);
    EXPECT_GE(done, furthest);
    furthest = done;
  }
  ADD_FAILURE() << "still failing after 200 injected failures";
}

TEST_P(AccountStoreTest, AnInjectedUniquenessErrorInAPlanIsARefusalThatLeavesNoTrace) {
  // A refusal by the database itself (a unique index, not a lost disk) while the first
  // operation writes: apply_plan lists it as refused and applies the second; nothing of
  // the first may remain, whether it had a savepoint (batch of 2) or not (batch of 1).
  Seeded ref_ids;
  Atomicity reference(GetParam(), options(), [&](AccountStore& s) { ref_ids = seed_store(s); });
  ASSERT_TRUE(reference.ok());
  Plan only_second;
  only_second.operations.push_back(planned(DeactivateOp{ref_ids.bob}, "left"));
  ASSERT_TRUE(reference.store().apply_plan(only_second, kRoot, 1).has_value());
  const auto expected = testing::normalise_uuids(testing::snapshot(reference.store()));

  // The reassign writes two accounts, then per event an audit row and an outbox row (and
  // on PostgreSQL the audit chain's head is locked first): counted on a store of its own,
  // so that every one of its writes is made to fail in turn. The last write counted is the
  // audit chain's head, written at commit, outside the operation: a failure there fails
  // the batch as a whole (the all-or-nothing tests above), it refuses no operation.
  int first_writes = 0;
  {
    Seeded ids;
    Atomicity counting(GetParam(), options(), [&](AccountStore& s) { ids = seed_store(s); });
    ASSERT_TRUE(counting.ok());
    Plan first;
    first.operations.push_back(
        planned(ReassignOp{ids.ada, "farid@acme.example", "Farid", "Benali", ""}, "replaced"));
    counting.control().arm(1 << 30, ErrorCode::Uniqueness, /*only_data=*/true);
    ASSERT_TRUE(counting.store().apply_plan(first, kRoot, 1).has_value());
    first_writes = counting.control().calls - 1;
    counting.control().disarm();
  }
  ASSERT_GE(first_writes, 6);  // 2 accounts, and 2 rows for each of its 2 events at least
  for (const std::size_t per_transaction : {std::size_t{1}, std::size_t{100}}) {
    for (int n = 1; n <= first_writes; ++n) {
      SCOPED_TRACE("per_transaction " + std::to_string(per_transaction) + ", write #" +
                   std::to_string(n) + " fails");
      Seeded ids;
      Atomicity faulty(GetParam(), options(), [&](AccountStore& s) { ids = seed_store(s); });
      ASSERT_TRUE(faulty.ok());
      Plan plan;
      plan.operations.push_back(
        planned(ReassignOp{ids.ada, "farid@acme.example", "Farid", "Benali", ""}, "replaced"));
      plan.operations.push_back(planned(DeactivateOp{ids.bob}, "left"));
      faulty.control().arm(n, ErrorCode::Uniqueness, /*only_data=*/true);
      const auto outcome = faulty.store().apply_plan(plan, kRoot, per_transaction);
      faulty.control().disarm();
      ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
      ASSERT_EQ(outcome->refused.size(), 1u);
      EXPECT_EQ(outcome->refused[0].first, 0u);
      EXPECT_EQ(outcome->refused[0].second.code, ErrorCode::Uniqueness);
      EXPECT_EQ(outcome->applied, 1u);
      expect_same(expected, testing::normalise_uuids(testing::snapshot(faulty.store())));
      // The refused operation's audit rows were undone with its savepoint: the second
      // operation's rows chain onto the head as it was before the first, not onto them.
      const auto chain = faulty.store().reconcile().verify_audit();
      ASSERT_TRUE(chain.has_value()) << chain.error().message;
      EXPECT_TRUE(chain->ok) << chain->problem;
    }
  }
}

}  // namespace
}  // namespace rosterd::store_test
