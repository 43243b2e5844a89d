#include "store/sqlite/open_sqlite_identity_store.h"

#include "store/sql/migrations.h"
#include "store/sql/sql_identity_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace rosterd {

Result<std::unique_ptr<IdentityStore>> open_sqlite_identity_store(const std::string& path,
                                                                  StoreOptions options) {
  auto writer = sql::SqliteConnection::open(path);
  if (!writer) return tl::unexpected(writer.error());
  // Migrate before any reader opens, so no reader ever sees an older schema.
  if (auto migrated = sql::migrate(**writer); !migrated) return tl::unexpected(migrated.error());
  auto readers = [path]() -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto conn = sql::SqliteConnection::open(path, sql::SqliteConnection::kReaderCacheKib);
    if (!conn) return tl::unexpected(conn.error());
    return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
  };
  auto store = sql::SqlIdentityStore::open(std::move(*writer), std::move(readers), std::move(options));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<IdentityStore>(std::move(*store));
}

}  // namespace rosterd
