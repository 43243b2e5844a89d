// What only PostgreSQL has: a server that can restart under the store, several instances
// migrating one database at once, logins that can be refused, and a collation that is not
// byte order. The shared suites (store_backends.h, identity_backends.h) cover the rest.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/lifecycle.h"
#include "store/postgres/open_postgres_store.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/migrations.h"
#include "store/sql/statements.h"
#include "store/sql/transaction.h"
#include "tests/support/postgres_fixture.h"

namespace rosterd {
namespace {

using sql::PgConnection;
using testing::PostgresServer;

std::unique_ptr<PgConnection> must_connect(const PostgresTarget& target) {
  auto conn = PgConnection::connect(target);
  EXPECT_TRUE(conn.has_value()) << (conn ? "" : conn.error().message);
  return conn ? std::move(*conn) : nullptr;
}

std::string one_value(sql::SqlConnection& conn, const std::string& sql) {
  auto rows = conn.query(sql, {});
  EXPECT_TRUE(rows.has_value()) << sql << ": " << (rows ? "" : rows.error().message);
  return rows && !rows->empty() ? rows->front().text(0) : "<none>";
}

// A loopback port nothing listens on: bound, then released.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t size = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class PostgresConnectionTest : public ::testing::Test {
 protected:
  // A database of the test's own: the write lock is per database, and other test
  // processes write into the shared one meanwhile.
  void SetUp() override {
    ROSTERD_REQUIRE_POSTGRES();
    target_ = PostgresServer::shared().target(testing::fresh_postgres_database());
  }
  PostgresTarget target_;
};

TEST_F(PostgresConnectionTest, TwoInstancesMigratingAtOnceMigrateOnce) {
  const std::string kWaiting =
      "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
      " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
  // A third session holds the write lock, so both migrations are waiting at once when it
  // lets go: they really overlap, and the advisory lock must serialise them.
  auto holder = must_connect(target_);
  ASSERT_NE(holder, nullptr);
  ASSERT_TRUE(holder->begin_write().has_value());
  std::vector<Result<void>> results(2, fail(ErrorCode::Internal, "not run"));
  std::vector<std::thread> instances;
  std::vector<std::unique_ptr<PgConnection>> conns;
  for (int i = 0; i < 2; ++i) conns.push_back(must_connect(target_));
  ASSERT_NE(conns[0], nullptr);
  ASSERT_NE(conns[1], nullptr);
  for (int i = 0; i < 2; ++i)
    instances.emplace_back([&, i] { results[i] = sql::migrate(*conns[i]); });
  // Both are waiting for the lock (pg_locks shows them) before it is released.
  auto watcher = must_connect(target_);
  for (int tries = 0; tries < 6000; ++tries) {
    if (one_value(*watcher, kWaiting) == "2")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(one_value(*watcher, kWaiting), "2");
  ASSERT_TRUE(holder->execute("COMMIT", {}).has_value());
  for (auto& t : instances) t.join();
  EXPECT_TRUE(results[0].has_value()) << results[0].error().message;
  EXPECT_TRUE(results[1].has_value()) << results[1].error().message;
  EXPECT_EQ(one_value(*watcher, "SELECT COUNT(*) FROM schema_version"), "1");
  EXPECT_EQ(one_value(*watcher, "SELECT MAX(version) FROM schema_version"),
            std::to_string(sql::latest_schema_version()));
  EXPECT_EQ(one_value(*watcher, "SELECT COUNT(*) FROM audit_head"), "1");
}

TEST_F(PostgresConnectionTest, AWriteTransactionHoldsTheLockEveryWriterTakes) {
  auto writer = must_connect(target_);
  auto other = must_connect(target_);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(other, nullptr);
  const std::string try_lock =
      "SELECT pg_try_advisory_xact_lock(" + std::to_string(PgConnection::kWriteLockKey) + ")";
  ASSERT_TRUE(writer->begin_write().has_value());
  EXPECT_EQ(one_value(*other, try_lock), "f");
  ASSERT_TRUE(writer->execute("COMMIT", {}).has_value());
  EXPECT_EQ(one_value(*other, try_lock), "t");  // autocommit: released at once
}

// Two instances (two stores, two connections) creating accounts at once in a pool of 5
// seats: each create reads the seats used, then writes. Without one writer at a time,
// both could read 4 and take the fifth seat twice.
TEST_F(PostgresConnectionTest, TwoInstancesNeverTakeTheSameSeatTwice) {
  std::vector<std::unique_ptr<AccountStore>> instances;
  for (int i = 0; i < 2; ++i) {
    auto store = open_postgres_store(target_, StoreOptions{});
    ASSERT_TRUE(store.has_value()) << store.error().message;
    instances.push_back(std::move(*store));
  }
  const std::vector<Space> spaces{Space{"acme", {{"recruiter", 5}}, ""}};
  ASSERT_TRUE(instances[0]->configure_spaces(spaces).has_value());
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < 12; ++n) {
        CreateOp op;
        op.space = "acme";
        op.email = "p" + std::to_string(i) + "-" + std::to_string(n) + "@acme.example";
        op.given_name = "Given";
        op.family_name = "Family";
        op.role = "recruiter";
        op.licence = "recruiter";
        auto r = instances[static_cast<std::size_t>(i)]->apply(op, Actor::operator_named("root"), "test");
        if (r) ++created;
        else if (r.error().invariant == invariant::kLicenceQuota) ++refused;
        else ++other;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 5);
  EXPECT_EQ(refused, 19);
  EXPECT_EQ(other, 0);
  auto usage = instances[1]->licence_usage();
  ASSERT_TRUE(usage.has_value());
  ASSERT_EQ(usage->size(), 1u);
  EXPECT_EQ((*usage)[0].used, 5);
  auto accounts = instances[1]->accounts(AccountFilter{});
  ASSERT_TRUE(accounts.has_value());
  EXPECT_EQ(accounts->size(), 5u);
}

TEST_F(PostgresConnectionTest, TextSortsInByteOrderWhateverTheDatabaseCollation) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  // The test server's default collation is ICU en-US, where 'a' < 'B'.
  ASSERT_EQ(one_value(*conn, "SELECT 'a' < 'B'"), "t");
  ASSERT_TRUE(sql::migrate(*conn).has_value());
  ASSERT_TRUE(conn->execute_script("INSERT INTO spaces (id) VALUES ('a'), ('B'), ('c'), ('_z')").has_value());
  auto rows = conn->query(sql::stmt::kSpaces, {});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  std::vector<std::string> ids;
  for (const auto& row : *rows) ids.push_back(row.text(0));
  EXPECT_EQ(ids, (std::vector<std::string>{"B", "_z", "a", "c"}));
}

