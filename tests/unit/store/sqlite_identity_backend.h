// The identity store suites' backend on SQLite files (identity_backends.h lists every
// backend).
#pragma once

#include <filesystem>
#include <string>

#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/unit/store/identity_store_fixture.h"

namespace rosterd::identity_test {

inline std::string identity_db_path(const std::filesystem::path& dir) {
  return (dir / "rosterd.db").string();
}

inline IdentityBackend sqlite_identity_backend() {
  IdentityBackend b;
  b.name = "Sqlite";
  b.open = [](const std::filesystem::path& dir, StoreOptions options) {
    return open_sqlite_identity_store(identity_db_path(dir), std::move(options));
  };
  b.open_accounts = [](const std::filesystem::path& dir, StoreOptions options) {
    return open_sqlite_store(identity_db_path(dir), std::move(options));
  };
  b.connect = [](const std::filesystem::path& dir) -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto conn = sql::SqliteConnection::open(identity_db_path(dir));
    if (!conn) return tl::unexpected(conn.error());
    return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
  };
  return b;
}

}  // namespace rosterd::identity_test
