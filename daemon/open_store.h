#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "store/account_store.h"

namespace rosterd {

// Opens the store the configuration names ("sqlite:PATH"), creating the SQLite file's
// folder if needed, and makes its spaces and quotas match the configuration.
Result<std::unique_ptr<AccountStore>> open_store(const Config& config);

}  // namespace rosterd
