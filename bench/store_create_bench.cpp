// Applies N Create operations to a fresh SQLite store through the AccountStore interface,
// K operations per transaction, and prints operations per second and peak RSS. With
// --raw it inserts the same number of bare account rows with the SQLite C API instead
// (same pragmas, same transaction size): the reference the store is compared with.
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
    plan.operations.push_back({std::move(op), "benchmark"});
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

int run_raw(const std::string& db, long count, long per_tx) {
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) return 1;
  sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE accounts (id TEXT PRIMARY KEY, space TEXT, email TEXT, email_key TEXT,"
               " given_name TEXT, family_name TEXT, role TEXT, licence TEXT, state TEXT, team TEXT);"
               "CREATE UNIQUE INDEX accounts_email ON accounts (space, email_key);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(h, "INSERT INTO accounts VALUES (?1, 'bench', ?2, ?2, ?3, 'Family',"
                        " 'recruiter', 'recruiter', 'invited', ?4)", -1, &insert, nullptr);
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    if (i % per_tx == 0) sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    const std::string id = "id-" + std::to_string(i);
    const std::string email = "user" + std::to_string(i) + "@bench.example";
    const std::string given = "Given" + std::to_string(i);
    const std::string team = "Team " + std::to_string(i % 50);
    sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, email.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, given.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, team.c_str(), -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) return 1;
    sqlite3_reset(insert);
    if ((i + 1) % per_tx == 0 || i + 1 == count) sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(insert);
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
