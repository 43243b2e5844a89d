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

// What became of one need.
struct SeatOutcome {
  SeatNeed* need = nullptr;
  bool granted = false;
  int wave = 0;  // a granted change of licence type: its wave within change-licence
};

struct SeatAllocation {
  // Every need, in priority order: those granted go in the plan with their operation,
  // the others with their fallback, if any.
  std::vector<SeatOutcome> outcomes;
  std::vector<PendingSeat> pending;  // by licence type, then place in the queue
  std::vector<SeatClaim> queue;      // the same, as the queue to persist
  std::vector<LicenceUsage> usage_before, usage_after;
};

// `needs` is borrowed: the outcomes point into it.
SeatAllocation allocate_seats(const ReconcileScope& scope,
                              const std::map<std::string, std::int64_t>& freed,
                              std::vector<SeatNeed>& needs);

}  // namespace rosterd
