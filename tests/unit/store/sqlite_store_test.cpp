// Runs the AccountStore suite on SQLite files, plus what only SQLite has: a file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

namespace fs = std::filesystem;

std::string db_path(const fs::path& dir) { return (dir / "rosterd.db").string(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

StoreBackend sqlite_backend() {
  StoreBackend b;
  b.name = "Sqlite";
  b.open = [](const fs::path& dir, StoreOptions options) {
    return open_sqlite_store(db_path(dir), std::move(options));
  };
  b.connect = [](const fs::path& dir) -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto conn = sql::SqliteConnection::open(db_path(dir));
    if (!conn) return tl::unexpected(conn.error());
    return std::unique_ptr<sql::SqlConnection>(std::move(*conn));
  };
  b.make_empty = [](const fs::path& dir) { std::ofstream(db_path(dir), std::ios::trunc).flush(); };
  b.bytes_at_rest = [](const fs::path& dir) {
    const std::string path = db_path(dir);
    std::string bytes = read_file(path);
    // A write-ahead log left behind would hold changes not yet in the main file.
    if (fs::exists(path + "-wal")) bytes += "\n-- wal --\n" + read_file(path + "-wal");
    return bytes;
  };
  return b;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AccountStoreTest, ::testing::Values(sqlite_backend()),
                         [](const ::testing::TestParamInfo<StoreBackend>& backend) {
                           return backend.param.name;
                         });

TEST(SqliteStore, AFileThatIsNotADatabaseIsRefusedAndKept) {
  testing::TempDir dir;
  const std::string path = dir.file("rosterd.db");
  const std::string text = "this is a configuration file, not a database\n";
  std::ofstream(path) << text;
  const auto store = open_sqlite_store(path, StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  EXPECT_EQ(read_file(path), text);
}

TEST(SqliteStore, ADirectoryThatDoesNotExistIsAStorageError) {
  testing::TempDir dir;
  const auto store = open_sqlite_store(dir.file("missing/rosterd.db"), StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
}

}  // namespace
}  // namespace rosterd::store_test
