// The stores of rosterd over PostgreSQL: the same shared SQL layer (store/sql) as SQLite,
// with a libpq connection underneath. Each function opens connections of its own; the
// first to run creates or migrates the schema (under an advisory lock, so several
// instances starting at once do not race).
#pragma once

#include <memory>

#include "core/error.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/invitation_store.h"
#include "store/outbox_store.h"
#include "store/postgres/postgres_target.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"

namespace rosterd {

Result<std::unique_ptr<AccountStore>> open_postgres_store(const PostgresTarget& target, StoreOptions options);
Result<std::unique_ptr<IdentityStore>> open_postgres_identity_store(const PostgresTarget& target,
                                                                    StoreOptions options);
Result<std::unique_ptr<OutboxStore>> open_postgres_outbox_store(const PostgresTarget& target);
Result<std::unique_ptr<InvitationStore>> open_postgres_invitation_store(const PostgresTarget& target);

// A raw connection (not migrated): tools such as `rosterd store migrate` and the leader
// lease work on the SQL seam directly.
Result<std::unique_ptr<sql::SqlConnection>> connect_postgres(const PostgresTarget& target);

}  // namespace rosterd