TEST_F(PostgresConnectionTest, AUniqueViolationIsAUniquenessError) {
  auto conn = must_connect(target_);
  ASSERT_TRUE(sql::migrate(*conn).has_value());
  ASSERT_TRUE(conn->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("acme")}).has_value());
  auto again = conn->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("acme")});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::Uniqueness) << again.error().message;
  EXPECT_NE(again.error().message.find("23505"), std::string::npos) << again.error().message;
}

TEST_F(PostgresConnectionTest, CommittingAfterAFailedStatementIsAnError) {
  auto conn = must_connect(target_);
  ASSERT_TRUE(sql::migrate(*conn).has_value());
  auto tx = sql::Transaction::begin(*conn);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE(conn->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("acme")}).has_value());
  EXPECT_FALSE(conn->execute("INSERT INTO no_such_table VALUES (1)", {}).has_value());
  // PostgreSQL answers such a COMMIT with ROLLBACK, not with an error.
  EXPECT_FALSE(tx->commit().has_value());
  EXPECT_EQ(one_value(*conn, "SELECT COUNT(*) FROM spaces"), "0");
}

// A write transaction that fills a table gets its statistics inside the transaction, so
// that the plans of its later statements are made for the rows it wrote (pg_connection.h):
// the planner's idea of the table's size moves from "never analysed" to what it holds.
TEST_F(PostgresConnectionTest, AWriteTransactionFillingATableAnalysesItAsItGoes) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->execute_script("CREATE TABLE filled (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").has_value());
  const std::string kTuples = "SELECT reltuples::bigint FROM pg_class WHERE relname = 'filled'";
  EXPECT_EQ(one_value(*conn, kTuples), "-1");  // never analysed
  auto tx = sql::Transaction::begin(*conn);
  ASSERT_TRUE(tx.has_value());
  const std::int64_t rows = PgConnection::kFirstAnalyzeAfter + 10;
  for (std::int64_t i = 0; i < rows; ++i)
    ASSERT_TRUE(conn->execute("INSERT INTO filled (id, name) VALUES ($1, $2)", {i, std::string_view("x")}).has_value());
  // Inside the transaction: nobody else (autovacuum) can have counted rows not committed.
  const auto counted = std::stoll(one_value(*conn, kTuples));
  EXPECT_GE(counted, PgConnection::kFirstAnalyzeAfter);
  EXPECT_LE(counted, rows);
  ASSERT_TRUE(tx->commit().has_value());
  EXPECT_EQ(one_value(*conn, "SELECT COUNT(*) FROM filled"), std::to_string(rows));
}

