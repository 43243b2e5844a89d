// Every database the AccountStore suites run on: one suite, two databases.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/store/postgres_store_backend.h"
#include "tests/unit/store/sqlite_store_backend.h"

namespace rosterd::store_test {

inline auto store_backends() { return ::testing::Values(sqlite_backend(), postgres_backend()); }

inline std::string store_backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

}  // namespace rosterd::store_test
