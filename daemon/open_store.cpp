#include "daemon/open_store.h"

#include <filesystem>
#include <system_error>

#include "config/store_url.h"
#include "connectors/webhook/webhook_secret.h"
#include "store/postgres/open_postgres_store.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_outbox_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace rosterd {

namespace {

constexpr std::string_view kSqlite = "sqlite:";

// The SQLite file an address names, its folder created if needed.
Result<std::string> sqlite_path(const StoreAddress& address) {
  if (!address.url.starts_with(kSqlite))
    return fail(ErrorCode::Config, "store '" + address.url +
                                       "': expected sqlite:PATH or a postgresql:// URL");
  const std::filesystem::path path = address.url.substr(kSqlite.size());
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return fail(ErrorCode::Storage, "cannot create the store's folder " +
                                          path.parent_path().string() + ": " + ec.message());
  }
  return path.string();
}

// A PostgreSQL error with the store it concerns: "store postgresql://rosterd@db/r: ...".
// The URL holds no password (refused by the configuration and by store migrate).
Error naming(const StoreAddress& address, Error error) {
  if (error.message.find(address.url) == std::string::npos)
    error.message = "store " + address.url + ": " + error.message;
  return error;
}

StoreOptions options_of(const Config& config) {
  StoreOptions options;
  options.roles = config.roles;
  return options;
}

// Opens the store of `address` with `open_sqlite` or `open_postgres`, whichever applies.
template <typename T, typename Sqlite, typename Postgres>
Result<T> open_either(const StoreAddress& address, Sqlite open_sqlite, Postgres open_postgres) {
  if (is_postgres_url(address.url)) {
    auto target = postgres_target(address);
    if (!target) return tl::unexpected(naming(address, target.error()));
    auto opened = open_postgres(*target);
    if (!opened) return tl::unexpected(naming(address, opened.error()));
    return opened;
  }
  auto path = sqlite_path(address);
  if (!path) return tl::unexpected(path.error());
  return open_sqlite(*path);
}

}  // namespace

StoreAddress store_address(const Config& config) { return {config.store, config.store_password_file}; }

Result<PostgresTarget> postgres_target(const StoreAddress& address) {
  if (!is_postgres_url(address.url))
    return fail(ErrorCode::Config, "store '" + address.url + "' is not a postgresql:// URL");
  if (store_url_has_password(address.url))
    return fail(ErrorCode::Config, "the store's URL holds a password: give it in a password file "
                                   "(store.password_file, --to-password-file) or PGPASSFILE instead");
  PostgresTarget target;
  target.url = address.url;
  if (!address.password_file.empty()) {
    auto password = webhook::read_secret_file(address.password_file, "the store's password_file");
    if (!password) return tl::unexpected(password.error());
    target.password = password->reveal();
  }
  return target;
}

std::optional<std::string> existing_sqlite_file(const Config& config) {
  if (!config.store.starts_with(kSqlite)) return std::nullopt;
  std::string path = config.store.substr(kSqlite.size());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

Result<std::unique_ptr<AccountStore>> open_store(const StoreAddress& address, StoreOptions options) {
  return open_either<std::unique_ptr<AccountStore>>(
      address, [&](const std::string& path) { return open_sqlite_store(path, options); },
      [&](const PostgresTarget& target) { return open_postgres_store(target, options); });
}

Result<std::unique_ptr<AccountStore>> open_store(const Config& config, bool configure) {
  auto store = open_store(store_address(config), options_of(config));
  if (!store || !configure) return store;
  std::vector<Space> spaces;
  for (const auto& s : config.spaces) spaces.push_back(s.space);
  if (auto r = (*store)->configure_spaces(spaces); !r) return tl::unexpected(r.error());
  return store;
}

Result<std::unique_ptr<IdentityStore>> open_identity_store(const Config& config) {
  const StoreOptions options = options_of(config);
  return open_either<std::unique_ptr<IdentityStore>>(
      store_address(config), [&](const std::string& path) { return open_sqlite_identity_store(path, options); },
      [&](const PostgresTarget& target) { return open_postgres_identity_store(target, options); });
}

Result<std::unique_ptr<OutboxStore>> open_outbox_store(const Config& config) {
  return open_either<std::unique_ptr<OutboxStore>>(
      store_address(config), [](const std::string& path) { return open_sqlite_outbox_store(path); },
      [](const PostgresTarget& target) { return open_postgres_outbox_store(target); });
}

Result<std::unique_ptr<InvitationStore>> open_invitation_store(const Config& config) {
  return open_either<std::unique_ptr<InvitationStore>>(
      store_address(config), [](const std::string& path) { return open_sqlite_invitation_store(path); },
      [](const PostgresTarget& target) { return open_postgres_invitation_store(target); });
}

Result<std::unique_ptr<sql::SqlConnection>> connect_store(const StoreAddress& address) {
  return open_either<std::unique_ptr<sql::SqlConnection>>(
      address,
      [](const std::string& path) -> Result<std::unique_ptr<sql::SqlConnection>> {
        auto conn = sql::SqliteConnection::open(path, sql::SqliteConnection::kReaderCacheKib);
        if (!conn) return tl::unexpected(conn.error());
        return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
      },
      [](const PostgresTarget& target) { return connect_postgres(target); });
}

Result<std::unique_ptr<sql::SqlConnection>> connect_store(const Config& config) {
  return connect_store(store_address(config));
}

}  // namespace rosterd
