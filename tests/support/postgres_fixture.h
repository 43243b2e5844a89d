// A real PostgreSQL 15 server for tests, and a fresh schema (or database) on it for each test.
//
// Under ctest, one server serves the whole run: the test `postgres_fixture_start`
// (FIXTURES_SETUP postgres, tests/CMakeLists.txt) starts it with postgres_server.sh and
// writes its address to <build>/postgres-fixture/server.env; `postgres_fixture_stop`
// stops it. A test binary run by hand finds no such server and starts a private one for
// the process, stopped at exit (and by the script's watcher if the process dies).
//
// Each test that asks gets a schema of its own in the database rosterd_tests (the
// connection's search_path names it), dropped when the test ends: about 1 ms to create
// and a few to drop, where a CREATE DATABASE took 25 to 280 ms on this machine (it
// copies and checkpoints a database) and made the PostgreSQL half of the store suite
// twice as slow (51 s against 24 s under ctest -j2). A test that needs a database of its own (the write lock is per database,
// and other test processes write into rosterd_tests at the same time) asks for one with
// create_database(). Where this machine cannot run PostgreSQL the server is
// unavailable() with the reason, and tests call GTEST_SKIP() with it
// (ROSTERD_REQUIRE_POSTGRES below): never silently.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_target.h"
#include "tests/support/subprocess.h"

namespace rosterd::testing {

class PostgresServer {
 public:
  // The server of this process's tests: ctest's shared one, else a private one.
  static PostgresServer& shared() {
    static PostgresServer server = find_or_start();
    return server;
  }
  // A server of the caller's own (tests that restart or stop it), stopped by the destructor.
  static std::unique_ptr<PostgresServer> start_private() {
    auto server = std::make_unique<PostgresServer>(start(private_state_dir()));
    return server;
  }

  PostgresServer(PostgresServer&& other) noexcept { *this = std::move(other); }
  PostgresServer& operator=(PostgresServer&& other) noexcept {
    settings_ = std::move(other.settings_);
    state_dir_ = std::move(other.state_dir_);
    owned_ = other.owned_;
    other.owned_ = false;
    return *this;
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer() {
    if (!owned_) return;
    run({"/bin/bash", kScript, "stop", state_dir_});
    std::error_code ec;
    std::filesystem::remove_all(state_dir_, ec);
  }

  bool available() const { return setting("unavailable").empty() && !setting("port").empty(); }
  std::string why_unavailable() const {
    const std::string why = setting("unavailable");
    return why.empty() ? "the PostgreSQL test server did not start" : why;
  }
  std::string port() const { return setting("port"); }
  std::string password() const { return setting("password"); }

  // How rosterd reaches `database` (the URL without the password, as in a configuration),
  // with `schema` first in the search path if given.
  PostgresTarget target(const std::string& database, const std::string& schema = {}) const {
    PostgresTarget t;
    t.url = "postgresql://" + setting("user") + "@127.0.0.1:" + port() + "/" + database;
    if (!schema.empty()) t.url += "?options=-csearch_path%3D" + schema;
    t.password = password();
    t.application_name = "rosterd-test";
    return t;
  }
  static constexpr const char* kTestDatabase = "rosterd_tests";  // made by postgres_server.sh

  // Runs `sql` on `database`; the error message, or "".
  std::string admin(const std::string& sql, const std::string& database = "postgres") const {
    auto conn = sql::PgConnection::connect(target(database));
    if (!conn) return conn.error().message;
    auto r = (*conn)->execute_script(sql);
    return r ? std::string() : r.error().message;
  }

  // A new, empty schema of rosterd_tests; dropped when the current test ends (or at exit).
  std::string create_schema() { return create("SCHEMA", kTestDatabase); }
  // A new, empty database; dropped when the current test ends (or at exit).
  std::string create_database() { return create("DATABASE", "postgres"); }

  void drop_created() {
    std::vector<std::pair<std::string, std::string>> created;
    {
      std::lock_guard lock(mutex_);
      created.swap(created_);
    }
    for (const auto& [kind, name] : created)
      (void)(kind == "SCHEMA" ? admin("DROP SCHEMA IF EXISTS " + name + " CASCADE", kTestDatabase)
                              : admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
  }

  // pg_ctl restart -m fast: every session is ended (57P01), the server is back when this
  // returns. Only for a private server: the shared one serves other test processes.
  bool restart() const { return pg_ctl("restart -m fast") == 0; }
  bool stop_server() const { return pg_ctl("stop -m fast") == 0; }
  bool start_server() const { return pg_ctl("start") == 0; }

  explicit PostgresServer(std::map<std::string, std::string> settings, std::string state_dir, bool owned)
      : settings_(std::move(settings)), state_dir_(std::move(state_dir)), owned_(owned) {}

 private:
  static constexpr const char* kScript = ROSTERD_PG_FIXTURE_SCRIPT;

  std::string create(const std::string& kind, const std::string& in_database) {
    static std::atomic<int> counter{0};
    const std::string name = "rosterd_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    // FILE_COPY: from an empty template it is three times as fast as WAL_LOG.
    const std::string sql = kind == "SCHEMA"
                                ? "CREATE SCHEMA " + name
                                : "CREATE DATABASE " + name + " TEMPLATE template0 STRATEGY FILE_COPY";
    const std::string error = admin(sql, in_database);
    if (!error.empty()) {
      ADD_FAILURE() << "cannot create a test " << kind << ": " << error;
      return name;
    }
    std::lock_guard lock(mutex_);
    created_.emplace_back(kind, name);
    return name;
  }

  std::string setting(const std::string& key) const {
    const auto it = settings_.find(key);
    return it == settings_.end() ? std::string() : it->second;
  }

  int pg_ctl(const std::string& args) const {
    const std::string data = setting("data_dir");
    std::string command = setting("bin") + "/pg_ctl -D " + data + "/cluster -w -t 60 -o '-p " + port() +
                          "' -l " + data + "/server.log " + args + " >/dev/null 2>&1";
    if (::geteuid() == 0) command = "runuser -u postgres -- " + command;
    return std::system(command.c_str());
  }

  static std::map<std::string, std::string> read_settings(const std::string& state_dir) {
    std::map<std::string, std::string> out;
    std::ifstream in(state_dir + "/server.env");
    for (std::string line; std::getline(in, line);)
      if (const auto eq = line.find('='); eq != std::string::npos)
        out[line.substr(0, eq)] = line.substr(eq + 1);
    return out;
  }

  static std::string private_state_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rosterd-pg-state-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }

  static PostgresServer start(const std::string& state_dir) {
    const auto r = run({"/bin/bash", kScript, "start", state_dir, std::to_string(::getpid())});
    auto settings = read_settings(state_dir);
    if (settings.empty()) settings["unavailable"] = "postgres_server.sh failed: " + r.err;
    return PostgresServer(std::move(settings), state_dir, true);
  }

  static PostgresServer find_or_start() {
    PostgresServer shared(read_settings(ROSTERD_PG_FIXTURE_STATE), ROSTERD_PG_FIXTURE_STATE, false);
    if (!shared.setting("unavailable").empty()) return shared;  // this machine cannot
    if (shared.available() && shared.admin("SELECT 1").empty()) return shared;
    return start(private_state_dir());
  }

  std::map<std::string, std::string> settings_;
  std::string state_dir_;
  bool owned_ = false;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> created_;  // kind, name
};

// Drops the schemas and databases a test created once it ends (its stores are closed by then).
class DropTestDatabases : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo&) override { PostgresServer::shared().drop_created(); }
};

