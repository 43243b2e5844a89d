// Runs the AccountStore suite on SQLite files, plus what only SQLite has: a file.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "store/sqlite/open_sqlite_store.h"
#include "tests/unit/store/sqlite_store_backend.h"
#include "tests/unit/store/store_backends.h"

namespace rosterd::store_test {
namespace {

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreTest, store_backends(), store_backend_name);

TEST(SqliteStore, AFileThatIsNotADatabaseIsRefusedAndKept) {
  testing::TempDir dir;
  const std::string path = dir.file("rosterd.db");
  const std::string text = "this is a configuration file, not a database\n";
  std::ofstream(path) << text;
  const auto store = open_sqlite_store(path, StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  EXPECT_EQ(read_whole_file(path), text);
}

TEST(SqliteStore, ADirectoryThatDoesNotExistIsAStorageError) {
  testing::TempDir dir;
  const auto store = open_sqlite_store(dir.file("missing/rosterd.db"), StoreOptions{});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
}

}  // namespace
}  // namespace rosterd::store_test
