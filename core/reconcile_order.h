// The order of a plan: by group (promote, deactivate, suspend, delete, demote,
// change-licence, update, resume, reactivate, create), then — within change-licence —
// by wave, then by person and account id. Deterministic whatever order the steps
// produced the operations in. Internal to reconcile.
#pragma once

#include <string_view>
#include <vector>

#include "core/operation.h"
#include "core/reconcile_draft.h"

namespace rosterd {

// The position of a group in a plan (0 = first); unknown groups last.
int plan_group_rank(std::string_view group);

Plan order_plan(std::vector<Draft> drafts);

}  // namespace rosterd
