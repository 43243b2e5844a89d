// What /readyz, /metrics and /status show, read from the stores at the request: each
// source's read state and identity count, licence usage (the same query as `rosterd
// licences`), the seat queue, the last blocked plan and the newest audit events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/reconcile.h"
#include "core/space.h"
#include "core/timestamp.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/reconcile_store.h"

namespace rosterd::admin {

struct SourceInfo {
  std::string id, kind, space;  // kind: scim | ldap
};

struct SourceView {
  SourceInfo source;
  std::string status = "never";  // ok | failed | incomplete | never (SCIM sources: ok, they are pushed to)
  std::string error;
  std::optional<Timestamp> last_attempt, last_success;
  std::int64_t identities = 0;
  bool healthy = false;  // SCIM: always; a directory: its last read was good
  std::optional<Timestamp> failing_since;  // unhealthy: since when (filled by AdminRoutes)
};

// One read snapshot; an error when the store cannot be read.
Result<std::vector<SourceView>> read_sources(IdentityStore& identities, const std::vector<SourceInfo>& sources);

inline constexpr std::size_t kStatusAuditEvents = 20;

struct AccountsView {
  std::vector<LicenceUsage> licences;  // ordered by space, then licence type
  std::vector<std::pair<std::string, std::vector<SeatClaim>>> pending;  // spaces with a queue, ordered
  std::optional<StoredPlan> last_blocked;
  std::vector<AuditEntry> audit;  // the newest kStatusAuditEvents, newest first
};

Result<AccountsView> read_accounts(AccountStore& accounts);

}  // namespace rosterd::admin
