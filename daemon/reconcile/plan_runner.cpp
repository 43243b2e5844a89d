#include "daemon/reconcile/plan_runner.h"

#include <boost/json/serialize.hpp>

#include <algorithm>

#include "core/try.h"
#include "daemon/reconcile/plan_report.h"
#include "store/random_id.h"

namespace rosterd {
namespace {

std::string blocks_text(const ReconcileResult& r) {
  std::string out;
  for (const PlanBlock& b : r.blocks) out += (out.empty() ? "" : "\n") + b.message;
  return out;
}

}  // namespace

Result<PlanOutcome> apply_in_steps(const Plan& plan, AccountStore& accounts, const PlanRunOptions& options) {
  const std::size_t step = std::max<std::size_t>(options.per_transaction, 1);
  const auto& ops = plan.operations;
  PlanOutcome outcome;
  for (std::size_t begin = 0; begin < ops.size(); begin += step) {
    if (!options.keep_applying())
      return fail(ErrorCode::Unavailable, "the apply was stopped after " + std::to_string(begin) + " of " +
                                              std::to_string(ops.size()) +
                                              " operations: this instance no longer leads");
    Plan part;
    part.operations.assign(ops.begin() + static_cast<std::ptrdiff_t>(begin),
                           ops.begin() + static_cast<std::ptrdiff_t>(std::min(ops.size(), begin + step)));
    ROSTERD_ASSIGN(auto done, accounts.apply_plan(part, options.actor, step));
    outcome.applied += done.applied;
    outcome.unchanged += done.unchanged;
    for (auto& [index, error] : done.refused) outcome.refused.emplace_back(begin + index, std::move(error));
  }
  return outcome;
}

namespace {

Result<void> apply_now(SpaceRun& run, AccountStore& accounts, const PlanRunOptions& options) {
  const SpacePlan& plan = run.plan;
  ROSTERD_ASSIGN(auto outcome, options.keep_applying
                                   ? apply_in_steps(plan.result.plan, accounts, options)
                                   : accounts.apply_plan(plan.result.plan, options.actor, options.per_transaction));
  ROSTERD_TRY(accounts.reconcile().after_apply(plan.space, plan.result.queue, plan.input.sources));
  if (run.stored) {
    std::string note = outcome_summary(outcome, plan);
    if (run.blocked) note += "; allowed despite: " + blocks_text(plan.result);
    ROSTERD_TRY(accounts.reconcile().set_plan_state(run.stored->id, "applied", options.actor.label(), note));
    run.stored->state = "applied";
  }
  run.outcome = std::move(outcome);
  return {};
}

}  // namespace

std::string outcome_summary(const PlanOutcome& outcome, const SpacePlan& plan) {
  std::string out = std::to_string(outcome.applied) + " applied, " +
                    std::to_string(outcome.unchanged) + " unchanged, " +
                    std::to_string(outcome.refused.size()) + " refused";
  for (const auto& [index, error] : outcome.refused) {
    const auto& ops = plan.result.plan.operations;
    out += "; " + (index < ops.size() ? describe_operation(ops[index], plan) : "?") + " -> " +
           error.message;
  }
  return out;
}

Result<SpaceRun> run_space(const Planner& planner, std::string_view space, AccountStore& accounts,
                           IdentityStore& identities, const PlanRunOptions& options, Timestamp now,
                           IncrementalMapper* mapper) {
  SpaceRun run;
  ROSTERD_ASSIGN(run.plan, planner.plan(space, accounts, identities, now, mapper, KeepDirectory::No));
  // Nor is the desired state needed to store, apply or report the plan (the operations
  // carry what they need): at 100,000 people it is the largest thing held through the
  // apply. A mapper lent it and gets it back after the run.
  if (!mapper) run.plan.input.desired = DesiredState{};
  const ReconcileResult& r = run.plan.result;
  run.blocked = !r.blocks.empty();
  if (r.plan.operations.empty() && !run.blocked) {
    // Nothing to apply; the queue (new pending people, their order) is still kept.
    if (options.apply && r.queue != run.plan.input.queue)
      ROSTERD_TRY(accounts.reconcile().after_apply(space, r.queue, run.plan.input.sources));
    return run;
  }
  StoredPlan stored;
  stored.id = make_random_id_generator()();
  stored.space = std::string(space);
  stored.created_at = now;
  stored.input_hash = run.plan.input_hash;
  stored.state = run.blocked ? "blocked" : "planned";
  stored.blocked_reason = blocks_text(r);
  stored.body = plan_json_text(run.plan, nullptr);
  ROSTERD_TRY(accounts.reconcile().save_plan(stored));
  // The body is in the store now; holding it through the apply would only cost memory.
  stored.body = std::string();
  run.stored = std::move(stored);
  if (run.blocked)
    ROSTERD_TRY(accounts.reconcile().set_plan_state(run.stored->id, "blocked",
                                                    options.actor.label(),
                                                    run.stored->blocked_reason));
  if (options.apply && (!run.blocked || options.allow_destructive))
    ROSTERD_TRY(apply_now(run, accounts, options));
  return run;
}

Result<SpaceRun> apply_stored_plan(const Planner& planner, std::string_view plan_id,
                                   AccountStore& accounts, IdentityStore& identities,
                                   const PlanRunOptions& options) {
  ROSTERD_ASSIGN(auto found, accounts.reconcile().plan(plan_id));
  if (!found) return fail(ErrorCode::NotFound, "no plan '" + std::string(plan_id) + "'");
  StoredPlan stored = std::move(*found);
  if (stored.state == "applied")
    return fail(ErrorCode::PreconditionFailed, "plan " + stored.id + " was already applied");
  if (stored.state == "superseded" || stored.state == "refused")
    return fail(ErrorCode::PreconditionFailed,
                "plan " + stored.id + " is " + stored.state +
                    ": a newer plan exists or the store changed; run `rosterd plan` again");
  if (stored.state == "blocked" && !options.allow_destructive)
    return fail(ErrorCode::Invariant,
                "plan " + stored.id + " is blocked: " + stored.blocked_reason +
                    "\nreview it, then apply it with `rosterd apply --allow-destructive " +
                    stored.id + "`");
  SpaceRun run;
  ROSTERD_ASSIGN(run.plan, planner.plan(stored.space, accounts, identities, stored.created_at, nullptr,
                                        KeepDirectory::No));
  if (run.plan.input_hash != stored.input_hash) {
    ROSTERD_TRY(accounts.reconcile().set_plan_state(
        stored.id, "refused", options.actor.label(),
        "the store changed since the plan was made (inputs " + run.plan.input_hash + ", plan " +
            stored.input_hash + ")"));
    return fail(ErrorCode::PreconditionFailed,
                "plan " + stored.id + " no longer matches the store (identities, groups, "
                "accounts or rules changed since it was made): run `rosterd plan` again and "
                "review the new plan");
  }
  run.blocked = stored.state == "blocked";
  run.stored = std::move(stored);
  ROSTERD_TRY(apply_now(run, accounts, options));
  return run;
}

}  // namespace rosterd
