// The CLI's commands. Each takes the parsed arguments (positionals after the command
// words) and returns the exit code.
#pragma once

#include <iosfwd>
#include <string>

#include "daemon/cli_args.h"
#include "daemon/command_context.h"

namespace rosterd::cli {

// The options each command accepts, on top of the common ones.
OptionSpec accounts_options(const std::string& sub);
int run_accounts(CommandContext& ctx, const std::string& sub, const Args& args);
bool is_accounts_command(const std::string& sub);

OptionSpec audit_options();
int run_audit(CommandContext& ctx, const Args& args);
int run_licences(CommandContext& ctx, const Args& args);

OptionSpec plan_options();  // plan, sync, apply, explain
int run_plan_or_sync(CommandContext& ctx, const Args& args, bool apply);
int run_apply(CommandContext& ctx, const Args& args);
int run_explain(CommandContext& ctx, const Args& args);
int run_audit_verify(CommandContext& ctx);
int run_check_config(const Args& args, std::ostream& out, std::ostream& err);

OptionSpec serve_options();
int run_serve(const Args& args, std::ostream& out, std::ostream& err);
OptionSpec token_options();
// outbox list|retry|drop (outbox_commands.cpp): the operation and its event id are positionals.
OptionSpec outbox_options();
int run_outbox(const Args& args, std::ostream& out, std::ostream& err);
int run_token(const std::string& sub, const Args& args, std::ostream& out, std::ostream& err);
// store migrate --from STORE --to STORE (store_commands.cpp): needs no configuration.
OptionSpec store_options();
int run_store(const std::string& sub, const Args& args, std::ostream& out, std::ostream& err);

}  // namespace rosterd::cli
