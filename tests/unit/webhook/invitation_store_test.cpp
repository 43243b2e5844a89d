// InvitationStore over SQLite (schema version 8) and the outbox feed it is filled from
// (OutboxStore::events_after): what is seen once is not added again, leases, outcomes.
#include <gtest/gtest.h>

#include "store/sql/statements.h"
#include "store/sqlite/open_sqlite_outbox_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using std::chrono::seconds;

Timestamp t0() { return parse_timestamp("2026-11-24T10:00:00Z").value(); }

class InvitationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = sql::SqliteConnection::open(dir_.file("store.db"));
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    writer_ = std::move(*conn);
    auto outbox = open_sqlite_outbox_store(dir_.file("store.db"));
    ASSERT_TRUE(outbox.has_value()) << outbox.error().message;
    outbox_ = std::move(*outbox);
    auto store = open_sqlite_invitation_store(dir_.file("store.db"));
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
  }
  void add(const std::string& id, const std::string& type, const std::string& space) {
    const std::string at = format_timestamp(t0());
    auto r = writer_->execute(sql::stmt::kInsertOutbox, {id, type, space, "acc-" + id, "{}", at});
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  // One pass of the sender's feed: returns the number of events read.
  std::size_t feed(const std::string& space) {
    auto seen = store_->last_seen_seq(space);
    EXPECT_TRUE(seen.has_value());
    auto events = outbox_->events_after(space, "account.created", *seen, 100);
    EXPECT_TRUE(events.has_value());
    EXPECT_TRUE(store_->add_invitations(*events, t0()).has_value());
    return events->size();
  }
  std::vector<std::string> claim(const std::string& space, Timestamp now) {
    auto due = store_->claim_due(space, now, now + seconds(60), 100);
    EXPECT_TRUE(due.has_value()) << due.error().message;
    std::vector<std::string> ids;
    for (const auto& i : *due) ids.push_back(i.event_id);
    return ids;
  }
  void record(const std::string& id, AttemptResult result, Timestamp at, Timestamp next = {}) {
    const AttemptOutcome o{id, result, at, next, result == AttemptResult::Delivered ? "" : "SMTP 451"};
    ASSERT_TRUE(store_->record_sends(std::span<const AttemptOutcome>(&o, 1)).has_value());
  }
  Invitation row(const std::string& id) {
    const auto all = store_->invitations();
    EXPECT_TRUE(all.has_value());
    for (const auto& i : *all)
      if (i.event_id == id) return i;
    ADD_FAILURE() << "no invitation " << id;
    return {};
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::SqliteConnection> writer_;
  std::unique_ptr<OutboxStore> outbox_;
  std::unique_ptr<InvitationStore> store_;
};

TEST_F(InvitationStoreTest, OnlyAccountCreatedEventsOfTheSpaceBecomeInvitationsAndOnlyOnce) {
  add("c1", "account.created", "acme");
  add("u1", "account.updated", "acme");
  add("o1", "account.created", "other");
  add("c2", "account.created", "acme");
  EXPECT_EQ(feed("acme"), 2u);
  EXPECT_EQ(feed("acme"), 0u);  // last_seen_seq moved past them
  add("c3", "account.created", "acme");
  EXPECT_EQ(feed("acme"), 1u);
  EXPECT_EQ(claim("acme", t0()), (std::vector<std::string>{"c1", "c2", "c3"}));
  // Adding the same events again (a crash between the feed and its commit) changes nothing.
  auto again = outbox_->events_after("acme", "account.created", 0, 100);
  ASSERT_TRUE(again.has_value());
  ASSERT_TRUE(store_->add_invitations(*again, t0()).has_value());
  EXPECT_EQ(store_->invitations()->size(), 3u);
  EXPECT_EQ(row("c1").state, "pending");
}

TEST_F(InvitationStoreTest, AClaimIsLeasedAndCarriesTheEventsPayload) {
  add("c1", "account.created", "acme");
  feed("acme");
  auto due = store_->claim_due("acme", t0(), t0() + seconds(60), 10);
  ASSERT_TRUE(due.has_value());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].payload, "{}");
  EXPECT_EQ((*due)[0].account_id, "acc-c1");
  EXPECT_TRUE(claim("acme", t0() + seconds(59)).empty());
  EXPECT_EQ(claim("acme", t0() + seconds(61)), (std::vector<std::string>{"c1"}));  // after a crash
}

TEST_F(InvitationStoreTest, RecordsSentRetriedAndDeadOutcomes) {
  for (const char* id : {"c1", "c2", "c3"}) add(id, "account.created", "acme");
  feed("acme");
  claim("acme", t0());
  record("c1", AttemptResult::Delivered, t0() + seconds(1));
  record("c2", AttemptResult::Retry, t0() + seconds(1), t0() + seconds(5));
  record("c3", AttemptResult::Dead, t0() + seconds(1));
  EXPECT_EQ(row("c1").state, "sent");
  EXPECT_EQ(row("c1").sent_at, t0() + seconds(1));
  EXPECT_EQ(row("c2").state, "pending");
  EXPECT_EQ(row("c2").attempts, 1);
  EXPECT_EQ(row("c2").last_error, "SMTP 451");
  EXPECT_EQ(row("c3").state, "dead");
  EXPECT_TRUE(claim("acme", t0() + seconds(4)).empty());
  EXPECT_EQ(claim("acme", t0() + seconds(5)), (std::vector<std::string>{"c2"}));
  // A sent invitation is not changed by a late outcome.
  record("c1", AttemptResult::Dead, t0() + seconds(6));
  EXPECT_EQ(row("c1").state, "sent");
}

}  // namespace
}  // namespace rosterd
