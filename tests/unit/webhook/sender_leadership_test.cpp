// The webhook sender of an instance that does not lead (several rosterd on one database,
// daemon/service/leadership.h): it claims nothing and sends nothing, so the leader alone
// delivers each event; once it leads, it sends. One pass at a time (run_once), no thread.
#include <gtest/gtest.h>

#include "connectors/webhook/webhook_sender.h"
#include "store/sql/statements.h"
#include "store/sqlite/open_sqlite_outbox_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/support/temp_dir.h"

namespace rosterd::webhook {
namespace {

Timestamp t0() { return parse_timestamp("2026-11-24T10:00:00Z").value(); }

std::unique_ptr<OutboxStore> outbox_of(const std::string& file) {
  auto store = open_sqlite_outbox_store(file);
  EXPECT_TRUE(store.has_value()) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

TEST(WebhookSenderLeadership, AStandbyLeavesTheEventUnclaimedAndTheLeaderAttemptsIt) {
  testing::TempDir dir;
  const std::string file = dir.file("store.db");
  auto looker = outbox_of(file);  // migrates the new file
  ASSERT_NE(looker, nullptr);
  auto writer = sql::SqliteConnection::open(file);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  ASSERT_TRUE((*writer)->execute(sql::stmt::kInsertOutbox, {"e1", "account.created", "acme", "alice",
                                                            R"({"id":"e1"})", format_timestamp(t0())}));

  WebhookTarget target{"acme", "http://127.0.0.1:9/hooks", WebhookSecret("whsec_test"), {}, {}};
  target.limits.allow_http = true;  // port 9 on loopback: refused at once, an attempt all the same
  target.limits.connect_timeout = std::chrono::seconds(1);
  target.limits.total_timeout = std::chrono::seconds(1);
  bool leading = false;
  SenderOptions options;
  options.clock = [] { return t0(); };
  options.is_leader = [&leading] { return leading; };
  std::vector<WebhookTarget> targets;
  targets.push_back(std::move(target));
  WebhookSender sender(outbox_of(file), std::move(targets), options, {});

  auto attempted = sender.run_once();
  ASSERT_TRUE(attempted.has_value()) << attempted.error().message;
  EXPECT_EQ(*attempted, 0u);
  auto event = looker->outbox_event("e1");
  ASSERT_TRUE(event.has_value() && event->has_value());
  EXPECT_EQ((*event)->attempts, 0);
  // Not leased either: the leader can claim it now.
  EXPECT_EQ((*event)->next_attempt_at, t0());

  leading = true;
  attempted = sender.run_once();
  ASSERT_TRUE(attempted.has_value()) << attempted.error().message;
  EXPECT_EQ(*attempted, 1u);
  event = looker->outbox_event("e1");
  ASSERT_TRUE(event.has_value() && event->has_value());
  EXPECT_EQ((*event)->attempts, 1);
}

}  // namespace
}  // namespace rosterd::webhook
