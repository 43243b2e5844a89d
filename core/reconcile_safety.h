// The reasons a plan must not be applied without an administrator's review: too many
// destructive operations, a source that failed or came back empty, a space left without
// an active owner. reconcile() still returns the whole plan; these only flag it.
// Internal to reconcile.
#pragma once

#include <cstddef>
#include <vector>

#include "core/operation.h"
#include "core/reconcile.h"
#include "core/reconcile_scope.h"

namespace rosterd {

// `plan` in the order it will be applied; `destructive` its destructive operations.
std::vector<PlanBlock> safety_blocks(const ReconcileScope& scope, const Plan& plan,
                                     std::size_t destructive);

}  // namespace rosterd
