#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "store/account_store.h"
#include "store/identity_store.h"

namespace rosterd {

// Opens the store the configuration names ("sqlite:PATH"), creating the SQLite file's
// folder if needed, and makes its spaces and quotas match the configuration.
// `configure` false: leave the spaces as they are (check-config must not change a
// running installation's quotas while checking a candidate file).
Result<std::unique_ptr<AccountStore>> open_store(const Config& config, bool configure = true);

// The SQLite file of the configuration's store, if it is a SQLite store whose file exists.
std::optional<std::string> existing_sqlite_file(const Config& config);

// Opens the identity store (SCIM and directory identities, groups) in the same database.
// open_store() first: it migrates the schema and configures the spaces.
Result<std::unique_ptr<IdentityStore>> open_identity_store(const Config& config);

}  // namespace rosterd
