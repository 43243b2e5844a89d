// Invitation emails that rosterd sends itself (spaces with invitations.smtp): one row per
// account.created event of the outbox, moved through its delivery states by the
// invitation sender (connectors/webhook/invitation_sender.h):
//
//   (outbox account.created, not yet seen) --add_invitations--> pending
//   pending --sent--> sent;  pending --4xx, network error--> pending (attempts+1, later)
//   pending --5xx, or too many attempts--> dead
//
// The sender fills the table itself from the outbox (OutboxStore::events_after, from
// last_seen_seq on), so a restart neither loses an invitation nor sends one again (at most
// the one in flight when the process died, once its lease has passed).
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
#include "store/outbox_store.h"

namespace rosterd {

struct Invitation {
  std::string event_id;
  std::string space;
  std::string account_id;
  std::string state;  // pending | sent | dead
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;
  std::optional<Timestamp> sent_at;
  std::string payload;  // the outbox event's JSON (claim_due only; "" if the event was dropped)
};

class InvitationStore {
 public:
  virtual ~InvitationStore() = default;

  // The spaces that send invitations now. A space new to the list starts after the
  // outbox events created before `enabled_at`: turning invitations on does not mail every
  // account that already exists. A space no longer listed is forgotten, so turning them
  // on again later starts afresh too.
  virtual Result<void> keep_starts(std::span<const std::string> spaces, Timestamp enabled_at) = 0;
  // The highest outbox seq of `space` already recorded or before its start (0 when none).
  virtual Result<std::int64_t> last_seen_seq(std::string_view space) = 0;
  // Records account.created events as pending invitations due at `now`, in one
  // transaction; an event already recorded is left as it is.
  virtual Result<void> add_invitations(std::span<const OutboxEvent> events, Timestamp now) = 0;
  // The pending invitations of `space` due at `now`, oldest first, at most `limit`, each
  // leased until `lease_until` in the same transaction.
  virtual Result<std::vector<Invitation>> claim_due(std::string_view space, Timestamp now,
                                                    Timestamp lease_until, std::size_t limit) = 0;
  // Delivered = sent. Only pending rows change.
  virtual Result<void> record_sends(std::span<const AttemptOutcome> outcomes) = 0;
  // Every invitation, oldest first (the administrator, tests).
  virtual Result<std::vector<Invitation>> invitations() = 0;
};

}  // namespace rosterd
