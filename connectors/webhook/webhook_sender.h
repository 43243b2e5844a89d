// The outbox sender: on a thread of its own, takes the due events of each space that has a
// webhook (OutboxStore::claim_due: oldest first, one at a time per account), POSTs them
// signed to the space's URL, and records each attempt's outcome (retry_policy.h) in the
// store, where the delivery state survives a restart. Spaces are served in turn, one batch
// each, so one space's backlog does not hold the others back.
//
// Each request carries:
//   Content-Type: application/json          the stored payload, byte for byte
//   X-Rosterd-Event-Id / Idempotency-Key    the event id: a receiver that sees it twice
//                                           (a retry after a lost answer, a restart
//                                           after a crash) keeps the first
//   X-Rosterd-Event-Type                    account.created, licence.changed, ...
//   X-Rosterd-Signature: t=...,v1=...       signature.h
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "connectors/webhook/curl_handles.h"
#include "connectors/webhook/http_batch.h"
#include "connectors/webhook/retry_policy.h"
#include "connectors/webhook/webhook_secret.h"
#include "store/outbox_store.h"

namespace rosterd::webhook {

// Where and how one space's events go.
struct WebhookTarget {
  std::string space;
  std::string url;
  WebhookSecret secret;
  HttpLimits limits;
  RetryPolicy retry;
};

struct SenderOptions {
  // Events claimed at once per space, and sent in parallel (they are of different accounts).
  std::size_t batch = 16;
  // How often an idle sender looks for new events (other processes, such as the CLI,
  // write events too); wake() makes it look at once.
  std::chrono::milliseconds idle_poll{200};
  std::function<Timestamp()> clock;  // default: the system clock
  // Whether this process may send (several rosterd on one database: only the leader
  // sends), asked before each batch; empty: always.
  std::function<bool()> is_leader;
};

// The log, passed in: (level, event name, space, event id, message). Never given a secret.
using SenderLog = std::function<void(std::string_view level, std::string_view event,
                                     std::string_view space, std::string_view event_id,
                                     std::string_view message)>;

struct SenderCounts {
  std::uint64_t delivered = 0, retried = 0, dead = 0, store_errors = 0;
};

class WebhookSender {
 public:
  WebhookSender(std::unique_ptr<OutboxStore> store, std::vector<WebhookTarget> targets,
                SenderOptions options, SenderLog log);
  ~WebhookSender();  // stop()
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void start();
  // Returns once the thread has ended: the batch in flight is finished and recorded
  // first, which its timeouts bound.
  void stop();
  // New URLs, secrets and limits (SIGHUP), used from the next batch on. The events of a
  // space that has no target any more stay pending until one comes back.
  void replace_targets(std::vector<WebhookTarget> targets);
  void wake();
  SenderCounts counts() const;

  // One batch for each space, on the calling thread (tests, benchmarks, and the thread's
  // loop): the number of events attempted, or the store's error.
  Result<std::size_t> run_once();

 private:
  void loop();
  Result<std::size_t> send_batch(const WebhookTarget& target);
  std::vector<HttpPost> requests(const WebhookTarget& target, const std::vector<OutboxEvent>& events);

  CurlGlobal curl_;
  std::unique_ptr<OutboxStore> store_;
  SenderOptions options_;
  SenderLog log_;
  HttpBatch http_;
  std::mt19937_64 jitter_{std::random_device{}()};

  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::shared_ptr<const std::vector<WebhookTarget>> targets_;  // under mutex_
  bool stopping_ = false;                                      // under mutex_
  bool woken_ = false;                                         // under mutex_
  std::thread thread_;

  std::atomic<std::uint64_t> delivered_{0}, retried_{0}, dead_{0}, store_errors_{0};
};

}  // namespace rosterd::webhook
