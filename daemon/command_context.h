// What every store command needs: the loaded configuration, the open store, how to
// print, and who is acting. Built once per invocation.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/operation.h"
#include "daemon/cli_args.h"
#include "store/account_store.h"

namespace rosterd::cli {

struct CommandContext {
  Config config;
  std::unique_ptr<AccountStore> store;
  bool json = false;
  std::ostream& out;
  std::ostream& err;

  // An account named by id or by email (with --space when the email is in several spaces).
  Result<Account> resolve(const std::string& id_or_email, const std::optional<std::string>& space);
  // The actor: --as EMAIL acts as that account of the space; otherwise the operator.
  Result<Actor> actor(const Args& args, const std::optional<std::string>& space);
};

// Loads the configuration named by --config (or $ROSTERD_CONFIG, or
// /etc/rosterd/rosterd.yaml), opens its store and applies its spaces and quotas.
Result<std::unique_ptr<CommandContext>> open_context(const Args& args, std::ostream& out,
                                                      std::ostream& err);

// Reports an error in the form the invocation asked for and returns its exit code.
int report_error(const Error& e, bool json, std::ostream& out, std::ostream& err);

}  // namespace rosterd::cli
