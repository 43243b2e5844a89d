// Licence quotas: who of those needing a seat gets one in this plan. Current holders keep
// theirs; seats the plan frees (deactivate, delete, a holder's licence changed away) go
// to the waiting in priority order — rule order, then how long they have been waiting,
// then first seen, then person. The others wait with their place in the queue. Internal
// to reconcile.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/reconcile.h"
#include "core/reconcile_draft.h"
#include "core/reconcile_scope.h"

namespace rosterd {

struct SeatAllocation {
  // The operations of those who got their seat (changes of licence type with their wave)
  // and the fallbacks of those who did not.
  std::vector<Draft> drafts;
  std::vector<PendingSeat> pending;  // by licence type, then place in the queue
  std::vector<SeatClaim> queue;      // the same, as the queue to persist
  std::vector<LicenceUsage> usage_before, usage_after;
};

SeatAllocation allocate_seats(const ReconcileScope& scope,
                              const std::map<std::string, std::int64_t>& freed,
                              std::vector<SeatNeed> needs);

}  // namespace rosterd
