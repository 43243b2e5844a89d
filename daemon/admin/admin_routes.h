// The administrator's endpoints of `rosterd serve`, transport-free (a request value in, a
// response value out):
//   GET /healthz  200 while the process serves requests
//   GET /readyz   200, or 503 with a JSON body naming the store, listener or sources that
//                 are not well and since when; "leader": whether this instance leads (a
//                 standby is ready all the same: it serves SCIM)
//   GET /metrics  the Prometheus text format (no token: scrapers; no personal data)
//   GET /status   the HTML status page, behind the admin token (admin_token.h)
// Thread-safe: requests come from the I/O threads. The account and outbox connections are
// this object's own, used one request at a time; the identity store is read concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "daemon/admin/admin_snapshot.h"
#include "daemon/metrics/daemon_metrics.h"
#include "scim/http_message.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/outbox_store.h"

namespace rosterd::admin {

// What the webhook sender of this process counted since it started.
struct OutboxTotals {
  std::uint64_t delivered = 0, retried = 0, dead = 0;
};

// What a (re)load of the configuration gives the admin endpoints.
struct AdminSettings {
  std::vector<SourceInfo> sources;  // in configuration order
  std::string token;                // "" = no admin_token_file: /status refuses everyone
};

struct AdminParts {
  metrics::Registry& registry;
  metrics::DaemonMetrics& metrics;
  IdentityStore& identities;
  std::unique_ptr<AccountStore> accounts;       // a connection of its own
  std::unique_ptr<OutboxStore> outbox;          // may be null: no outbox metrics
  std::function<OutboxTotals()> outbox_totals;  // may be empty
};

class AdminRoutes {
 public:
  AdminRoutes(AdminParts parts, AdminSettings settings);

  static bool is_admin_path(std::string_view target);

  // A reload (SIGHUP) that succeeded.
  void configure(AdminSettings settings);
  // A reload whose admin token file could not be read: new sources, the token in force.
  void configure_sources(std::vector<SourceInfo> sources);
  // The SCIM listener accepts requests (or no longer does, when stopping).
  void set_listener_up(bool up) { listener_up_ = up; }
  // Whether this instance leads (Leadership::is_leader), for /readyz and the rosterd_leader
  // gauge. None given: a lone instance, always the leader.
  void set_leader_check(std::function<bool()> is_leader);
  // A directory read finished (the pollers' observer): remembers since when a source fails.
  void source_read(const std::string& source, bool ok, Timestamp at);

  scim::HttpResponse handle(const scim::HttpRequest& request);

 private:
  scim::HttpResponse readyz();
  scim::HttpResponse metrics();
  scim::HttpResponse status(const scim::HttpRequest& request);
  AdminSettings settings() const;
  bool leads() const;
  void mark_failing_since(std::vector<SourceView>& sources) const;
  void refresh_source_gauges(const std::vector<SourceView>& sources);
  bool refresh_account_gauges();
  void refresh_outbox_gauges();

  metrics::Registry& registry_;
  metrics::DaemonMetrics& metrics_;
  IdentityStore& identities_;
  std::function<OutboxTotals()> outbox_totals_;
  std::atomic<bool> listener_up_{false};

  mutable std::mutex settings_mutex_;
  AdminSettings settings_;
  std::map<std::string, Timestamp, std::less<>> failing_since_;  // under settings_mutex_
  std::function<bool()> is_leader_;                               // under settings_mutex_

  std::mutex store_mutex_;  // one request at a time on these connections, and one scrape
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<OutboxStore> outbox_;
};

}  // namespace rosterd::admin
