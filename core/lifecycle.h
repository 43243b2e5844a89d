// The lifecycle rules: given an operation, who asks for it and a view of the current
// state, decide what changes — or refuse with the invariant that forbids it. Pure: the
// time and new ids come from the context, the state from the view.
#pragma once

#include <functional>
#include <string>

#include "core/error.h"
#include "core/operation.h"
#include "core/role_catalogue.h"
#include "core/state_view.h"
#include "core/timestamp.h"
#include "core/transition.h"

namespace rosterd {

struct DecisionContext {
  Timestamp now{};
  const RoleCatalogue* roles = nullptr;
  std::function<std::string()> new_id;  // unique ids for accounts and events
};

// Invariant names used in Error::invariant (stable: tests, JSON output and docs use them).
namespace invariant {
inline constexpr const char* kLastOwner = "last-owner";
inline constexpr const char* kAdministratorOnOwner = "administrator-acts-on-owner";
inline constexpr const char* kLicenceQuota = "licence-quota";
inline constexpr const char* kRoleLicence = "role-licence";
inline constexpr const char* kManualAccount = "manual-account-untouched";
inline constexpr const char* kOtherSource = "managed-by-other-source";
inline constexpr const char* kHandover = "delete-needs-successor";
inline constexpr const char* kTemplateLicence = "template-licence";
inline constexpr const char* kState = "state-transition";
inline constexpr const char* kActorRights = "actor-may-not-manage-users";
}  // namespace invariant

Result<Transition> decide(const Operation& op, const Actor& actor, StateView& view,
                          const DecisionContext& ctx);

}  // namespace rosterd
