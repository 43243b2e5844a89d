// reconcile() in steps, each in a file of its own: match accounts to desired persons
// (reconcile_matching), plan the leavers (reconcile_leavers) and the desired persons'
// changes (reconcile_changes), give seats within the quotas (reconcile_seats), order the
// plan (reconcile_order) and flag what needs a review (reconcile_safety).
#include "core/reconcile.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
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
  // The plan so far, changes of licence type included (all in wave 0: waves come later).
  std::vector<const Draft*> drafts;
  for (const auto* list : {&leavers.drafts, &changes})
    for (const Draft& d : *list) drafts.push_back(&d);
  for (const auto& n : needs)
    if (!n.from_licence.empty()) drafts.push_back(n.granted.get());
  std::vector<PlanPosition> positions;
  positions.reserve(drafts.size());
  for (const Draft* d : drafts) positions.push_back(plan_position(*d));
  std::vector<const PlannedOperation*> in_order;
  in_order.reserve(drafts.size());
  for (const std::size_t i : plan_order(positions)) in_order.push_back(&drafts[i]->planned);
  const auto refusals = last_owner_refusals(scope, in_order);
  std::set<std::string_view> refused;
  for (const auto& r : refusals) refused.insert(r.account);
  std::map<std::string, std::int64_t> freed;
  for (const Account* a : leavers.frees)
    if (!refused.count(a->id)) ++freed[a->licence];
  for (auto& n : needs)
    if (!n.from_licence.empty() && refused.count(operation_target(n.granted->planned.op)))
      n.from_licence = {};  // it would take the new seat without giving the old one back
  return freed;
}

// Every operation in its place. A create is built only then, straight into the plan: a
// plan of 100,000 creates is never held twice.
Plan plan_in_order(const ReconcileScope& scope, std::vector<Draft>& leavers,
                   std::vector<Draft>& changes, const std::vector<SeatOutcome>& outcomes) {
  std::vector<Draft*> built;          // nullptr: the create of the need at the same index
  std::vector<const SeatNeed*> creates;
  std::vector<PlanPosition> positions;
  auto add = [&](Draft& d) {
    built.push_back(&d);
    creates.push_back(nullptr);
    positions.push_back(plan_position(d));
  };
  for (auto* list : {&leavers, &changes})
    for (Draft& d : *list) add(d);
  static const int kCreateRank = plan_group_rank(plan_group::kCreate);
  for (const SeatOutcome& o : outcomes) {
    SeatNeed& n = *o.need;
    if (o.granted && n.is_create()) {
      built.push_back(nullptr);
      creates.push_back(&n);
      positions.push_back({kCreateRank, 0, n.desired->person, {}});
    } else if (o.granted) {
      n.granted->wave = o.wave;
      add(*n.granted);
    } else if (n.fallback) {
      add(*n.fallback);
    }
  }
  Plan plan;
  plan.operations.reserve(positions.size());
  for (const std::size_t i : plan_order(positions)) {
    if (built[i]) plan.operations.push_back(std::move(built[i]->planned));
    else build_create(scope, *creates[i], plan.operations.emplace_back());
  }
  return plan;
}

}  // namespace

ReconcileResult reconcile(const ReconcileInput& input) {
  ReconcileResult result;
  const ReconcileScope scope(input, result.notes);
  const Matching matching = match_accounts(scope, result.notes);
  LeaverPlan leavers = plan_leavers(scope, matching.leavers, result.notes);
  ChangePlan changes = plan_changes(scope, matching.pairs, leavers, result.notes);
  const auto freed = seats_given_back(scope, leavers, changes.needs, changes.drafts);
  SeatAllocation seats = allocate_seats(scope, freed, changes.needs);

  result.next_deadline = leavers.next_deadline;
  result.plan = plan_in_order(scope, leavers.drafts, changes.drafts, seats.outcomes);
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
