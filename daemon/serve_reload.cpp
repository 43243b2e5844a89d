#include "daemon/serve_reload.h"

#include "config/load_config.h"
#include "config/store_url.h"
#include "daemon/log.h"
#include "daemon/open_store.h"

namespace rosterd::cli {
namespace {

// What a reload replaces, built and checked whole before any of it is used.
struct Staged {
  Config config;
  std::shared_ptr<const Planner> planner;
  std::vector<LdapSourceSettings> directories;
  std::shared_ptr<const scim::ScimService> scim;
  std::vector<webhook::WebhookTarget> webhooks;  // their secrets read
  std::vector<webhook::InvitationTarget> invitations;  // their SMTP passwords read
};

Result<Staged> stage(const std::string& file, AccountStore& accounts, IdentityStore& identities,
                     const scim::ScimServiceOptions& options) {
  auto config = load_config(file);
  if (!config) return tl::unexpected(config.error());
  // The store's password file is read again: one that cannot be read now would fail the
  // next reconnection (the password in force stays until a restart).
  if (is_postgres_url(config->store))
    if (auto target = postgres_target(store_address(*config)); !target) return tl::unexpected(target.error());
  auto planner = checked_planner(*config, accounts);
  if (!planner) return tl::unexpected(planner.error());
  auto directories = directory_sources(*config);
  if (!directories) return tl::unexpected(directories.error());
  // The pollers read the bind password at each connection; a file that cannot be read
  // now would make the new source fail from its first read, so the reload is refused.
  for (const LdapSourceSettings& d : *directories)
    if (auto password = read_bind_password(d); !password) return tl::unexpected(password.error());
  auto service = scim::ScimService::create(identities, scim_sources(*config), options);
  if (!service) return tl::unexpected(service.error());
  // Likewise a webhook secret that cannot be read refuses the reload, not only its space.
  auto webhooks = webhook_targets(*config);
  if (!webhooks) return tl::unexpected(webhooks.error());
  // And an SMTP password file that cannot be read.
  auto invitations = invitation_targets(*config);
  if (!invitations) return tl::unexpected(invitations.error());
  return Staged{std::move(*config), std::move(*planner), std::move(*directories), std::move(*service),
                std::move(*webhooks), std::move(*invitations)};
}

// The invitation sender runs only while some space asks for it: started by the first
// reload that has one, given its new targets by the others (none: it idles).
void reload_invitations(const Config& config, std::vector<webhook::InvitationTarget> targets,
                        std::unique_ptr<webhook::InvitationSender>& sender, const Leadership& leadership) {
  const std::size_t spaces = targets.size();
  if (sender) {
    sender->replace_targets(std::move(targets));
  } else if (spaces > 0) {
    auto started = start_invitation_sender(config, std::move(targets), [&leadership] { return leadership.is_leader(); });
    if (!started) {
      log_event("error", "invitation_sender_failed", {{"error", started.error().message}});
      return;
    }
    sender = std::move(*started);
  }
  log_event("info", "invitations_reloaded", {{"file", config.file}, {"spaces", std::to_string(spaces)}});
}

}  // namespace

void reload(const Running& running, Reconciler& reconciler, SourcePollers& pollers, ScimSlot& scim,
            ServiceStatus& status, AccountStore& accounts, IdentityStore& identities,
            admin::AdminRoutes& admin, webhook::WebhookSender& webhooks,
            std::unique_ptr<webhook::InvitationSender>& invitations, const Leadership& leadership) {
  log_event("info", "reloading", {{"file", running.file}});
  auto staged = stage(running.file, accounts, identities, running.scim_options);
  if (!staged) {
    log_event("error", "reload_refused", {{"file", running.file},
                                          {"error", staged.error().message},
                                          {"kept", "the configuration in force"}});
    status.reload_refused(system_now());
    return;
  }
  const Config& config = staged->config;
  if (config.store != running.store)
    log_event("warning", "reload_needs_restart", {{"key", "store"}, {"file", running.file}});
  if (config.listen.scim != running.listen.scim || config.listen.tls_cert != running.listen.tls_cert ||
      config.listen.tls_key != running.listen.tls_key || config.listen.admin != running.listen.admin)
    log_event("warning", "reload_needs_restart", {{"key", "listen"}, {"file", running.file}});
  reconciler.replace_planner(std::move(staged->planner));
  scim.set(std::move(staged->scim));
  status.configure(config.sources.size(), polled(config));
  pollers.start(std::move(staged->directories));
  const std::size_t webhook_spaces = staged->webhooks.size();
  webhooks.replace_targets(std::move(staged->webhooks));
  log_event("info", "webhook_reloaded", {{"file", running.file}, {"spaces", std::to_string(webhook_spaces)}});
  reload_invitations(config, std::move(staged->invitations), invitations, leadership);
  // The admin token file is read again; one that cannot be read keeps the token in force.
  if (auto settings = admin_settings(config)) {
    admin.configure(std::move(*settings));
  } else {
    log_event("error", "admin_token_unreadable", {{"error", settings.error().message}, {"kept", "the token in force"}});
    admin::AdminSettings sources_only;
    for (const SourceConfig& s : config.sources) sources_only.sources.push_back({s.id, s.kind, s.space});
    admin.configure_sources(std::move(sources_only.sources));
  }
  log_event("info", "reloaded", {{"file", running.file},
                                 {"rules", std::to_string(config.rules.size())},
                                 {"sources", std::to_string(config.sources.size())}});
}

}  // namespace rosterd::cli
