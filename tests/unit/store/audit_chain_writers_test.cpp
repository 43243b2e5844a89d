// Both audit writers (the account store, and the identity store's writer on a second
// connection to the same database) extend one hash chain: interleaved, concurrent, and
// with jobs that fail and roll their rows back.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
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

// One commit, two jobs: the first keeps its row, the second rolls its row back. The head
// must name the first one's row, not the number the second one drew and gave back (which
// is what a head taken from the sequence's last value would name): verification would then
// report that row as deleted. Both ways a batch runs: each job settled, and (jobs that may
// run again, on PostgreSQL) writes riding with the next job's statements.
void rolled_back_after_kept(IdentityStore& store, IdentityStore::Rerun rerun) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> first_running;
  std::vector<std::promise<Result<void>>> done(3);
  // The first job holds the writer while the next two queue up: they then share a commit.
  store.write_async(
      [&first_running, released](IdentityWriter& w) -> Result<void> {
        first_running.set_value();
        released.wait();
        return w.record(event_for("u0"), kT0);
      },
      [&done](Result<void> r) { done[0].set_value(std::move(r)); });
  first_running.get_future().wait();
  store.write_async([](IdentityWriter& w) { return w.record(event_for("kept"), kT0); },
                    [&done](Result<void> r) { done[1].set_value(std::move(r)); }, rerun);
  store.write_async(
      [](IdentityWriter& w) -> Result<void> {
        if (auto r = w.record(event_for("rolled-back"), kT0); !r) return r;
        return fail(ErrorCode::InvalidValue, "changed my mind");
      },
      [&done](Result<void> r) { done[2].set_value(std::move(r)); }, rerun);
  release.set_value();
  EXPECT_TRUE(done[0].get_future().get().has_value());
  EXPECT_TRUE(done[1].get_future().get().has_value());
  EXPECT_FALSE(done[2].get_future().get().has_value());
}

TEST_P(AuditChainWritersTest, AJobRolledBackAfterAKeptOneInTheSameCommitLeavesTheHeadOnTheKeptRow) {
  for (const auto rerun : {IdentityStore::Rerun::No, IdentityStore::Rerun::Allowed}) {
    SCOPED_TRACE(rerun == IdentityStore::Rerun::No ? "each job settled" : "writes riding");
    const std::int64_t before = scalar("SELECT COUNT(*) FROM audit");
    rolled_back_after_kept(*store_, rerun);
    auto v = verify();
    EXPECT_TRUE(v.ok) << v.problem;
    EXPECT_EQ(v.rows, static_cast<std::size_t>(before + 2));
    EXPECT_EQ(scalar("SELECT seq FROM audit_head"), scalar("SELECT MAX(seq) FROM audit"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit WHERE details LIKE '%rolled-back%'"), 0);
    // The next rows chain on from the kept one.
    record("u3");
    create("b" + std::to_string(before) + "@acme.example");
    v = verify();
    EXPECT_TRUE(v.ok) << v.problem;
    EXPECT_EQ(v.rows, static_cast<std::size_t>(before + 4));
  }
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
