// The operations of a plan that decide() will refuse because they take away the last
// enabled owner of the space, found by replaying the plan's effect on owners in the order
// it is applied. A space that has no enabled owner to begin with has none to lose.
// Internal to reconcile.
#pragma once

#include <string>
#include <vector>

#include "core/operation.h"
#include "core/reconcile_scope.h"

namespace rosterd {

struct OwnerRefusal {
  std::string account;  // its id
  std::string what;     // "deactivate boss@acme.example"
};

// `operations` (a plan, or its first groups) in the order they will be applied.
std::vector<OwnerRefusal> last_owner_refusals(
    const ReconcileScope& scope, const std::vector<const PlannedOperation*>& operations);

}  // namespace rosterd
