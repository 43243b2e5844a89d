#include "store/sql/store_copy.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "core/try.h"
#include "store/sql/audit_chain.h"
#include "store/sql/migrations.h"
#include "store/sql/transaction.h"

// The SQL here names tables and columns, which no statement table can: they come from
// kCopiedTables and from the databases' own catalogues, each checked to be a plain
// lower-case identifier and quoted. No value is ever spliced into the text.
namespace rosterd::sql {
namespace {

using namespace std::string_view_literals;

// In an order that satisfies the foreign keys (spaces before pools and accounts, plans
// before plan_bodies). audit_head is a one-row table that the schema seeds: its row is
// replaced rather than added.
constexpr std::array kCopiedTables{
    "spaces"sv,          "licence_pools"sv, "accounts"sv,        "audit"sv,        "audit_head"sv,
    "outbox"sv,          "identities"sv,    "identity_emails"sv, "external_groups"sv,
    "group_members"sv,   "sync_state"sv,    "reconcile_queue"sv, "plans"sv,        "plan_bodies"sv,
    "seat_queue"sv,      "invitations"sv,   "invitation_starts"sv};
// The target keeps its own: the schema version (the same, checked), and the leader lease
// (which instance leads on the target is the target's business, not the source's).
// identity_generation only validates list caches of processes using the database.
constexpr std::array kNotCopiedTables{"schema_version"sv, "leader_lease"sv, "identity_generation"sv};

constexpr std::string_view kSeededTable = "audit_head";

bool plain_identifier(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

Result<std::set<std::string>> table_names(SqlConnection& conn) {
  const std::string_view sql =
      conn.dialect() == Dialect::Sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
          : "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  ROSTERD_ASSIGN(const auto rows, conn.query(sql, {}));
  std::set<std::string> out;
  for (const SqlRow& r : rows) out.insert(r.text(0));
  return out;
}

struct Column {
  std::string name;
  bool identity = false;  // PostgreSQL: GENERATED ... AS IDENTITY
};

Result<std::vector<Column>> columns_of(SqlConnection& conn, std::string_view table) {
  const std::string_view sql =
      conn.dialect() == Dialect::Sqlite
          ? "SELECT name, 'NO' FROM pragma_table_info($1) ORDER BY cid"
          : "SELECT column_name, is_identity FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position";
  ROSTERD_ASSIGN(const auto rows, conn.query(sql, {table}));
  std::vector<Column> out;
  for (const SqlRow& r : rows) {
    if (!plain_identifier(r.text(0)))
      return fail(ErrorCode::Storage, "table " + std::string(table) + " has a column named '" + r.text(0) +
                                          "', which the store copier does not expect");
    out.push_back(Column{r.text(0), r.text(1) == "YES"});
  }
  if (out.empty()) return fail(ErrorCode::Storage, "table " + std::string(table) + " has no columns");
  return out;
}

// Both databases' tables are all known, and each copied table has the same columns in
// both (by name; their order may differ).
Result<void> check_schemas(SqlConnection& from, SqlConnection& to) {
  for (SqlConnection* conn : {&from, &to}) {
    ROSTERD_ASSIGN(const auto tables, table_names(*conn));
    for (const std::string& t : tables) {
      const auto known = [&](auto list) { return std::find(list.begin(), list.end(), t) != list.end(); };
      if (!known(kCopiedTables) && !known(kNotCopiedTables))
        return fail(ErrorCode::Storage, std::string(conn == &from ? "the source" : "the target") +
                                            " has a table the store copier does not know: " + t +
                                            " (this rosterd cannot copy it: refusing to lose it)");
    }
  }
  for (const std::string_view table : kCopiedTables) {
    ROSTERD_ASSIGN(const auto a, columns_of(from, table));
    ROSTERD_ASSIGN(const auto b, columns_of(to, table));
    std::set<std::string> names_a, names_b;
    for (const Column& c : a) names_a.insert(c.name);
    for (const Column& c : b) names_b.insert(c.name);
    if (names_a != names_b)
      return fail(ErrorCode::Storage, "table " + std::string(table) +
                                          " has different columns in the source and the target");
  }
  return {};
}

// ErrorCode::Invariant naming the first table of `to` with rows in it.
Result<void> check_empty(SqlConnection& to) {
  for (const std::string_view table : kCopiedTables) {
    const std::string sql = table == kSeededTable
                                ? "SELECT seq FROM audit_head WHERE seq <> 0"
                                : "SELECT 1 FROM " + quoted(table) + " LIMIT 1";
    ROSTERD_ASSIGN(const auto rows, to.query(sql, {}));
    if (!rows.empty())
      return fail(ErrorCode::Invariant,
                  "the target store is not empty: table " + std::string(table) +
                      " has rows. `rosterd store migrate` only copies into a new, empty database "
                      "(so that nothing in it is mixed with or overwritten by the copy)");
  }
  return {};
}

// Copies one table's rows; returns how many.
Result<std::int64_t> copy_table(SqlConnection& from, SqlConnection& to, std::string_view table) {
  ROSTERD_ASSIGN(const auto columns, columns_of(from, table));
  ROSTERD_ASSIGN(const auto target_columns, columns_of(to, table));
  const bool has_identity = std::any_of(target_columns.begin(), target_columns.end(),
                                        [](const Column& c) { return c.identity; });
  std::string names, placeholders;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + quoted(columns[i].name);
    placeholders += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  const std::string select = "SELECT " + names + " FROM " + quoted(table);
  // PostgreSQL: keep the identity column's values (audit seq: the hash chain covers it).
  const std::string insert = "INSERT INTO " + quoted(table) + " (" + names + ")" +
                             (has_identity ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES (" + placeholders + ")";
  if (table == kSeededTable) ROSTERD_TRY(to.execute("DELETE FROM audit_head", {}));
  std::int64_t copied = 0;
  std::vector<SqlValue> values(columns.size());
  const auto copy_row = [&](const SqlRow& row) -> Result<bool> {
    // Every value travels as text: SQLite's column affinity and PostgreSQL's parameter
    // typing turn it back into the column's type, as both drivers' own statements do.
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i] = row.cells[i] ? SqlValue{std::string_view(*row.cells[i])} : SqlValue{nullptr};
    ROSTERD_TRY(to.execute(insert, std::span<const SqlValue>(values)));
    ++copied;
    return true;
  };
  ROSTERD_TRY(from.query_each(select, std::span<const SqlValue>(), copy_row));
  if (to.dialect() == Dialect::Postgres)
    for (const Column& c : target_columns)
      if (c.identity) {
        const std::string sql = "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" +
                                quoted(c.name) + ") FROM " + quoted(table) + "), 0) + 1, false)";
        ROSTERD_TRY(to.query(sql, {table, std::string_view(c.name)}));
      }
  return copied;
}

// The copied audit chain, checked inside the copy's transaction so that a copy that would
// not verify is rolled back, not committed: each row's hash is recomputed
// (audit_row_hash), each links to the row before it, and the last is audit_head.
// verify_audit_chain() cannot run here: it opens a read transaction of its own.
Result<void> check_copied_chain(SqlConnection& to) {
  std::string last_hash;
  std::int64_t last_seq = 0;
  std::string problem;
  const auto check_row = [&](const SqlRow& r) -> Result<bool> {
    const AuditRow row{r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                       r.text(6), r.text(7), r.text(8), r.text(9), r.text(10)};
    const std::string seq = std::to_string(r.integer(0));
    if (r.text(11) != last_hash) problem = "row " + seq + " does not link to the row before it";
    else if (audit_row_hash(r.text(11), row) != r.text(12)) problem = "row " + seq + " does not match its hash";
    last_seq = r.integer(0);
    last_hash = r.text(12);
    return problem.empty();
  };
  ROSTERD_TRY(to.query_each("SELECT seq, at, actor, operation, event, event_id, space, account_id, email, reason, "
                            "details, prev_hash, hash FROM audit ORDER BY seq",
                            std::span<const SqlValue>(), check_row));
  if (problem.empty()) {
    ROSTERD_ASSIGN(const auto head, to.query("SELECT seq, hash FROM audit_head", {}));
    if (head.size() != 1 || head.front().integer(0) != last_seq || head.front().text(1) != last_hash)
      problem = "audit_head does not point at the last row";
  }
  if (!problem.empty())
    return fail(ErrorCode::Storage, "the copied audit log would not verify (" + problem + "): nothing was copied");
  return {};
}

}  // namespace

Result<int> stored_schema_version(SqlConnection& conn) {
  ROSTERD_ASSIGN(const auto tables, table_names(conn));
  if (!tables.contains("schema_version")) return 0;
  ROSTERD_ASSIGN(const auto rows, conn.query("SELECT MAX(version) FROM schema_version", {}));
  return rows.empty() ? 0 : static_cast<int>(rows.front().integer(0));
}

Result<StoreCopy> copy_store(SqlConnection& from, SqlConnection& to) {
  for (SqlConnection* conn : {&from, &to}) {
    ROSTERD_ASSIGN(const int version, stored_schema_version(*conn));
    if (version != latest_schema_version())
      return fail(ErrorCode::Storage, std::string(conn == &from ? "the source" : "the target") +
                                          " is at schema version " + std::to_string(version) + ", not " +
                                          std::to_string(latest_schema_version()) + ": migrate it first");
  }
  ROSTERD_TRY(check_schemas(from, to));
  ROSTERD_ASSIGN(const auto source_audit, verify_audit_chain(from));
  if (!source_audit.ok)
    return fail(ErrorCode::Invariant, "the source's audit log does not verify (" + source_audit.problem +
                                          "): not copied; see `rosterd audit verify`");
  StoreCopy result;
  {
    ROSTERD_ASSIGN(auto write, Transaction::begin(to));
    ROSTERD_TRY(check_empty(to));
    ROSTERD_ASSIGN(auto snapshot, Transaction::begin_read(from));
    for (const std::string_view table : kCopiedTables) {
      auto copied = copy_table(from, to, table);
      if (!copied)
        return fail(copied.error().code, "copying table " + std::string(table) + ": " + copied.error().message);
      result.rows.emplace_back(std::string(table), *copied);
    }
    ROSTERD_TRY(snapshot.commit());
    ROSTERD_TRY(check_copied_chain(to));
    ROSTERD_TRY(write.commit());
  }
  // Statistics for the planner at once: without them PostgreSQL plans the first queries
  // on a freshly filled database blind (until autovacuum gets round to it, a minute or
  // more), and chose plans that served 60 GET /Users/{id} a second instead of thousands.
  if (to.dialect() == Dialect::Postgres) ROSTERD_TRY(to.execute_script("ANALYZE"));
  ROSTERD_ASSIGN(result.audit, verify_audit_chain(to));
  if (!result.audit.ok)
    return fail(ErrorCode::Storage, "the copied audit log does not verify on the target (" +
                                        result.audit.problem + ")");
  return result;
}

}  // namespace rosterd::sql
