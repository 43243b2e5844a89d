// Every database the IdentityStore suites run on: one suite, two databases.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/store/postgres_identity_backend.h"
#include "tests/unit/store/sqlite_identity_backend.h"

namespace rosterd::identity_test {

inline auto identity_backends() {
  return ::testing::Values(sqlite_identity_backend(), postgres_identity_backend());
}

inline std::string backend_name(const ::testing::TestParamInfo<IdentityBackend>& info) {
  return info.param.name;
}

}  // namespace rosterd::identity_test
