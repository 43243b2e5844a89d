// What a desired person's account needs: a create when they have none; otherwise resume
// or reactivate, and one update with the profile fields, role, team and licence that
// differ. Operations that take a seat (create, reactivate, a change of licence type of a
// seat holder) become SeatNeeds for the allocation; the rest are planned directly.
// Internal to reconcile.
#pragma once

#include <string>
#include <vector>

#include "core/reconcile_draft.h"
#include "core/reconcile_matching.h"
#include "core/reconcile_scope.h"

namespace rosterd {

ChangePlan plan_changes(const ReconcileScope& scope, const std::vector<Pairing>& pairs,
                        const LeaverPlan& leavers, std::vector<std::string>& notes);

// The create of a need whose seat is granted (a create need has no operation before),
// made in place: `out` is a default-made operation in the plan.
void build_create(const ReconcileScope& scope, const SeatNeed& need, PlannedOperation& out);

}  // namespace rosterd
