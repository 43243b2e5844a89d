#include "store/sql/transaction.h"

namespace rosterd::sql {

Result<Transaction> Transaction::begin(SqlConnection& conn) {
  if (auto r = conn.begin_write(); !r) return tl::unexpected(r.error());
  return Transaction(conn);
}

Transaction::~Transaction() {
  // A failed rollback leaves nothing to do: the database discards the transaction
  // when the connection closes.
  if (conn_) (void)conn_->execute_script("ROLLBACK");
}

Result<void> Transaction::commit() {
  SqlConnection* conn = conn_;
  conn_ = nullptr;
  auto r = conn->execute_script("COMMIT");
  if (!r) (void)conn->execute_script("ROLLBACK");
  return r;
}

Result<Savepoint> Savepoint::begin(SqlConnection& conn) {
  if (auto r = conn.execute_script("SAVEPOINT op"); !r) return tl::unexpected(r.error());
  return Savepoint(conn);
}

Savepoint::~Savepoint() {
  if (conn_) {
    (void)conn_->execute_script("ROLLBACK TO SAVEPOINT op");
    (void)conn_->execute_script("RELEASE SAVEPOINT op");
  }
}

Result<void> Savepoint::release() {
  SqlConnection* conn = conn_;
  conn_ = nullptr;
  return conn->execute_script("RELEASE SAVEPOINT op");
}

}  // namespace rosterd::sql
