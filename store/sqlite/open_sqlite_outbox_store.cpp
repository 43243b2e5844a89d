#include "store/sqlite/open_sqlite_outbox_store.h"

#include "store/sql/invitation_sql_store.h"
#include "store/sql/outbox_sql_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace rosterd {

Result<std::unique_ptr<OutboxStore>> open_sqlite_outbox_store(const std::string& path) {
  // A small page cache: the sender reads a few rows at a time.
  auto conn = sql::SqliteConnection::open(path, sql::SqliteConnection::kReaderCacheKib);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlOutboxStore::open(std::move(*conn));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<OutboxStore>(std::move(*store));
}

Result<std::unique_ptr<InvitationStore>> open_sqlite_invitation_store(const std::string& path) {
  auto conn = sql::SqliteConnection::open(path, sql::SqliteConnection::kReaderCacheKib);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlInvitationStore::open(std::move(*conn));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<InvitationStore>(std::move(*store));
}

}  // namespace rosterd
