// `rosterd serve`: the daemon. Opens the stores, serves SCIM on listen.scim (HTTPS when
// listen.tls is set), reconciles spaces after identity changes (daemon/reconcile/
// reconciler.h), reads each LDAP source on its interval (daemon/sources/source_pollers.h).
// Several instances may share one database: all serve SCIM, the one holding the leader
// lease (daemon/service/leadership.h) alone reads directories, reconciles and sends.
//
// Lifecycle, as systemd's Type=notify expects it (daemon/service/):
// - READY=1 once the store is open, its migrations done and the listener bound; STATUS=
//   says what the daemon does; WATCHDOG=1 from this main loop when WatchdogSec= is set.
// - SIGHUP: RELOADING=1, the whole file loaded and checked (rules, templates, directory
//   settings, SCIM tokens) before anything changes; a bad file is refused with the reason
//   logged and the old configuration stays; a good one replaces the rules, the SCIM
//   sources and tokens (requests in flight finish with the ones they started with, no
//   connection is dropped) and the directory pollers; then READY=1.
// - SIGTERM or SIGINT: STOPPING=1, no new connections, requests in flight answered,
//   queued writes committed, the plan being applied finished, then exit 0; a stop that
//   takes longer than kStopLimit gives up with exit 3 (systemd would kill it anyway).
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include "config/host_port.h"
#include "config/load_config.h"
#include "config/store_url.h"
#include "daemon/command_context.h"
#include "daemon/admin/admin_handlers.h"
#include "daemon/admin/admin_token.h"
#include "daemon/blocking_pool.h"
#include "daemon/commands.h"
#include "daemon/http/http_server.h"
#include "daemon/leadership_setup.h"
#include "daemon/log.h"
#include "daemon/metrics/daemon_metrics.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/reconciler.h"
#include "daemon/reconcile/template_check.h"
#include "daemon/service/heartbeat.h"
#include "daemon/service/service_notifier.h"
#include "daemon/service/service_status.h"
#include "daemon/sources/source_pollers.h"
#include "daemon/invitation_setup.h"
#include "daemon/webhook_setup.h"
#include "scim/scim_response.h"
#include "scim/scim_service.h"
#include "store/store_options.h"

