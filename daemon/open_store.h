#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "store/account_store.h"
#include "store/identity_store.h"

namespace rosterd {

// Opens the store the configuration names ("sqlite:PATH"), creating the SQLite file's
// folder if needed, and makes its spaces and quotas match the configuration.
Result<std::unique_ptr<AccountStore>> open_store(const Config& config);

// Opens the identity store (SCIM and directory identities, groups) in the same database.
// open_store() first: it migrates the schema and configures the spaces.
Result<std::unique_ptr<IdentityStore>> open_identity_store(const Config& config);

}  // namespace rosterd
