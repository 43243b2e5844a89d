// The identity store suites' backend on PostgreSQL: a test directory stands for a
// schema of its own on the test server (tests/support/postgres_fixture.h).
#pragma once

#include <filesystem>
#include <string>

#include "store/postgres/open_postgres_store.h"
#include "tests/support/postgres_fixture.h"
#include "tests/unit/store/identity_store_fixture.h"

namespace rosterd::identity_test {

inline IdentityBackend postgres_identity_backend() {
  namespace fs = std::filesystem;
  IdentityBackend b;
  b.name = "Postgres";
  b.unavailable = testing::postgres_unavailable;
  b.open = [](const fs::path& dir, StoreOptions options) -> Result<std::unique_ptr<IdentityStore>> {
    auto target = testing::postgres_target_for(dir);
    if (!target) return tl::unexpected(target.error());
    return open_postgres_identity_store(*target, std::move(options));
  };
  b.open_accounts = [](const fs::path& dir, StoreOptions options) -> Result<std::unique_ptr<AccountStore>> {
    auto target = testing::postgres_target_for(dir);
    if (!target) return tl::unexpected(target.error());
    return open_postgres_store(*target, std::move(options));
  };
  b.connect = [](const fs::path& dir) -> Result<std::unique_ptr<sql::SqlConnection>> {
    auto target = testing::postgres_target_for(dir);
    if (!target) return tl::unexpected(target.error());
    return connect_postgres(*target);
  };
  return b;
}

}  // namespace rosterd::identity_test
