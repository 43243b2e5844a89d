#include "core/invariant_checks.h"

#include "core/email.h"
#include "core/lifecycle.h"

namespace rosterd {
namespace {

std::string join_keys(const Space& space) {
  std::string out;
  for (const auto& [name, total] : space.licences) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

Result<Space> InvariantChecks::space(std::string_view id) {
  auto found = view_.space(id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(ErrorCode::InvalidValue, "unknown space '" + std::string(id) + "'");
  return std::move(**found);
}

Result<Account> InvariantChecks::target(std::string_view account_id) {
  auto found = view_.account(account_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found || (*found)->state == AccountState::Deleted)
    return fail(ErrorCode::NotFound, "no account '" + std::string(account_id) + "'");
  return std::move(**found);
}

Result<const Role*> InvariantChecks::role(std::string_view name) {
  const Role* r = roles_.find(name);
  if (r) return r;
  std::string known;
  for (const auto& n : roles_.names()) known += (known.empty() ? "" : ", ") + n;
  return fail(ErrorCode::InvalidValue,
              "unknown role '" + std::string(name) + "' (roles: " + known + ")");
}

Result<void> InvariantChecks::licence_known(const Space& space, std::string_view licence) {
  if (space.licences.find(licence) != space.licences.end()) return {};
  return fail(ErrorCode::InvalidValue, "space '" + space.id + "' has no licence type '" +
                                           std::string(licence) + "' (licence types: " +
                                           join_keys(space) + ")");
}

Result<void> InvariantChecks::role_may_hold(const Role& role, std::string_view licence) {
  if (role.may_hold(licence)) return {};
  std::string allowed;
  for (const auto& l : role.licences) allowed += (allowed.empty() ? "" : ", ") + l;
  return refuse(invariant::kRoleLicence, "role '" + role.name + "' may not hold a '" +
                                             std::string(licence) +
                                             "' licence (it may hold: " + allowed + ")");
}

Result<std::optional<Account>> InvariantChecks::acting_account(std::string_view space) {
  if (actor_.kind != Actor::Kind::Account) return std::optional<Account>{};
  auto found = view_.account(actor_.id);
  if (!found) return tl::unexpected(found.error());
  if (!*found || (*found)->space != space || !is_enabled((*found)->state) ||
      (*found)->state == AccountState::Locked)
    return refuse(invariant::kActorRights, "the acting account is not an enabled account of space '" +
                                               std::string(space) + "'");
  const Role* r = roles_.find((*found)->role);
  if (!r || !r->manages_users())
    return refuse(invariant::kActorRights, "the acting account " + (*found)->email + " is " +
                                               (*found)->role + ", a role that does not manage users");
  return found;
}

Result<void> InvariantChecks::may_act_on(const Account& target) {
  if (actor_.kind == Actor::Kind::Source) {
    if (target.is_manual())
      return refuse(invariant::kManualAccount, "account " + target.email +
                                                   " is managed manually; source '" + actor_.id +
                                                   "' may not change it");
    if (target.managed_by != actor_.id)
      return refuse(invariant::kOtherSource, "account " + target.email + " is managed by '" +
                                                 target.managed_by + "', not by '" + actor_.id + "'");
    return {};
  }
  auto acting = acting_account(target.space);
  if (!acting) return tl::unexpected(acting.error());
  if (*acting && target.role == kOwnerRole) {
    const Role* r = roles_.find((*acting)->role);
    if (!r || !r->has(permission::kManageOwners))
      return refuse(invariant::kAdministratorOnOwner,
                    "account " + target.email + " is an owner; only an owner may change it");
  }
  return {};
}

Result<void> InvariantChecks::may_grant(std::string_view space, const Role& role) {
  auto acting = acting_account(space);
  if (!acting) return tl::unexpected(acting.error());
  if (*acting && role.name == kOwnerRole) {
    const Role* r = roles_.find((*acting)->role);
    if (!r || !r->has(permission::kManageOwners))
      return refuse(invariant::kAdministratorOnOwner, "only an owner may make someone an owner");
  }
  return {};
}

Result<void> InvariantChecks::seat_free(const Space& space, std::string_view licence) {
  const auto total = space.licences.find(licence);
  if (total == space.licences.end()) return licence_known(space, licence);
  auto used = view_.seats_used(space.id, licence);
  if (!used) return tl::unexpected(used.error());
  if (*used < total->second) return {};
  return refuse(invariant::kLicenceQuota,
                "no '" + std::string(licence) + "' licence left in space '" + space.id + "' (" +
                    std::to_string(*used) + "/" + std::to_string(total->second) + " used)");
}

Result<void> InvariantChecks::not_last_owner(const Account& target, std::string_view what) {
  if (target.role != kOwnerRole || !is_enabled(target.state)) return {};
  auto owners = view_.enabled_owners(target.space);
  if (!owners) return tl::unexpected(owners.error());
  if (*owners > 1) return {};
  return refuse(invariant::kLastOwner,
                "cannot " + std::string(what) + " " + target.email +
                    ": it is the last active owner of space '" + target.space + "'");
}

Result<void> InvariantChecks::email_free(std::string_view space, std::string_view email,
                                         std::string_view except_account) {
  if (auto problem = email_problem(email))
    return fail(ErrorCode::InvalidValue, "email '" + std::string(email) + "' " + *problem);
  auto existing = view_.account_by_email(space, email);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing && (*existing)->id != except_account)
    return fail(ErrorCode::Uniqueness, "an account with email " + std::string(email) +
                                           " already exists in space '" + std::string(space) + "'");
  return {};
}

}  // namespace rosterd
