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
  std::stable_sort(drafts.begin(), drafts.end(),
                   [&](const Draft& a, const Draft& b) { return key(a) < key(b); });
  Plan plan;
  plan.operations.reserve(drafts.size());
  for (auto& d : drafts) plan.operations.push_back(std::move(d.planned));
  return plan;
}

}  // namespace rosterd
