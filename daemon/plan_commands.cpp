// `rosterd plan`, `apply`, `sync --once`, `explain` and `audit verify`: the reconcile
// commands. They share daemon/reconcile/plan_runner.h with the reconciler of `serve`.
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/commands.h"
#include "daemon/free_memory.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/explain_report.h"
#include "daemon/reconcile/plan_report.h"
#include "daemon/reconcile/plan_runner.h"
#include "daemon/sources/source_polling.h"
#include "store/store_options.h"

namespace rosterd::cli {
namespace {

// The spaces a command works on: --space, or the space of --source, or all of them.
Result<std::vector<std::string>> chosen_spaces(const Config& config, const Args& args) {
  std::vector<std::string> out;
  if (auto source = args.value("source")) {
    for (const SourceConfig& s : config.sources)
      if (s.id == *source) out.push_back(s.space);
    if (out.empty()) return fail(ErrorCode::Usage, "--source: no source '" + *source + "' in " + config.file);
  }
  if (auto space = args.value("space")) {
    if (!config.find_space(*space))
      return fail(ErrorCode::Usage, "--space: no space '" + *space + "' in " + config.file);
    if (!out.empty() && out.front() != *space)
      return fail(ErrorCode::Usage, "--source " + *args.value("source") + " belongs to space '" +
                                        out.front() + "', not '" + *space + "'");
    out = {*space};
  }
  if (out.empty())
    for (const SpaceConfig& s : config.spaces) out.push_back(s.space.id);
  return out;
}

// What plan, sync, apply and explain share: the compiled rules, the identity store and
// how a run acts (who, and whether a blocked plan may be applied).
struct Planning {
  std::shared_ptr<const Planner> planner;
  std::unique_ptr<IdentityStore> identities;
  PlanRunOptions options;
};

Result<Planning> open_planning(CommandContext& ctx, const Args& args, bool apply) {
  Planning p;
  auto planner = Planner::create(ctx.config);
  if (!planner) return tl::unexpected(planner.error());
  p.planner = std::move(*planner);
  auto actor = ctx.actor(args, args.value("space"));
  if (!actor) return tl::unexpected(actor.error());
  p.options.actor = *actor;
  p.options.apply = apply;
  p.options.allow_destructive = args.flag("allow-destructive");
  auto identities = open_identity_store(ctx.config);
  if (!identities) return tl::unexpected(identities.error());
  p.identities = std::move(*identities);
  return p;
}

// With --json, the run's JSON is appended to `json_runs` (comma-separated).
void print_run(CommandContext& ctx, const SpaceRun& run, std::string& json_runs) {
  const StoredPlan* stored = run.stored ? &*run.stored : nullptr;
  if (ctx.json) {
    boost::json::object extra;
    if (run.outcome) {
      boost::json::array refused;
      for (const auto& [index, error] : run.outcome->refused)
        refused.emplace_back(boost::json::object{{"index", index}, {"message", error.message},
                                                 {"invariant", error.invariant}});
      extra["outcome"] = boost::json::object{{"applied", run.outcome->applied},
                                             {"unchanged", run.outcome->unchanged},
                                             {"refused", std::move(refused)}};
    }
    if (!json_runs.empty()) json_runs += ',';
    append_plan_json(json_runs, run.plan, stored, extra);
    return;
  }
  print_plan_text(ctx.out, run.plan, stored);
  if (run.outcome) {
    ctx.out << "  applied: " << outcome_summary(*run.outcome, run.plan) << "\n";
  } else if (run.blocked) {
    ctx.out << "  not applied. Review the plan, then: rosterd apply --allow-destructive "
            << run.stored->id << "\n";
  } else if (stored) {
    ctx.out << "  apply it with: rosterd apply " << stored->id << "\n";
  }
}

}  // namespace

// What one read of a directory source did: a line on stdout (in the JSON with --json), its
// failure and its problems on stderr (at most kShownProblems of them).
void report_poll(CommandContext& ctx, const SourcePoll& poll, boost::json::array& json) {
  constexpr std::size_t kShownProblems = 20;
  const PollOutcome& o = poll.outcome;
  if (ctx.json) {
    boost::json::array problems;
    for (const auto& p : o.problems) problems.emplace_back(p);
    json.emplace_back(boost::json::object{{"id", poll.source},
                                          {"space", poll.space},
                                          {"status", o.status},
                                          {"read", o.full ? "full" : "changes"},
                                          {"deleted", o.deleted},
                                          {"read_ms", o.read_time.count()},
                                          {"store_ms", o.store_time.count()},
                                          {"error", o.error},
                                          {"users", o.users},
                                          {"groups", o.groups},
                                          {"created", o.written.inserted},
                                          {"updated", o.written.updated},
                                          {"removed", o.written.removed},
                                          {"membership_changes", o.written.membership_changes},
                                          {"problems", std::move(problems)}});
  } else {
    ctx.out << "source " << poll.source << ": " << poll_summary(o) << "\n";
  }
  if (!o.ok()) ctx.err << "rosterd: source " << poll.source << ": " << o.status << ": " << o.error << "\n";
  for (std::size_t i = 0; i < o.problems.size() && i < kShownProblems; ++i)
    ctx.err << "rosterd: source " << poll.source << ": " << o.problems[i] << "\n";
  if (o.problems.size() > kShownProblems)
    ctx.err << "rosterd: source " << poll.source << ": and " << o.problems.size() - kShownProblems
            << " more problems like these\n";
}

OptionSpec plan_options() { return OptionSpec{{"source"}, {"once", "allow-destructive", "full"}}; }

// plan (apply = false) and sync --once (apply = true).
int run_plan_or_sync(CommandContext& ctx, const Args& args, bool apply) {
  if (apply && !args.flag("once"))
    return report_error(Error{ErrorCode::Usage, "sync: give --once (continuous sync is `rosterd serve`)", {}},
                        ctx.json, ctx.out, ctx.err);
  if (!apply && args.flag("allow-destructive"))
    return report_error(Error{ErrorCode::Usage, "plan changes nothing; --allow-destructive is for apply and sync", {}},
                        ctx.json, ctx.out, ctx.err);
  auto spaces = chosen_spaces(ctx.config, args);
  if (!spaces) return report_error(spaces.error(), ctx.json, ctx.out, ctx.err);
  auto stores = open_planning(ctx, args, apply);
  if (!stores) return report_error(stores.error(), ctx.json, ctx.out, ctx.err);
  boost::json::array source_reports;
  bool any_unread = false;
  if (apply) {
    auto polls = poll_ldap_sources(ctx.config, *stores->identities, *spaces,
                                   args.value("source"), system_now(), args.flag("full"));
    if (!polls) return report_error(polls.error(), ctx.json, ctx.out, ctx.err);
    for (const SourcePoll& poll : *polls) {
      any_unread |= !poll.outcome.ok();
      report_poll(ctx, poll, source_reports);
    }
  }
  // Planning and applying only read identities: the writer, and the page cache a full
  // read filled, can go now.
  stores->identities->close();
  return_free_memory();
  // Each space's report is serialised as soon as it is made: a first sync's is tens of
  // megabytes as text and several times that as a JSON tree.
  std::string plans_text;
  bool any_blocked = false;
  for (const std::string& space : *spaces) {
    auto run = run_space(*stores->planner, space, *ctx.store, *stores->identities, stores->options,
                         system_now());
    if (!run) return report_error(run.error(), ctx.json, ctx.out, ctx.err);
    any_blocked |= run->blocked && !run->outcome;
    print_run(ctx, *run, plans_text);
    *run = SpaceRun{};  // reported: its plan and desired state can go
    return_free_memory();
  }
  stores->identities->close();
  if (ctx.json) {
    ctx.out << "{\"plans\":[" << plans_text << "]";
    if (apply) ctx.out << ",\"sources\":" << boost::json::serialize(source_reports);
    ctx.out << "}\n";
  }
  if (any_blocked) ctx.err << "rosterd: a plan is blocked; nothing of it was applied (see above)\n";
  if (any_unread)
    ctx.err << "rosterd: a source could not be read completely; its accounts were left as they were\n";
  return any_blocked || any_unread ? 1 : 0;
}

int run_apply(CommandContext& ctx, const Args& args) {
  if (args.positionals().size() != 1)
    return report_error(Error{ErrorCode::Usage, "usage: rosterd apply [--allow-destructive] PLAN_ID", {}},
                        ctx.json, ctx.out, ctx.err);
  auto stores = open_planning(ctx, args, true);
  if (!stores) return report_error(stores.error(), ctx.json, ctx.out, ctx.err);
  auto run = apply_stored_plan(*stores->planner, args.positionals().front(), *ctx.store,
                               *stores->identities, stores->options);
  stores->identities->close();
  if (!run) return report_error(run.error(), ctx.json, ctx.out, ctx.err);
  std::string text;
  print_run(ctx, *run, text);
  if (ctx.json) ctx.out << text << "\n";
  return 0;
}

int run_explain(CommandContext& ctx, const Args& args) {
  if (args.positionals().size() != 1)
    return report_error(Error{ErrorCode::Usage, "usage: rosterd explain EMAIL|ID [--space S]", {}},
                        ctx.json, ctx.out, ctx.err);
  const std::string& who = args.positionals().front();
  auto spaces = chosen_spaces(ctx.config, args);
  if (!spaces) return report_error(spaces.error(), ctx.json, ctx.out, ctx.err);
  auto stores = open_planning(ctx, args, false);
  if (!stores) return report_error(stores.error(), ctx.json, ctx.out, ctx.err);
  boost::json::array found;
  std::size_t matches = 0;
  for (const std::string& space : *spaces) {
    auto plan = stores->planner->plan(space, *ctx.store, *stores->identities, system_now());
    if (!plan) return report_error(plan.error(), ctx.json, ctx.out, ctx.err);
    const RuleSet* rules = stores->planner->rules(space);
    auto explanation = rules ? rules->explain(plan->inputs.directory, who) : std::nullopt;
    if (!explanation) continue;
    ++matches;
    if (ctx.json) found.emplace_back(explain_json(*explanation, *plan));
    else print_explain_text(ctx.out, *explanation, *plan);
  }
  stores->identities->close();
  if (matches == 0)
    return report_error(Error{ErrorCode::NotFound,
                              "no identity of any source matches '" + who +
                                  "' (give an email, a user name or an identity id)", {}},
                        ctx.json, ctx.out, ctx.err);
  if (ctx.json) {
    ctx.out << boost::json::serialize(found.size() == 1 ? found.front() : boost::json::value(found)) << "\n";
  }
  return 0;
}

int run_audit_verify(CommandContext& ctx) {
  auto result = ctx.store->reconcile().verify_audit();
  if (!result) return report_error(result.error(), ctx.json, ctx.out, ctx.err);
  if (ctx.json) {
    ctx.out << boost::json::serialize(boost::json::object{{"ok", result->ok},
                                                          {"rows", result->rows},
                                                          {"first_bad_seq", result->first_bad_seq},
                                                          {"problem", result->problem}})
            << "\n";
  } else if (result->ok) {
    ctx.out << "audit log intact: " << result->rows << " rows, hash chain verified\n";
  } else {
    ctx.out << "audit log TAMPERED: " << result->problem << " (first bad row: " << result->first_bad_seq
            << ")\n";
  }
  return result->ok ? 0 : 1;
}

}  // namespace rosterd::cli
