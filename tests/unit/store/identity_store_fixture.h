// The IdentityStore suite: every TEST_P runs against each backend given to
// INSTANTIATE_TEST_SUITE_P (sqlite_identity_store_test.cpp; PostgreSQL is one more
// IdentityBackend value). Each test gets a fresh temporary directory and a store on it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"
#include "tests/support/temp_dir.h"

namespace rosterd::identity_test {

struct IdentityBackend {
  std::string name;
  std::function<Result<std::unique_ptr<IdentityStore>>(const std::filesystem::path& dir,
                                                       StoreOptions options)>
      open;
  // The AccountStore on the same database (the daemon opens both).
  std::function<Result<std::unique_ptr<AccountStore>>(const std::filesystem::path& dir,
                                                      StoreOptions options)>
      open_accounts;
  // A raw connection to the same database, to look under the store.
  std::function<Result<std::unique_ptr<sql::SqlConnection>>(const std::filesystem::path& dir)>
      connect;
  // Why this database cannot be used on this machine ("" or unset: it can); the tests
  // skip, saying so.
  std::function<std::string()> unavailable;
};

inline void PrintTo(const IdentityBackend& b, std::ostream* os) { *os << b.name; }

inline const Timestamp kT0 = parse_timestamp("2026-11-23T09:00:00.000Z").value();
inline Timestamp at_second(int s) { return kT0 + std::chrono::seconds(s); }

inline ResourceRecord user(std::string source, std::string id, std::string user_name,
                           std::vector<std::string> emails = {}, std::string display = {},
                           std::string attributes = "{}") {
  ResourceRecord r;
  r.type = ResourceType::User;
  r.source = std::move(source);
  r.id = std::move(id);
  r.user_name = std::move(user_name);
  r.emails = std::move(emails);
  r.display_name = std::move(display);
  r.attributes = std::move(attributes);
  r.created = r.updated = kT0;
  return r;
}

inline ResourceRecord group(std::string source, std::string id, std::string display) {
  ResourceRecord r;
  r.type = ResourceType::Group;
  r.source = std::move(source);
  r.id = std::move(id);
  r.display_name = std::move(display);
  r.created = r.updated = kT0;
  return r;
}

inline std::vector<std::string> ids_of(const std::vector<ResourceRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.id);
  return out;
}
inline std::vector<std::string> ids_of(const std::vector<MemberRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.id);
  return out;
}

class IdentityStoreTest : public ::testing::TestWithParam<IdentityBackend> {
 protected:
  void SetUp() override {
    if (const std::string why = GetParam().unavailable ? GetParam().unavailable() : ""; !why.empty())
      GTEST_SKIP() << why;
    auto s = GetParam().open(dir_.path(), StoreOptions{});
    ASSERT_TRUE(s.has_value()) << s.error().message;
    store_ = std::move(*s);
  }

  // Runs a write job and expects success.
  void must_write(IdentityStore::WriteJob job) {
    auto r = store_->write(std::move(job));
    EXPECT_TRUE(r.has_value()) << r.error().message;
  }
  void must_insert(std::vector<ResourceRecord> records) {
    must_write([&](IdentityWriter& w) -> Result<void> {
      for (const auto& r : records)
        if (auto done = w.insert(r); !done) return done;
      return {};
    });
  }
  // Runs `fn` in a read job and returns what it returned, expecting success.
  template <typename T>
  T must_read(std::function<Result<T>(IdentityReader&)> fn) {
    T out{};
    auto r = store_->read([&](IdentityReader& reader) -> Result<void> {
      auto v = fn(reader);
      if (!v) return tl::unexpected(v.error());
      out = std::move(*v);
      return {};
    });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return out;
  }
  std::optional<ResourceRecord> find(ResourceType type, const std::string& source, const std::string& id) {
    return must_read<std::optional<ResourceRecord>>(
        [&](IdentityReader& r) { return r.find(type, source, id); });
  }
  Result<ResourcePage> search(const ResourceQuery& q) {
    Result<ResourcePage> out = fail(ErrorCode::Internal, "not run");
    auto r = store_->read([&](IdentityReader& reader) -> Result<void> {
      out = reader.search(q);
      return {};
    });
    EXPECT_TRUE(r.has_value());
    return out;
  }
  std::vector<MemberRef> members(const std::string& source, const std::string& group_id) {
    return must_read<std::vector<MemberRef>>([&](IdentityReader& r) { return r.members(source, group_id); });
  }
  std::vector<MemberRef> groups_of(const std::string& source, const std::string& member_id) {
    return must_read<std::vector<MemberRef>>(
        [&](IdentityReader& r) { return r.groups_of(source, member_id); });
  }

  std::unique_ptr<sql::SqlConnection> connect() {
    auto c = GetParam().connect(dir_.path());
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c ? std::move(*c) : nullptr;
  }
  // One number from the database, read beside the store.
  std::int64_t scalar(const std::string& sql, std::initializer_list<sql::SqlValue> params = {}) {
    auto conn = connect();
    if (!conn) return -1;
    auto rows = conn->query(sql, params);
    EXPECT_TRUE(rows.has_value()) << sql << ": " << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().integer(0) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<IdentityStore> store_;
};

}  // namespace rosterd::identity_test
