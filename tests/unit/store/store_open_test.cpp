// Opening a store: an empty database gets the schema, an existing one keeps its data, and
// one written by a newer rosterd is refused without being touched.
#include <gtest/gtest.h>

#include "store/sql/migrations.h"
#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

std::int64_t count(sql::SqlConnection& conn, const std::string& table) {
  auto rows = conn.query("SELECT COUNT(*) FROM " + table, {});
  EXPECT_TRUE(rows.has_value()) << table << ": " << (rows ? "" : rows.error().message);
  return rows && !rows->empty() ? rows->front().integer(0) : -1;
}

std::int64_t schema_version(sql::SqlConnection& conn) {
  auto rows = conn.query("SELECT MAX(version) FROM schema_version", {});
  EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
  return rows && !rows->empty() ? rows->front().integer(0) : -1;
}

TEST_P(AccountStoreTest, OpeningAnEmptyDatabaseCreatesTheSchema) {
  testing::TempDir fresh;
  GetParam().make_empty(fresh.path());
  {
    auto store = GetParam().open(fresh.path(), options());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    const std::vector<Space> spaces{Space{"acme", {{"recruiter", 1}}, ""}};
    ASSERT_TRUE((*store)->configure_spaces(spaces).has_value());
    ASSERT_TRUE((*store)->apply(create_op("acme", "ada@acme.example", "recruiter", "recruiter"),
                                root_, "first")
                    .has_value());
  }
  auto conn = GetParam().connect(fresh.path());
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  EXPECT_EQ(schema_version(**conn), sql::latest_schema_version());
  EXPECT_GE(sql::latest_schema_version(), 1);
  EXPECT_EQ(count(**conn, "accounts"), 1);
  EXPECT_EQ(count(**conn, "audit"), 1);
  EXPECT_EQ(count(**conn, "outbox"), 1);
  EXPECT_EQ(count(**conn, "spaces"), 1);
  EXPECT_EQ(count(**conn, "licence_pools"), 1);
  for (const char* table : {"identities", "external_groups", "group_members", "sync_state",
                            "reconcile_queue"})
    EXPECT_EQ(count(**conn, table), 0) << table;
}

TEST_P(AccountStoreTest, ReopeningAnExistingDatabaseKeepsEverything) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  must_apply(SuspendOp{ada});
  must_apply(DeleteOp{ada, owner});
  create("globex", "gus@globex.example", "recruiter", "recruiter");
  const auto before = snap();
  ASSERT_NE(before.accounts, "");

  reopen();
  ASSERT_NE(store_, nullptr);
  expect_same(before, snap());

  // ... and it goes on from there: the counters and the unique emails still hold.
  EXPECT_EQ(must_refuse(create_op("globex", "Gus@globex.example", "recruiter", "recruiter")).code,
            ErrorCode::Uniqueness);
  EXPECT_EQ(must_refuse(create_op("globex", "hal@globex.example", "recruiter", "recruiter")).invariant,
            invariant::kLicenceQuota);
  create("acme", "ada@acme.example", "recruiter", "recruiter");  // deleted: the email is free
  EXPECT_EQ(usage("acme", "recruiter"), (std::pair<std::int64_t, std::int64_t>{1, 2}));
}

TEST_P(AccountStoreTest, OpeningTwiceRunsNoMigrationAgain) {
  create_owner();
  reopen();
  reopen();
  auto conn = connect();
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(schema_version(*conn), sql::latest_schema_version());
  EXPECT_EQ(count(*conn, "schema_version"), 1);
  EXPECT_EQ(count(*conn, "accounts"), 1);
}

TEST_P(AccountStoreTest, ADatabaseWithANewerSchemaIsRefusedAndLeftUntouched) {
  create_owner();
  create("acme", "ada@acme.example", "recruiter", "recruiter");
  store_.reset();
  {
    auto conn = connect();
    ASSERT_NE(conn, nullptr);
    ASSERT_TRUE(conn->execute("UPDATE schema_version SET version = 999", {}).has_value());
  }
  const std::string bytes_before = GetParam().bytes_at_rest(dir_.path());

  const auto refused = GetParam().open(dir_.path(), options());
  ASSERT_FALSE(refused.has_value()) << "a store was opened on schema version 999";
  EXPECT_EQ(refused.error().code, ErrorCode::Storage);
  EXPECT_NE(refused.error().message.find("999"), std::string::npos) << refused.error().message;

  EXPECT_EQ(GetParam().bytes_at_rest(dir_.path()), bytes_before);
  auto conn = connect();
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(schema_version(*conn), 999);
  EXPECT_EQ(count(*conn, "accounts"), 2);
  EXPECT_EQ(count(*conn, "audit"), 3);
}

}  // namespace
}  // namespace rosterd::store_test
