// The store copier's refusals (store/sql/store_copy.h), on SQLite files: a table it does
// not know, a source not at the latest schema version, a source whose audit chain is
// broken. Each leaves the target without a row. (The full copy, SQLite -> SQLite and
// SQLite -> PostgreSQL, is tests/integration/store_migrate_test.cpp.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sql/migrations.h"
#include "store/sql/store_copy.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using ::testing::HasSubstr;

class StoreCopy : public ::testing::Test {
 protected:
  std::unique_ptr<sql::SqlConnection> open(const std::string& name, bool migrated = true) {
    auto conn = sql::SqliteConnection::open(dir_.file(name), sql::SqliteConnection::kReaderCacheKib);
    EXPECT_TRUE(conn.has_value()) << conn.error().message;
    if (!conn) return nullptr;
    if (migrated) {
      EXPECT_TRUE(sql::migrate(**conn).has_value());
    }
    return std::move(*conn);
  }
  // A source with one space and one audit row, written as the store writes them.
  std::unique_ptr<sql::SqlConnection> source() {
    auto conn = open("source.db");
    EXPECT_TRUE(conn->execute("INSERT INTO spaces (id) VALUES ('acme')", {}).has_value());
    return conn;
  }
  std::int64_t rows(sql::SqlConnection& conn, const std::string& table) {
    auto r = conn.query("SELECT COUNT(*) FROM " + table, {});
    return r ? r->front().integer(0) : -1;
  }
  testing::TempDir dir_;
};

TEST_F(StoreCopy, CopiesIntoAnEmptyTargetAndCountsTheRows) {
  auto from = source();
  auto to = open("target.db");
  auto copy = sql::copy_store(*from, *to);
  ASSERT_TRUE(copy.has_value()) << copy.error().message;
  EXPECT_EQ(copy->rows.front(), (std::pair<std::string, std::int64_t>{"spaces", 1}));
  EXPECT_EQ(rows(*to, "spaces"), 1);
  EXPECT_TRUE(copy->audit.ok);
}

TEST_F(StoreCopy, ATableTheCopierDoesNotKnowIsRefused) {
  auto from = source();
  ASSERT_TRUE(from->execute_script("CREATE TABLE tokens (digest TEXT)").has_value());
  auto to = open("target.db");
  auto copy = sql::copy_store(*from, *to);
  ASSERT_FALSE(copy.has_value());
  EXPECT_THAT(copy.error().message, HasSubstr("the source has a table the store copier does not know: tokens"));
  EXPECT_EQ(rows(*to, "spaces"), 0);
}

TEST_F(StoreCopy, ASourceAtAnOlderSchemaVersionIsRefused) {
  auto from = open("old.db", false);
  ASSERT_TRUE(sql::migrate_to(*from, 3).has_value());
  auto to = open("target.db");
  auto copy = sql::copy_store(*from, *to);
  ASSERT_FALSE(copy.has_value());
  EXPECT_THAT(copy.error().message,
              HasSubstr("the source is at schema version 3, not " + std::to_string(sql::latest_schema_version())));
  auto version = sql::stored_schema_version(*from);
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version, 3) << "the copier never migrates";
}

TEST_F(StoreCopy, ASourceWhoseAuditChainIsBrokenIsRefused) {
  auto from = source();
  // A row whose hash was not computed by rosterd (as if edited by hand).
  ASSERT_TRUE(from->execute("INSERT INTO audit (at, actor, operation, event, event_id, space, account_id, email, "
                            "reason, details, prev_hash, hash) VALUES ('2026-01-01T00:00:00.000Z', 'x', 'x', 'x', "
                            "'e1', 'acme', 'a1', 'a@x', '', '{}', '', 'forged')",
                            {})
                  .has_value());
  auto to = open("target.db");
  auto copy = sql::copy_store(*from, *to);
  ASSERT_FALSE(copy.has_value());
  EXPECT_THAT(copy.error().message, HasSubstr("the source's audit log does not verify"));
  EXPECT_EQ(rows(*to, "audit"), 0);
  EXPECT_EQ(rows(*to, "spaces"), 0);
}

TEST_F(StoreCopy, StoredSchemaVersionOfANewDatabaseIsZeroAndCreatesNothing) {
  auto conn = open("new.db", false);
  auto version = sql::stored_schema_version(*conn);
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version, 0);
  auto tables = conn->query("SELECT COUNT(*) FROM sqlite_master", {});
  ASSERT_TRUE(tables.has_value());
  EXPECT_EQ(tables->front().integer(0), 0);
}

}  // namespace
}  // namespace rosterd
