// The outbox as the webhook sender and the administrator see it: events waiting for the
// platform, claimed in order, their delivery attempts recorded, listed, retried, dropped.
// The events themselves are written by AccountStore::apply (same transaction as the
// change); this interface only moves them through their delivery states:
//
//   pending --2xx--> delivered
//   pending --network error, timeout, 408, 429, 5xx--> pending (attempts+1, next_attempt_at later)
//   pending --other status, or too many attempts--> dead
//   dead --retry--> pending (attempts 0, due now);  pending|dead --drop--> removed
//
// Implemented over store/sql (SqlOutboxStore), on its own connection: the sender runs on
// a thread of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"

namespace rosterd {

// An outbox row as the account store lists it (AccountStore::outbox).
struct OutboxEntry {
  std::int64_t seq = 0;
  std::string event_id;
  std::string type;
  std::string space;
  std::string account_id;
  std::string payload;  // JSON, as it will be sent
  std::string state;    // pending | delivered | dead
  int attempts = 0;     // attempts made so far
  Timestamp created_at{};
};

// The same row with its delivery state, as the sender works with it.
struct OutboxEvent : OutboxEntry {
  Timestamp next_attempt_at{};               // pending: not sent before this
  std::optional<Timestamp> last_attempt_at;  // none before the first attempt
  std::string last_error;                    // "" after a delivery
};

enum class AttemptResult { Delivered, Retry, Dead };

// What one delivery attempt of an event came to.
struct AttemptOutcome {
  std::string event_id;
  AttemptResult result = AttemptResult::Retry;
  Timestamp attempted_at{};
  Timestamp next_attempt_at{};  // Retry only
  std::string error;            // Retry and Dead: what went wrong (never a secret)
};

struct OutboxCounts {
  std::int64_t pending = 0, delivered = 0, dead = 0;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // The pending events of `space` that are due at `now` and whose account has no
  // earlier pending event (so one account's events go out one at a time, in order;
  // a dead event does not hold back the later ones), oldest first, at most `limit`.
  // Each is leased until `lease_until` (its next_attempt_at moves there) in the same
  // transaction: another sender skips it, and after a crash it is sent again once the
  // lease has passed (with the same event id). At most one event per account.
  virtual Result<std::vector<OutboxEvent>> claim_due(std::string_view space, Timestamp now,
                                                     Timestamp lease_until, std::size_t limit) = 0;
  // Records the outcomes of attempts, in one transaction. An event that is no longer
  // pending (dropped or retried by the administrator meanwhile) is left as it is.
  virtual Result<void> record_attempts(std::span<const AttemptOutcome> outcomes) = 0;

  // Oldest first; of one state when given; limit 0 = all.
  virtual Result<std::vector<OutboxEvent>> outbox_events(std::optional<std::string_view> state,
                                                         std::size_t limit) = 0;
  virtual Result<std::optional<OutboxEvent>> outbox_event(std::string_view event_id) = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
  // Read-only: the events of `space` of one `type` with a seq above `after_seq`, in seq
  // order, whatever their delivery state, at most `limit` (the invitation sender's feed).
  virtual Result<std::vector<OutboxEvent>> events_after(std::string_view space, std::string_view type,
                                                        std::int64_t after_seq, std::size_t limit) = 0;

  // A dead event back to pending, due at `now`, attempts reset. NotFound for an unknown
  // id, PreconditionFailed for an event that is not dead.
  virtual Result<void> retry_event(std::string_view event_id, Timestamp now) = 0;
  // Every dead event back to pending; returns how many.
  virtual Result<std::size_t> retry_dead(Timestamp now) = 0;
  // Removes a pending or dead event (the audit log keeps what happened). NotFound for an
  // unknown id, PreconditionFailed for a delivered one.
  virtual Result<void> drop_event(std::string_view event_id) = 0;
};

}  // namespace rosterd
