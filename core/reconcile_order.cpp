#include "core/reconcile_order.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace rosterd {

int plan_group_rank(std::string_view group) {
  static constexpr std::array<std::string_view, 10> kOrder{
      plan_group::kPromote, plan_group::kDeactivate,    plan_group::kSuspend,
      plan_group::kDelete,  plan_group::kDemote,        plan_group::kChangeLicence,
      plan_group::kUpdate,  plan_group::kResume,        plan_group::kReactivate,
      plan_group::kCreate};
  const auto it = std::find(kOrder.begin(), kOrder.end(), group);
  return static_cast<int>(it - kOrder.begin());
}

PlanPosition plan_position(const Draft& draft) {
  return {plan_group_rank(draft.planned.group), draft.wave, draft.planned.person,
          operation_target(draft.planned.op)};
}

std::vector<std::size_t> plan_order(const std::vector<PlanPosition>& positions) {
  std::vector<std::size_t> order(positions.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The index ends every tie: the order of a stable sort.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const PlanPosition& x = positions[a];
    const PlanPosition& y = positions[b];
    return std::tie(x.group, x.wave, x.person, x.target, a) <
           std::tie(y.group, y.wave, y.person, y.target, b);
  });
  return order;
}

}  // namespace rosterd
