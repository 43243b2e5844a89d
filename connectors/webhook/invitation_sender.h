// The invitation sender: on a thread of its own, emails an invitation for each
// account.created event of the spaces that ask rosterd to (invitations.smtp), instead of
// the platform. Each pass, per space: the outbox events not seen yet (by seq) become
// pending rows of the invitations table (store/invitation_store.h), then the due ones are
// leased, sent one after the other (smtp_client.h) and their outcome recorded. The state
// is in the store: a restart neither loses an invitation nor sends one again, except the
// one in flight when the process died (sent again once its lease has passed).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "connectors/webhook/curl_handles.h"
#include "connectors/webhook/retry_policy.h"
#include "connectors/webhook/smtp_client.h"
#include "connectors/webhook/webhook_sender.h"
#include "store/invitation_store.h"
#include "store/outbox_store.h"

namespace rosterd::webhook {

// Where and how one space's invitations go.
struct InvitationTarget {
  std::string space;
  std::string from;
  SmtpServer server;
  RetryPolicy retry;
};

struct InvitationSenderOptions {
  std::size_t batch = 16;  // invitations leased at once per space (sent one at a time)
  std::size_t feed = 500;  // outbox events read at once per space
  std::chrono::milliseconds idle_poll{500};
  std::function<Timestamp()> clock;  // default: the system clock
  // Whether this process may send (only the leader of several rosterd on one database),
  // asked before each pass, each space and each email; empty: always.
  std::function<bool()> is_leader;
};

struct InvitationCounts {
  std::uint64_t sent = 0, retried = 0, dead = 0, store_errors = 0;
};

class InvitationSender {
 public:
  InvitationSender(std::unique_ptr<OutboxStore> outbox, std::unique_ptr<InvitationStore> store,
                   std::vector<InvitationTarget> targets, InvitationSenderOptions options, SenderLog log);
  ~InvitationSender();  // stop()
  InvitationSender(const InvitationSender&) = delete;
  InvitationSender& operator=(const InvitationSender&) = delete;

  void start();
  // Returns once the thread has ended: the email being sent is finished and recorded.
  void stop();
  // New servers, senders and passwords (SIGHUP), used from the next pass on. A space
  // without a target any more keeps its pending invitations until one comes back.
  void replace_targets(std::vector<InvitationTarget> targets);
  InvitationCounts counts() const;

  // One pass over every space on the calling thread: the number of emails attempted.
  Result<std::size_t> run_once();

 private:
  void loop();
  bool stopping() const;
  bool leads() const { return !options_.is_leader || options_.is_leader(); }
  Result<std::size_t> serve_space(const InvitationTarget& target);
  AttemptOutcome send_one(const InvitationTarget& target, const Invitation& invitation);

  CurlGlobal curl_;
  std::unique_ptr<OutboxStore> outbox_;
  std::unique_ptr<InvitationStore> store_;
  InvitationSenderOptions options_;
  SenderLog log_;
  std::mt19937_64 jitter_{std::random_device{}()};

  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::shared_ptr<const std::vector<InvitationTarget>> targets_;  // under mutex_
  // When the targets in force were given: InvitationStore::keep_starts is told on the
  // next pass, so that a space turned on then starts with the events made from then on.
  std::optional<Timestamp> targets_since_;                         // under mutex_
  bool stopping_ = false;                                         // under mutex_
  bool woken_ = false;                                            // under mutex_
  std::thread thread_;

  std::atomic<std::uint64_t> sent_{0}, retried_{0}, dead_{0}, store_errors_{0};
};

}  // namespace rosterd::webhook
