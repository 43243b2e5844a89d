// Leavers: accounts a source of the space manages that no desired person claims. The
// space's on_leave policy says what happens to them (deactivate, suspend, delete with a
// handover; delete after delete_after_days in the policy's state). A source whose last
// read did not succeed does not prove anyone left: its accounts are left alone.
// Internal to reconcile.
#pragma once

#include <string>
#include <vector>

#include "core/reconcile_draft.h"
#include "core/reconcile_scope.h"

namespace rosterd {

LeaverPlan plan_leavers(const ReconcileScope& scope, const std::vector<const Account*>& leavers,
                        std::vector<std::string>& notes);

}  // namespace rosterd
