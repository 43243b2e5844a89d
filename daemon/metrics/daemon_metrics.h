// The metric families of `rosterd serve`, registered once in a Registry that serve owns.
// Event counters (requests, SCIM operations, directory reads, plan operations) are moved
// by whoever sees the event; the gauges of stored state (identities, licences, outbox,
// source health) are refilled from the store at each scrape (daemon/admin).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/metrics/metrics_registry.h"

namespace rosterd::metrics {

// The route template of a request target: "/scim/v2/Users/{id}", never the id itself
// (ids and filters may carry personal data). Unknown paths are "other".
std::string route_template(std::string_view target);
// A SCIM request's resource ("User", "Group", ...) and operation ("create", "get",
// "list", "search", "replace", "patch", "delete", "bulk"); resource "" when the target is
// not a SCIM resource endpoint.
struct ScimOperation {
  std::string resource, operation;
};
ScimOperation scim_operation(std::string_view method, std::string_view target);

class DaemonMetrics {
 public:
  explicit DaemonMetrics(Registry& registry);

  // A request answered; `route` from route_template().
  void http_request(const std::string& route, const std::string& method, int status, double seconds);
  void scim_request(std::string_view method, std::string_view target, int status);
  // A directory read finished.
  void sync_run(const std::string& source, bool ok, double seconds);
  // A plan of `space` was stored (planned), applied or blocked with `count` operations of
  // type `operation`.
  void plan_operations(const std::string& operation, const std::string& state, std::uint64_t count);
  void plan(const std::string& space, const std::string& state);

  // Refilled at each scrape.
  GaugeFamily& source_up;
  GaugeFamily& sync_last_success;
  GaugeFamily& identities;
  GaugeFamily& licences_used;
  GaugeFamily& licences_total;
  GaugeFamily& licences_pending;
  GaugeFamily& pending;
  GaugeFamily& outbox_events;
  GaugeFamily& outbox_depth;
  GaugeFamily& store_up;
  GaugeFamily& leader;
  CounterFamily& outbox_deliveries;
  CounterFamily& outbox_retries;
  CounterFamily& outbox_dead_letters;

 private:
  CounterFamily& http_requests_;
  HistogramFamily& http_duration_;
  CounterFamily& scim_operations_;
  CounterFamily& sync_runs_;
  CounterFamily& sync_failures_;
  HistogramFamily& sync_duration_;
  CounterFamily& plan_operations_;
  CounterFamily& plans_;
};

}  // namespace rosterd::metrics
