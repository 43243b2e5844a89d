// The AccountStore suites' backend on SQLite files (store_backends.h lists every backend).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {

inline std::string sqlite_db_path(const std::filesystem::path& dir) {
  return (dir / "rosterd.db").string();
}

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline StoreBackend sqlite_backend() {
  namespace fs = std::filesystem;
  StoreBackend b;
  b.name = "Sqlite";
  b.open = [](const fs::path& dir, StoreOptions options) {
    return open_sqlite_store(sqlite_db_path(dir), std::move(options));
  };
  b.connect = [](const fs::path& dir) -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto conn = sql::SqliteConnection::open(sqlite_db_path(dir));
    if (!conn) return tl::unexpected(conn.error());
    return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
  };
  b.make_empty = [](const fs::path& dir) {
    std::ofstream(sqlite_db_path(dir), std::ios::trunc).flush();
  };
  b.bytes_at_rest = [](const fs::path& dir) {
    const std::string path = sqlite_db_path(dir);
    std::string bytes = read_whole_file(path);
    // A write-ahead log left behind would hold changes not yet in the main file.
    if (fs::exists(path + "-wal")) bytes += "\n-- wal --\n" + read_whole_file(path + "-wal");
    return bytes;
  };
  return b;
}

}  // namespace rosterd::store_test
