// Several processes on one SQLite file: nothing lost when two write at once, and no
// half-applied operation when one is killed mid-write.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <thread>

#include "store/sql/migrations.h"
#include "store/sqlite/open_sqlite_store.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using testing::Child;
using testing::TempDir;

std::int64_t count_rows(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  return n;
}

// Every account has its created audit row and outbox row, and nothing else exists;
// the licence counter equals the accounts holding a seat.
void expect_consistent(const std::string& db, std::int64_t expected_accounts = -1) {
  const auto accounts = count_rows(db, "SELECT COUNT(*) FROM accounts");
  if (expected_accounts >= 0) {
    EXPECT_EQ(accounts, expected_accounts);
  }
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM audit"), accounts);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM outbox"), accounts);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM audit"
                           " u WHERE u.account_id = a.id AND u.event = 'account.created')"), 0);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM accounts"
                           " a WHERE a.id = o.account_id)"), 0);
  EXPECT_EQ(count_rows(db, "SELECT used FROM licence_pools WHERE space = 'stress'"), accounts);
}

TEST(StoreProcesses, TwoProcessesCreatingAtOnceLoseNothing) {
  TempDir dir;
  const std::string db = dir.file("shared.db");
  // Create the schema first so both processes start on a migrated file.
  ASSERT_TRUE(open_sqlite_store(db, {}).has_value());
  Child a({ROSTERD_STORE_STRESS, db, "a", "500", "1"});
  Child b({ROSTERD_STORE_STRESS, db, "b", "500", "1"});
  EXPECT_EQ(a.wait(), 0);
  EXPECT_EQ(b.wait(), 0);
  expect_consistent(db, 1000);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM accounts WHERE family_name = 'a'"), 500);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM accounts WHERE family_name = 'b'"), 500);
}

TEST(StoreProcesses, TwoProcessesMigratingAnEmptyFileAtOnceBothSucceed) {
  TempDir dir;
  const std::string db = dir.file("fresh.db");
  Child a({ROSTERD_STORE_STRESS, db, "a", "20", "5"});
  Child b({ROSTERD_STORE_STRESS, db, "b", "20", "5"});
  EXPECT_EQ(a.wait(), 0);
  EXPECT_EQ(b.wait(), 0);
  expect_consistent(db, 40);
  EXPECT_EQ(count_rows(db, "SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(count_rows(db, "SELECT version FROM schema_version"), sql::latest_schema_version());
}

TEST(StoreProcesses, KillingAWriterLeavesOnlyWholeOperations) {
  TempDir dir;
  const std::string db = dir.file("killed.db");
  ASSERT_TRUE(open_sqlite_store(db, {}).has_value());
  std::int64_t before = 0;
  for (int round = 0; round < 4; ++round) {
    // Batches of 7 so kills land inside transactions as well as between them.
    Child writer({ROSTERD_STORE_STRESS, db, "k" + std::to_string(round), "100000", "7"});
    // Wait for real progress (committed rows), then kill without warning.
    while (count_rows(db, "SELECT COUNT(*) FROM accounts") < before + 30) std::this_thread::yield();
    writer.kill_now();
    const auto after = count_rows(db, "SELECT COUNT(*) FROM accounts");
    EXPECT_GE(after, before + 30);
    EXPECT_EQ((after - before) % 7, 0) << "a batch was half-committed";
    expect_consistent(db);
    before = after;
  }
  // The store opens and accepts writes after the crashes.
  Child last({ROSTERD_STORE_STRESS, db, "after", "10", "1"});
  EXPECT_EQ(last.wait(), 0);
  expect_consistent(db, before + 10);
}

}  // namespace
}  // namespace rosterd
