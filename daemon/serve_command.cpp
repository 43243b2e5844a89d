// `rosterd serve`: the daemon. Opens the stores, serves SCIM on listen.scim (HTTPS when
// listen.tls is set), reconciles spaces after identity changes (daemon/reconcile/
// reconciler.h), reads each LDAP source on its interval (daemon/sources/source_pollers.h),
// reloads the rules and the directory sources on SIGHUP (a bad file is refused and the
// old ones stay), and stops cleanly on SIGTERM or SIGINT: no new connections, requests in flight
// answered, queued writes committed, the plan being applied finished, then exit 0.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <ostream>

#include "config/host_port.h"
#include "config/load_config.h"
#include "daemon/command_context.h"
#include "daemon/commands.h"
#include "daemon/http/http_server.h"
#include "daemon/log.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/reconciler.h"
#include "daemon/sources/source_pollers.h"
#include "daemon/reconcile/template_check.h"
#include "scim/scim_response.h"
#include "scim/scim_service.h"

namespace rosterd::cli {
namespace {

// Blocks SIGTERM, SIGINT and SIGHUP in this thread (and so in every thread it starts)
// so that wait_for_signal() receives them with sigwait rather than a handler.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_signal(const sigset_t& set) {
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

Result<HostPort> listen_address(const Config& config, const Args& args) {
  std::string text = config.listen.scim;
  if (auto v = args.value("listen")) text = *v;
  if (text.empty())
    return fail(ErrorCode::Config, config.file + ": listen.scim is not set: nothing to serve");
  // Port 0 (any free port, logged once bound) is for tests; the configuration refuses it.
  if (text.ends_with(":0")) {
    auto with_port = parse_host_port(text.substr(0, text.size() - 1) + "1");
    if (with_port) return HostPort{with_port->host, 0};
  }
  auto parsed = parse_host_port(text);
  if (!parsed) return fail(ErrorCode::Usage, "--listen: expected HOST:PORT, not '" + text + "'");
  return *parsed;
}

std::vector<scim::ScimSource> scim_sources(const Config& config) {
  std::vector<scim::ScimSource> out;
  for (const SourceConfig& s : config.sources)
    if (s.kind == "scim") out.push_back(scim::ScimSource{s.id, s.space, s.tokens});
  return out;
}

// The rules of a configuration, checked as serve needs them: they compile, and every
// template account they name exists.
Result<std::shared_ptr<const Planner>> checked_planner(const Config& config, AccountStore& accounts) {
  auto planner = Planner::create(config);
  if (!planner) return planner;
  auto missing = missing_templates(config, accounts);
  if (!missing) return tl::unexpected(missing.error());
  if (!missing->empty()) {
    std::string message;
    for (const LintFinding& f : *missing)
      message += (message.empty() ? "" : "\n") + f.location.to_string() + ": " + f.message;
    return fail(ErrorCode::Config, message);
  }
  return planner;
}

// The settings of every LDAP source, or the first that cannot be used.
Result<std::vector<LdapSourceSettings>> directory_sources(const Config& config) {
  std::vector<LdapSourceSettings> out;
  for (const SourceConfig& s : config.sources) {
    if (s.kind != "ldap") continue;
    auto settings = ldap_source_settings(s);
    if (!settings) return tl::unexpected(settings.error());
    out.push_back(std::move(*settings));
  }
  return out;
}

// SIGHUP: load and check the file again; only a wholly valid one replaces the rules and
// the directory pollers (restarted with the new sources, a read in progress finished
// first). Listeners and SCIM tokens are read at start only (the service issue extends this).
void reload(const std::string& file, Reconciler& reconciler, SourcePollers& pollers, AccountStore& accounts) {
  auto config = load_config(file);
  if (!config) {
    log_event("error", "reload_refused", {{"file", file}, {"error", config.error().message}});
    return;
  }
  auto planner = checked_planner(*config, accounts);
  if (!planner) {
    log_event("error", "reload_refused", {{"file", file}, {"error", planner.error().message}});
    return;
  }
  auto directories = directory_sources(*config);
  if (!directories) {
    log_event("error", "reload_refused", {{"file", file}, {"error", directories.error().message}});
    return;
  }
  reconciler.replace_planner(std::move(*planner));
  pollers.start(std::move(*directories));
  log_event("info", "reloaded", {{"file", file}, {"rules", std::to_string(config->rules.size())}});
}

}  // namespace

OptionSpec serve_options() {
  OptionSpec spec;
  spec.with_value.insert({"listen"});
  return spec;
}

int run_serve(const Args& args, std::ostream& out, std::ostream& err) {
  const sigset_t signals = block_signals();
  auto ctx = open_context(args, out, err);
  if (!ctx) return report_error(ctx.error(), false, out, err);
  const Config& config = (*ctx)->config;
  auto address = listen_address(config, args);
  if (!address) return report_error(address.error(), false, out, err);
  auto planner = checked_planner(config, *(*ctx)->store);
  if (!planner) return report_error(planner.error(), false, out, err);
  auto identities = open_identity_store(config);
  if (!identities) return report_error(identities.error(), false, out, err);
  // A second connection for the reload checks: the reconciler's is its own.
  auto reload_store = open_store(config);
  if (!reload_store) return report_error(reload_store.error(), false, out, err);
  auto directories = directory_sources(config);
  if (!directories) return report_error(directories.error(), false, out, err);
  Reconciler reconciler(std::move(*planner), std::move((*ctx)->store), **identities);
  SourcePollers pollers(**identities);

  scim::ScimServiceOptions options;
  options.https = !config.listen.tls_cert.empty();
  auto service = scim::ScimService::create(**identities, scim_sources(config), options);
  if (!service) return report_error(service.error(), false, out, err);

  const scim::ScimService& scim = **service;
  http::Handler handler = [&scim](scim::HttpRequest&& request, http::Respond respond) {
    scim.handle(std::move(request), std::move(respond));
  };
  std::optional<http::TlsFiles> tls;
  if (options.https) tls = http::TlsFiles{config.listen.tls_cert, config.listen.tls_key};
  auto server = http::Server::bind(address->host, address->port, handler, http::ServerLimits{}, tls);
  if (!server) return report_error(server.error(), false, out, err);
  (*server)->start();
  reconciler.start();
  pollers.start(std::move(*directories));
  const std::string host = address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
  log_event("info", "listening", {{"listener", "scim"},
                                  {"address", host + ":" + std::to_string((*server)->port())},
                                  {"tls", options.https ? "true" : "false"},
                                  {"sources", std::to_string(scim_sources(config).size())}});

  int signal = wait_for_signal(signals);
  for (; signal == SIGHUP; signal = wait_for_signal(signals))
    reload(config.file, reconciler, pollers, **reload_store);
  log_event("info", "stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // Order matters: the server first (no new requests; those in flight finish), then the
  // reconciler (the plan being applied is finished), then the writer (queued writes
  // committed and answered), then the server object.
  (*server)->stop(std::chrono::seconds(10));
  pollers.stop();
  reconciler.stop();
  (*identities)->close();
  server->reset();
  log_event("info", "stopped");
  return 0;
}

}  // namespace rosterd::cli
