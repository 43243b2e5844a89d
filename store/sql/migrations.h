// Versioned schema migrations, applied in order when a store opens. The schema_version
// table holds the version reached; the pending migrations and the bump of that number run
// in one write transaction, so a crash never leaves a half-migrated database and two
// processes opening a new file at once migrate it once.
#pragma once

#include "core/error.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

int latest_schema_version();

// Brings the database to latest_schema_version(). Refuses a database whose version is
// newer than this binary knows, without touching it.
Result<void> migrate(SqlConnection& conn);
// The same, stopping at schema version `target` (tests build the databases of older
// releases with it, to upgrade them).
Result<void> migrate_to(SqlConnection& conn, int target);

}  // namespace rosterd::sql