// query_each() streams rows in libpq's single-row mode. The mode must end with it: left
// set, the first statement of the next pipeline came back a row at a time and was read as
// empty (an unfiltered page of users after its list order was read: no users).
TEST_F(PostgresConnectionTest, APipelineAfterStreamedRowsGetsEveryRowOfItsFirstStatement) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  for (const bool in_transaction : {false, true}) {
    if (in_transaction) {
      ASSERT_TRUE(conn->begin_read().has_value());
    }
    std::int64_t streamed = 0;
    const sql::SqlValue three[] = {std::int64_t{3}};
    ASSERT_TRUE(conn->query_each("SELECT generate_series(1, $1::int)", three, [&](const sql::SqlRow& row) -> Result<bool> {
      streamed += row.integer(0);
      return true;
    }).has_value());
    EXPECT_EQ(streamed, 6);
    const sql::SqlValue four[] = {std::int64_t{4}};
    const sql::SqlStatement both[] = {{"SELECT generate_series(1, $1::int)", four}, {"SELECT 'second'", {}}};
    auto rows = conn->query_all(both);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    EXPECT_EQ((*rows)[0].size(), 4u) << (in_transaction ? "in a transaction" : "outside");
    ASSERT_EQ((*rows)[1].size(), 1u);
    EXPECT_EQ((*rows)[1].front().text(0), "second");
    // And a streamed query that fails leaves the connection usable.
    EXPECT_FALSE(conn->query_each("SELECT * FROM no_such_table", {}, [](const sql::SqlRow&) -> Result<bool> {
      return true;
    }).has_value());
    if (in_transaction) {
      ASSERT_TRUE(conn->execute("ROLLBACK", {}).has_value());
    }
    EXPECT_EQ(one_value(*conn, "SELECT 41 + 1"), "42");
  }
}

// query_snapshot(): several queries in one snapshot of their own, the connection outside
// any transaction afterwards, whether they succeeded or one failed.
TEST_F(PostgresConnectionTest, QuerySnapshotReadsOneSnapshotAndLeavesNoTransactionOpen) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  const sql::SqlValue seven[] = {std::int64_t{7}};
  const sql::SqlStatement two[] = {{"SELECT $1::int + 1", seven},
                                   {"SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')", {}}};
  auto rows = conn->query_snapshot(two);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].front().integer(0), 8);
  EXPECT_EQ((*rows)[1].front().text(0), "on");
  EXPECT_EQ((*rows)[1].front().text(1), "repeatable read");  // one snapshot for both
  EXPECT_EQ(one_value(*conn, "SELECT current_setting('transaction_isolation')"), "read committed");

  const sql::SqlStatement failing[] = {{"SELECT 1", {}}, {"SELECT * FROM no_such_table", {}}};
  auto failed = conn->query_snapshot(failing);
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message.find("no_such_table"), std::string::npos) << failed.error().message;
  // Not left in the failed transaction: the next statement runs, in a transaction of its own.
  EXPECT_EQ(one_value(*conn, "SELECT current_setting('transaction_isolation')"), "read committed");

  ASSERT_TRUE(conn->begin_write().has_value());
  auto inside = conn->query_snapshot(two);
  ASSERT_FALSE(inside.has_value());
  EXPECT_EQ(inside.error().code, ErrorCode::Internal);
  ASSERT_TRUE(conn->execute("ROLLBACK", {}).has_value());
}

