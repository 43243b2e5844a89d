#include "daemon/command_context.h"

#include <cstdlib>
#include <ostream>

#include <boost/json/serialize.hpp>

#include "config/load_config.h"
#include "daemon/open_store.h"

namespace rosterd::cli {

Result<std::unique_ptr<CommandContext>> open_context(const Args& args, std::ostream& out,
                                                      std::ostream& err) {
  std::string path = "/etc/rosterd/rosterd.yaml";
  if (const char* env = std::getenv("ROSTERD_CONFIG"); env && *env) path = env;
  if (auto v = args.value("config")) path = *v;
  auto config = load_config(path);
  if (!config) return tl::unexpected(config.error());
  auto store = open_store(*config);
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<CommandContext>(new CommandContext{
      std::move(*config), std::move(*store), args.flag("json"), out, err});
}

Result<Account> CommandContext::resolve(const std::string& id_or_email,
                                        const std::optional<std::string>& space) {
  if (id_or_email.find('@') == std::string::npos) {
    auto a = store->account(id_or_email);
    if (!a) return tl::unexpected(a.error());
    if (!*a) return fail(ErrorCode::NotFound, "no account with id '" + id_or_email + "'");
    return **a;
  }
  std::optional<std::string_view> in_space;
  if (space) in_space = *space;
  auto found = store->accounts_by_email(id_or_email, in_space);
  if (!found) return tl::unexpected(found.error());
  if (found->empty())
    return fail(ErrorCode::NotFound, "no account with email " + id_or_email +
                                         (space ? " in space '" + *space + "'" : std::string()));
  if (found->size() > 1) {
    std::string spaces;
    for (const auto& a : *found) spaces += (spaces.empty() ? "" : ", ") + a.space;
    return fail(ErrorCode::Usage, id_or_email + " has an account in several spaces (" + spaces +
                                      "): name one with --space");
  }
  return found->front();
}

Result<Actor> CommandContext::actor(const Args& args, const std::optional<std::string>& space) {
  if (auto as = args.value("as")) {
    auto a = resolve(*as, space);
    if (!a) return tl::unexpected(a.error());
    return Actor::account(a->id);
  }
  const char* user = std::getenv("SUDO_USER");
  if (!user || !*user) user = std::getenv("USER");
  return Actor::operator_named(user && *user ? user : "cli");
}

int report_error(const Error& e, bool json, std::ostream& out, std::ostream& err) {
  err << "rosterd: " << e.message << "\n";
  if (json) {
    boost::json::object o{{"code", traits(e.code).name}, {"message", e.message}};
    if (!e.invariant.empty()) o["invariant"] = e.invariant;
    out << boost::json::serialize(boost::json::object{{"error", o}}) << "\n";
  }
  return e.exit_code();
}

}  // namespace rosterd::cli
