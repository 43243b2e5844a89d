#include "store/postgres/open_postgres_store.h"

#include "store/postgres/pg_connection.h"
#include "store/sql/invitation_sql_store.h"
#include "store/sql/migrations.h"
#include "store/sql/outbox_sql_store.h"
#include "store/sql/sql_identity_store.h"
#include "store/sql/sql_store.h"

// Mirrors store/sqlite/open_sqlite_*.cpp. What the shared layer would cache in memory
// about the database (ListOrderCache) is only used on SQLite: on PostgreSQL other
// instances write too, and the cache would not hear of their commits.
namespace rosterd {
namespace {

// Each connection is a server process, and every instance on the database takes its
// share of max_connections (100 by default): the identity store's readers are bounded.
// Twice the daemon's blocking threads for SCIM (8), leaving room for the pollers, the
// reconciler and the status page.
constexpr std::size_t kMaxReaders = 16;

}  // namespace

Result<std::unique_ptr<sql::SqlConnection>> connect_postgres(const PostgresTarget& target) {
  auto conn = sql::PgConnection::connect(target);
  if (!conn) return tl::unexpected(conn.error());
  return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
}

Result<std::unique_ptr<AccountStore>> open_postgres_store(const PostgresTarget& target, StoreOptions options) {
  auto conn = connect_postgres(target);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlStore::open(std::move(*conn), std::move(options));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<AccountStore>(std::move(*store));
}

Result<std::unique_ptr<IdentityStore>> open_postgres_identity_store(const PostgresTarget& target,
                                                                    StoreOptions options) {
  auto writer = connect_postgres(target);
  if (!writer) return tl::unexpected(writer.error());
  // Migrate before any reader opens, so no reader ever sees an older schema.
  if (auto migrated = sql::migrate(**writer); !migrated) return tl::unexpected(migrated.error());
  auto readers = [target]() { return connect_postgres(target); };
  auto store =
      sql::SqlIdentityStore::open(std::move(*writer), std::move(readers), std::move(options), kMaxReaders);
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<IdentityStore>(std::move(*store));
}

Result<std::unique_ptr<OutboxStore>> open_postgres_outbox_store(const PostgresTarget& target) {
  auto conn = connect_postgres(target);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlOutboxStore::open(std::move(*conn));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<OutboxStore>(std::move(*store));
}

Result<std::unique_ptr<InvitationStore>> open_postgres_invitation_store(const PostgresTarget& target) {
  auto conn = connect_postgres(target);
  if (!conn) return tl::unexpected(conn.error());
  auto store = sql::SqlInvitationStore::open(std::move(*conn));
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<InvitationStore>(std::move(*store));
}

}  // namespace rosterd
