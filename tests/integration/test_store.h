// The store of an integration test as its parameter: the same test body runs against a
// SQLite file and against PostgreSQL (a fresh schema of the test server's database
// rosterd_tests, tests/support/postgres_fixture.h; dropped when the test ends). Where
// PostgreSQL cannot run, the store is unavailable() with the fixture's reason and the
// test skips with it (ROSTERD_SKIP_UNLESS_STORE), never silently.
//
// A schema rather than a database: a test's `rosterd serve` and CLI runs each open their
// own connections, and they all name the schema in the URL (search_path), so they meet
// the same tables; a schema costs about 1 ms where CREATE DATABASE costs 25 to 280 ms.
// (Writers of all schemas share the database's write lock: that serialises the test
// processes' write transactions, it does not mix their data.)
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <initializer_list>
#include <ostream>
#include <string>

#include "store/postgres/pg_connection.h"
#include "tests/support/postgres_fixture.h"
#include "tests/support/sqlite_dump.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {

enum class StoreKind { Sqlite, Postgres };

inline const char* name_of(StoreKind kind) { return kind == StoreKind::Sqlite ? "SQLite" : "PostgreSQL"; }
// Names the parameter in test output and test names (Stores/Okta.Create/PostgreSQL).
inline void PrintTo(StoreKind kind, std::ostream* os) { *os << name_of(kind); }
inline std::string store_test_name(const ::testing::TestParamInfo<StoreKind>& info) { return name_of(info.param); }

// INSTANTIATE_TEST_SUITE_P(Stores, Suite, kBothStores, store_test_name);
inline const auto kBothStores = ::testing::Values(StoreKind::Sqlite, StoreKind::Postgres);

class TestStore {
 public:
  // The store of a test whose files live in `dir`: `dir`/store.db, or a new schema (its
  // password in `dir`/pg.password, as a configuration would name it).
  TestStore(StoreKind kind, const TempDir& dir) : kind_(kind), sqlite_path_(dir.file("store.db")) {
    if (kind_ == StoreKind::Sqlite) return;
    why_unavailable_ = postgres_unavailable();
    if (!why_unavailable_.empty()) return;
    PostgresServer& server = PostgresServer::shared();
    schema_ = fresh_postgres_schema();
    target_ = server.target(PostgresServer::kTestDatabase, schema_);
    password_file_ = dir.file("pg.password");
    std::ofstream(password_file_) << *target_.password << "\n";
  }

  StoreKind kind() const { return kind_; }
  bool available() const { return why_unavailable_.empty(); }
  const std::string& why_unavailable() const { return why_unavailable_; }
  const PostgresTarget& postgres_target() const { return target_; }

  // The configuration's `store:` setting, ending in a newline.
  std::string yaml() const {
    if (kind_ == StoreKind::Sqlite) return "store: sqlite:" + sqlite_path_ + "\n";
    return "store:\n  url: '" + target_.url + "'\n  password_file: " + password_file_ + "\n";
  }

  // Every row of `tables` in a stable order (`order_by`: "1, 2, 3"), for "the store is
  // unchanged" assertions; an error shows in the text rather than passing silently.
  std::string dump(std::initializer_list<const char*> tables, const std::string& order_by = "1") const {
    if (kind_ == StoreKind::Sqlite) return dump_tables(sqlite_path_, tables, order_by);
    auto conn = sql::PgConnection::connect(target_);
    if (!conn) return "connect failed: " + conn.error().message;
    std::string out;
    for (const char* table : tables) {
      // Test-owned table names, not input: the one place SQL text is put together here.
      const auto rows = (*conn)->query(std::string("SELECT * FROM ") + table + " ORDER BY " + order_by, {});
      if (!rows) {
        out += std::string("## ") + table + ": " + rows.error().message + "\n";
        continue;
      }
      out += std::string("## ") + table + "\n";
      for (const auto& row : *rows) {
        for (const auto& cell : row.cells) out += (cell ? *cell : std::string("NULL")) + "|";
        out += "\n";
      }
    }
    return out;
  }

  // Runs one test-owned statement (changing the store behind rosterd's back); "" or why not.
  std::string execute(const std::string& statement) const {
    if (kind_ == StoreKind::Sqlite) {
      sqlite3* h = nullptr;
      std::string error;
      if (sqlite3_open_v2(sqlite_path_.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
          sqlite3_exec(h, statement.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        error = sqlite3_errmsg(h);
      sqlite3_close(h);
      return error;
    }
    auto conn = sql::PgConnection::connect(target_);
    if (!conn) return "connect failed: " + conn.error().message;
    const auto done = (*conn)->execute(statement, {});
    return done ? std::string() : done.error().message;
  }

 private:
  StoreKind kind_;
  std::string sqlite_path_;
  std::string why_unavailable_;
  std::string schema_, password_file_;
  PostgresTarget target_;
};

}  // namespace rosterd::testing
