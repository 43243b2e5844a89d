// The account store: the one interface through which everything in rosterd reads and
// changes accounts. Implemented once over the shared SQL layer (store/sql) for SQLite
// and PostgreSQL. Every apply is atomic: the account rows, the licence counters, the
// audit rows and the outbox rows of one operation are written together or not at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/error.h"
#include "core/operation.h"
#include "core/space.h"
#include "core/timestamp.h"
#include "core/transition.h"
#include "store/outbox_store.h"

namespace rosterd {

class ReconcileStore;  // store/reconcile_store.h

struct AccountFilter {
  std::optional<std::string> space, role, licence, team, managed_by;
  std::optional<AccountState> state;
  std::optional<std::string> search;  // substring of email, given or family name (case-insensitive)
  bool include_deleted = false;
};

struct AuditEntry {
  std::int64_t seq = 0;
  Timestamp at{};
  std::string actor;      // Actor::label()
  std::string operation;  // "create", "delete", ...
  std::string event;      // "account.created", ...
  std::string event_id;
  std::string space;
  std::string account_id;
  std::string email;  // the account's email when the event happened
  std::string reason;
  std::vector<std::pair<std::string, std::string>> details;
};

struct AuditQuery {
  std::optional<Timestamp> since;
  std::optional<std::string> space;
  std::optional<std::string> account_id;
  std::size_t limit = 0;  // 0 = no limit; the newest `limit` rows, still in order
};

struct Applied {
  Transition transition;  // what was written (empty accounts: nothing changed)
};

struct PlanOutcome {
  std::size_t applied = 0;
  std::size_t unchanged = 0;
  // Operations refused by an invariant or invalid: index in the plan and why. The
  // other operations of the plan are applied regardless.
  std::vector<std::pair<std::size_t, Error>> refused;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Makes the store's spaces and licence totals match the configuration. Seats in use
  // are never changed; a quota lowered below its use only stops new seats.
  virtual Result<void> configure_spaces(std::span<const Space> spaces) = 0;
  virtual Result<std::vector<Space>> spaces() = 0;

  virtual Result<std::optional<Account>> account(std::string_view id) = 0;
  // Accounts with this email (case-insensitive), deleted ones excluded; in every
  // space unless `space` is given.
  virtual Result<std::vector<Account>> accounts_by_email(std::string_view email,
                                                         std::optional<std::string_view> space) = 0;
  // Ordered by space, then email.
  virtual Result<std::vector<Account>> accounts(const AccountFilter& filter) = 0;
  // Ordered by space, then licence type.
  virtual Result<std::vector<LicenceUsage>> licence_usage() = 0;

  // One operation, one transaction.
  virtual Result<Applied> apply(const Operation& op, const Actor& actor,
                                std::string_view reason) = 0;
  // Many operations, `per_transaction` to a transaction (at least 1). Each operation is
  // still all-or-nothing (a savepoint each); a crash loses at most the open batch.
  // An operation with a `source` is applied as Actor::source(source), not as `actor`
  // (so the invariants see the source that planned it); its `rule` and `details` are
  // added to the details of the events it writes (audit and outbox), after the event's
  // own facts, which they never replace.
  virtual Result<PlanOutcome> apply_plan(const Plan& plan, const Actor& actor,
                                         std::size_t per_transaction) = 0;

  virtual Result<std::vector<AuditEntry>> audit(const AuditQuery& query) = 0;
  virtual Result<std::vector<OutboxEntry>> outbox(std::optional<std::string_view> state,
                                                  std::size_t limit) = 0;

  // The plans, seat queue, source states and audit verification of the same database,
  // through the same connection (so not from another thread either).
  virtual ReconcileStore& reconcile() = 0;
};

}  // namespace rosterd
