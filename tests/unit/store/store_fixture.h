// The AccountStore suite: every TEST_P runs against each backend given to
// INSTANTIATE_TEST_SUITE_P (sqlite_store_test.cpp; a PostgreSQL backend is one more
// StoreBackend value). Each test gets a fresh temporary directory, a store on it with a
// fixed clock and the default random ids, and two configured spaces.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/lifecycle.h"
#include "core/operation.h"
#include "core/space.h"
#include "core/timestamp.h"
#include "store/account_store.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"
#include "tests/support/fixed_clock.h"
#include "tests/support/printers.h"
#include "tests/support/store_snapshot.h"
#include "tests/support/temp_dir.h"

namespace rosterd::store_test {

// How to reach one kind of database from a test directory.
struct StoreBackend {
  std::string name;
  // The store as rosterd opens it (creating and migrating the database if needed).
  std::function<Result<std::unique_ptr<AccountStore>>(const std::filesystem::path& dir,
                                                      StoreOptions options)>
      open;
  // A raw connection to the same database, to look under the store or to wrap it.
  std::function<Result<std::unique_ptr<sql::SqlConnection>>(const std::filesystem::path& dir)>
      connect;
  // Makes the database exist and be empty (SQLite: a zero-byte file).
  std::function<void(const std::filesystem::path& dir)> make_empty;
  // The database's bytes at rest, to show a refused open left it untouched ("" if the
  // backend has no file).
  std::function<std::string(const std::filesystem::path& dir)> bytes_at_rest;
  // Why this database cannot be used on this machine ("" or unset: it can); the tests
  // skip, saying so.
  std::function<std::string()> unavailable;
};

inline void PrintTo(const StoreBackend& b, std::ostream* os) { *os << b.name; }

// AccountFilter and AuditQuery built field by field: Where().space("acme").role("member").
struct Where {
  AccountFilter f;
  Where& space(std::string v) { f.space = std::move(v); return *this; }
  Where& role(std::string v) { f.role = std::move(v); return *this; }
  Where& licence(std::string v) { f.licence = std::move(v); return *this; }
  Where& team(std::string v) { f.team = std::move(v); return *this; }
  Where& managed_by(std::string v) { f.managed_by = std::move(v); return *this; }
  Where& state(AccountState v) { f.state = v; return *this; }
  Where& search(std::string v) { f.search = std::move(v); return *this; }
  Where& include_deleted() { f.include_deleted = true; return *this; }
  operator const AccountFilter&() const { return f; }
};

struct AuditWhere {
  AuditQuery q;
  AuditWhere& since(Timestamp v) { q.since = v; return *this; }
  AuditWhere& space(std::string v) { q.space = std::move(v); return *this; }
  AuditWhere& account(std::string v) { q.account_id = std::move(v); return *this; }
  AuditWhere& limit(std::size_t v) { q.limit = v; return *this; }
  operator const AuditQuery&() const { return q; }
};

// A plan's operation with only its reason (the fields reconcile() fills left empty).
inline PlannedOperation planned(Operation op, std::string reason) {
  PlannedOperation p;
  p.op = std::move(op);
  p.reason = std::move(reason);
  return p;
}

inline const Timestamp kStart = parse_timestamp("2026-11-23T09:00:00.000Z").value();

class AccountStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (const std::string why = GetParam().unavailable ? GetParam().unavailable() : ""; !why.empty())
      GTEST_SKIP() << why;
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(configure(default_spaces()));
  }

  static std::vector<Space> default_spaces() {
    return {Space{"acme", {{"administrator", 3}, {"manager", 3}, {"recruiter", 2}}, ""},
            Space{"globex", {{"administrator", 2}, {"recruiter", 1}}, "boss@globex.example"}};
  }

  StoreOptions options() {
    StoreOptions o;
    o.clock = clock_.function();
    return o;  // new_id left empty: the default random ids
  }
  std::unique_ptr<AccountStore> open_store() {
    auto s = GetParam().open(dir_.path(), options());
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }
  void reopen() {
    store_.reset();
    store_ = open_store();
  }
  ::testing::AssertionResult configure(const std::vector<Space>& spaces) {
    auto r = store_->configure_spaces(spaces);
    if (r) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << r.error().message;
  }
  std::unique_ptr<sql::SqlConnection> connect() {
    auto c = GetParam().connect(dir_.path());
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c ? std::move(*c) : nullptr;
  }

  // Applies and expects success; the transition written.
  Transition must_apply(const Operation& op, const Actor& actor, std::string_view reason = "test") {
    auto r = store_->apply(op, actor, reason);
    EXPECT_TRUE(r.has_value()) << operation_name(op) << ": "
                               << (r ? "" : r.error().message);
    return r ? r->transition : Transition{};
  }
  Transition must_apply(const Operation& op) { return must_apply(op, root_); }
  // Applies and expects a refusal; the error.
  Error must_refuse(const Operation& op, const Actor& actor) {
    auto r = store_->apply(op, actor, "test");
    EXPECT_FALSE(r.has_value()) << operation_name(op) << " was applied";
    return r ? Error{} : r.error();
  }
  Error must_refuse(const Operation& op) { return must_refuse(op, root_); }

  static CreateOp create_op(std::string space, std::string email, std::string role,
                            std::string licence) {
    CreateOp op;
    op.space = std::move(space);
    op.email = std::move(email);
    const auto at = op.email.find('@');
    op.given_name = op.email.substr(0, at);
    op.family_name = "Family";
    op.role = std::move(role);
    op.licence = std::move(licence);
    return op;
  }
  // Creates an account and returns its id ("" and a failure if it was refused).
  std::string create(const std::string& space, const std::string& email, const std::string& role,
                     const std::string& licence) {
    const auto t = must_apply(create_op(space, email, role, licence));
    return t.accounts.empty() ? std::string() : t.accounts.front().id;
  }
  std::string create_owner(const std::string& email = "owner@acme.example") {
    const std::string id = create("acme", email, "owner", "administrator");
    must_apply(ActivateOp{id});
    return id;
  }

  std::optional<Account> account(const std::string& id) {
    auto a = store_->account(id);
    EXPECT_TRUE(a.has_value()) << (a ? "" : a.error().message);
    return a ? *a : std::nullopt;
  }
  // used/total of one licence pool; {-1, -1} if there is no such pool.
  std::pair<std::int64_t, std::int64_t> usage(const std::string& space, const std::string& licence) {
    auto rows = store_->licence_usage();
    EXPECT_TRUE(rows.has_value());
    if (rows)
      for (const auto& u : *rows)
        if (u.space == space && u.licence == licence) return {u.used, u.total};
    return {-1, -1};
  }
  std::vector<AuditEntry> audit(const AuditQuery& q = {}) {
    auto rows = store_->audit(q);
    EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
    return rows ? *rows : std::vector<AuditEntry>{};
  }
  std::vector<OutboxEntry> outbox() {
    auto rows = store_->outbox(std::nullopt, 0);
    EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
    return rows ? *rows : std::vector<OutboxEntry>{};
  }
  std::vector<Account> accounts(const AccountFilter& f) {
    auto rows = store_->accounts(f);
    EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
    return rows ? *rows : std::vector<Account>{};
  }
  testing::StoreSnapshot snap() { return testing::snapshot(*store_); }

  testing::TempDir dir_;
  testing::FixedClock clock_{kStart};
  std::unique_ptr<AccountStore> store_;
  const Actor root_ = Actor::operator_named("root");
};

// Field by field, so a difference names the part of the store that changed.
inline void expect_same(const testing::StoreSnapshot& before, const testing::StoreSnapshot& after) {
  EXPECT_EQ(before.accounts, after.accounts);
  EXPECT_EQ(before.audit, after.audit);
  EXPECT_EQ(before.outbox, after.outbox);
  EXPECT_EQ(before.licences, after.licences);
  EXPECT_EQ(before.spaces, after.spaces);
}

}  // namespace rosterd::store_test
