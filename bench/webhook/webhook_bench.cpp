// The webhook sender's throughput (bench/webhook/run_webhook_bench.sh):
//   webhook_bench seed  --db PATH --count N        N pending events of N accounts, payloads
//                                                  the size of real ones (~650 bytes)
//   webhook_bench drain --db PATH --url URL        the real sender (OutboxStore + signing +
//                                                  libcurl), one thread, until nothing is pending
//   webhook_bench http  --url URL --count N        the reference: the same POSTs through the
//                                                  same transport (HttpBatch), no store, no signing
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "connectors/webhook/http_batch.h"
#include "connectors/webhook/webhook_sender.h"
#include "store/sql/migrations.h"
#include "store/sql/statements.h"
#include "store/sql/transaction.h"
#include "store/sqlite/open_sqlite_outbox_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace {

using namespace rosterd;
using Clock = std::chrono::steady_clock;

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 2; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return fallback;
}

// The shape of store/sql/account_rows.cpp's event_payload, with typical values.
std::string payload(std::size_t i) {
  const std::string n = std::to_string(i);
  return R"({"id":"00000000-0000-4000-8000-)" + std::string(12 - std::min<std::size_t>(n.size(), 12), '0') + n +
         R"(","type":"account.created","occurred_at":"2026-11-24T10:00:00.000Z","space":"bench","reason":"rule recruiters",)"
         R"("account":{"id":"a-)" + n + R"(","space":"bench","email":"person)" + n + R"(@bench.example","given_name":"Given",)"
         R"("family_name":"Family","title":"Recruiter","phone":"","team":"Talent","country":"FR","language":"fr",)"
         R"("role":"recruiter","licence":"recruiter","state":"invited","managed_by":"corp","successor":null,)"
         R"("created_at":"2026-11-24T10:00:00.000Z","updated_at":"2026-11-24T10:00:00.000Z"},)"
         R"("details":{"rule":"recruiters","source":"corp"}})";
}

int seed(const std::string& db, std::size_t count) {
  auto conn = sql::SqliteConnection::open(db);
  if (!conn || !sql::migrate(**conn)) return std::fprintf(stderr, "cannot open %s\n", db.c_str()), 1;
  auto tx = sql::Transaction::begin(**conn);
  // Due now (the sender compares next_attempt_at, which starts at created_at, with its clock).
  const std::string at = format_timestamp(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  for (std::size_t i = 0; i < count; ++i) {
    const std::string n = std::to_string(i), id = "00000000-0000-4000-8000-" + std::string(12 - n.size(), '0') + n;
    const std::string body = payload(i), account = "a-" + n;
    if (!(*conn)->execute(sql::stmt::kInsertOutbox, {id, "account.created", "bench", account, body, at}))
      return std::fprintf(stderr, "insert failed\n"), 1;
  }
  if (!tx || !tx->commit()) return std::fprintf(stderr, "commit failed\n"), 1;
  std::printf("seeded %zu pending events\n", count);
  return 0;
}

int drain(const std::string& db, const std::string& url, std::size_t batch) {
  auto store = open_sqlite_outbox_store(db);
  if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
  OutboxStore& outbox = **store;
  const auto before = outbox.outbox_counts();
  webhook::WebhookTarget target;
  target.space = "bench";
  target.url = url;
  target.secret = webhook::WebhookSecret("bench-secret");
  target.limits.allow_http = true;
  webhook::SenderOptions options;
  options.batch = batch;
  auto reopened = open_sqlite_outbox_store(db);
  if (!reopened) return std::fprintf(stderr, "%s\n", reopened.error().message.c_str()), 1;
  webhook::WebhookSender sender(std::move(*reopened), {target}, options,
                                [](auto level, auto event, auto, auto id, auto message) {
                                  std::fprintf(stderr, "%.*s %.*s %.*s %.*s\n", int(level.size()), level.data(),
                                               int(event.size()), event.data(), int(id.size()), id.data(),
                                               int(message.size()), message.data());
                                });
  const auto start = Clock::now();
  std::size_t attempted = 0;
  for (;;) {
    auto n = sender.run_once();
    if (!n) return std::fprintf(stderr, "%s\n", n.error().message.c_str()), 1;
    if (*n == 0) break;
    attempted += *n;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto counts = sender.counts();
  const auto after = outbox.outbox_counts();
  std::printf("sender: %zu attempts, %llu delivered, %llu retried, %llu dead in %.2f s: %.0f events/s "
              "(batch %zu; pending %lld -> %lld)\n",
              attempted, static_cast<unsigned long long>(counts.delivered),
              static_cast<unsigned long long>(counts.retried), static_cast<unsigned long long>(counts.dead),
              seconds, static_cast<double>(counts.delivered) / seconds, batch,
              static_cast<long long>(before ? before->pending : -1), static_cast<long long>(after ? after->pending : -1));
  return 0;
}

int http(const std::string& url, std::size_t count, std::size_t batch) {
  webhook::HttpBatch client(batch);
  std::vector<webhook::HttpPost> posts(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    posts[i].url = url;
    posts[i].body = payload(i);
    posts[i].headers = {"Content-Type: application/json"};
    posts[i].limits.allow_http = true;
  }
  const auto start = Clock::now();
  std::size_t ok = 0;
  for (std::size_t done = 0; done < count; done += batch)
    for (const auto& a : client.post_all(posts)) ok += a.status == 200 ? 1 : 0;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("transport alone (HttpBatch, %zu in parallel, no store, no signature): %zu POSTs in %.2f s: %.0f/s\n",
              batch, ok, seconds, static_cast<double>(ok) / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const auto batch = static_cast<std::size_t>(std::stoul(arg(argc, argv, "batch", "16")));
  if (mode == "seed") return seed(arg(argc, argv, "db"), std::stoul(arg(argc, argv, "count", "100000")));
  if (mode == "drain") return drain(arg(argc, argv, "db"), arg(argc, argv, "url"), batch);
  if (mode == "http") return http(arg(argc, argv, "url"), std::stoul(arg(argc, argv, "count", "100000")), batch);
  std::fprintf(stderr, "usage: webhook_bench seed|drain|http --db PATH --url URL --count N [--batch N]\n");
  return 2;
}
