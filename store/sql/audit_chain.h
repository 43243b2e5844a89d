// The audit log's hash chain. Every audit row stores prev_hash, the hash of the row
// written before it ("" for the first), and hash, the SHA-256 (hex) of a length-prefixed
// encoding of prev_hash and every other column but seq. Changing a row breaks its own
// hash; removing one breaks the link of the row after it. Removing the newest rows
// breaks no link, so a one-row table, audit_head, keeps the seq and hash of the last row
// written, updated in the same transaction as the row, and verification compares the
// log's end with it.
//
// A write transaction reads the head once, at its first row, keeps it on the connection
// (SqlConnection::audit_head_in_transaction) and writes it back once, before COMMIT
// (Transaction::commit calls write_audit_head). On PostgreSQL an UPDATE of the one head
// row per audit row left a row version per update for the next UPDATE to step over: a
// first LDAP load of 20,000 people (40,000 audit rows in one transaction) spent 12 of its
// 36 seconds there, growing with the square of the load.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/reconcile_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// The hashed columns of one audit row, as stored (text); borrowed from the caller.
struct AuditRow {
  std::string_view at, actor, operation, event, event_id, space, account_id, email, reason,
      details;
};

// SHA-256 hex of the row's canonical encoding: for prev_hash, then each field of AuditRow
// in declaration order, the byte length in decimal, ':', the bytes. A value can hold any
// byte without two different rows sharing an encoding.
std::string audit_row_hash(std::string_view prev_hash, const AuditRow& row);

// How the row is sent. WithNextStatement: held back (SqlConnection::execute_later) to
// ride with the caller's next statement on PostgreSQL, for a caller that can tell whose
// write failed: the identity store's group-commit writer, which settles each job's writes
// before its savepoint is released, or runs a batch of jobs that may run again without
// settling and, should any statement fail, runs it again settling each job.
enum class AuditInsert { Now, WithNextStatement };

// Appends a row to the chain and moves the transaction's head onto it. Only inside a write
// transaction (Transaction::begin), which is what keeps two writers from chaining onto
// the same previous row; see audit_chain.cpp.
Result<void> append_audit(SqlConnection& conn, const AuditRow& row, AuditInsert when = AuditInsert::Now);

// Writes the head the open transaction moved to audit_head (nothing if it wrote no audit
// row). Called by Transaction::commit just before COMMIT.
Result<void> write_audit_head(SqlConnection& conn);

// Schema migration 3: chains the rows written before the chain existed, in seq order,
// and points audit_head at the last one. Inside the migration's transaction.
Result<void> chain_existing_audit(SqlConnection& conn);

// Walks every row in seq order, in one read snapshot, and compares the end with
// audit_head. The first problem found is reported (ok = false).
Result<AuditVerification> verify_audit_chain(SqlConnection& conn);

}  // namespace rosterd::sql
