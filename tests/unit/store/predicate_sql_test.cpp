// The SCIM filter compiler: the exact SQL and parameters it produces, that no literal
// ever reaches the SQL text, and that the compiled SQL answers on a real SQLite store.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/email.h"
#include "core/resource_schema.h"
#include "store/sql/filter_dialect.h"
#include "store/sql/predicate_sql.h"
#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/support/temp_dir.h"

namespace rosterd::sql {
namespace {

constexpr std::string_view kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

AttributePath path(std::string_view text) { return path_of_name(text); }

PredicatePtr make(auto node) { return std::make_unique<Predicate>(Predicate{std::move(node)}); }
PredicatePtr cmp(std::string_view p, CompareOp op, Literal value) {
  return make(Comparison{path(p), op, std::move(value)});
}
PredicatePtr cmp(std::string_view p, CompareOp op, const char* text) {
  return cmp(p, op, Literal::of(std::string(text)));
}
PredicatePtr eq(std::string_view p, const char* text) { return cmp(p, CompareOp::Eq, text); }
PredicatePtr pr(std::string_view p) { return cmp(p, CompareOp::Pr, Literal::null()); }
PredicatePtr both(PredicatePtr l, PredicatePtr r) { return make(And{std::move(l), std::move(r)}); }
PredicatePtr either(PredicatePtr l, PredicatePtr r) { return make(Or{std::move(l), std::move(r)}); }
PredicatePtr negated(PredicatePtr p) { return make(Not{std::move(p)}); }
PredicatePtr where(std::string_view p, PredicatePtr filter) {
  return make(ValuePathFilter{path(p), std::move(filter)});
}

CompiledFilter users(const PredicatePtr& p, int first = 1) {
  auto r = compile_filter(*p, ResourceKind::User, Dialect::Sqlite, first);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : CompiledFilter{};
}
CompiledFilter groups(const PredicatePtr& p) {
  auto r = compile_filter(*p, ResourceKind::Group, Dialect::Sqlite, 1);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : CompiledFilter{};
}
Error refusal(const PredicatePtr& p, ResourceKind kind = ResourceKind::User) {
  auto r = compile_filter(*p, kind, Dialect::Sqlite, 1);
  EXPECT_FALSE(r.has_value()) << "compiled to " << (r ? r->where : "");
  return r ? Error{} : r.error();
}

using Params = std::vector<std::string>;

TEST(PredicateSql, UserNameEqualityUsesTheLowerCasedKeyColumn) {
  const auto f = users(eq("userName", "Ada.Lovelace@ACME.example"));
  EXPECT_EQ(f.where, "i.user_name_key = $1");
  EXPECT_EQ(f.params, Params{"ada.lovelace@acme.example"});
}

TEST(PredicateSql, ExternalIdComparesCaseExactly) {
  const auto f = users(eq("externalId", "AbC-1"));
  EXPECT_EQ(f.where, "i.external_id = $1");
  EXPECT_EQ(f.params, Params{"AbC-1"});
}

TEST(PredicateSql, PlaceholdersStartAtTheFirstParamGiven) {
  const auto f = users(either(eq("userName", "a"), eq("id", "x")), 3);
  EXPECT_EQ(f.where, "i.user_name_key = $3 OR i.id = $4");
  EXPECT_EQ(f.params, (Params{"a", "x"}));
}

TEST(PredicateSql, EveryOperatorOnUserName) {
  struct Case { CompareOp op; const char* literal; const char* sql; const char* param; };
  const Case cases[] = {
      {CompareOp::Ne, "A", "NOT (i.user_name_key = $1)", "a"},
      {CompareOp::Co, "A%b", "i.user_name_key LIKE $1 ESCAPE '!'", "%a!%b%"},
      {CompareOp::Sw, "A_", "i.user_name_key LIKE $1 ESCAPE '!'", "a!_%"},
      {CompareOp::Ew, "x!", "i.user_name_key LIKE $1 ESCAPE '!'", "%x!!"},
      {CompareOp::Gt, "M", "i.user_name_key > $1", "m"},
      {CompareOp::Ge, "M", "i.user_name_key >= $1", "m"},
      {CompareOp::Lt, "M", "i.user_name_key < $1", "m"},
      {CompareOp::Le, "M", "i.user_name_key <= $1", "m"},
  };
  for (const Case& c : cases) {
    const auto f = users(cmp("userName", c.op, c.literal));
    EXPECT_EQ(f.where, c.sql) << to_string(c.op);
    EXPECT_EQ(f.params, Params{c.param}) << to_string(c.op);
  }
  EXPECT_EQ(users(pr("userName")).where, "i.user_name_key <> ''");
}

TEST(PredicateSql, DisplayNameComparesLowerCased) {
  const auto f = users(eq("displayName", "Ada Lovelace"));
  EXPECT_EQ(f.where, "lower(i.display_name) = $1");
  EXPECT_EQ(f.params, Params{"ada lovelace"});
}

TEST(PredicateSql, ActiveIsTheFlagColumnAndOnlyTakesEquality) {
  EXPECT_EQ(users(cmp("active", CompareOp::Eq, Literal::of(false))).where, "i.active = 0");
  EXPECT_EQ(users(cmp("active", CompareOp::Ne, Literal::of(true))).where, "NOT (i.active = 1)");
  EXPECT_EQ(refusal(cmp("active", CompareOp::Gt, Literal::of(true))).code, ErrorCode::InvalidFilter);
}

TEST(PredicateSql, LastModifiedIsNormalisedAndComparedOnUpdatedAt) {
  const auto f = users(cmp("meta.lastModified", CompareOp::Gt, "2011-05-13T04:42:34Z"));
  EXPECT_EQ(f.where, "i.updated_at > $1");
  EXPECT_EQ(f.params, Params{"2011-05-13T04:42:34.000Z"});
  EXPECT_EQ(users(cmp("meta.created", CompareOp::Le, "2011-05-13")).where, "i.created_at <= $1");
  const Error e = refusal(cmp("meta.lastModified", CompareOp::Gt, "yesterday"));
  EXPECT_EQ(e.code, ErrorCode::InvalidFilter);
  EXPECT_NE(e.message.find("yesterday"), std::string::npos) << e.message;
}

TEST(PredicateSql, OtherAttributesReadTheJsonDocumentWithQuotedKeys) {
  auto f = users(eq("name.familyName", "Lovelace"));
  EXPECT_EQ(f.where, "lower(json_extract(i.attributes, '$.\"name\".\"familyName\"')) = $1");
  EXPECT_EQ(f.params, Params{"lovelace"});
  f = users(eq(std::string(kEnterprise) + ":manager.value", "u1"));
  EXPECT_EQ(f.where, "lower(json_extract(i.attributes, '$.\"" + std::string(kEnterprise) +
                         "\".\"manager\".\"value\"')) = $1");
}

TEST(PredicateSql, NeOnAJsonAttributeIsTrueWhenAbsent) {
  const auto f = users(cmp("title", CompareOp::Ne, "Boss"));
  EXPECT_EQ(f.where, "NOT COALESCE(lower(json_extract(i.attributes, '$.\"title\"')) = $1, FALSE)");
}

TEST(PredicateSql, AndOrNotAreParenthesisedByTheTree) {
  auto f = users(either(eq("userName", "a"), both(eq("userName", "b"),
                                                  cmp("active", CompareOp::Eq, Literal::of(true)))));
  EXPECT_EQ(f.where, "i.user_name_key = $1 OR (i.user_name_key = $2 AND i.active = 1)");
  f = users(both(either(eq("userName", "a"), eq("userName", "b")), negated(pr("externalId"))));
  EXPECT_EQ(f.where, "(i.user_name_key = $1 OR i.user_name_key = $2) AND "
                     "NOT (i.external_id IS NOT NULL AND i.external_id <> '')");
  EXPECT_EQ(f.params, (Params{"a", "b"}));
}

TEST(PredicateSql, ValueFilterOnEmailsIsAnExistsOverTheArray) {
  const auto f = users(where("emails", both(eq("type", "Work"), cmp("value", CompareOp::Co, "x"))));
  EXPECT_EQ(f.where,
            "EXISTS (SELECT 1 FROM json_each(i.attributes, '$.\"emails\"') e WHERE "
            "lower(json_extract(i.attributes, e.fullkey || '.\"type\"')) = $1 AND "
            "lower(json_extract(i.attributes, e.fullkey || '.\"value\"')) LIKE $2 ESCAPE '!')");
  EXPECT_EQ(f.params, (Params{"work", "%x%"}));
}

TEST(PredicateSql, EmailValueEqualityIsLookedUpInTheEmailIndexTable) {
  const std::string expected =
      "i.id IN (SELECT ie.identity_id FROM identity_emails ie WHERE ie.source = i.source AND "
      "ie.email_key = $1)";
  auto f = users(eq("emails.value", "Ada@ACME.example"));
  EXPECT_EQ(f.where, expected);
  EXPECT_EQ(f.params, Params{"ada@acme.example"});
  EXPECT_EQ(users(eq("emails", "Ada@ACME.example")).where, expected);
  // In a value filter the index narrows the rows; the element still has to match it all.
  f = users(where("emails", both(eq("type", "work"), eq("value", "A@x"))));
  EXPECT_EQ(f.where.rfind(expected + " AND EXISTS (SELECT 1 FROM json_each(", 0), 0u) << f.where;
  EXPECT_EQ(f.params, (Params{"a@x", "work", "a@x"}));
  // Other operators read the document.
  EXPECT_NE(users(cmp("emails.value", CompareOp::Sw, "a")).where.find("json_each"), std::string::npos);
}

TEST(PredicateSql, GroupMembersAreLookedUpInTheMembershipTable) {
  const std::string expected =
      "EXISTS (SELECT 1 FROM group_members m WHERE m.source = g.source AND m.group_id = g.id "
      "AND m.member_id = $1)";
  EXPECT_EQ(groups(where("members", eq("value", "U-1"))).where, expected);
  const auto f = groups(eq("members.value", "U-1"));
  EXPECT_EQ(f.where, expected);
  EXPECT_EQ(f.params, Params{"U-1"});
  EXPECT_EQ(groups(eq("displayName", "Eng")).where, "lower(g.display_name) = $1");
}

TEST(PredicateSql, InjectionAttemptsStayInTheParameters) {
  const std::string evil = "x' OR 1=1 --";
  for (const char* attr : {"userName", "externalId", "name.familyName", "emails.value"}) {
    const auto f = users(eq(attr, evil.c_str()));
    EXPECT_EQ(f.where.find("1=1"), std::string::npos) << f.where;
    ASSERT_EQ(f.params.size(), 1u) << attr;
    EXPECT_NE(f.params[0].find("1=1"), std::string::npos) << attr;
  }
}

TEST(PredicateSql, UnknownAttributesAreRefused) {
  Error e = refusal(eq("nope", "x"));
  EXPECT_EQ(e.code, ErrorCode::InvalidFilter);
  EXPECT_EQ(e.message, "unknown attribute 'nope' in filter");
  EXPECT_EQ(refusal(eq("name.nope", "x")).code, ErrorCode::InvalidFilter);
  EXPECT_EQ(refusal(where("emails", eq("nope", "x"))).code, ErrorCode::InvalidFilter);
  EXPECT_EQ(refusal(eq("userName", "x"), ResourceKind::Group).code, ErrorCode::InvalidFilter);
  EXPECT_EQ(refusal(eq("urn:example:other:1.0:User:employeeNumber", "1")).code,
            ErrorCode::InvalidFilter);
}

// Memberships are rows of group_members, which keep ids and the member type only.
TEST(PredicateSql, EverySchemaAttributeCompilesInBothDialectsButUnstoredMembershipDetails) {
  const std::set<std::string> unstored{"groups.$ref", "groups.display", "groups.type",
                                       "members.$ref", "members.display"};
  for (const auto kind : {ResourceKind::User, ResourceKind::Group}) {
    const ResourceSchema& schema =
        kind == ResourceKind::User ? ResourceSchema::user() : ResourceSchema::group();
    for (const AttributeSpec& spec : schema.attributes())
      for (const auto dialect : {Dialect::Sqlite, Dialect::Postgres}) {
        auto r = compile_filter(*pr(spec.name), kind, dialect, 1);
        EXPECT_EQ(r.has_value(), !unstored.contains(spec.name)) << spec.name;
        if (!r) {
          EXPECT_EQ(r.error().code, ErrorCode::InvalidFilter) << spec.name;
        }
      }
  }
}

TEST(PredicateSql, KeysThatCouldLeaveTheirQuotesAreNotSafe) {
  EXPECT_TRUE(is_safe_key("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
  EXPECT_TRUE(is_safe_key("$ref"));
  for (const char* bad : {"a'b", "a\"b", "a b", "a)", "", "a;--"}) EXPECT_FALSE(is_safe_key(bad)) << bad;
}

TEST(PredicateSql, PostgresReadsJsonbAndBindsTheSameParameters) {
  auto r = compile_filter(*eq("name.familyName", "Lovelace"), ResourceKind::User, Dialect::Postgres, 2);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->where, "lower((((i.attributes)::jsonb -> 'name' ->> 'familyName') COLLATE \"C\")) = $2");
  EXPECT_EQ(r->params, Params{"lovelace"});
}

// ---- The compiled SQL on a real SQLite store -------------------------------------------

constexpr const char* kInsertIdentity =
    "INSERT INTO identities (source, id, external_id, user_name, user_name_key, display_name, "
    "active, attributes, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "1, $9, $9)";

class PredicateSqlOnSqlite : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string file = dir_.file("rosterd.db");
    ASSERT_TRUE(open_sqlite_store(file, StoreOptions{}).has_value());  // creates the schema
    auto conn = SqliteConnection::open(file);
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    conn_ = std::move(*conn);
    const std::string ext = "\"" + std::string(kEnterprise) + "\"";
    identity("okta", "u1", "EXT-1", "Ada.Lovelace@Acme.example", "Ada Lovelace", 1,
             R"({"name":{"familyName":"Lovelace","givenName":"Ada"},"title":"100% Engineer",)"
             R"("emails":[{"value":"ada@acme.example","type":"work","primary":true},)"
             R"({"value":"ada@home.example","type":"home"}],)" +
                 ext + R"(:{"employeeNumber":"7","manager":{"value":"u3"}}})",
             "2026-01-10T00:00:00.000Z");
    identity("okta", "u2", "ext-2", "grace@acme.example", "Grace Hopper", 0,
             R"({"name":{"familyName":"Hopper"},"title":"Rear Admiral",)"
             R"("emails":[{"value":"grace@navy.example","type":"work"}],)" +
                 ext + R"(:{"manager":{"value":"u1"}}})",
             "2025-06-01T00:00:00.000Z");
    identity("okta", "u3", std::nullopt, "boss@acme.example", "", 1, "{}", "2026-03-01T00:00:00.000Z");
    identity("ldap", "x1", "EXT-1", "ada.lovelace@acme.example", "Ada", 1, "{}", "2026-01-10T00:00:00.000Z");
    for (const char* g : {"g1", "g2"})
      run("INSERT INTO external_groups (source, id, display_name, display_name_key, attributes, "
          "version, created_at, updated_at) VALUES ('okta', $1, $2, lower($2), '{}', 1, 'x', 'x')",
          {std::string_view(g), std::string_view(g == std::string("g1") ? "Engineers" : "Admirals")});
    run("INSERT INTO group_members (source, group_id, member_id) VALUES ('okta', 'g1', 'u1')", {});
    run("INSERT INTO group_members (source, group_id, member_id) VALUES ('okta', 'g2', 'u2')", {});
  }

