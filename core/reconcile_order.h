// The order of a plan: by group (promote, deactivate, suspend, delete, demote,
// change-licence, update, resume, reactivate, create), then — within change-licence —
// by wave, then by person and account id. Deterministic whatever order the steps
// produced the operations in. Internal to reconcile.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/operation.h"
#include "core/reconcile_draft.h"

namespace rosterd {

// The position of a group in a plan (0 = first); unknown groups last.
int plan_group_rank(std::string_view group);

// Where an operation goes in a plan. Views into the operation (or what it will be built
// from), so an operation can be placed before it exists.
struct PlanPosition {
  int group = 0;  // plan_group_rank()
  int wave = 0;
  std::string_view person;
  std::string_view target;  // operation_target()
};

PlanPosition plan_position(const Draft& draft);

// The indices of `positions` in plan order; equal positions keep their order.
std::vector<std::size_t> plan_order(const std::vector<PlanPosition>& positions);

}  // namespace rosterd
