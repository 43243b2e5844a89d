// A test helper process: applies COUNT creates (emails PREFIX-N@stress.example) to the
// SQLite store at DB, PER_TX per transaction, then exits 0. The integration tests run
// two at once on one file, or kill one mid-way, and check what the file holds.
//   store_stress DB PREFIX COUNT PER_TX
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/sqlite/open_sqlite_store.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: store_stress DB PREFIX COUNT PER_TX\n");
    return 2;
  }
  const std::string db = argv[1], prefix = argv[2];
  const long count = std::atol(argv[3]), per_tx = std::atol(argv[4]);
  auto store = rosterd::open_sqlite_store(db, {});
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 3;
  }
  rosterd::Space space{"stress", {{"recruiter", 1000000}}, ""};
  if (auto r = (*store)->configure_spaces({&space, 1}); !r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 3;
  }
  for (long done = 0; done < count; done += per_tx) {
    rosterd::Plan plan;
    for (long i = done; i < std::min(count, done + per_tx); ++i) {
      rosterd::CreateOp op;
      op.space = "stress";
      op.email = prefix + "-" + std::to_string(i) + "@stress.example";
      op.given_name = "Given";
      op.family_name = prefix;
      op.role = "recruiter";
      op.licence = "recruiter";
      rosterd::PlannedOperation planned;
      planned.op = std::move(op);
      planned.reason = "stress";
      plan.operations.push_back(std::move(planned));
    }
    auto outcome = (*store)->apply_plan(plan, rosterd::Actor::source("stress"), std::size_t(per_tx));
    if (!outcome || !outcome->refused.empty()) {
      std::fprintf(stderr, "apply failed: %s\n",
                   outcome ? outcome->refused.front().second.message.c_str() : outcome.error().message.c_str());
      return 1;
    }
  }
  return 0;
}
