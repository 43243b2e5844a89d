// RAII transaction: rolls back in its destructor unless committed. Savepoints give each
// operation of a batch its own all-or-nothing scope inside the batch's transaction.
#pragma once

#include <optional>
#include <string>

#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class Transaction {
 public:
  // A write transaction: begin_write() takes the write lock at once (SQLite: BEGIN
  // IMMEDIATE), so whatever it reads stays true until it commits; the audit chain relies
  // on that (audit_chain.h).
  static Result<Transaction> begin(SqlConnection& conn);
  // A read-only snapshot (begin_read()); ended by its destructor, or by commit().
  static Result<Transaction> begin_read(SqlConnection& conn);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(SqlConnection& conn) : conn_(&conn) {}
  SqlConnection* conn_;  // null once committed or rolled back
};

class Savepoint {
 public:
  static Result<Savepoint> begin(SqlConnection& conn);
  Savepoint(Savepoint&& other) noexcept
      : conn_(other.conn_), audit_head_(std::move(other.audit_head_)) {
    other.conn_ = nullptr;
  }
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();

  Result<void> release();
  // Undoes what was written since the savepoint. An error means the enclosing
  // transaction itself is gone (SQLite rolls it all back on some errors, such as a full
  // disk): the caller must not commit work it believes is still there.
  Result<void> rollback();

 private:
  Savepoint(SqlConnection& conn, std::optional<SqlConnection::AuditHead> audit_head)
      : conn_(&conn), audit_head_(std::move(audit_head)) {}
  SqlConnection* conn_;
  // The transaction's audit head when the savepoint began: a rollback puts it back, as
  // the audit rows written since are undone.
  std::optional<SqlConnection::AuditHead> audit_head_;
};

}  // namespace rosterd::sql
