// Both audit writers (the account store, and the identity store's writer on a second
// connection to the same database) extend one hash chain: interleaved, concurrent, and
// with jobs that fail and roll their rows back.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/reconcile_store.h"
#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"

namespace rosterd::identity_test {
namespace {

IdentityEvent event_for(const std::string& id) {
  return IdentityEvent{"acme", "okta", "source:okta", "identity.created", id, id, {}};
}

CreateOp create_op(const std::string& email) {
  CreateOp op;
  op.space = "acme";
  op.email = email;
  op.given_name = "Given";
  op.family_name = "Family";
  op.role = "assessor";
  op.licence = "manager";
  return op;
}

class AuditChainWritersTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto a = GetParam().open_accounts(dir_.path(), StoreOptions{});
    ASSERT_TRUE(a.has_value()) << a.error().message;
    accounts_ = std::move(*a);
    const std::vector<Space> spaces{Space{"acme", {{"manager", 1000}}, ""}};
    ASSERT_TRUE(accounts_->configure_spaces(spaces).has_value());
  }
  void create(const std::string& email) {
    auto r = accounts_->apply(create_op(email), Actor::operator_named("root"), "test");
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  void record(const std::string& id) {
    must_write([id](IdentityWriter& w) { return w.record(event_for(id), kT0); });
  }
  AuditVerification verify() {
    auto v = accounts_->reconcile().verify_audit();
    EXPECT_TRUE(v.has_value()) << (v ? "" : v.error().message);
    return v ? *v : AuditVerification{};
  }

  std::unique_ptr<AccountStore> accounts_;
};

TEST_P(AuditChainWritersTest, InterleavedWritesOfBothStoresFormOneChain) {
  for (int i = 0; i < 4; ++i) {
    create("a" + std::to_string(i) + "@acme.example");
    record("u" + std::to_string(i));
  }
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 8u);
  // Each row chains onto the row before it, whichever store wrote either.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1"
                   " WHERE b.prev_hash = a.hash"),
            7);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit WHERE actor = 'source:okta'"), 4);
}

TEST_P(AuditChainWritersTest, AFailedJobLeavesNoLinkBehind) {
  create("a@acme.example");
  auto failed = store_->write([](IdentityWriter& w) -> Result<void> {
    if (auto r = w.record(event_for("u1"), kT0); !r) return r;
    return fail(ErrorCode::InvalidValue, "changed my mind");
  });
  ASSERT_FALSE(failed.has_value());
  record("u2");
  create("b@acme.example");
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 3u);
}

// Two connections, two threads, writing as fast as they can: if both could read the same
// head, two rows would chain onto one and the chain would fork.
TEST_P(AuditChainWritersTest, ConcurrentWritersNeverChainOntoTheSameRow) {
  constexpr int kEach = 60;
  // A writer that finds the file locked sleeps in SQLite's busy handler; without a pause
  // between writes the other would take the lock again first, every time, and the two
  // would run one after the other instead of side by side.
  const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::thread accounts_thread([&] {
    while (!go) std::this_thread::yield();
    for (int i = 0; i < kEach; ++i) {
      if (!accounts_->apply(create_op("p" + std::to_string(i) + "@acme.example"),
                            Actor::operator_named("root"), "load"))
        ++failures;
      pause();
    }
  });
  std::thread identities_thread([&] {
    while (!go) std::this_thread::yield();
    for (int i = 0; i < kEach; ++i) {
      if (!store_->write([i](IdentityWriter& w) { return w.record(event_for("u" + std::to_string(i)), kT0); }))
        ++failures;
      pause();
    }
  });
  go = true;
  accounts_thread.join();
  identities_thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 2u * kEach);
  EXPECT_EQ(scalar("SELECT COUNT(DISTINCT prev_hash) FROM audit"), 2 * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainWritersTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
