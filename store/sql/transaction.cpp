#include "store/sql/transaction.h"

#include "store/sql/audit_chain.h"

namespace rosterd::sql {

Result<Transaction> Transaction::begin(SqlConnection& conn) {
  conn.audit_head_in_transaction().reset();
  if (auto r = conn.begin_write(); !r) return tl::unexpected(r.error());
  return Transaction(conn);
}

Result<Transaction> Transaction::begin_read(SqlConnection& conn) {
  if (auto r = conn.begin_read(); !r) return tl::unexpected(r.error());
  return Transaction(conn);
}

Transaction::~Transaction() {
  // A failed rollback leaves nothing to do: the database discards the transaction
  // when the connection closes.
  if (!conn_) return;
  conn_->audit_head_in_transaction().reset();
  (void)conn_->execute("ROLLBACK", {});
}

Result<void> Transaction::commit() {
  SqlConnection* conn = conn_;
  conn_ = nullptr;
  auto head = write_audit_head(*conn);
  conn->audit_head_in_transaction().reset();
  if (head) {
    auto r = conn->execute("COMMIT", {});
    if (r) return {};
    head = tl::unexpected(r.error());
  }
  (void)conn->execute("ROLLBACK", {});
  return tl::unexpected(head.error());
}

// SAVEPOINT and RELEASE are deferred (sql_connection.h): on PostgreSQL they travel with the
// operation's first statement, not in round trips of their own. Should one fail, the
// transaction is aborted: the next statement fails, and so does the batch's COMMIT.
Result<Savepoint> Savepoint::begin(SqlConnection& conn) {
  if (auto r = conn.execute_deferred("SAVEPOINT op"); !r) return tl::unexpected(r.error());
  return Savepoint(conn, conn.audit_head_in_transaction());
}

Savepoint::~Savepoint() {
  if (conn_) {
    conn_->audit_head_in_transaction() = std::move(audit_head_);
    (void)conn_->execute("ROLLBACK TO SAVEPOINT op", {});
    (void)conn_->execute("RELEASE SAVEPOINT op", {});
  }
}

Result<void> Savepoint::release() {
  SqlConnection* conn = conn_;
  conn_ = nullptr;
  if (auto r = conn->execute_deferred("RELEASE SAVEPOINT op"); !r) return tl::unexpected(r.error());
  return {};
}

Result<void> Savepoint::rollback() {
  SqlConnection* conn = conn_;
  conn_ = nullptr;
  conn->audit_head_in_transaction() = std::move(audit_head_);
  if (auto r = conn->execute("ROLLBACK TO SAVEPOINT op", {}); !r) return tl::unexpected(r.error());
  if (auto r = conn->execute("RELEASE SAVEPOINT op", {}); !r) return tl::unexpected(r.error());
  return {};
}

}  // namespace rosterd::sql