  void identity(const char* source, const char* id, std::optional<std::string> external,
                const std::string& user_name, const char* display, std::int64_t active,
                const std::string& attributes, const char* at) {
    const std::string key = ascii_lower(user_name);
    run(kInsertIdentity, {std::string_view(source), std::string_view(id), opt(external),
                          std::string_view(user_name), std::string_view(key),
                          std::string_view(display), active, std::string_view(attributes),
                          std::string_view(at)});
  }

  void run(std::string_view sql, std::initializer_list<SqlValue> params) {
    auto r = conn_->execute(sql, params);
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  Result<SqlRows> select(const PredicatePtr& p, ResourceKind kind, std::string_view prefix = {}) {
    auto f = compile_filter(*p, kind, Dialect::Sqlite, 2);
    if (!f) return tl::unexpected(f.error());
    const std::string sql = std::string(prefix) +
                            (kind == ResourceKind::User ? "SELECT id FROM identities i WHERE i.source = $1"
                                                        : "SELECT id FROM external_groups g WHERE g.source = $1") +
                            " AND (" + f->where + ")";
    std::vector<SqlValue> params{std::string_view("okta")};
    for (const std::string& v : f->params) params.emplace_back(std::string_view(v));
    return conn_->query(sql, params);
  }

  std::set<std::string> ids(const PredicatePtr& p, ResourceKind kind = ResourceKind::User) {
    auto rows = select(p, kind);
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    std::set<std::string> out;
    if (rows)
      for (const SqlRow& row : *rows) out.insert(row.text(0));
    return out;
  }

  std::string plan(const PredicatePtr& p) {
    auto rows = select(p, ResourceKind::User, "EXPLAIN QUERY PLAN ");
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    std::string out;
    if (rows)
      for (const SqlRow& row : *rows) out += row.text(row.cells.size() - 1) + "\n";
    return out;
  }

  rosterd::testing::TempDir dir_;
  std::unique_ptr<SqliteConnection> conn_;
};

using Ids = std::set<std::string>;

TEST_F(PredicateSqlOnSqlite, UserNameMatchesInAnyCaseWithinTheSource) {
  EXPECT_EQ(ids(eq("userName", "ADA.LOVELACE@acme.EXAMPLE")), Ids{"u1"});
  EXPECT_EQ(ids(cmp("userName", CompareOp::Sw, "GRACE")), Ids{"u2"});
}

TEST_F(PredicateSqlOnSqlite, ExternalIdMatchesOnlyInItsOwnCase) {
  EXPECT_EQ(ids(eq("externalId", "EXT-1")), Ids{"u1"});
  EXPECT_EQ(ids(eq("externalId", "ext-1")), Ids{});
  EXPECT_EQ(ids(cmp("externalId", CompareOp::Co, "XT")), Ids{"u1"});
  EXPECT_EQ(ids(negated(eq("externalId", "EXT-1"))), (Ids{"u2", "u3"}));
}

TEST_F(PredicateSqlOnSqlite, EmailValueFiltersLookAtOneElementAtATime) {
  EXPECT_EQ(ids(where("emails", both(eq("type", "work"), cmp("value", CompareOp::Co, "NAVY")))), Ids{"u2"});
  EXPECT_EQ(ids(where("emails", both(eq("type", "home"), cmp("value", CompareOp::Co, "navy")))), Ids{});
  EXPECT_EQ(ids(cmp("emails.value", CompareOp::Ew, "@home.example")), Ids{"u1"});
  EXPECT_EQ(ids(where("emails", cmp("primary", CompareOp::Eq, Literal::of(true)))), Ids{"u1"});
  EXPECT_EQ(ids(negated(pr("emails"))), Ids{"u3"});
}

TEST_F(PredicateSqlOnSqlite, NestedAndExtensionAttributesReadTheDocument) {
  EXPECT_EQ(ids(eq("name.familyName", "lovelace")), Ids{"u1"});
  EXPECT_EQ(ids(where("name", cmp("givenName", CompareOp::Sw, "a"))), Ids{"u1"});
  EXPECT_EQ(ids(eq(std::string(kEnterprise) + ":manager.value", "u1")), Ids{"u2"});
  EXPECT_EQ(ids(pr(std::string(kEnterprise) + ":employeeNumber")), Ids{"u1"});
}

TEST_F(PredicateSqlOnSqlite, LastModifiedComparesAsTime) {
  EXPECT_EQ(ids(cmp("meta.lastModified", CompareOp::Gt, "2026-01-01T00:00:00Z")), (Ids{"u1", "u3"}));
  EXPECT_EQ(ids(cmp("meta.lastModified", CompareOp::Lt, "2026-01-10T01:00:00+02:00")), Ids{"u2"});
}

TEST_F(PredicateSqlOnSqlite, ActiveAndDisplayName) {
  EXPECT_EQ(ids(cmp("active", CompareOp::Eq, Literal::of(false))), Ids{"u2"});
  EXPECT_EQ(ids(pr("displayName")), (Ids{"u1", "u2"}));
  EXPECT_EQ(ids(eq("displayName", "grace HOPPER")), Ids{"u2"});
}

TEST_F(PredicateSqlOnSqlite, NeIsTrueForAnAbsentAttribute) {
  EXPECT_EQ(ids(cmp("title", CompareOp::Ne, "rear admiral")), (Ids{"u1", "u3"}));
  EXPECT_EQ(ids(negated(cmp("title", CompareOp::Co, "admiral"))), (Ids{"u1", "u3"}));
  EXPECT_EQ(ids(cmp("title", CompareOp::Eq, Literal::null())), Ids{"u3"});
}

TEST_F(PredicateSqlOnSqlite, WildcardsInTheLiteralMatchThemselves) {
  EXPECT_EQ(ids(cmp("title", CompareOp::Co, "%")), Ids{"u1"});
  EXPECT_EQ(ids(cmp("title", CompareOp::Co, "_")), Ids{});
  EXPECT_EQ(ids(cmp("externalId", CompareOp::Co, "*")), Ids{});
}

TEST_F(PredicateSqlOnSqlite, InjectionAttemptMatchesNothing) {
  EXPECT_EQ(ids(eq("userName", "x' OR 1=1 --")), Ids{});
  EXPECT_EQ(ids(eq("name.familyName", "x') OR 1=1 --")), Ids{});
}

TEST_F(PredicateSqlOnSqlite, PrecedenceOfAndOverOr) {
  EXPECT_EQ(ids(either(eq("userName", "boss@acme.example"),
                       both(eq("name.familyName", "hopper"), cmp("active", CompareOp::Eq, Literal::of(true))))),
            Ids{"u3"});
}

TEST_F(PredicateSqlOnSqlite, GroupsFilterOnMembersAndDisplayName) {
  EXPECT_EQ(ids(where("members", eq("value", "u1")), ResourceKind::Group), Ids{"g1"});
  EXPECT_EQ(ids(eq("members.value", "u2"), ResourceKind::Group), Ids{"g2"});
  EXPECT_EQ(ids(eq("displayName", "ENGINEERS"), ResourceKind::Group), Ids{"g1"});
  EXPECT_EQ(ids(pr("members"), ResourceKind::Group), (Ids{"g1", "g2"}));
  EXPECT_EQ(ids(eq("groups.value", "g2")), Ids{"u2"});
}

TEST_F(PredicateSqlOnSqlite, UserNameAndExternalIdUseTheirIndexes) {
  const std::string by_name = plan(eq("userName", "ada.lovelace@acme.example"));
  EXPECT_NE(by_name.find("USING INDEX identities_user_name"), std::string::npos) << by_name;
  EXPECT_EQ(by_name.find("SCAN"), std::string::npos) << by_name;
  const std::string by_external = plan(eq("externalId", "EXT-1"));
  EXPECT_NE(by_external.find("INDEX identities_keys"), std::string::npos) << by_external;
  EXPECT_EQ(by_external.find("SCAN"), std::string::npos) << by_external;
}

}  // namespace
}  // namespace rosterd::sql
