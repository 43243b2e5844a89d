// The roles a space can give, with what each may do and which licence types it may hold.
// The built-in catalogue follows DESIGN.md section 1; the configuration may override
// any field of a built-in role or add roles of its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace rosterd {

namespace permission {
inline constexpr std::string_view kManageUsers = "manage_users";
inline constexpr std::string_view kManageOwners = "manage_owners";
inline constexpr std::string_view kDeleteSpace = "delete_space";
}  // namespace permission

inline constexpr std::string_view kOwnerRole = "owner";

struct Role {
  std::string name;
  int rank = 0;  // higher wins under "highest-rank" resolution
  std::vector<std::string> licences;     // licence types this role may hold
  std::vector<std::string> permissions;  // what the role may do on the platform

  bool may_hold(std::string_view licence) const;
  bool has(std::string_view permission) const;
  bool manages_users() const { return has(permission::kManageUsers); }
};

// A partial description from the configuration: fields left empty keep the built-in value.
struct RoleOverride {
  std::string name;
  std::optional<int> rank;
  std::optional<std::vector<std::string>> licences;
  std::optional<std::vector<std::string>> permissions;
};

class RoleCatalogue {
 public:
  static RoleCatalogue built_in();
  // Applies overrides to the built-in catalogue. A new role must give rank and licences.
  static Result<RoleCatalogue> with_overrides(const std::vector<RoleOverride>& overrides);

  const Role* find(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted
  const std::map<std::string, Role, std::less<>>& roles() const { return roles_; }

 private:
  std::map<std::string, Role, std::less<>> roles_;
};

}  // namespace rosterd
