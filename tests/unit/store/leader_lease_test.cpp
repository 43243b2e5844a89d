// The leader lease (store/sql/leader_lease.h) on each database of the store suites
// (SQLite, PostgreSQL): two instances, each on a connection of its own to one database, as
// two `rosterd serve` processes are. Time is given by the test (the database's clock
// otherwise, checked on its own), so that "only after the expiry" is checked to the
// millisecond without waiting.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "store/sql/leader_lease.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_backends.h"

namespace rosterd::sql {
namespace {

using store_test::StoreBackend;

using std::chrono::milliseconds;

constexpr milliseconds kTtl{10000};

class LeaderLeaseTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam().unavailable)
      if (const std::string why = GetParam().unavailable(); !why.empty()) GTEST_SKIP() << why;
    // Opened once: the store creates and migrates the database.
    auto store = GetParam().open(dir_.path(), {});
    ASSERT_TRUE(store.has_value()) << store.error().message;
    a_conn_ = connect();
    b_conn_ = connect();
    ASSERT_NE(a_conn_, nullptr);
    ASSERT_NE(b_conn_, nullptr);
    a_ = std::make_unique<LeaderLease>(*a_conn_, [this] { return now_ms_; });
    b_ = std::make_unique<LeaderLease>(*b_conn_, [this] { return now_ms_; });
  }

  std::unique_ptr<SqlConnection> connect() {
    auto conn = GetParam().connect(dir_.path());
    EXPECT_TRUE(conn.has_value()) << conn.error().message;
    return conn ? std::move(*conn) : nullptr;
  }

  static LeaseState must(Result<LeaseState> r) {
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r ? *r : LeaseState{};
  }

  testing::TempDir dir_;
  std::unique_ptr<SqlConnection> a_conn_, b_conn_;
  std::unique_ptr<LeaderLease> a_, b_;
  std::int64_t now_ms_ = 1'800'000'000'000;
};

TEST_P(LeaderLeaseTest, ANewDatabaseHasAFreeLeaseThatTheFirstAskerTakesAsTermOne) {
  const LeaseState before = must(a_->current());
  EXPECT_FALSE(before.held);
  EXPECT_EQ(before.holder, "");
  EXPECT_EQ(before.term, 0);

  const LeaseState taken = must(a_->try_hold("a", kTtl));
  EXPECT_TRUE(taken.held);
  EXPECT_EQ(taken.holder, "a");
  EXPECT_EQ(taken.term, 1);
  EXPECT_EQ(taken.expires_at_ms, now_ms_ + kTtl.count());
}

TEST_P(LeaderLeaseTest, AnotherInstanceIsRefusedWhileTheLeaseRunsAndToldWhoHoldsIt) {
  must(a_->try_hold("a", kTtl));
  now_ms_ += kTtl.count() - 1;
  const LeaseState refused = must(b_->try_hold("b", kTtl));
  EXPECT_FALSE(refused.held);
  EXPECT_EQ(refused.holder, "a");
  EXPECT_EQ(refused.term, 1);
  // Refusing changed nothing: the holder still renews.
  EXPECT_TRUE(must(a_->try_hold("a", kTtl)).held);
}

TEST_P(LeaderLeaseTest, RenewalKeepsTheTermAndMovesTheExpiryFromTheRenewal) {
  must(a_->try_hold("a", kTtl));
  now_ms_ += 2000;
  const LeaseState renewed = must(a_->try_hold("a", kTtl));
  EXPECT_TRUE(renewed.held);
  EXPECT_EQ(renewed.term, 1);
  EXPECT_EQ(renewed.expires_at_ms, now_ms_ + kTtl.count());
  // The renewal counts: b is still refused past the first lease's expiry.
  now_ms_ += kTtl.count() - 1;
  EXPECT_FALSE(must(b_->try_hold("b", kTtl)).held);
}

TEST_P(LeaderLeaseTest, TakeoverHappensOnlyAfterTheExpiryAndBumpsTheTerm) {
  const std::int64_t expires = must(a_->try_hold("a", kTtl)).expires_at_ms;
  now_ms_ = expires;  // the last millisecond of the lease
  EXPECT_FALSE(must(b_->try_hold("b", kTtl)).held);
  now_ms_ = expires + 1;
  const LeaseState taken = must(b_->try_hold("b", kTtl));
  EXPECT_TRUE(taken.held);
  EXPECT_EQ(taken.holder, "b");
  EXPECT_EQ(taken.term, 2);
  // The old holder, back, finds it taken.
  const LeaseState late = must(a_->try_hold("a", kTtl));
  EXPECT_FALSE(late.held);
  EXPECT_EQ(late.holder, "b");
  EXPECT_EQ(late.term, 2);
}

TEST_P(LeaderLeaseTest, AHolderWhoseLeaseRanOutUntakenRenewsItInTheSameTerm) {
  must(a_->try_hold("a", kTtl));
  now_ms_ += 3 * kTtl.count();
  const LeaseState renewed = must(a_->try_hold("a", kTtl));
  EXPECT_TRUE(renewed.held);
  EXPECT_EQ(renewed.term, 1) << "nobody else held it in between";
}

TEST_P(LeaderLeaseTest, ReleaseLetsAnotherInstanceTakeOverAtOnce) {
  must(a_->try_hold("a", kTtl));
  ASSERT_TRUE(a_->release("a").has_value());
  EXPECT_EQ(must(b_->current()).expires_at_ms, 0);
  now_ms_ += 1;  // well within the ttl the lease had
  const LeaseState taken = must(b_->try_hold("b", kTtl));
  EXPECT_TRUE(taken.held);
  EXPECT_EQ(taken.term, 2);
}

TEST_P(LeaderLeaseTest, ReleaseByAnInstanceThatDoesNotHoldTheLeaseChangesNothing) {
  const LeaseState held = must(a_->try_hold("a", kTtl));
  ASSERT_TRUE(b_->release("b").has_value());
  const LeaseState after = must(b_->current());
  EXPECT_EQ(after.holder, "a");
  EXPECT_EQ(after.expires_at_ms, held.expires_at_ms);
  EXPECT_FALSE(must(b_->try_hold("b", kTtl)).held);
}

TEST_P(LeaderLeaseTest, WithoutAGivenTimeTheDatabaseClockInMillisecondsDecides) {
  LeaderLease lease(*a_conn_);
  const auto before = std::chrono::duration_cast<milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const LeaseState taken = must(lease.try_hold("a", kTtl));
  const auto after = std::chrono::duration_cast<milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_TRUE(taken.held);
  // The database runs on this host: its clock is this one, to its millisecond rounding.
  EXPECT_GE(taken.expires_at_ms, before + kTtl.count() - 1);
  EXPECT_LE(taken.expires_at_ms, after + kTtl.count() + 1);
  // Not yet run out by that clock: another instance asking now is refused.
  LeaderLease other(*b_conn_);
  EXPECT_FALSE(must(other.try_hold("b", kTtl)).held);
}

INSTANTIATE_TEST_SUITE_P(Backends, LeaderLeaseTest, store_test::store_backends(), store_test::store_backend_name);

}  // namespace
}  // namespace rosterd::sql
