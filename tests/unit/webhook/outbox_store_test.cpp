// OutboxStore over SQLite: the delivery states and the order the sender relies on. Events
// are inserted as the account store writes them (stmt::kInsertOutbox).
#include <gtest/gtest.h>

#include "store/sql/outbox_sql_store.h"
#include "store/sql/statements.h"
#include "store/sqlite/open_sqlite_outbox_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using std::chrono::seconds;

Timestamp t0() { return parse_timestamp("2026-11-24T10:00:00Z").value(); }

class OutboxStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = sql::SqliteConnection::open(dir_.file("store.db"));
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    writer_ = std::move(*conn);
    reopen();
  }
  void reopen() {
    store_.reset();
    auto store = open_sqlite_outbox_store(dir_.file("store.db"));
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
  }
  void add(const std::string& id, const std::string& space, const std::string& account,
           Timestamp created = t0()) {
    const std::string at = format_timestamp(created);
    const std::string payload = R"({"id":")" + id + R"("})";
    auto r = writer_->execute(sql::stmt::kInsertOutbox, {id, "account.updated", space, account, payload, at});
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  std::vector<std::string> claim(const std::string& space, Timestamp now, std::size_t limit = 100) {
    auto events = store_->claim_due(space, now, now + seconds(30), limit);
    EXPECT_TRUE(events.has_value()) << events.error().message;
    std::vector<std::string> ids;
    if (events)
      for (const auto& e : *events) ids.push_back(e.event_id);
    return ids;
  }
  void record(const std::string& id, AttemptResult result, Timestamp at, Timestamp next = {}) {
    const AttemptOutcome o{id, result, at, next, result == AttemptResult::Delivered ? "" : "HTTP 500"};
    auto r = store_->record_attempts(std::span<const AttemptOutcome>(&o, 1));
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  OutboxEvent event(const std::string& id) {
    auto e = store_->outbox_event(id);
    EXPECT_TRUE(e.has_value() && e->has_value()) << id;
    return e && *e ? **e : OutboxEvent{};
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::SqliteConnection> writer_;
  std::unique_ptr<OutboxStore> store_;
};

TEST_F(OutboxStoreTest, ClaimsTheFirstPendingEventOfEachAccountOldestFirst) {
  add("a1", "acme", "alice");
  add("b1", "acme", "bob");
  add("a2", "acme", "alice");
  add("c1", "acme", "carol");
  EXPECT_EQ(claim("acme", t0()), (std::vector<std::string>{"a1", "b1", "c1"}));
}

TEST_F(OutboxStoreTest, AClaimedEventIsLeasedAndHoldsBackItsAccountsLaterEvents) {
  add("a1", "acme", "alice");
  add("a2", "acme", "alice");
  ASSERT_EQ(claim("acme", t0()), (std::vector<std::string>{"a1"}));
  EXPECT_TRUE(claim("acme", t0() + seconds(1)).empty());
  EXPECT_EQ(event("a1").next_attempt_at, t0() + seconds(30));
  // After a crash, the lease passes and the same event is claimed again.
  EXPECT_EQ(claim("acme", t0() + seconds(31)), (std::vector<std::string>{"a1"}));
}

TEST_F(OutboxStoreTest, ADeliveredEventLetsTheAccountsNextOneGo) {
  add("a1", "acme", "alice");
  add("a2", "acme", "alice");
  claim("acme", t0());
  record("a1", AttemptResult::Delivered, t0() + seconds(1));
  const auto a1 = event("a1");
  EXPECT_EQ(a1.state, "delivered");
  EXPECT_EQ(a1.attempts, 1);
  EXPECT_EQ(a1.last_attempt_at, t0() + seconds(1));
  EXPECT_EQ(claim("acme", t0() + seconds(1)), (std::vector<std::string>{"a2"}));
}

TEST_F(OutboxStoreTest, ARetriedEventWaitsUntilItsNextAttemptAndKeepsItsAccountWaiting) {
  add("a1", "acme", "alice");
  add("a2", "acme", "alice");
  add("b1", "acme", "bob");
  EXPECT_EQ(claim("acme", t0()), (std::vector<std::string>{"a1", "b1"}));
  record("a1", AttemptResult::Retry, t0(), t0() + seconds(10));
  record("b1", AttemptResult::Delivered, t0());
  const auto a1 = event("a1");
  EXPECT_EQ(a1.state, "pending");
  EXPECT_EQ(a1.attempts, 1);
  EXPECT_EQ(a1.last_error, "HTTP 500");
  EXPECT_EQ(a1.next_attempt_at, t0() + seconds(10));
  EXPECT_TRUE(claim("acme", t0() + seconds(9)).empty());  // a2 waits behind a1
  EXPECT_EQ(claim("acme", t0() + seconds(10)), (std::vector<std::string>{"a1"}));
}

TEST_F(OutboxStoreTest, ADeadEventDoesNotHoldBackTheAccountsLaterEvents) {
  add("a1", "acme", "alice");
  add("a2", "acme", "alice");
  claim("acme", t0());
  record("a1", AttemptResult::Dead, t0());
  EXPECT_EQ(event("a1").state, "dead");
  EXPECT_EQ(claim("acme", t0()), (std::vector<std::string>{"a2"}));
}

TEST_F(OutboxStoreTest, OnlyTheNamedSpaceIsClaimedOthersWait) {
  add("a1", "acme", "alice");
  add("g1", "globex", "gina");
  EXPECT_EQ(claim("acme", t0()), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(event("g1").state, "pending");
  EXPECT_EQ(claim("globex", t0()), (std::vector<std::string>{"g1"}));
}

TEST_F(OutboxStoreTest, TheLimitBoundsABatch) {
  for (int i = 0; i < 10; ++i) add("e" + std::to_string(i), "acme", "p" + std::to_string(i));
  EXPECT_EQ(claim("acme", t0(), 3), (std::vector<std::string>{"e0", "e1", "e2"}));
  EXPECT_EQ(claim("acme", t0(), 3), (std::vector<std::string>{"e3", "e4", "e5"}));
}

TEST_F(OutboxStoreTest, RetryPutsADeadEventBackDueNowWithItsAttemptsReset) {
  add("a1", "acme", "alice");
  add("b1", "acme", "bob");
  claim("acme", t0());
  record("a1", AttemptResult::Dead, t0());
  ASSERT_TRUE(store_->retry_event("a1", t0() + seconds(5)).has_value());
  const auto a1 = event("a1");
  EXPECT_EQ(a1.state, "pending");
  EXPECT_EQ(a1.attempts, 0);
  EXPECT_EQ(a1.next_attempt_at, t0() + seconds(5));
  // Not dead (b1 is pending, leased): refused, saying why; unknown: not found.
  const auto pending = store_->retry_event("b1", t0());
  ASSERT_FALSE(pending.has_value());
  EXPECT_EQ(pending.error().code, ErrorCode::PreconditionFailed);
  EXPECT_NE(pending.error().message.find("is pending"), std::string::npos);
  EXPECT_EQ(store_->retry_event("nope", t0()).error().code, ErrorCode::NotFound);
}

TEST_F(OutboxStoreTest, RetryDeadRetriesEveryDeadEvent) {
  add("a1", "acme", "alice");
  add("b1", "acme", "bob");
  claim("acme", t0());
  record("a1", AttemptResult::Dead, t0());
  record("b1", AttemptResult::Dead, t0());
  EXPECT_EQ(store_->retry_dead(t0()).value(), 2u);
  EXPECT_EQ(store_->outbox_counts().value().pending, 2);
}

TEST_F(OutboxStoreTest, DropRemovesPendingOrDeadButNeverADeliveredEvent) {
  add("a1", "acme", "alice");
  add("b1", "acme", "bob");
  claim("acme", t0());
  record("a1", AttemptResult::Delivered, t0());
  const auto delivered = store_->drop_event("a1");
  ASSERT_FALSE(delivered.has_value());
  EXPECT_EQ(delivered.error().code, ErrorCode::PreconditionFailed);
  ASSERT_TRUE(store_->drop_event("b1").has_value());
  EXPECT_FALSE(store_->outbox_event("b1").value().has_value());
  // The sender's outcome for an event dropped meanwhile changes nothing.
  record("b1", AttemptResult::Delivered, t0());
  EXPECT_FALSE(store_->outbox_event("b1").value().has_value());
  EXPECT_EQ(store_->drop_event("b1").error().code, ErrorCode::NotFound);
}

TEST_F(OutboxStoreTest, TheDeliveryStateSurvivesReopeningTheStore) {
  add("a1", "acme", "alice");
  add("b1", "acme", "bob");
  claim("acme", t0());
  record("a1", AttemptResult::Retry, t0(), t0() + seconds(60));
  record("b1", AttemptResult::Dead, t0());
  reopen();
  EXPECT_EQ(event("a1").attempts, 1);
  EXPECT_EQ(event("a1").next_attempt_at, t0() + seconds(60));
  EXPECT_EQ(event("b1").state, "dead");
  const auto counts = store_->outbox_counts().value();
  EXPECT_EQ(counts.pending, 1);
  EXPECT_EQ(counts.dead, 1);
  EXPECT_EQ(store_->outbox_events("dead", 0).value().size(), 1u);
}

}  // namespace
}  // namespace rosterd
