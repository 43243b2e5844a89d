// reconcile() in steps, each in a file of its own: match accounts to desired persons
// (reconcile_matching), plan the leavers (reconcile_leavers) and the desired persons'
// changes (reconcile_changes), give seats within the quotas (reconcile_seats), order the
// plan (reconcile_order) and flag what needs a review (reconcile_safety).
#include "core/reconcile.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "core/reconcile_changes.h"
#include "core/reconcile_leavers.h"
#include "core/reconcile_matching.h"
#include "core/reconcile_order.h"
#include "core/reconcile_owners.h"
#include "core/reconcile_safety.h"
#include "core/reconcile_scope.h"
#include "core/reconcile_seats.h"

namespace rosterd {
namespace {

// The seats the plan gives back before anyone takes one. An operation that takes away the
// last owner is in the plan (and blocks it) but decide() will refuse it: its seat is not
// given to anyone, so that an approved plan does not fail further on for want of it.
std::map<std::string, std::int64_t> seats_given_back(const ReconcileScope& scope,
                                                     const LeaverPlan& leavers,
                                                     std::vector<SeatNeed>& needs,
                                                     const std::vector<Draft>& changes) {
  std::vector<Draft> drafts = leavers.drafts;
  drafts.insert(drafts.end(), changes.begin(), changes.end());
  for (const auto& n : needs)
    if (!n.from_licence.empty()) drafts.push_back(n.granted);
  std::set<std::string> refused;
  for (const auto& r : last_owner_refusals(scope, order_plan(std::move(drafts))))
    refused.insert(r.account);
  std::map<std::string, std::int64_t> freed;
  for (const auto& [account, licence] : leavers.frees)
    if (!refused.count(account)) ++freed[licence];
  for (auto& n : needs)
    if (!n.from_licence.empty() && refused.count(std::string(operation_target(n.granted.planned.op))))
      n.from_licence.clear();  // it would take the new seat without giving the old one back
  return freed;
}

}  // namespace

ReconcileResult reconcile(const ReconcileInput& input) {
  ReconcileResult result;
  const ReconcileScope scope(input, result.notes);
  const Matching matching = match_accounts(scope, result.notes);
  LeaverPlan leavers = plan_leavers(scope, matching.leavers, result.notes);
  ChangePlan changes = plan_changes(scope, matching.pairs, leavers, result.notes);
  const auto freed = seats_given_back(scope, leavers, changes.needs, changes.drafts);
  SeatAllocation seats = allocate_seats(scope, freed, std::move(changes.needs));

  std::vector<Draft> drafts = std::move(leavers.drafts);
  for (auto* more : {&changes.drafts, &seats.drafts})
    std::move(more->begin(), more->end(), std::back_inserter(drafts));
  result.plan = order_plan(std::move(drafts));
  result.pending = std::move(seats.pending);
  result.queue = std::move(seats.queue);
  result.usage_before = std::move(seats.usage_before);
  result.usage_after = std::move(seats.usage_after);
  result.destructive = static_cast<std::size_t>(
      std::count_if(result.plan.operations.begin(), result.plan.operations.end(),
                    [](const PlannedOperation& p) { return is_destructive_group(p.group); }));
  result.blocks = safety_blocks(scope, result.plan, result.destructive);
  return result;
}

}  // namespace rosterd
