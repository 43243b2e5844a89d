#include "daemon/cli.h"

#include <ostream>

#include "config/load_config.h"
#include "daemon/commands.h"
#include "daemon/log.h"

namespace rosterd::cli {
namespace {

constexpr const char* kUsage = R"(usage: rosterd [--config FILE] COMMAND [options]

The daemon:
  serve [--listen HOST:PORT]       serve SCIM 2.0 on listen.scim until SIGTERM/SIGINT
  token create --source ID         a new bearer token for a SCIM source (printed once)

Accounts (the admin panel from the shell):
  accounts list [--space S] [--role R] [--licence L] [--state ST] [--team T] [--search TEXT]
  accounts show ID|EMAIL
  accounts create --space S --email E --given-name G --family-name F --role R --licence L
                  [--team T] [--title T] [--phone P] [--country C] [--language L]
                  [--from-template EMAIL]
  accounts update ID|EMAIL [--email --given-name --family-name --title --phone --team
                  --country --language --role --licence]
  accounts suspend|resume|deactivate|reactivate|lock|unlock|activate ID|EMAIL
  accounts reassign ID|EMAIL --to-email E --to-given-name G --to-family-name F [--effective DATE]
  accounts delete ID|EMAIL [--successor EMAIL]
  audit [--since TIME|24h|7d] [--space S] [--account ID|EMAIL] [--limit N]
  audit verify                     check the audit log's hash chain (exit 1 if tampered)
  licences [--space S]

Provisioning (rules -> plan -> apply):
  plan [--space S]                 what the next apply would do and why; stores the plan
  apply [--allow-destructive] PLAN_ID   apply exactly that plan, if the store has not moved
  sync --once [--source ID] [--full] [--allow-destructive]   read sources, plan, apply unless blocked
  explain EMAIL|ID [--space S]     every rule for one person, the decision and the next step
  check-config FILE                validate the file and lint its rules (warnings exit 0)
  outbox list [--state S] | retry EVENT_ID|--dead | drop EVENT_ID   webhook events to the platform

The store:
  store migrate --from STORE --to STORE [--from-password-file F] [--to-password-file F]
                                   copy a whole store into a new, empty database (STORE:
                                   sqlite:PATH or postgresql://user@host:port/db?options)

Common options: --config FILE (default $ROSTERD_CONFIG or /etc/rosterd/rosterd.yaml),
  --json (stable machine-readable output), --space S (accounts named by email),
  --as EMAIL (act as that account of the space), --reason TEXT (recorded in the audit log),
  --log-level debug|info|warning|error (the JSON log lines on stderr; default info).
Exit codes: 0 done, 1 refused by an invariant, not found, a blocked plan, or (check-config)
  an error in the file, 2 usage or configuration error, 3 store or runtime failure.
)";

OptionSpec with_common(OptionSpec spec) {
  spec.with_value.insert({"config", "space", "log-level"});
  spec.flags.insert({"json", "help"});
  return spec;
}

int usage_error(const std::string& message, std::ostream& err) {
  err << "rosterd: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  // The command words are the first one or two positionals; options may come first.
  std::vector<std::string> words;
  std::vector<std::string> rest;
  bool value_follows = false;  // the previous token was an option that takes a value
  for (const std::string& t : argv) {
    const bool is_option = t.rfind("--", 0) == 0;
    if (words.size() < 2 && !value_follows && !is_option &&
        (words.empty() || words.front() == "accounts" || words.front() == "token" ||
         words.front() == "store" || (words.front() == "audit" && t == "verify")))
      words.push_back(t);
    else
      rest.push_back(t);
    value_follows = is_option && t.find('=') == std::string::npos && t != "--json" && t != "--help";
  }
  if (words.empty() || words.front() == "help") {
    const bool asked = !words.empty() || (!argv.empty() && (argv.front() == "--help" || argv.front() == "-h"));
    (asked ? out : err) << kUsage;
    return asked ? 0 : 2;
  }
  const std::string& command = words.front();
  OptionSpec spec;
  if (command == "accounts") {
    if (words.size() < 2 || !is_accounts_command(words[1]))
      return usage_error(words.size() < 2 ? "accounts: which operation?"
                                          : "accounts: unknown operation '" + words[1] + "'", err);
    spec = accounts_options(words[1]);
  } else if (command == "audit") {
    spec = audit_options();
  } else if (command == "plan" || command == "sync" || command == "apply" || command == "explain") {
    spec = plan_options();
  } else if (command == "outbox") {
    spec = outbox_options();
  } else if (command == "serve") {
    spec = serve_options();
  } else if (command == "token") {
    if (words.size() < 2) return usage_error("token: which operation? (create)", err);
    spec = token_options();
  } else if (command == "store") {
    if (words.size() < 2) return usage_error("store: which operation? (migrate)", err);
    spec = store_options();
  } else if (command != "licences" && command != "check-config" && command != "version") {
    return usage_error("unknown command '" + command + "'", err);
  }
  auto args = Args::parse(rest, with_common(spec));
  if (!args) return usage_error(args.error().message, err);
  if (const auto level = args->value("log-level")) {
    auto parsed = parse_log_level(*level);
    if (!parsed) return usage_error(parsed.error().message, err);
    set_log_level(*parsed);
  }
  if (args->flag("help")) {
    out << kUsage;
    return 0;
  }
  if (command == "version") {
    out << "rosterd " << ROSTERD_VERSION << "\n";
    return 0;
  }
  if (command == "check-config") return run_check_config(*args, out, err);
  if (command == "outbox") return run_outbox(*args, out, err);
  if (command == "store") return run_store(words[1], *args, out, err);
  if (command == "serve" || command == "token") {
    if (!args->positionals().empty())
      return usage_error(command + ": unexpected argument '" + args->positionals().front() + "'", err);
    return command == "serve" ? run_serve(*args, out, err) : run_token(words[1], *args, out, err);
  }
  if (command != "accounts" && command != "apply" && command != "explain" &&
      !args->positionals().empty())
    return usage_error(command + ": unexpected argument '" + args->positionals().front() + "'", err);

  auto ctx = open_context(*args, out, err);
  if (!ctx) return report_error(ctx.error(), args->flag("json"), out, err);
  if (command == "accounts") return run_accounts(**ctx, words[1], *args);
  if (command == "audit") return words.size() > 1 ? run_audit_verify(**ctx) : run_audit(**ctx, *args);
  if (command == "plan") return run_plan_or_sync(**ctx, *args, false);
  if (command == "sync") return run_plan_or_sync(**ctx, *args, true);
  if (command == "apply") return run_apply(**ctx, *args);
  if (command == "explain") return run_explain(**ctx, *args);
  return run_licences(**ctx, *args);
}

}  // namespace rosterd::cli
