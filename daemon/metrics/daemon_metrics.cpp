#include "daemon/metrics/daemon_metrics.h"

#include <vector>

namespace rosterd::metrics {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find_first_of("?#")); }

// The SCIM endpoints with a fixed name; anything else under /scim/v2 is "other".
constexpr std::string_view kScimEndpoints[] = {"Users", "Groups", "ServiceProviderConfig", "ResourceTypes",
                                               "Schemas", "Bulk", "Me", ".search"};

}  // namespace

std::string route_template(std::string_view target) {
  const std::string_view path = path_of(target);
  for (const std::string_view fixed : {"/healthz", "/readyz", "/metrics", "/status"})
    if (path == fixed) return std::string(fixed);
  const auto parts = segments(path);
  if (parts.size() < 2 || parts[0] != "scim" || parts[1] != "v2") return "other";
  if (parts.size() == 2) return "/scim/v2";
  std::string endpoint;
  for (const std::string_view known : kScimEndpoints)
    if (parts[2] == known) endpoint = std::string(known);
  if (endpoint.empty()) return "other";
  std::string route = "/scim/v2/" + endpoint;
  if (parts.size() == 3) return route;
  if (parts.size() == 4 && parts[3] == ".search") return route + "/.search";
  if (parts.size() == 4) return route + "/{id}";
  return "other";
}

ScimOperation scim_operation(std::string_view method, std::string_view target) {
  const auto parts = segments(path_of(target));
  if (parts.size() < 3 || parts[0] != "scim" || parts[1] != "v2") return {};
  std::string resource;
  if (parts[2] == "Users") resource = "User";
  if (parts[2] == "Groups") resource = "Group";
  if (parts[2] == "Bulk") return {"Bulk", "bulk"};
  if (resource.empty()) return {};
  const bool one = parts.size() == 4 && parts[3] != ".search";
  if (parts.size() == 4 && parts[3] == ".search") return {resource, "search"};
  if (parts.size() > 4) return {};
  if (method == "GET") return {resource, one ? "get" : "list"};
  if (method == "POST" && !one) return {resource, "create"};
  if (method == "PUT" && one) return {resource, "replace"};
  if (method == "PATCH" && one) return {resource, "patch"};
  if (method == "DELETE" && one) return {resource, "delete"};
  return {};
}

DaemonMetrics::DaemonMetrics(Registry& r)
    : source_up(r.gauge("rosterd_source_up", "1 if the source's last read was good (SCIM sources: always 1)",
                        {"source"})),
      sync_last_success(r.gauge("rosterd_sync_last_success_timestamp_seconds",
                                "Unix time of the source's last good read", {"source"})),
      identities(r.gauge("rosterd_identities", "Users the source holds", {"source"})),
      licences_used(r.gauge("rosterd_licences_used", "Licences in use", {"space", "licence"})),
      licences_total(r.gauge("rosterd_licences_total", "Licences bought (the quota)", {"space", "licence"})),
      licences_pending(r.gauge("rosterd_licences_pending", "People waiting for a licence of this type",
                               {"space", "licence"})),
      pending(r.gauge("rosterd_pending", "People waiting for a licence", {"space"})),
      outbox_events(r.gauge("rosterd_outbox_events", "Outbox events by delivery state", {"state"})),
      outbox_depth(r.gauge("rosterd_outbox_depth", "Outbox events waiting for delivery")),
      store_up(r.gauge("rosterd_store_up", "1 if the store answered the scrape's queries")),
      leader(r.gauge("rosterd_leader",
                     "1 while this instance holds the leader lease (runs the directory reads, the reconciler "
                     "and the senders), 0 on a standby")),
      outbox_deliveries(r.counter("rosterd_outbox_deliveries_total", "Webhook events delivered by this process")),
      outbox_retries(r.counter("rosterd_outbox_retries_total", "Webhook attempts to be retried")),
      outbox_dead_letters(r.counter("rosterd_outbox_dead_letters_total", "Webhook events given up on")),
      http_requests_(r.counter("rosterd_http_requests_total", "HTTP requests answered",
                               {"route", "method", "status"})),
      http_duration_(r.histogram("rosterd_http_request_duration_seconds",
                                 "Time from a request's arrival to its answer", {"route"}, latency_buckets())),
      scim_operations_(r.counter("rosterd_scim_operations_total", "SCIM operations by resource and type",
                                 {"resource", "operation", "status"})),
      sync_runs_(r.counter("rosterd_sync_runs_total", "Directory reads", {"source"})),
      sync_failures_(r.counter("rosterd_sync_failures_total", "Directory reads that failed", {"source"})),
      sync_duration_(r.histogram("rosterd_sync_duration_seconds", "Directory read duration", {"source"},
                                 {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300})),
      plan_operations_(r.counter("rosterd_plan_operations_total",
                                 "Plan operations by type and state (planned, applied, blocked)",
                                 {"operation", "state"})),
      plans_(r.counter("rosterd_plans_total", "Plans by space and state (planned, applied, blocked)",
                       {"space", "state"})) {}

void DaemonMetrics::http_request(const std::string& route, const std::string& method, int status,
                                 double seconds) {
  // Only standard methods as labels: anything else a client sends is "other".
  std::string m = "other";
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) m = known;
  http_requests_.with({route, m, std::to_string(status)}).inc();
  http_duration_.with({route}).observe(seconds);
}

void DaemonMetrics::scim_request(std::string_view method, std::string_view target, int status) {
  const ScimOperation op = scim_operation(method, target);
  if (op.resource.empty()) return;
  scim_operations_.with({op.resource, op.operation, std::to_string(status)}).inc();
}

void DaemonMetrics::sync_run(const std::string& source, bool ok, double seconds) {
  sync_runs_.with({source}).inc();
  if (!ok) sync_failures_.with({source}).inc();
  sync_duration_.with({source}).observe(seconds);
}

void DaemonMetrics::plan_operations(const std::string& operation, const std::string& state, std::uint64_t count) {
  plan_operations_.with({operation, state}).inc(count);
}

void DaemonMetrics::plan(const std::string& space, const std::string& state) { plans_.with({space, state}).inc(); }

}  // namespace rosterd::metrics
