// A COMMIT whose answer never arrives (PgConnection::commit_outcome): the connection asks
// the server afterwards whether the transaction committed, so a caller is told the truth
// about a write instead of "unavailable" for one that was stored. The commit is held open
// by a deferred trigger that sleeps, and the connection is cut (through a TcpProxy) or its
// session terminated while the server is inside that COMMIT.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "store/postgres/pg_connection.h"
#include "tests/support/postgres_fixture.h"
#include "tests/support/tcp_proxy.h"

namespace rosterd {
namespace {

using sql::PgConnection;
using testing::PostgresServer;

class PostgresCommitOutcomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ROSTERD_REQUIRE_POSTGRES();
    database_ = testing::fresh_postgres_database();
    auto admin = PgConnection::connect(PostgresServer::shared().target(database_));
    ASSERT_TRUE(admin.has_value()) << admin.error().message;
    admin_ = std::move(*admin);
    // Each row inserted makes its transaction's COMMIT sleep for a second, before the
    // commit record is written: long enough to cut the connection in the middle of it.
    ASSERT_TRUE(admin_->execute_script(R"sql(
      CREATE TABLE written (x INTEGER NOT NULL);
      CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON written DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION slow_commit();
    )sql").has_value());
  }

  // Waits until the session `pid` is sleeping inside its COMMIT.
  void wait_until_committing(int pid) {
    const std::string sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + std::to_string(pid) +
                            " AND query = 'COMMIT' AND wait_event = 'PgSleep'";
    for (int i = 0; i < 1000; ++i) {
      auto rows = admin_->query(sql, {});
      if (rows && !rows->empty() && rows->front().integer(0) == 1) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "session " << pid << " never reached its COMMIT";
  }

  std::int64_t rows_written() {
    auto rows = admin_->query("SELECT COUNT(*) FROM written", {});
    EXPECT_TRUE(rows.has_value());
    return rows && !rows->empty() ? rows->front().integer(0) : -1;
  }

  std::string database_;
  std::unique_ptr<PgConnection> admin_;
};

TEST_F(PostgresCommitOutcomeTest, ACommitWhoseAnswerWasLostButThatCommittedIsASuccess) {
  testing::TcpProxy proxy(static_cast<std::uint16_t>(std::stoi(PostgresServer::shared().port())));
  PostgresTarget through_proxy = PostgresServer::shared().target(database_);
  const std::string direct = "127.0.0.1:" + PostgresServer::shared().port();
  through_proxy.url.replace(through_proxy.url.find(direct), direct.size(),
                            "127.0.0.1:" + std::to_string(proxy.port()));
  auto conn = PgConnection::connect(through_proxy);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  const int pid = (*conn)->backend_pid();

  ASSERT_TRUE((*conn)->begin_write().has_value());
  ASSERT_TRUE((*conn)->execute("INSERT INTO written (x) VALUES (1)", {}).has_value());
  // The network fails while the server commits: the server finishes the commit, and its
  // answer has nowhere to go.
  std::thread network([&] {
    wait_until_committing(pid);
    proxy.cut();
  });
  auto committed = (*conn)->execute("COMMIT", {});
  network.join();

  EXPECT_TRUE(committed.has_value()) << committed.error().message;
  EXPECT_EQ(rows_written(), 1);
  // The connection is usable again (it reconnected to ask).
  EXPECT_TRUE((*conn)->query("SELECT 1", {}).has_value());
}

TEST_F(PostgresCommitOutcomeTest, ACommitCutShortByTheServerIsUnavailableAndNothingIsWritten) {
  auto conn = PgConnection::connect(PostgresServer::shared().target(database_));
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  const int pid = (*conn)->backend_pid();

  ASSERT_TRUE((*conn)->begin_write().has_value());
  ASSERT_TRUE((*conn)->execute("INSERT INTO written (x) VALUES (1)", {}).has_value());
  // The server ends the session inside its COMMIT (an administrator, a fast shutdown):
  // the transaction is rolled back, and the connection finds that out.
  std::thread administrator([&] {
    wait_until_committing(pid);
    EXPECT_TRUE(admin_->query("SELECT pg_terminate_backend(" + std::to_string(pid) + ")", {}).has_value());
  });
  auto committed = (*conn)->execute("COMMIT", {});
  administrator.join();

  ASSERT_FALSE(committed.has_value());
  EXPECT_EQ(committed.error().code, ErrorCode::Unavailable);
  EXPECT_NE(committed.error().message.find("rolled back"), std::string::npos) << committed.error().message;
  EXPECT_EQ(rows_written(), 0);
}

}  // namespace
}  // namespace rosterd
