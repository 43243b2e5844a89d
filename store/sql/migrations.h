// Versioned schema migrations, applied in order when a store opens. The schema_version
// table holds the version reached; each migration runs in its own transaction together
// with the bump of that number, so a crash never leaves a half-migrated database.
#pragma once

#include "core/error.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

int latest_schema_version();

// Brings the database to latest_schema_version(). Refuses a database whose version is
// newer than this binary knows, without touching it.
Result<void> migrate(SqlConnection& conn);

}  // namespace rosterd::sql