// execute_later(): a write held back until the next statement, which sees it; its failure
// reported by settle_writes(); outside a transaction, at once.
TEST_F(PostgresConnectionTest, WritesHeldBackAreSeenInOrderAndTheirFailureIsReported) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->execute_script("CREATE TABLE later (id INTEGER PRIMARY KEY, name TEXT)").has_value());
  const std::string kCount = "SELECT COUNT(*) FROM later";
  {
    auto tx = sql::Transaction::begin(*conn);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string_view("a")}).has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{2}, sql::SqlValue{}}).has_value());
    EXPECT_EQ(one_value(*conn, kCount), "2");  // sent ahead of the query, in order
    EXPECT_TRUE(conn->settle_writes().has_value());  // nothing left to settle
    ASSERT_TRUE(tx->commit().has_value());
  }
  EXPECT_EQ(one_value(*conn, "SELECT COUNT(*) FROM later WHERE name IS NULL"), "1");
  {
    auto tx = sql::Transaction::begin(*conn);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{3}, std::string_view("c")}).has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string_view("again")}).has_value());
    auto settled = conn->settle_writes();
    ASSERT_FALSE(settled.has_value());
    EXPECT_EQ(settled.error().code, ErrorCode::Uniqueness) << settled.error().message;
  }  // rolled back
  EXPECT_EQ(one_value(*conn, kCount), "2");
  {
    // A job that failed after holding writes back: rolling back to its savepoint must not
    // send them (one that fails would abort the rollback, and the whole transaction).
    auto tx = sql::Transaction::begin(*conn);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{4}, std::string_view("d")}).has_value());
    ASSERT_TRUE(conn->settle_writes().has_value());
    auto sp = sql::Savepoint::begin(*conn);
    ASSERT_TRUE(sp.has_value());
    ASSERT_TRUE(conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string_view("dup")}).has_value());
    ASSERT_TRUE(sp->rollback().has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }
  EXPECT_EQ(one_value(*conn, kCount), "3");  // 1, 2 and 4
  auto at_once = conn->execute_later("INSERT INTO later (id, name) VALUES ($1, $2)", {std::int64_t{2}, std::string_view("b")});
  ASSERT_FALSE(at_once.has_value());  // no transaction: nothing to wait for
  EXPECT_EQ(at_once.error().code, ErrorCode::Uniqueness);
}

TEST_F(PostgresConnectionTest, StreamsAHundredThousandRowsAndStopsEarlyCleanly) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  std::int64_t count = 0, sum = 0;
  auto all = conn->query_each("SELECT g FROM generate_series(1, $1::int) g", {std::int64_t{100000}},
                              [&](const sql::SqlRow& row) -> Result<bool> {
                                ++count;
                                sum += row.integer(0);
                                return true;
                              });
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(count, 100000);
  EXPECT_EQ(sum, std::int64_t{100000} * 100001 / 2);
  // Stopping after ten rows inside a read transaction leaves it usable.
  ASSERT_TRUE(conn->begin_read().has_value());
  count = 0;
  auto some = conn->query_each("SELECT g FROM generate_series(1, 1000) g", {},
                               [&](const sql::SqlRow&) -> Result<bool> { return ++count < 10; });
  ASSERT_TRUE(some.has_value()) << some.error().message;
  EXPECT_EQ(count, 10);
  EXPECT_EQ(one_value(*conn, "SELECT 42"), "42");
  ASSERT_TRUE(conn->execute("ROLLBACK", {}).has_value());
}

TEST_F(PostgresConnectionTest, TheStatementCacheIsBoundedAndStaysUsable) {
  auto conn = must_connect(target_);
  ASSERT_NE(conn, nullptr);
  const auto statements = PgConnection::kMaxCachedStatements + 50;
  for (std::size_t round = 0; round < 2; ++round)
    for (std::size_t n = 0; n < statements; ++n) {
      const std::string sql = "SELECT " + std::to_string(n) + " + $1::int";
      auto rows = conn->query(sql, {std::int64_t{1}});
      ASSERT_TRUE(rows.has_value()) << sql << ": " << rows.error().message;
      ASSERT_EQ(rows->front().integer(0), static_cast<std::int64_t>(n) + 1);
    }
  // The server holds no more prepared statements than the cache.
  const auto held = std::stoul(one_value(*conn, "SELECT COUNT(*) FROM pg_prepared_statements"));
  EXPECT_LE(held, PgConnection::kMaxCachedStatements + 1);
}

