// The invariants shared by several operations, each a function that refuses with the
// invariant's name. Used by lifecycle.cpp only.
#pragma once

#include <optional>
#include <string_view>

#include "core/account.h"
#include "core/error.h"
#include "core/operation.h"
#include "core/role_catalogue.h"
#include "core/space.h"
#include "core/state_view.h"

namespace rosterd {

class InvariantChecks {
 public:
  InvariantChecks(StateView& view, const RoleCatalogue& roles, const Actor& actor)
      : view_(view), roles_(roles), actor_(actor) {}

  Result<Space> space(std::string_view id);
  Result<Account> target(std::string_view account_id);  // exists and is not deleted
  Result<const Role*> role(std::string_view name);
  Result<void> licence_known(const Space& space, std::string_view licence);
  Result<void> role_may_hold(const Role& role, std::string_view licence);
  // The actor may change this account at all (source ownership, user-management rights,
  // owners only by owners).
  Result<void> may_act_on(const Account& target);
  // The actor may create or promote someone to this role in this space.
  Result<void> may_grant(std::string_view space, const Role& role);
  Result<void> seat_free(const Space& space, std::string_view licence);
  // Refuses when `target` is the last enabled owner of its space.
  Result<void> not_last_owner(const Account& target, std::string_view what);
  Result<void> email_free(std::string_view space, std::string_view email,
                          std::string_view except_account = {});

 private:
  Result<std::optional<Account>> acting_account(std::string_view space);

  StateView& view_;
  const RoleCatalogue& roles_;
  const Actor& actor_;
};

}  // namespace rosterd
