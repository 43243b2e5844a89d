// Plan, store, check and apply, the same way for `rosterd plan`, `apply`, `sync` and the
// reconciler of `rosterd serve`:
//   - a plan with operations or blocks is stored with its id and input hash;
//   - a blocked plan is not applied (an audit event says why) unless the administrator
//     allows it once;
//   - a stored plan is applied only if recomputing it from the store now, with the time
//     it was made, gives the same input hash: the administrator gets exactly what they
//     reviewed, or a refusal.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/reconcile/space_planner.h"
#include "store/reconcile_store.h"

namespace rosterd {

struct PlanRunOptions {
  Actor actor = Actor::operator_named("rosterd");
  bool apply = false;              // apply the plan unless blocked
  bool allow_destructive = false;  // apply even a blocked plan (this run only)
  std::size_t per_transaction = 100;  // each operation is still atomic (a savepoint)
  // Asked before each transaction of the apply; false stops it there with
  // ErrorCode::Unavailable, the transactions before it committed and the plan left
  // "planned" (serve: this instance no longer leads, daemon/service/leadership.h).
  // Empty: the whole plan is applied.
  std::function<bool()> keep_applying;
};

struct SpaceRun {
  SpacePlan plan;
  std::optional<StoredPlan> stored;  // none when there was nothing to do
  bool blocked = false;
  std::optional<PlanOutcome> outcome;  // set when applied
};

// `mapper`: see Planner::plan.
Result<SpaceRun> run_space(const Planner& planner, std::string_view space, AccountStore& accounts,
                           IdentityStore& identities, const PlanRunOptions& options, Timestamp now,
                           IncrementalMapper* mapper = nullptr);

// `rosterd apply PLAN_ID`. ErrorCode::NotFound for an unknown id; ErrorCode::Invariant
// for a blocked plan without allow_destructive; ErrorCode::PreconditionFailed when the
// store changed since the plan was made, or the plan was applied or superseded.
Result<SpaceRun> apply_stored_plan(const Planner& planner, std::string_view plan_id,
                                   AccountStore& accounts, IdentityStore& identities,
                                   const PlanRunOptions& options);

// The plan `options.per_transaction` operations to a transaction, asking
// options.keep_applying (which must be set) before each; the outcome as apply_plan's, its
// indexes those of the whole plan. What run_space applies with when keep_applying is set.
Result<PlanOutcome> apply_in_steps(const Plan& plan, AccountStore& accounts, const PlanRunOptions& options);

// "3 applied, 0 unchanged, 1 refused (bob@acme.example: last-owner ...)".
std::string outcome_summary(const PlanOutcome& outcome, const SpacePlan& plan);

}  // namespace rosterd
