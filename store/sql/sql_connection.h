// The seam between the shared SQL layer and a database (PowerDNS-style): a handful of
// calls that SQLite and PostgreSQL each implement. SQL text uses $1, $2... placeholders
// everywhere; a driver rewrites them if its database spells them otherwise. Values are
// always bound, never spliced into text.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace rosterd::sql {

enum class Dialect { Sqlite, Postgres };

// A bound parameter. Strings are borrowed for the duration of the call only.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string_view>;

inline SqlValue opt(const std::optional<std::string>& v) {
  return v ? SqlValue{std::string_view(*v)} : SqlValue{nullptr};
}

struct SqlRow {
  std::vector<std::optional<std::string>> cells;
  const std::string& text(std::size_t i) const;    // "" for NULL
  std::int64_t integer(std::size_t i) const;       // 0 for NULL
  bool is_null(std::size_t i) const { return !cells[i].has_value(); }
};
using SqlRows = std::vector<SqlRow>;
// Receives the rows of query_each() one at a time; returns false to stop early. The row
// is reused for the next one: copy what must outlive the call.
using SqlRowSink = std::function<Result<bool>(const SqlRow&)>;

// One statement of query_all(). The parameters are borrowed for the duration of the call.
struct SqlStatement {
  std::string_view sql;
  std::span<const SqlValue> params;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;

  // Several statements without parameters (migrations, transaction control).
  virtual Result<void> execute_script(std::string_view sql) = 0;
  // One statement; returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params) = 0;
  virtual Result<SqlRows> query(std::string_view sql, std::span<const SqlValue> params) = 0;
  // query() without holding every row in memory at once (whole-source reads, the audit
  // chain's verification). `sink` must not use this connection. The default collects the
  // rows with query(); a driver that can step through a result overrides it.
  virtual Result<void> query_each(std::string_view sql, std::span<const SqlValue> params,
                                  const SqlRowSink& sink);

  // Several queries none of whose parameters depend on another's rows: each one's rows, in
  // order. Transaction control does not belong here. The default runs them one after the
  // other; PostgreSQL sends them together and waits once (a round trip is what a
  // PostgreSQL read costs most).
  virtual Result<std::vector<SqlRows>> query_all(std::span<const SqlStatement> statements);
  // query_all() in a read-only snapshot of its own, outside any transaction: begin_read(),
  // the queries, the end. PostgreSQL sends all of it at once: one round trip and one
  // wake-up of the server for a whole read (a GET of one user).
  virtual Result<std::vector<SqlRows>> query_snapshot(std::span<const SqlStatement> statements);
  // A statement without parameters or rows (SAVEPOINT, RELEASE SAVEPOINT) whose failure
  // may be reported by the connection's next statement instead of by this call:
  // PostgreSQL sends it together with that next one. The default runs it at once.
  virtual Result<void> execute_deferred(std::string_view sql);
  // A write inside a write transaction whose row count is not needed: PostgreSQL sends it
  // with the connection's next statement, so its failure is reported by that statement or
  // by settle_writes(), whichever comes first. The default runs it at once.
  virtual Result<void> execute_later(std::string_view sql, std::span<const SqlValue> params);
  Result<void> execute_later(std::string_view sql, std::initializer_list<SqlValue> params) {
    return execute_later(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  // Sends the writes execute_later() holds back, waits, and reports their failure: what a
  // job's last step is, so that a write that fails fails its own job (GroupCommitWriter).
  virtual Result<void> settle_writes();
  // Whether execute_later() holds writes back at all (PostgreSQL) or runs them at once.
  virtual bool holds_writes_back() const { return false; }
  // Whether a statement of the open transaction has failed since its last savepoint
  // rollback: the database then refuses every statement until one.
  virtual bool transaction_failed() const { return false; }

  // BEGIN that takes the write lock at once (SQLite: BEGIN IMMEDIATE), so two
  // processes serialise instead of failing on a lock upgrade.
  virtual Result<void> begin_write() = 0;
  // BEGIN of a transaction that only reads and sees one snapshot throughout (SQLite: a
  // deferred BEGIN, whose first read fixes the snapshot; PostgreSQL: REPEATABLE READ,
  // since its default READ COMMITTED would let each statement see newer commits). A
  // connection may send it with the first statement of the transaction, so a failure to
  // begin may be reported by that statement.
  virtual Result<void> begin_read();

  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<SqlValue> params) {
    return execute(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  Result<SqlRows> query(std::string_view sql, std::initializer_list<SqlValue> params) {
    return query(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  Result<void> query_each(std::string_view sql, std::initializer_list<SqlValue> params,
                          const SqlRowSink& sink) {
    return query_each(sql, std::span<const SqlValue>(params.begin(), params.size()), sink);
  }

  // The audit chain's head as the open write transaction has moved it (audit_chain.h),
  // empty until the transaction's first audit row. Transaction and Savepoint keep it true
  // across commits and rollbacks; the chain writes it to audit_head once, at commit (with
  // the seq of the last row, which the database numbers).
  struct AuditHead {
    std::string hash;
  };
  std::optional<AuditHead>& audit_head_in_transaction() { return audit_head_; }

 private:
  std::optional<AuditHead> audit_head_;
};

}  // namespace rosterd::sql
