// Copies a whole store from one database to another (`rosterd store migrate`): SQLite to
// PostgreSQL, or any pair, through the SQL seam alone. What is copied is derived from the
// schema: every table of the source must be one the copier knows (kCopiedTables or
// kNotCopiedTables in store_copy.cpp), so a migration that adds a table cannot be
// forgotten here silently; columns are read from the schema, not listed.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/reconcile_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// The schema version a database is at, read without changing anything: 0 for a database
// rosterd never opened (no schema_version table).
Result<int> stored_schema_version(SqlConnection& conn);

struct StoreCopy {
  std::vector<std::pair<std::string, std::int64_t>> rows;  // per table, in copy order
  AuditVerification audit;                                 // the target's, after the copy
};

// Copies every row of `from` into `to`, keeping every value as stored (ids, sequence
// numbers, outbox states, audit hashes). Both databases must be at
// latest_schema_version() (the caller migrates them first), and `to` must hold no data:
// ErrorCode::Invariant naming the first table that has rows otherwise. The source's audit
// chain is verified first (a broken chain is refused: it would not verify afterwards
// either); the rows are read in one snapshot of `from` and written in one transaction on
// `to`, so the target has all of it or none of it. The copied chain is checked before
// that transaction commits (a copy that would not verify is rolled back), and verified
// again, by verify_audit_chain(), once committed. On PostgreSQL, identity sequences are moved past the copied
// maximum, so the next row written gets a fresh number.
Result<StoreCopy> copy_store(SqlConnection& from, SqlConnection& to);

}  // namespace rosterd::sql
