#include <map>
#include <ostream>

#include "core/try.h"
#include "daemon/commands.h"
#include "daemon/output.h"

namespace rosterd::cli {
namespace {

// Options naming profile fields, shared by create and update: --given-name -> given_name.
const std::vector<std::string> kProfileOptions{"email", "given-name", "family-name", "title", "phone",
                                               "team", "country", "language", "role", "licence"};

const std::set<std::string> kStateCommands{"suspend", "resume", "deactivate", "reactivate",
                                           "lock", "unlock", "activate"};

Profile profile_from(const Args& args) {
  Profile p;
  p.email = args.value("email");
  p.given_name = args.value("given-name");
  p.family_name = args.value("family-name");
  p.title = args.value("title");
  p.phone = args.value("phone");
  p.team = args.value("team");
  p.country = args.value("country");
  p.language = args.value("language");
  p.role = args.value("role");
  p.licence = args.value("licence");
  return p;
}

Result<std::string> required(const Args& args, const char* name) {
  if (auto v = args.value(name)) return *v;
  return fail(ErrorCode::Usage, std::string("missing --") + name);
}

Result<std::string> the_account_argument(const Args& args, const std::string& sub) {
  if (args.positionals().size() != 1)
    return fail(ErrorCode::Usage, "usage: rosterd accounts " + sub + " ID|EMAIL [options]");
  return args.positionals().front();
}

Result<Operation> create_operation(CommandContext& ctx, const Args& args) {
  if (!args.positionals().empty())
    return fail(ErrorCode::Usage, "accounts create takes options only (--space --email ...)");
  CreateOp op;
  ROSTERD_ASSIGN(op.space, required(args, "space"));
  ROSTERD_ASSIGN(op.email, required(args, "email"));
  ROSTERD_ASSIGN(op.given_name, required(args, "given-name"));
  ROSTERD_ASSIGN(op.family_name, required(args, "family-name"));
  // The optional fields are the profile options that update also reads.
  Profile p = profile_from(args);
  op.role = std::move(p.role);
  op.licence = std::move(p.licence);
  op.team = std::move(p.team);
  op.title = p.title.value_or("");
  op.phone = p.phone.value_or("");
  op.country = p.country.value_or("");
  op.language = p.language.value_or("");
  if (auto tpl = args.value("from-template")) {
    ROSTERD_ASSIGN(const Account t, ctx.resolve(*tpl, op.space));
    op.template_account = t.id;
  } else if (!op.role || !op.licence) {
    return fail(ErrorCode::Usage, "accounts create needs --role and --licence (or --from-template)");
  }
  return Operation{std::move(op)};
}

Result<Operation> target_operation(CommandContext& ctx, const std::string& sub, const Args& args,
                                   Account& target) {
  ROSTERD_ASSIGN(const std::string name, the_account_argument(args, sub));
  ROSTERD_ASSIGN(target, ctx.resolve(name, args.value("space")));
  const std::string id = target.id;
  if (sub == "update") {
    Profile p = profile_from(args);
    if (p == Profile{})
      return fail(ErrorCode::Usage, "accounts update: nothing to change (give --role, --team, ...)");
    return Operation{UpdateOp{id, std::move(p)}};
  }
  if (sub == "suspend") return Operation{SuspendOp{id}};
  if (sub == "resume") return Operation{ResumeOp{id}};
  if (sub == "deactivate") return Operation{DeactivateOp{id}};
  if (sub == "reactivate") return Operation{ReactivateOp{id}};
  if (sub == "lock") return Operation{LockOp{id}};
  if (sub == "unlock") return Operation{UnlockOp{id}};
  if (sub == "activate") return Operation{ActivateOp{id}};
  if (sub == "reassign") {
    ReassignOp op{id, {}, {}, {}, args.value("effective").value_or("")};
    ROSTERD_ASSIGN(op.to_email, required(args, "to-email"));
    ROSTERD_ASSIGN(op.to_given_name, required(args, "to-given-name"));
    ROSTERD_ASSIGN(op.to_family_name, required(args, "to-family-name"));
    return Operation{std::move(op)};
  }
  DeleteOp op{id, std::nullopt};
  if (auto successor = args.value("successor")) {
    ROSTERD_ASSIGN(const Account s, ctx.resolve(*successor, target.space));
    op.successor = s.id;
  }
  return Operation{std::move(op)};
}

int run_change(CommandContext& ctx, const std::string& sub, const Args& args) {
  Account target;
  auto op = sub == "create" ? create_operation(ctx, args) : target_operation(ctx, sub, args, target);
  if (!op) return report_error(op.error(), ctx.json, ctx.out, ctx.err);
  const auto space = sub == "create" ? args.value("space") : std::optional<std::string>(target.space);
  auto actor = ctx.actor(args, space);
  if (!actor) return report_error(actor.error(), ctx.json, ctx.out, ctx.err);
  const std::string reason = args.value("reason").value_or("requested from the command line");
  auto applied = ctx.store->apply(*op, *actor, reason);
  if (!applied) return report_error(applied.error(), ctx.json, ctx.out, ctx.err);
  print_applied(ctx.out, *applied, target.id.empty() ? nullptr : &target, ctx.json);
  return 0;
}

int run_list(CommandContext& ctx, const Args& args) {
  if (!args.positionals().empty())
    return report_error(Error{ErrorCode::Usage, "accounts list takes options only", {}}, ctx.json,
                        ctx.out, ctx.err);
  AccountFilter f;
  f.space = args.value("space");
  f.role = args.value("role");
  f.licence = args.value("licence");
  f.team = args.value("team");
  f.search = args.value("search");
  f.managed_by = args.value("managed-by");
  if (auto state = args.value("state")) {
    f.state = parse_account_state(*state);
    if (!f.state)
      return report_error(Error{ErrorCode::Usage, "unknown state '" + *state +
                                                      "' (invited, active, suspended, deactivated, locked, deleted)", {}},
                          ctx.json, ctx.out, ctx.err);
    f.include_deleted = *f.state == AccountState::Deleted;
  }
  auto accounts = ctx.store->accounts(f);
  if (!accounts) return report_error(accounts.error(), ctx.json, ctx.out, ctx.err);
  print_accounts(ctx.out, *accounts, ctx.json);
  return 0;
}

int run_show(CommandContext& ctx, const Args& args) {
  auto name = the_account_argument(args, "show");
  if (!name) return report_error(name.error(), ctx.json, ctx.out, ctx.err);
  auto a = ctx.resolve(*name, args.value("space"));
  if (!a) return report_error(a.error(), ctx.json, ctx.out, ctx.err);
  print_account(ctx.out, *a, ctx.json);
  return 0;
}

}  // namespace

OptionSpec accounts_options(const std::string& sub) {
  OptionSpec spec;
  if (sub == "list") spec.with_value = {"role", "licence", "state", "team", "search", "managed-by"};
  if (sub == "create") {
    for (const auto& o : kProfileOptions) spec.with_value.insert(o);
    spec.with_value.insert("from-template");
  }
  if (sub == "update")
    for (const auto& o : kProfileOptions) spec.with_value.insert(o);
  if (sub == "reassign") spec.with_value = {"to-email", "to-given-name", "to-family-name", "effective"};
  if (sub == "delete") spec.with_value = {"successor"};
  if (sub != "list" && sub != "show") {
    spec.with_value.insert("as");
    spec.with_value.insert("reason");
  }
  return spec;
}

int run_accounts(CommandContext& ctx, const std::string& sub, const Args& args) {
  if (sub == "list") return run_list(ctx, args);
  if (sub == "show") return run_show(ctx, args);
  return run_change(ctx, sub, args);
}

bool is_accounts_command(const std::string& sub) {
  return sub == "list" || sub == "show" || sub == "create" || sub == "update" ||
         sub == "reassign" || sub == "delete" || kStateCommands.count(sub) > 0;
}

}  // namespace rosterd::cli