namespace rosterd::cli {
namespace {

// Blocks SIGTERM, SIGINT and SIGHUP in this thread (and so in every thread it starts)
// so that wait_for_signal() receives them with sigtimedwait rather than a handler.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// The main loop: waits for one of `set`, beating the heartbeat (watchdog, status) while
// it waits.
int wait_for_signal(const sigset_t& set, Heartbeat& heartbeat) {
  for (;;) {
    const auto wait = heartbeat.until_due();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait);
    const timespec timeout{static_cast<time_t>(seconds.count()),
                           static_cast<long>(std::chrono::nanoseconds(wait - seconds).count())};
    const int signal = sigtimedwait(&set, nullptr, &timeout);
    if (signal > 0) return signal;
    heartbeat.beat();
  }
}

// How long a stop may take: the server's grace for requests in flight (10 s), then the
// plan being applied and the directory read in progress. Below systemd's default
// TimeoutStopSec= (90 s), so that rosterd says why before it is killed.
constexpr std::chrono::seconds kStopLimit{75};

// Runs `stop` in a thread of its own while this one keeps the watchdog fed; after
// kStopLimit, logs why and exits 3 without waiting any longer.
void stop_within(const std::function<void()>& stop, Heartbeat& heartbeat) {
  std::promise<void> stopped;
  std::future<void> done = stopped.get_future();
  std::thread stopper([&] {
    stop();
    stopped.set_value();
  });
  const auto give_up = std::chrono::steady_clock::now() + kStopLimit;
  while (done.wait_for(std::min(heartbeat.until_due(), std::chrono::milliseconds(1000))) != std::future_status::ready) {
    heartbeat.beat(false);
    if (std::chrono::steady_clock::now() >= give_up) {
      log_event("error", "stop_timed_out", {{"limit_s", std::to_string(kStopLimit.count())}});
      ::_exit(3);  // the other threads are still running: no destructors, no atexit
    }
  }
  stopper.join();
}

// The SCIM service in force. A reload swaps it whole; a request keeps the one it started
// with until it has been answered (its writes may answer later, from the writer thread).
class ScimSlot {
 public:
  explicit ScimSlot(std::shared_ptr<const scim::ScimService> service) : service_(std::move(service)) {}
  std::shared_ptr<const scim::ScimService> get() const {
    const std::lock_guard lock(mutex_);
    return service_;
  }
  void set(std::shared_ptr<const scim::ScimService> service) {
    const std::lock_guard lock(mutex_);
    service_.swap(service);
  }  // the old one is released here, or by the last request still holding it

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const scim::ScimService> service_;
};

// Each request goes to the SCIM service in force when it arrives. `in_force` keeps that
// service alive while handle() runs; the copy in the callback, until the answer (a
// write's comes later, from the writer thread), even if a reload has replaced it.
http::Handler scim_handler(const ScimSlot& scim) {
  return [&scim](scim::HttpRequest&& request, http::Respond respond) {
    const std::shared_ptr<const scim::ScimService> in_force = scim.get();
    in_force->handle(std::move(request), [keep = in_force, respond = std::move(respond)](scim::HttpResponse r) {
      respond(std::move(r));
    });
  };
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

// The admin listener (/healthz /readyz /metrics /status): --admin-listen, else
// listen.admin; none (nullopt) = those routes are served on the SCIM listener.
Result<std::optional<HostPort>> admin_address(const Config& config, const Args& args) {
  std::string text = config.listen.admin;
  if (auto v = args.value("admin-listen")) text = *v;
  if (text.empty()) return std::optional<HostPort>();
  if (text.ends_with(":0")) {  // tests: any free port, logged once bound
    auto with_port = parse_host_port(text.substr(0, text.size() - 1) + "1");
    if (with_port) return std::optional<HostPort>(HostPort{with_port->host, 0});
  }
  auto parsed = parse_host_port(text);
  if (!parsed) return fail(ErrorCode::Usage, "listen.admin: expected HOST:PORT, not '" + text + "'");
  return std::optional<HostPort>(*parsed);
}

// The sources and the admin token of a configuration, as the admin routes see them.
Result<admin::AdminSettings> admin_settings(const Config& config) {
  admin::AdminSettings settings;
  for (const SourceConfig& s : config.sources) settings.sources.push_back({s.id, s.kind, s.space});
  if (!config.admin_token_file.empty()) {
    auto token = admin::read_admin_token(config.admin_token_file);
    if (!token) return tl::unexpected(token.error());
    settings.token = std::move(*token);
  }
  return settings;
}

// A stored plan's operations by type: planned, then applied or blocked.
void count_plan(metrics::DaemonMetrics& metrics, const SpaceRun& run) {
  const auto& operations = run.plan.result.plan.operations;
  std::map<std::string, std::uint64_t> by_type;
  for (const PlannedOperation& p : operations) ++by_type[std::string(operation_name(p.op))];
  for (const auto& [type, n] : by_type) metrics.plan_operations(type, "planned", n);
  metrics.plan(run.plan.space, "planned");
  if (run.outcome) {
    std::vector<bool> refused(operations.size(), false);
    for (const auto& [index, error] : run.outcome->refused)
      if (index < refused.size()) refused[index] = true;
    std::map<std::string, std::uint64_t> applied;
    for (std::size_t i = 0; i < operations.size(); ++i)
      if (!refused[i]) ++applied[std::string(operation_name(operations[i].op))];
    for (const auto& [type, n] : applied) metrics.plan_operations(type, "applied", n);
    metrics.plan(run.plan.space, "applied");
  } else if (run.blocked) {
    for (const auto& [type, n] : by_type) metrics.plan_operations(type, "blocked", n);
    metrics.plan(run.plan.space, "blocked");
  }
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

// What the running daemon needs from its configuration besides the staged parts.
struct Running {
  std::string file;
  std::string store;
  ListenConfig listen;
  scim::ScimServiceOptions scim_options;
};

std::size_t polled(const Config& config) {
  std::size_t n = 0;
  for (const SourceConfig& s : config.sources) n += s.kind == "ldap" ? 1 : 0;
  return n;
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

// SIGHUP: load and check the file again; only a wholly valid one replaces the rules, the
// SCIM sources and tokens, and the directory pollers (restarted with the new sources, a
// read in progress finished first). The store and the listeners are opened at start
// only: a change there is logged as needing a restart, and the rest is applied.
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

}  // namespace

OptionSpec serve_options() {
  OptionSpec spec;
  spec.with_value.insert({"listen"});
  spec.with_value.insert({"admin-listen"});
  return spec;
}

int run_serve(const Args& args, std::ostream& out, std::ostream& err) {
  const sigset_t signals = block_signals();
  const ServiceNotifier notifier = ServiceNotifier::from_environment();
  notifier.status("starting: opening the store");
  auto ctx = open_context(args, out, err);
  if (!ctx) return report_error(ctx.error(), false, out, err);
  const Config& config = (*ctx)->config;
  auto address = listen_address(config, args);
  if (!address) return report_error(address.error(), false, out, err);
  auto planner = checked_planner(config, *(*ctx)->store);
  if (!planner) return report_error(planner.error(), false, out, err);
  auto identities = open_identity_store(config);
  if (!identities) return report_error(identities.error(), false, out, err);
  // Who runs the leader work among the instances on this database: decided (a first
  // attempt made) before any of that work starts.
  auto leadership = start_leadership(config);
  if (!leadership) return report_error(leadership.error(), false, out, err);
  const auto is_leader = [l = leadership->get()] { return l->is_leader(); };
  // A second connection for the reload checks: the reconciler's is its own.
  auto reload_store = open_store(config);
  if (!reload_store) return report_error(reload_store.error(), false, out, err);
  auto directories = directory_sources(config);
  if (!directories) return report_error(directories.error(), false, out, err);
  auto admin_listen = admin_address(config, args);
  if (!admin_listen) return report_error(admin_listen.error(), false, out, err);
  auto settings = admin_settings(config);
  if (!settings) return report_error(settings.error(), false, out, err);
  auto admin_store = open_store(config, false);  // the admin routes' own connection
  if (!admin_store) return report_error(admin_store.error(), false, out, err);
  auto webhooks = start_webhook_sender(config, is_leader);  // its own thread and store connection
  if (!webhooks) return report_error(webhooks.error(), false, out, err);
  // The invitation emails: a thread only when some space asks rosterd to send them.
  auto invitation_list = invitation_targets(config);
  if (!invitation_list) return report_error(invitation_list.error(), false, out, err);
  std::unique_ptr<webhook::InvitationSender> invitations;
  if (!invitation_list->empty()) {
    auto started = start_invitation_sender(config, std::move(*invitation_list), is_leader);
    if (!started) return report_error(started.error(), false, out, err);
    invitations = std::move(*started);
  } else {
    forget_invitation_starts(config);
  }
  metrics::Registry registry;
  metrics::DaemonMetrics metrics(registry);
  std::unique_ptr<OutboxStore> admin_outbox;  // outbox counts for /metrics
  if (auto opened = open_outbox_store(config)) admin_outbox = std::move(*opened);
  admin::AdminRoutes admin(
      admin::AdminParts{registry, metrics, **identities, std::move(*admin_store), std::move(admin_outbox),
                        [sender = webhooks->get()] {
                          const webhook::SenderCounts c = sender->counts();
                          return admin::OutboxTotals{c.delivered, c.retried, c.dead};
                        }},
      std::move(*settings));
  admin.set_leader_check(is_leader);
  ServiceStatus status;
  status.configure(config.sources.size(), polled(config));
  status.set_leader_check(is_leader);
  ReconcilerOptions reconciler_options;
  reconciler_options.on_run = [&metrics](const SpaceRun& run) { count_plan(metrics, run); };
  // Asked between the transactions of an apply too: a renewal in flight goes first, or on
  // SQLite it could wait behind the apply until the leadership is lost to it.
  reconciler_options.is_leader = [l = leadership->get()] {
    l->let_renewal_through(std::chrono::seconds(5));
    return l->is_leader();
  };
  Reconciler reconciler(std::move(*planner), std::move((*ctx)->store), **identities, reconciler_options);
  SourcePollers pollers(**identities, PollerTiming{},
                        [&status, &admin, &metrics](const std::string& source, bool ok, Timestamp at) {
                          status.source_read(source, ok, at);
                          admin.source_read(source, ok, at);
                          const std::chrono::duration<double> took = system_now() - at;
                          metrics.sync_run(source, ok, took.count());
                        },
                        is_leader);

  Running running{config.file, config.store, config.listen, {}};
  running.scim_options.https = !config.listen.tls_cert.empty();
  auto service = scim::ScimService::create(**identities, scim_sources(config), running.scim_options);
  if (!service) return report_error(service.error(), false, out, err);
  ScimSlot scim(std::move(*service));

  std::optional<http::TlsFiles> tls;
  if (running.scim_options.https) tls = http::TlsFiles{config.listen.tls_cert, config.listen.tls_key};
  // The admin routes have a listener of their own when one is configured (no TLS: keep
  // it on loopback or a management network); otherwise the SCIM listener serves them.
  std::unique_ptr<http::Server> admin_server;
  if (*admin_listen) {
    auto bound = http::Server::bind((*admin_listen)->host, (*admin_listen)->port,
                                    admin::with_metrics(admin::admin_only(admin), metrics));
    if (!bound) return report_error(bound.error(), false, out, err);
    admin_server = std::move(*bound);
  }
  // On PostgreSQL a SCIM request waits on the network (and on a database that went away,
  // up to its timeouts): it runs on a bounded pool, never on an I/O thread. SQLite's reads
  // are page-cache reads of microseconds and its writes answer from the writer thread.
  std::unique_ptr<BlockingPool> scim_pool;
  if (is_postgres_url(config.store)) scim_pool = std::make_unique<BlockingPool>();
  http::Handler scim_requests = scim_pool ? on_pool(*scim_pool, scim_handler(scim)) : scim_handler(scim);
  http::Handler scim_routes = admin::with_metrics(
      admin_server ? scim_requests : admin::admin_then(admin, scim_requests), metrics);
  auto server = http::Server::bind(address->host, address->port, std::move(scim_routes), http::ServerLimits{}, tls);
  if (!server) return report_error(server.error(), false, out, err);
  (*server)->start();
  admin.set_listener_up(true);
  reconciler.start();
  pollers.start(std::move(*directories));
  const std::string host = address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
  log_event("info", "listening", {{"listener", "scim"},
                                  {"address", host + ":" + std::to_string((*server)->port())},
                                  {"tls", running.scim_options.https ? "true" : "false"},
                                  {"sources", std::to_string(scim_sources(config).size())}});
  if (admin_server) {
    admin_server->start();
    const std::string& admin_host = (*admin_listen)->host;
    log_event("info", "listening",
              {{"listener", "admin"},
               {"address", (admin_host.find(':') != std::string::npos ? "[" + admin_host + "]" : admin_host) + ":" +
                               std::to_string(admin_server->port())},
               {"tls", "false"}});
  }

  Heartbeat heartbeat(notifier, [&status] { return status.line(); });
  std::string line = status.line();
  notifier.ready(line);
  heartbeat.status_sent(std::move(line));
  int signal = wait_for_signal(signals, heartbeat);
  for (; signal == SIGHUP; signal = wait_for_signal(signals, heartbeat)) {
    notifier.reloading("reloading " + running.file);
    reload(running, reconciler, pollers, scim, status, **reload_store, **identities, admin, **webhooks,
           invitations, **leadership);
    line = status.line();
    notifier.ready(line);
    heartbeat.status_sent(std::move(line));
  }
  const std::string name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
  notifier.stopping("stopping (" + name + "): finishing requests in flight and the plan being applied");
  log_event("info", "stopping", {{"signal", name}});
  // Order matters: the server first (no new requests; those in flight finish), then the
  // pollers and the reconciler (the plan being applied is finished), then the senders,
  // then the leader lease (released: a standby takes over at its next attempt), then the
  // writer (queued writes committed and answered), then the server object.
  stop_within([&] {
    admin.set_listener_up(false);
    if (admin_server) admin_server->stop(std::chrono::seconds(2));
    (*server)->stop(std::chrono::seconds(10));
    if (scim_pool) scim_pool->stop();  // the requests it still holds answered
    pollers.stop();
    reconciler.stop();
    (*webhooks)->stop();  // the batch in flight finished and recorded
    if (invitations) invitations->stop();  // likewise the email being sent
    (*leadership)->stop();  // the leader work has stopped: a standby may take over at once
    (*identities)->close();
    server->reset();
    admin_server.reset();
  }, heartbeat);
  log_event("info", "stopped");
  return 0;
}

}  // namespace rosterd::cli
