// The AccountStore suites' backend on PostgreSQL: a test directory stands for a schema of
// its own on the test server (tests/support/postgres_fixture.h).
#pragma once

#include <filesystem>
#include <string>

#include "store/postgres/open_postgres_store.h"
#include "tests/support/postgres_fixture.h"
#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {

inline StoreBackend postgres_backend() {
  namespace fs = std::filesystem;
  StoreBackend b;
  b.name = "Postgres";
  b.unavailable = testing::postgres_unavailable;
  b.open = [](const fs::path& dir, StoreOptions options) -> Result<std::unique_ptr<AccountStore>> {
    auto target = testing::postgres_target_for(dir);
    if (!target) return tl::unexpected(target.error());
    return open_postgres_store(*target, std::move(options));
  };
  b.connect = [](const fs::path& dir) -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto target = testing::postgres_target_for(dir);
    if (!target) return tl::unexpected(target.error());
    return connect_postgres(*target);
  };
  b.make_empty = [](const fs::path& dir) { (void)testing::postgres_schema_for(dir); };
  b.bytes_at_rest = [](const fs::path& dir) {
    auto schema = testing::postgres_schema_for(dir);
    return schema ? testing::postgres_dump(*schema) : schema.error().message;
  };
  return b;
}

}  // namespace rosterd::store_test
