#include "daemon/admin/admin_snapshot.h"

#include <algorithm>

namespace rosterd::admin {

Result<std::vector<SourceView>> read_sources(IdentityStore& identities, const std::vector<SourceInfo>& sources) {
  std::vector<SourceView> out;
  auto read = identities.read([&](IdentityReader& reader) -> Result<void> {
    out.clear();
    for (const SourceInfo& info : sources) {
      SourceView view;
      view.source = info;
      auto state = reader.source_state(info.id);
      if (!state) return tl::unexpected(state.error());
      if (*state) {
        view.status = (*state)->status;
        view.error = (*state)->error;
        view.last_attempt = (*state)->last_attempt_at;
        view.last_success = (*state)->last_success_at;
      }
      if (info.kind != "ldap") {
        view.status = "ok";
        view.error.clear();
      }
      view.healthy = view.status == "ok";
      auto count = reader.count(ResourceType::User, info.id);
      if (!count) return tl::unexpected(count.error());
      view.identities = *count;
      out.push_back(std::move(view));
    }
    return {};
  });
  if (!read) return tl::unexpected(read.error());
  return out;
}

Result<AccountsView> read_accounts(AccountStore& accounts) {
  AccountsView view;
  auto usage = accounts.licence_usage();
  if (!usage) return tl::unexpected(usage.error());
  view.licences = std::move(*usage);
  std::vector<std::string> spaces;
  for (const LicenceUsage& u : view.licences)
    if (spaces.empty() || spaces.back() != u.space) spaces.push_back(u.space);
  for (const std::string& space : spaces) {
    auto queue = accounts.reconcile().seat_queue(space);
    if (!queue) return tl::unexpected(queue.error());
    if (!queue->empty()) view.pending.emplace_back(space, std::move(*queue));
  }
  // The newest plans first: the first one that was blocked (it may have been superseded
  // since, the reason still stands as the last block seen).
  auto plans = accounts.reconcile().plans(std::nullopt, 200);
  if (!plans) return tl::unexpected(plans.error());
  for (StoredPlan& plan : *plans)
    if (plan.state == "blocked" || !plan.blocked_reason.empty()) {
      view.last_blocked = std::move(plan);
      break;
    }
  AuditQuery query;
  query.limit = kStatusAuditEvents;
  auto audit = accounts.audit(query);
  if (!audit) return tl::unexpected(audit.error());
  view.audit = std::move(*audit);
  std::reverse(view.audit.begin(), view.audit.end());
  return view;
}

}  // namespace rosterd::admin
