// Opens the stores of a configuration, on SQLite ("sqlite:PATH") or PostgreSQL (a
// postgresql:// URL, with the password from store.password_file or libpq's own
// PGPASSWORD / PGPASSFILE). Every function opens connections of its own. An error names
// the store by its URL (the configuration refuses a password in it) and never holds the
// password.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/invitation_store.h"
#include "store/outbox_store.h"
#include "store/postgres/postgres_target.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"

namespace rosterd {

// Where a store is: the configuration's, or one named on the command line (`rosterd store
// migrate --from/--to`).
struct StoreAddress {
  std::string url;            // "sqlite:PATH" or postgresql://user@host:port/db?options
  std::string password_file;  // PostgreSQL only, optional: the password is its first line
};

StoreAddress store_address(const Config& config);

// The PostgreSQL target of a postgresql:// address, its password file read now (never
// logged). ErrorCode::Config for a password in the URL or an unreadable or empty file.
Result<PostgresTarget> postgres_target(const StoreAddress& address);

// Opens the store the configuration names, creating the SQLite file's folder if needed,
// migrating the schema, and makes its spaces and quotas match the configuration.
// `configure` false: leave the spaces as they are (check-config must not change a
// running installation's quotas while checking a candidate file).
Result<std::unique_ptr<AccountStore>> open_store(const Config& config, bool configure = true);
Result<std::unique_ptr<AccountStore>> open_store(const StoreAddress& address, StoreOptions options);

// The SQLite file of the configuration's store, if it is a SQLite store whose file exists.
std::optional<std::string> existing_sqlite_file(const Config& config);

// Opens the identity store (SCIM and directory identities, groups) in the same database.
// open_store() first: it migrates the schema and configures the spaces.
Result<std::unique_ptr<IdentityStore>> open_identity_store(const Config& config);

// The webhook outbox and the invitation emails' state, each on a connection of its own.
Result<std::unique_ptr<OutboxStore>> open_outbox_store(const Config& config);
Result<std::unique_ptr<InvitationStore>> open_invitation_store(const Config& config);

// A raw connection to the configuration's database (SQLite or PostgreSQL), for the parts
// that work on the SQL seam directly (the leader lease, `rosterd store migrate`). It does
// not migrate: open_store() first.
Result<std::unique_ptr<sql::SqlConnection>> connect_store(const Config& config);
Result<std::unique_ptr<sql::SqlConnection>> connect_store(const StoreAddress& address);

}  // namespace rosterd
