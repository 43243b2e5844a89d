// Applies N Create operations to a fresh SQLite store through the AccountStore interface,
// K operations per transaction, and prints operations per second and peak RSS. With
// --raw it writes the same rows with bare SQLite C API statements instead
// (same schema, pragmas and transaction size): the reference the store is compared with.
//
//   store_create_bench --db /tmp/b.db --count 100000 --per-transaction 1000 [--raw]
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "store/random_id.h"
#include "store/sqlite/open_sqlite_store.h"

namespace {

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int run_store(const std::string& db, long count, long per_tx) {
  auto store = rosterd::open_sqlite_store(db, {});
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  rosterd::Space space{"bench", {{"recruiter", count}}, ""};
  if (auto r = (*store)->configure_spaces({&space, 1}); !r) return 1;
  rosterd::Plan plan;
  plan.operations.reserve(static_cast<std::size_t>(count));
  for (long i = 0; i < count; ++i) {
    rosterd::CreateOp op;
    op.space = "bench";
    op.email = "user" + std::to_string(i) + "@bench.example";
    op.given_name = "Given" + std::to_string(i);
    op.family_name = "Family";
    op.role = "recruiter";
    op.licence = "recruiter";
    op.team = "Team " + std::to_string(i % 50);
    rosterd::PlannedOperation planned;
    planned.op = std::move(op);
    planned.reason = "benchmark";
    plan.operations.push_back(std::move(planned));
  }
  const auto start = std::chrono::steady_clock::now();
  auto outcome = (*store)->apply_plan(plan, rosterd::Actor::operator_named("bench"),
                                      static_cast<std::size_t>(per_tx));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!outcome || outcome->applied != static_cast<std::size_t>(count)) {
    std::fprintf(stderr, "apply failed: %s\n",
                 outcome ? "some operations were refused" : outcome.error().message.c_str());
    return 1;
  }
  std::printf("store  count=%ld per_tx=%ld seconds=%.2f ops_per_s=%.0f peak_rss_mib=%.1f\n", count,
              per_tx, seconds, double(count) / seconds, double(peak_rss_kib()) / 1024.0);
  return 0;
}

// The reference: the same rows the store writes for a create (the account, the licence
// counter, an audit row and an outbox row of similar size, random UUID keys, the same
// schema and pragmas), written with bare prepared statements and no rosterd logic.
int run_raw(const std::string& db, long count, long per_tx) {
  {
    auto store = rosterd::open_sqlite_store(db, {});  // creates the same schema
    if (!store) return 1;
    rosterd::Space space{"bench", {{"recruiter", count}}, ""};
    if (!(*store)->configure_spaces({&space, 1})) return 1;
  }
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) return 1;
  sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;",
               nullptr, nullptr, nullptr);
  const char* sql[] = {
      "INSERT INTO accounts (id, space, email, email_key, given_name, family_name, role, licence,"
      " state, managed_by, team, created_at, updated_at, version) VALUES (?1, 'bench', ?2, ?2, ?3,"
      " 'Family', 'recruiter', 'recruiter', 'invited', 'manual', ?4, ?5, ?5, 1)",
      "UPDATE licence_pools SET used = used + 1 WHERE space = 'bench' AND licence = 'recruiter'",
      "INSERT INTO audit (at, actor, operation, event, event_id, space, account_id, email, reason,"
      " details) VALUES (?5, 'operator:bench', 'create', 'account.created', ?6, 'bench', ?1, ?2,"
      " 'benchmark', '{\"role\":\"recruiter\",\"licence\":\"recruiter\"}')",
      "INSERT INTO outbox (event_id, type, space, account_id, payload, created_at, next_attempt_at)"
      " VALUES (?6, 'account.created', 'bench', ?1, ?7, ?5, ?5)"};
  sqlite3_stmt* stmts[4] = {};
  for (int i = 0; i < 4; ++i)
    if (sqlite3_prepare_v2(h, sql[i], -1, &stmts[i], nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "%s\n", sqlite3_errmsg(h));
      return 1;
    }
  auto ids = rosterd::make_random_id_generator();
  const std::string payload(620, 'x');  // the size of a create event's JSON payload
  const std::string now = "2026-11-23T00:00:00.000Z";
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    if (i % per_tx == 0) sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    const std::string id = ids(), event = ids();
    const std::string email = "user" + std::to_string(i) + "@bench.example";
    const std::string given = "Given" + std::to_string(i);
    const std::string team = "Team " + std::to_string(i % 50);
    const std::string* values[] = {&id, &email, &given, &team, &now, &event, &payload};
    for (auto* s : stmts) {
      for (int p = 1; p <= sqlite3_bind_parameter_count(s); ++p)
        sqlite3_bind_text(s, p, values[p - 1]->c_str(), -1, SQLITE_STATIC);
      if (sqlite3_step(s) != SQLITE_DONE) {
        std::fprintf(stderr, "%s\n", sqlite3_errmsg(h));
        return 1;
      }
      sqlite3_reset(s);
    }
    if ((i + 1) % per_tx == 0 || i + 1 == count) sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto* s : stmts) sqlite3_finalize(s);
  sqlite3_close(h);
  std::printf("raw    count=%ld per_tx=%ld seconds=%.2f ops_per_s=%.0f peak_rss_mib=%.1f\n", count,
              per_tx, seconds, double(count) / seconds, double(peak_rss_kib()) / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "/tmp/rosterd-bench.db";
  long count = 100000, per_tx = 1;
  bool raw = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) db = argv[++i];
    else if (a == "--count" && i + 1 < argc) count = std::atol(argv[++i]);
    else if (a == "--per-transaction" && i + 1 < argc) per_tx = std::atol(argv[++i]);
    else if (a == "--raw") raw = true;
    else {
      std::fprintf(stderr, "usage: %s [--db PATH] [--count N] [--per-transaction K] [--raw]\n", argv[0]);
      return 2;
    }
  }
  if (count <= 0 || per_tx <= 0) return 2;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  return raw ? run_raw(db, count, per_tx) : run_store(db, count, per_tx);
}
