#pragma once

#include <memory>
#include <string>

#include "store/identity_store.h"
#include "store/store_options.h"

namespace rosterd {

// Opens (creating and migrating if needed) the SQLite identity store at `path`: one writer
// connection and a pool of reader connections, all with the pragmas of SqliteConnection
// (WAL, synchronous=FULL). The file may be open as an AccountStore at the same time (the
// daemon does both); SQLite's file locks and busy timeout serialise their writers.
// Only `new_id` of `options` is used (event ids of the audit rows).
Result<std::unique_ptr<IdentityStore>> open_sqlite_identity_store(const std::string& path,
                                                                  StoreOptions options);

}  // namespace rosterd
