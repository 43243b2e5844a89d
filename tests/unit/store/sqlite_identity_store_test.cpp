// Runs the IdentityStore suite on SQLite files, plus what only SQLite shows: the query
// plans of the look-ups identity providers send most (each an index search, never a scan
// of the source's identities), and a database migrated from schema version 1.
#include <gtest/gtest.h>

#include <string>

#include "store/sql/identity_statements.h"
#include "store/sql/migrations.h"
#include "store/sql/search_sql.h"
#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"
#include "tests/unit/store/sqlite_identity_backend.h"

namespace rosterd::identity_test {
namespace {

INSTANTIATE_TEST_SUITE_P(Backends, IdentityStoreTest, identity_backends(), backend_name);

PredicatePtr make(auto node) { return std::make_unique<Predicate>(Predicate{std::move(node)}); }
PredicatePtr eq(std::string attribute, std::string sub, std::string value) {
  return make(Comparison{AttributePath{{}, std::move(attribute), std::move(sub)}, CompareOp::Eq,
                         Literal::of(std::move(value))});
}

class SqliteIdentityPlanTest : public IdentityStoreTest {
 protected:
  // EXPLAIN QUERY PLAN of the page and count statements search() runs for `filter`.
  std::string plan(ResourceType type, const PredicatePtr& filter) {
    ResourceQuery q;
    q.type = type;
    q.source = "okta";
    q.filter = filter.get();
    auto sql = sql::compile_search(q, sql::Dialect::Sqlite);
    EXPECT_TRUE(sql.has_value()) << (sql ? "" : sql.error().message);
    if (!sql) return {};
    auto conn = connect();
    std::string out;
    for (const std::string& text : {sql->page, sql->count}) {
      std::vector<sql::SqlValue> params{std::string_view("okta")};
      for (const auto& p : sql->params) params.emplace_back(std::string_view(p));
      if (&text == &sql->page) {
        params.emplace_back(std::int64_t{100});
        params.emplace_back(std::int64_t{0});
      }
      auto rows = conn->query("EXPLAIN QUERY PLAN " + text, params);
      EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
      if (rows)
        for (const auto& row : *rows) out += row.text(row.cells.size() - 1) + "\n";
    }
    return out;
  }
};

TEST_P(SqliteIdentityPlanTest, UserLookUpsSearchAnIndex) {
  struct Case { const char* attribute; const char* sub; const char* index; };
  const Case cases[] = {
      {"userName", "", "identities_user_name"},
      {"externalId", "", "identities_keys"},
      {"emails", "value", "identity_emails"},
      {"displayName", "", "identities_display_name"},
      {"id", "", "sqlite_autoindex_identities_1"},
  };
  for (const Case& c : cases) {
    const std::string p = plan(ResourceType::User, eq(c.attribute, c.sub, "x"));
    EXPECT_EQ(p.find("SCAN i"), std::string::npos) << c.attribute << "\n" << p;
    EXPECT_NE(p.find(c.index), std::string::npos) << c.attribute << "\n" << p;
  }
  // A value filter is narrowed by the email index too.
  const auto work = make(ValuePathFilter{AttributePath{{}, "emails", {}},
                                         make(And{eq("type", "", "work"), eq("value", "", "x")})});
  const std::string p = plan(ResourceType::User, work);
  EXPECT_EQ(p.find("SCAN i"), std::string::npos) << p;
}

TEST_P(SqliteIdentityPlanTest, GroupLookUpsSearchAnIndex) {
  for (const char* attribute : {"displayName", "externalId", "id"}) {
    const std::string p = plan(ResourceType::Group, eq(attribute, "", "x"));
    EXPECT_EQ(p.find("SCAN g"), std::string::npos) << attribute << "\n" << p;
  }
}

// The groups of a page of users (every GET of a user runs it): found through the
// member index, never by walking a group's members in group order — with the primary key
// (source, group_id, member_id) a 50,000-member group made every GET 60 times slower.
TEST_P(SqliteIdentityPlanTest, GroupsOfUsersSearchTheMemberIndex) {
  auto conn = connect();
  auto rows = conn->query("EXPLAIN QUERY PLAN " + std::string(sql::stmt::for_dialect(sql::stmt::kGroupsOfUsers,
                                                                                     sql::Dialect::Sqlite)),
                          {std::string_view("okta"), std::string_view(R"(["u1"])")});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  std::string p;
  for (const auto& row : *rows) p += row.text(row.cells.size() - 1) + "\n";
  EXPECT_NE(p.find("group_members_member"), std::string::npos) << p;
  EXPECT_EQ(p.find("SCAN m"), std::string::npos) << p;
}

// The groups of one member (groups_of: a removed directory entry's groups, a GET of a
// user) in group order from the member index, never by walking the primary key for its
// order — that scanned every membership of the source (20 ms a call at 300,000).
TEST_P(SqliteIdentityPlanTest, GroupsOfOneMemberSearchTheMemberIndexInOrder) {
  auto conn = connect();
  auto rows = conn->query("EXPLAIN QUERY PLAN " + std::string(sql::stmt::kGroupsOf),
                          {std::string_view("okta"), std::string_view("u1")});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  std::string p;
  for (const auto& row : *rows) p += row.text(row.cells.size() - 1) + "\n";
  EXPECT_NE(p.find("group_members_member (source=? AND member_id=?)"), std::string::npos) << p;
  EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << p;  // no sort: the index gives the order
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteIdentityPlanTest, ::testing::Values(sqlite_identity_backend()),
                         backend_name);

// A version-1 database with an identity: migration 2 indexes its (primary) email.
TEST(SqliteIdentityStore, MigratingFromVersionOneIndexesExistingEmails) {
  testing::TempDir dir;
  const std::string path = identity_db_path(dir.path());
  {
    auto conn = sql::SqliteConnection::open(path);
    ASSERT_TRUE(conn.has_value());
    ASSERT_TRUE(sql::migrate_to(**conn, 1).has_value());  // a database of version 1
    ASSERT_TRUE((*conn)->execute_script(
        "INSERT INTO identities (source, id, user_name, user_name_key, email_key, attributes,"
        " version, created_at, updated_at) VALUES ('okta', 'u1', 'Ada', 'ada', 'ada@acme.example',"
        " '{}', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"));
  }
  auto store = open_sqlite_identity_store(path, StoreOptions{});
  ASSERT_TRUE(store.has_value()) << store.error().message;
  const auto by_email = eq("emails", "value", "ADA@acme.example");
  std::vector<std::string> found;
  auto r = (*store)->read([&](IdentityReader& reader) -> Result<void> {
    ResourceQuery q;
    q.source = "okta";
    q.filter = by_email.get();
    auto page = reader.search(q);
    if (!page) return tl::unexpected(page.error());
    found = ids_of(page->resources);
    return {};
  });
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(found, std::vector<std::string>{"u1"});
}

// The daemon opens the account store and the identity store on one file.
TEST(SqliteIdentityStore, SharesItsFileWithTheAccountStore) {
  testing::TempDir dir;
  const std::string path = identity_db_path(dir.path());
  auto accounts = open_sqlite_store(path, StoreOptions{});
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  auto identities = open_sqlite_identity_store(path, StoreOptions{});
  ASSERT_TRUE(identities.has_value()) << identities.error().message;
  const std::vector<Space> spaces{Space{"acme", {{"recruiter", 1}}, ""}};
  ASSERT_TRUE((*accounts)->configure_spaces(spaces).has_value());
  ASSERT_TRUE((*identities)->write([](IdentityWriter& w) { return w.insert(user("okta", "u1", "ada")); }));
  auto listed = (*accounts)->spaces();
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->size(), 1u);
}

TEST(SqliteIdentityStore, AnUnusableFileIsRefusedAtOpen) {
  testing::TempDir dir;
  auto store = open_sqlite_identity_store((dir.path() / "no" / "such" / "dir.db").string(), StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
}

}  // namespace
}  // namespace rosterd::identity_test
