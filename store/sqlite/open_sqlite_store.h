#pragma once

#include <memory>
#include <string>

#include "store/account_store.h"
#include "store/store_options.h"

namespace rosterd {

// Opens (creating if needed) and migrates the SQLite store at `path`.
Result<std::unique_ptr<AccountStore>> open_sqlite_store(const std::string& path, StoreOptions options);

}  // namespace rosterd
