#include "store/sqlite/open_sqlite_store.h"

#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace rosterd {

Result<std::unique_ptr<AccountStore>> open_sqlite_store(const std::string& path, StoreOptions options) {
  auto conn = sql::SqliteConnection::open(path);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlStore::open(std::move(*conn), std::move(options));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<AccountStore>(std::move(*store));
}

}  // namespace rosterd