TEST_F(PostgresConnectionTest, AWrongPasswordIsAClearErrorWithoutThePassword) {
  PostgresTarget wrong = target_;
  wrong.password = "Wr0ng-s3cret-pass";
  auto conn = PgConnection::connect(wrong);
  ASSERT_FALSE(conn.has_value());
  EXPECT_EQ(conn.error().code, ErrorCode::Storage);
  EXPECT_NE(conn.error().message.find("password authentication failed"), std::string::npos)
      << conn.error().message;
  EXPECT_EQ(conn.error().message.find("Wr0ng-s3cret-pass"), std::string::npos) << conn.error().message;
  // ...and the same when the password sits in the URL.
  PostgresTarget in_url;
  in_url.url =
      "postgresql://postgres:Wr0ng-s3cret-pass@127.0.0.1:" + PostgresServer::shared().port() + "/postgres";
  auto again = PgConnection::connect(in_url);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message.find("Wr0ng-s3cret-pass"), std::string::npos) << again.error().message;
}

TEST_F(PostgresConnectionTest, AClosedPortIsUnavailableAndNamesTheServer) {
  const std::string port = std::to_string(closed_port());
  PostgresTarget nowhere;
  nowhere.url = "postgresql://postgres@127.0.0.1:" + port + "/rosterd";
  nowhere.password = "s3cret-never-shown";
  auto conn = PgConnection::connect(nowhere);
  ASSERT_FALSE(conn.has_value());
  EXPECT_EQ(conn.error().code, ErrorCode::Unavailable);
  EXPECT_NE(conn.error().message.find("127.0.0.1:" + port), std::string::npos) << conn.error().message;
  EXPECT_EQ(conn.error().message.find("s3cret-never-shown"), std::string::npos) << conn.error().message;
  auto store = open_postgres_store(nowhere, StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Unavailable);
}

// sslmode and sslrootcert in the URL reach libpq untouched: this test server speaks no TLS,
// so verify-full must refuse it, and say why.
TEST_F(PostgresConnectionTest, TlsOptionsInTheUrlReachLibpq) {
  PostgresTarget tls = target_;
  tls.url += "?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem";
  auto conn = PgConnection::connect(tls);
  ASSERT_FALSE(conn.has_value());
  EXPECT_EQ(conn.error().code, ErrorCode::Storage);
  EXPECT_NE(conn.error().message.find("SSL"), std::string::npos) << conn.error().message;
  EXPECT_EQ(conn.error().message.find(*tls.password), std::string::npos) << conn.error().message;
}

TEST_F(PostgresConnectionTest, ADatabaseThatDoesNotExistIsAStorageError) {
  PostgresTarget missing = target_;
  missing.url = "postgresql://postgres@127.0.0.1:" + PostgresServer::shared().port() + "/no_such_database";
  auto conn = PgConnection::connect(missing);
  ASSERT_FALSE(conn.has_value());
  EXPECT_EQ(conn.error().code, ErrorCode::Storage);
  EXPECT_NE(conn.error().message.find("no_such_database"), std::string::npos) << conn.error().message;
}

// A server of the test's own, restarted under a connection (pg_ctl restart -m fast ends
// every session with 57P01, as an upgrade or a failover does).
class PostgresRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ROSTERD_REQUIRE_POSTGRES();
    server_ = PostgresServer::start_private();
    ASSERT_TRUE(server_->available()) << server_->why_unavailable();
    target_ = server_->target("postgres");
    conn_ = must_connect(target_);
    ASSERT_NE(conn_, nullptr);
    ASSERT_TRUE(sql::migrate(*conn_).has_value());
  }
  std::unique_ptr<PostgresServer> server_;
  PostgresTarget target_;
  std::unique_ptr<PgConnection> conn_;
};

