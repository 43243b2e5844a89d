// The webhook outbox and the invitation emails on PostgreSQL: the same statements as on
// SQLite (tests/unit/webhook covers their behaviour there), run once against a server so
// that every one of them prepares and does the same on both.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/postgres/open_postgres_store.h"
#include "store/sql/migrations.h"
#include "store/sql/statements.h"
#include "tests/support/postgres_fixture.h"

namespace rosterd {
namespace {

using std::chrono::seconds;

Timestamp t0() { return parse_timestamp("2026-11-24T10:00:00Z").value(); }

class PostgresDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ROSTERD_REQUIRE_POSTGRES();
    const auto target = testing::PostgresServer::shared().target(testing::PostgresServer::kTestDatabase,
                                                                 testing::fresh_postgres_schema());
    auto outbox = open_postgres_outbox_store(target);
    ASSERT_TRUE(outbox.has_value()) << outbox.error().message;
    outbox_ = std::move(*outbox);
    auto invitations = open_postgres_invitation_store(target);
    ASSERT_TRUE(invitations.has_value()) << invitations.error().message;
    invitations_ = std::move(*invitations);
    auto conn = connect_postgres(target);
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    writer_ = std::move(*conn);
  }
  void add(const std::string& id, const std::string& type, const std::string& account) {
    const std::string at = format_timestamp(t0());
    auto r = writer_->execute(sql::stmt::kInsertOutbox, {id, type, "acme", account, "{}", at});
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  std::vector<std::string> claim(Timestamp now) {
    auto events = outbox_->claim_due("acme", now, now + seconds(30), 100);
    EXPECT_TRUE(events.has_value()) << events.error().message;
    std::vector<std::string> ids;
    if (events)
      for (const auto& e : *events) ids.push_back(e.event_id);
    return ids;
  }

  std::unique_ptr<sql::SqlConnection> writer_;
  std::unique_ptr<OutboxStore> outbox_;
  std::unique_ptr<InvitationStore> invitations_;
};

TEST_F(PostgresDeliveryTest, TheOutboxMovesEventsThroughTheirDeliveryStates) {
  add("a1", "account.created", "alice");
  add("b1", "account.updated", "bob");
  add("a2", "account.updated", "alice");
  EXPECT_EQ(claim(t0()), (std::vector<std::string>{"a1", "b1"}));  // a2 waits for a1
  EXPECT_TRUE(claim(t0() + seconds(1)).empty());                  // leased
  const std::vector<AttemptOutcome> outcomes{
      {"a1", AttemptResult::Delivered, t0() + seconds(2), {}, ""},
      {"b1", AttemptResult::Dead, t0() + seconds(2), {}, "HTTP 410"}};
  ASSERT_TRUE(outbox_->record_attempts(outcomes).has_value());
  EXPECT_EQ(claim(t0() + seconds(3)), (std::vector<std::string>{"a2"}));
  auto counts = outbox_->outbox_counts();
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->delivered, 1);
  EXPECT_EQ(counts->dead, 1);
  auto dead = outbox_->outbox_events(std::string_view("dead"), 0);
  ASSERT_TRUE(dead.has_value()) << dead.error().message;
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].last_error, "HTTP 410");
  EXPECT_EQ((*dead)[0].last_attempt_at, t0() + seconds(2));
  auto retried = outbox_->retry_dead(t0() + seconds(4));
  ASSERT_TRUE(retried.has_value()) << retried.error().message;
  EXPECT_EQ(*retried, 1u);
  ASSERT_TRUE(outbox_->drop_event("b1").has_value());
  EXPECT_FALSE(outbox_->outbox_event("b1")->has_value());
  auto all = outbox_->outbox_events(std::nullopt, 0);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(PostgresDeliveryTest, InvitationsAreFedFromTheOutboxOnceAndSent) {
  ASSERT_TRUE(invitations_->keep_starts(std::vector<std::string>{"acme"}, t0() - seconds(1)).has_value());
  add("c1", "account.created", "carol");
  add("u1", "account.updated", "carol");
  add("c2", "account.created", "dan");
  auto seen = invitations_->last_seen_seq("acme");
  ASSERT_TRUE(seen.has_value()) << seen.error().message;
  auto events = outbox_->events_after("acme", "account.created", *seen, 100);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  ASSERT_TRUE(invitations_->add_invitations(*events, t0()).has_value());
  ASSERT_TRUE(invitations_->add_invitations(*events, t0()).has_value());  // again: no change
  auto due = invitations_->claim_due("acme", t0(), t0() + seconds(60), 10);
  ASSERT_TRUE(due.has_value()) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].event_id, "c1");
  EXPECT_EQ((*due)[0].payload, "{}");
  const std::vector<AttemptOutcome> sent{{"c1", AttemptResult::Delivered, t0() + seconds(1), {}, ""}};
  ASSERT_TRUE(invitations_->record_sends(sent).has_value());
  auto all = invitations_->invitations();
  ASSERT_TRUE(all.has_value()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].state, "sent");
  EXPECT_EQ((*all)[1].state, "pending");
  auto last = invitations_->last_seen_seq("acme");
  ASSERT_TRUE(last.has_value());
  EXPECT_GT(*last, *seen);
}

}  // namespace
}  // namespace rosterd
