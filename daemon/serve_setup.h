// The parts `rosterd serve` builds from its configuration and command line: addresses,
// the SCIM service slot and handler, the checked rules, the directory sources, the admin
// settings; also used again by a reload (daemon/serve_reload.h).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "config/config.h"
#include "config/host_port.h"
#include "core/error.h"
#include "daemon/admin/admin_routes.h"
#include "daemon/cli_args.h"
#include "daemon/http/http_server.h"
#include "daemon/metrics/daemon_metrics.h"
#include "daemon/reconcile/plan_runner.h"
#include "daemon/reconcile/space_planner.h"
#include "daemon/sources/ldap_source_settings.h"
#include "scim/scim_service.h"
#include "store/account_store.h"

namespace rosterd::cli {

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

// Each request goes to the SCIM service in force when it arrives, and keeps it until
// answered, even if a reload has replaced it.
http::Handler scim_handler(const ScimSlot& scim);

// The SCIM listener: --listen, else listen.scim (port 0 only from the command line: tests).
Result<HostPort> listen_address(const Config& config, const Args& args);

// The admin listener (/healthz /readyz /metrics /status): --admin-listen, else
// listen.admin; none (nullopt) = those routes are served on the SCIM listener.
Result<std::optional<HostPort>> admin_address(const Config& config, const Args& args);

// The sources and the admin token of a configuration, as the admin routes see them.
Result<admin::AdminSettings> admin_settings(const Config& config);

// A stored plan's operations by type: planned, then applied or blocked.
void count_plan(metrics::DaemonMetrics& metrics, const SpaceRun& run);

std::vector<scim::ScimSource> scim_sources(const Config& config);

// The rules of a configuration, checked as serve needs them: they compile, and every
// template account they name exists.
Result<std::shared_ptr<const Planner>> checked_planner(const Config& config, AccountStore& accounts);

// The settings of every LDAP source, or the first that cannot be used.
Result<std::vector<LdapSourceSettings>> directory_sources(const Config& config);

// How many sources are polled (LDAP).
std::size_t polled(const Config& config);

}  // namespace rosterd::cli
