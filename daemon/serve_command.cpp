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
#include <signal.h>

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "config/store_url.h"
#include "daemon/admin/admin_handlers.h"
#include "daemon/blocking_pool.h"
#include "daemon/command_context.h"
#include "daemon/commands.h"
#include "daemon/http/http_server.h"
#include "daemon/invitation_setup.h"
#include "daemon/leadership_setup.h"
#include "daemon/log.h"
#include "daemon/metrics/daemon_metrics.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/reconciler.h"
#include "daemon/serve_reload.h"
#include "daemon/serve_setup.h"
#include "daemon/serve_signals.h"
#include "daemon/service/heartbeat.h"
#include "daemon/service/service_notifier.h"
#include "daemon/service/service_status.h"
#include "daemon/sources/source_pollers.h"
#include "daemon/webhook_setup.h"
#include "scim/scim_service.h"
#include "store/store_options.h"

namespace rosterd::cli {

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
  // One plan or full directory read in memory at a time (reconciler.h).
  std::mutex large_work;
  ReconcilerOptions reconciler_options;
  reconciler_options.large_work = &large_work;
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
                        is_leader, &large_work);

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
