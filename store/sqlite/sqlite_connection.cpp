#include "store/sqlite/sqlite_connection.h"

#include <chrono>
#include <mutex>
#include <thread>

#include <sqlite3.h>

namespace rosterd::sql {
namespace {

// SQLite reads "$1" as a named parameter; "?1" is its numbered form.
std::string numbered_placeholders(std::string_view sql) {
  std::string out(sql);
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  return out;
}

// The statement tables hold a few dozen statements; the identity store's searches add one
// per filter shape, which identity providers keep few but a client could vary without
// end. Past this many, one cached statement is dropped for each new one.
constexpr std::size_t kMaxCachedStatements = 512;

// Resets a statement when the call that used it returns, however it returns.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

}  // namespace

void SqliteConnection::StatementDeleter::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
void SqliteConnection::HandleDeleter::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteConnection::~SqliteConnection() {
  statements_.clear();  // finalise statements before the handle closes
}

Error SqliteConnection::error(std::string_view what) const {
  const int code = sqlite3_extended_errcode(db_.get());
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db_.get());
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error{ErrorCode::Uniqueness, std::move(message), {}};
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    return Error{ErrorCode::Unavailable, std::move(message), {}};
  return Error{ErrorCode::Storage, std::move(message), {}};
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path, int cache_kib) {
  // SQLite counts every allocation under one global mutex unless told not to; with a
  // reader per I/O thread that mutex was the busiest lock of `rosterd serve`. Set once,
  // before SQLite initialises (it refuses configuration afterwards).
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(raw));  // owns raw even on error
  if (rc != SQLITE_OK)
    return fail(ErrorCode::Storage, "cannot open SQLite store '" + path + "': " +
                                        (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 30000);
  // A page cache large enough for the indexes of a 100,000-account store: with the
  // default 2 MiB, random-id inserts spent their time re-reading pages from the OS.
  // Checkpoints every 32 MiB of WAL rather than every 4: a page written by many commits
  // is copied into the database once per checkpoint; the WAL is cut back to 64 MiB after.
  const std::string setup =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      " PRAGMA cache_size=-" + std::to_string(cache_kib) + "; PRAGMA temp_store=MEMORY;"
      " PRAGMA wal_autocheckpoint=8192; PRAGMA journal_size_limit=67108864;";
  auto r = conn->execute_script(setup);
  // Switching a new file to WAL while another process creates it can fail with
  // SQLITE_BUSY without SQLite calling the busy handler: retry as the handler would.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!r && r.error().code == ErrorCode::Unavailable && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    r = conn->execute_script(setup);
  }
  if (!r)
    return fail(ErrorCode::Storage, "cannot use '" + path + "' as a SQLite store: " + r.error().message);
  return conn;
}

Result<void> SqliteConnection::execute_script(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
  Error e = error("SQL failed");
  if (message) sqlite3_free(message);
  return tl::unexpected(std::move(e));
}

Result<void> SqliteConnection::begin_write() {
  if (auto r = execute("BEGIN IMMEDIATE", {}); !r) return tl::unexpected(r.error());
  return {};
}

Result<sqlite3_stmt*> SqliteConnection::prepared(std::string_view sql,
                                                 std::span<const SqlValue> params) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    const std::string text = numbered_placeholders(sql);
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db_.get(), text.c_str(), static_cast<int>(text.size()),
                           SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK)
      return tl::unexpected(error("cannot prepare statement"));
    Statement owned(raw);
    // No statement of this connection is running between calls, so any may be dropped.
    if (statements_.size() >= kMaxCachedStatements) statements_.erase(statements_.begin());
    it = statements_.emplace(std::string(sql), std::move(owned)).first;
  }
  sqlite3_stmt* stmt = it->second.get();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&params[i]))
      rc = sqlite3_bind_int64(stmt, index, *n);
    else if (const auto* s = std::get_if<std::string_view>(&params[i]))
      rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
    else
      rc = sqlite3_bind_null(stmt, index);
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(stmt);
      return tl::unexpected(error("cannot bind parameter"));
    }
  }
  return stmt;
}

Result<std::int64_t> SqliteConnection::execute(std::string_view sql,
                                               std::span<const SqlValue> params) {
  auto stmt = prepared(sql, params);
  if (!stmt) return tl::unexpected(stmt.error());
  ResetOnExit reset{*stmt};
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return tl::unexpected(error("statement failed"));
  return static_cast<std::int64_t>(sqlite3_changes64(db_.get()));
}

void SqliteConnection::read_row(sqlite3_stmt* stmt, int columns, SqlRow& row) {
  row.cells.resize(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    auto& cell = row.cells[static_cast<std::size_t>(c)];
    if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
      cell.reset();
      continue;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
    if (cell) cell->assign(text, size);
    else cell.emplace(text, size);
  }
}

Result<SqlRows> SqliteConnection::query(std::string_view sql, std::span<const SqlValue> params) {
  auto stmt = prepared(sql, params);
  if (!stmt) return tl::unexpected(stmt.error());
  ResetOnExit reset{*stmt};
  SqlRows rows;
  const int columns = sqlite3_column_count(*stmt);
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    SqlRow row;
    read_row(*stmt, columns, row);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(error("query failed"));
  return rows;
}

// One row in memory at a time: a whole source of 100,000 users is read without first
// holding all of their cells as strings.
Result<void> SqliteConnection::query_each(std::string_view sql, std::span<const SqlValue> params,
                                          const SqlRowSink& sink) {
  auto stmt = prepared(sql, params);
  if (!stmt) return tl::unexpected(stmt.error());
  ResetOnExit reset{*stmt};
  const int columns = sqlite3_column_count(*stmt);
  SqlRow row;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    read_row(*stmt, columns, row);
    auto more = sink(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) return {};
  }
  if (rc != SQLITE_DONE) return tl::unexpected(error("query failed"));
  return {};
}

}  // namespace rosterd::sql
