#include "core/reconcile_order.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

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

Plan order_plan(std::vector<Draft> drafts) {
  auto key = [](const Draft& d) {
    return std::make_tuple(plan_group_rank(d.planned.group), d.wave,
                           std::string_view(d.planned.person), operation_target(d.planned.op));
  };
  // Indices are sorted, not the drafts: each carries a whole operation.
  std::vector<std::size_t> order(drafts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(drafts[a]) < key(drafts[b]); });
  Plan plan;
  plan.operations.reserve(drafts.size());
  for (const std::size_t i : order) plan.operations.push_back(std::move(drafts[i].planned));
  return plan;
}

}  // namespace rosterd
