#include "core/reconcile_safety.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "core/reconcile_owners.h"
#include "core/reconcile_text.h"

namespace rosterd {
namespace {

std::vector<PlanBlock> threshold(const ReconcileScope& scope, std::size_t destructive) {
  const auto& policy = scope.policy();
  const std::int64_t size = scope.not_deactivated();
  const std::int64_t by_percent =
      std::max<std::int64_t>(1, size * policy.max_destructive_percent / 100);
  const auto count = static_cast<std::int64_t>(destructive);
  if (count <= policy.max_destructive_count && count <= by_percent) return {};
  return {{"destructive-threshold",
           "the plan has " + std::to_string(count) +
               " destructive operations (deactivate, suspend, delete, demote, change-licence); "
               "the limits are " + std::to_string(policy.max_destructive_count) +
               " (max_destructive count) and " + std::to_string(by_percent) + " (" +
               std::to_string(policy.max_destructive_percent) + "% of " + std::to_string(size) +
               " accounts that are not deactivated)"}};
}

std::vector<PlanBlock> sources(const ReconcileScope& scope) {
  std::vector<PlanBlock> out;
  for (const auto& entry : scope.sources()) {
    const std::string& id = entry.first;
    const SourceStatus* s = entry.second;
    const std::string problem = s->problem.empty() ? "" : " (" + s->problem + ")";
    if (s->state == "failed" || s->state == "incomplete") {
      const auto managed = std::count_if(scope.accounts().begin(), scope.accounts().end(),
                                         [&](const Account* a) { return a->managed_by == id; });
      out.push_back({"source-unhealthy",
                     "source " + id + ": last read " +
                         (s->state == "failed" ? "failed" : "was incomplete") + problem +
                         "; its " + std::to_string(managed) + " accounts are left alone"});
    }
    if (s->previous_count > 0 && s->current_count == 0)
      out.push_back({"source-empty",
                     "source " + id + ": it has no identities now and had " +
                         std::to_string(s->previous_count) +
                         " at the last applied plan; every account it manages would be a leaver"});
  }
  return out;
}

}  // namespace

std::vector<PlanBlock> safety_blocks(const ReconcileScope& scope, const Plan& plan,
                                     std::size_t destructive) {
  std::vector<PlanBlock> out = threshold(scope, destructive);
  for (auto& b : sources(scope)) out.push_back(std::move(b));
  std::vector<const PlannedOperation*> in_order;
  in_order.reserve(plan.operations.size());
  for (const auto& p : plan.operations) in_order.push_back(&p);
  std::vector<std::string> refused;
  for (auto& r : last_owner_refusals(scope, in_order)) refused.push_back(std::move(r.what));
  if (!refused.empty())
    out.push_back({"last-owner", "space '" + scope.space() + "' would lose its last active owner: " +
                                     join(refused, ", ") +
                                     " would leave no enabled owner; name another owner first"});
  return out;
}

}  // namespace rosterd