TEST_F(PostgresRestartTest, TheNextCallOutsideATransactionReconnects) {
  EXPECT_EQ(one_value(*conn_, "SELECT COUNT(*) FROM spaces"), "0");  // prepared
  const int before = conn_->backend_pid();
  ASSERT_TRUE(server_->restart());
  EXPECT_EQ(one_value(*conn_, "SELECT COUNT(*) FROM spaces"), "0");  // prepared again
  EXPECT_NE(conn_->backend_pid(), before);
  // The new session has the settings of the first.
  EXPECT_EQ(one_value(*conn_, "SHOW TimeZone"), "UTC");
  // A write transaction works again at once.
  auto tx = sql::Transaction::begin(*conn_);
  ASSERT_TRUE(tx.has_value()) << tx.error().message;
  ASSERT_TRUE(conn_->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("acme")}).has_value());
  ASSERT_TRUE(tx->commit().has_value());
  EXPECT_EQ(one_value(*conn_, "SELECT COUNT(*) FROM spaces"), "1");
}

// The stores as the daemon holds them (a writer, pooled readers, the identity store's
// writer thread) carry on after a restart without being reopened.
TEST_F(PostgresRestartTest, TheStoresCarryOnAfterARestart) {
  auto accounts = open_postgres_store(target_, StoreOptions{});
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  auto identities = open_postgres_identity_store(target_, StoreOptions{});
  ASSERT_TRUE(identities.has_value()) << identities.error().message;
  const std::vector<Space> spaces{Space{"acme", {{"recruiter", 2}}, ""}};
  ASSERT_TRUE((*accounts)->configure_spaces(spaces).has_value());
  const auto user = [](const std::string& id) {
    ResourceRecord r;
    r.source = "okta";
    r.id = id;
    r.user_name = id;
    r.attributes = "{}";
    return r;
  };
  ASSERT_TRUE((*identities)->write([&](IdentityWriter& w) { return w.insert(user("u1")); }).has_value());
  const auto count_users = [&]() -> Result<std::size_t> {
    std::size_t n = 0;
    auto r = (*identities)->read([&](IdentityReader& reader) -> Result<void> {
      auto c = reader.count(ResourceType::User, "okta");
      if (!c) return tl::unexpected(c.error());
      n = static_cast<std::size_t>(*c);
      return {};
    });
    if (!r) return tl::unexpected(r.error());
    return n;
  };
  ASSERT_EQ(count_users().value_or(0), 1u);

  ASSERT_TRUE(server_->restart());
  auto read = count_users();
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(*read, 1u);
  auto written = (*identities)->write([&](IdentityWriter& w) { return w.insert(user("u2")); });
  ASSERT_TRUE(written.has_value()) << written.error().message;
  auto listed = (*accounts)->spaces();
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_EQ(count_users().value_or(0), 2u);
}

TEST_F(PostgresRestartTest, ACallInsideATransactionFailsUnavailableAndNothingIsWritten) {
  auto tx = sql::Transaction::begin(*conn_);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE(conn_->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("acme")}).has_value());
  ASSERT_TRUE(server_->restart());
  auto next = conn_->execute("INSERT INTO spaces (id) VALUES ($1)", {std::string_view("globex")});
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().code, ErrorCode::Unavailable) << next.error().message;
  // Every call fails the same way until the caller ends the transaction...
  auto again = conn_->query("SELECT 1", {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::Unavailable);
  auto committed = tx->commit();
  ASSERT_FALSE(committed.has_value());
  EXPECT_EQ(committed.error().code, ErrorCode::Unavailable);
  // ...then the connection is usable again, and nothing of the transaction was kept.
  EXPECT_EQ(one_value(*conn_, "SELECT COUNT(*) FROM spaces"), "0");
}

TEST_F(PostgresRestartTest, WhileTheServerIsDownCallsAreUnavailableThenWorkAgain) {
  ASSERT_TRUE(server_->stop_server());
  auto down = conn_->query("SELECT 1", {});
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code, ErrorCode::Unavailable) << down.error().message;
  EXPECT_EQ(down.error().message.find(server_->password()), std::string::npos);
  auto begin = conn_->begin_write();
  ASSERT_FALSE(begin.has_value());
  EXPECT_EQ(begin.error().code, ErrorCode::Unavailable);
  ASSERT_TRUE(server_->start_server());
  EXPECT_EQ(one_value(*conn_, "SELECT COUNT(*) FROM spaces"), "0");
}

}  // namespace
}  // namespace rosterd