inline void drop_at_test_end() {
  static const bool listening = [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new DropTestDatabases);
    return true;
  }();
  (void)listening;
}

// A fresh database on the shared server for the running test, or "" when the server is
// unavailable (the caller skips).
inline std::string fresh_postgres_database() {
  drop_at_test_end();
  PostgresServer& server = PostgresServer::shared();
  return server.available() ? server.create_database() : std::string();
}

// A fresh schema of rosterd_tests for the running test, or "" when the server is unavailable.
inline std::string fresh_postgres_schema() {
  drop_at_test_end();
  PostgresServer& server = PostgresServer::shared();
  return server.available() ? server.create_schema() : std::string();
}

// Why a test cannot have the shared server, as it tells the reader ("" if it can).
inline std::string postgres_unavailable() {
  PostgresServer& server = PostgresServer::shared();
  return server.available() ? std::string() : "PostgreSQL unavailable: " + server.why_unavailable();
}

// The schema of a test directory: created on first use (empty) and named in the
// directory's file postgres.schema, so that every store and connection a test opens on
// "its directory" meets the same tables, as SQLite's tests meet one file.
inline Result<std::string> postgres_schema_for(const std::filesystem::path& dir) {
  if (std::string why = postgres_unavailable(); !why.empty()) return fail(ErrorCode::Unavailable, why);
  const auto file = dir / "postgres.schema";
  std::string name;
  if (std::ifstream in(file); in) std::getline(in, name);
  if (name.empty()) {
    name = fresh_postgres_schema();
    std::ofstream(file) << name << "\n";
  }
  return name;
}
inline Result<PostgresTarget> postgres_target_for(const std::filesystem::path& dir) {
  auto schema = postgres_schema_for(dir);
  if (!schema) return tl::unexpected(schema.error());
  return PostgresServer::shared().target(PostgresServer::kTestDatabase, *schema);
}

// One schema's tables and rows as pg_dump prints them, to show that a refused open
// changed nothing.
inline std::string postgres_dump(const std::string& schema) {
  const PostgresServer& server = PostgresServer::shared();
  const std::string bin = "/usr/lib/postgresql/15/bin/pg_dump";
  const auto r = run({bin, "--no-owner", "--schema=" + schema,
                      "--dbname=" + server.target(PostgresServer::kTestDatabase).url},
                     {{"PGPASSWORD", server.password()}});
  if (r.exit_code != 0) return "pg_dump failed: " + r.err;
  // \restrict and \unrestrict carry a key pg_dump draws afresh each time.
  std::string out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.starts_with("\\restrict ") && !line.starts_with("\\unrestrict ")) out += line + "\n";
  return out;
}

}  // namespace rosterd::testing

// Skips the current test, saying why, when PostgreSQL cannot run here.
#define ROSTERD_REQUIRE_POSTGRES()                                                    \
  do {                                                                                \
    if (!::rosterd::testing::PostgresServer::shared().available())                    \
      GTEST_SKIP() << "PostgreSQL unavailable: "                                      \
                   << ::rosterd::testing::PostgresServer::shared().why_unavailable(); \
  } while (false)
