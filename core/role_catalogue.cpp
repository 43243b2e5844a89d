#include "core/role_catalogue.h"

#include <algorithm>

namespace rosterd {

bool Role::may_hold(std::string_view licence) const {
  return std::find(licences.begin(), licences.end(), licence) != licences.end();
}

bool Role::has(std::string_view p) const {
  return std::find(permissions.begin(), permissions.end(), p) != permissions.end();
}

RoleCatalogue RoleCatalogue::built_in() {
  const std::vector<std::string> admin_rights{
      "manage_users", "manage_settings", "manage_billing", "create_job_ads", "invite_candidates",
      "evaluate_candidates", "decide_candidates", "view_applications", "view_job_ads",
      "cv_library"};
  auto with = [](std::vector<std::string> base, std::vector<std::string> extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };
  RoleCatalogue c;
  const std::vector<Role> roles{
      {"owner", 100, {"administrator"}, with(admin_rights, {"manage_owners", "delete_space"})},
      {"administrator", 90, {"administrator"}, admin_rights},
      {"recruiter", 70, {"recruiter"},
       {"create_job_ads", "invite_candidates", "evaluate_candidates", "decide_candidates",
        "view_applications", "view_job_ads", "cv_library"}},
      {"collaborator", 60, {"recruiter", "manager"},
       {"invite_candidates", "evaluate_candidates", "view_applications", "view_job_ads"}},
      {"hiring_manager", 50, {"manager"},
       {"decide_candidates", "view_applications", "view_job_ads"}},
      {"assessor", 40, {"manager"}, {"evaluate_candidates", "view_applications"}},
      {"contributor", 35, {"recruiter", "manager"}, {"own_job_ads_only", "cv_library"}},
      {"member", 30, {"recruiter", "manager"}, {"view_job_ads", "view_applications"}},
      {"accountant", 20, {"manager", "administrator"}, {"manage_billing"}},
  };
  for (const auto& r : roles) c.roles_.emplace(r.name, r);
  return c;
}

Result<RoleCatalogue> RoleCatalogue::with_overrides(const std::vector<RoleOverride>& overrides) {
  RoleCatalogue c = built_in();
  for (const auto& o : overrides) {
    auto it = c.roles_.find(o.name);
    if (it == c.roles_.end()) {
      if (!o.rank || !o.licences)
        return fail(ErrorCode::Config, "role '" + o.name +
                                           "' is not a built-in role: it needs 'rank' and 'licences'");
      it = c.roles_.emplace(o.name, Role{o.name, 0, {}, {}}).first;
    }
    Role& r = it->second;
    if (o.rank) r.rank = *o.rank;
    if (o.licences) r.licences = *o.licences;
    if (o.permissions) r.permissions = *o.permissions;
    if (r.licences.empty())
      return fail(ErrorCode::Config, "role '" + o.name + "' may hold no licence type");
  }
  return c;
}

const Role* RoleCatalogue::find(std::string_view name) const {
  const auto it = roles_.find(name);
  return it == roles_.end() ? nullptr : &it->second;
}

std::vector<std::string> RoleCatalogue::names() const {
  std::vector<std::string> out;
  for (const auto& [name, role] : roles_) out.push_back(name);
  return out;
}

}  // namespace rosterd
