#include "daemon/admin/admin_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>

#include "daemon/admin/admin_token.h"
#include "daemon/admin/status_page.h"
#include "daemon/metrics/exposition.h"

namespace rosterd::admin {
namespace {

Timestamp now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

std::string_view path_of(std::string_view target) { return target.substr(0, target.find_first_of("?#")); }

scim::HttpResponse text(int status, std::string content_type, std::string body) {
  scim::HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

scim::HttpResponse json(int status, const boost::json::object& body) {
  return text(status, "application/json", boost::json::serialize(body) + "\n");
}

double seconds_of(Timestamp t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

}  // namespace

AdminRoutes::AdminRoutes(AdminParts parts, AdminSettings settings)
    : registry_(parts.registry),
      metrics_(parts.metrics),
      identities_(parts.identities),
      outbox_totals_(std::move(parts.outbox_totals)),
      settings_(std::move(settings)),
      accounts_(std::move(parts.accounts)),
      outbox_(std::move(parts.outbox)) {}

bool AdminRoutes::is_admin_path(std::string_view target) {
  const std::string_view path = path_of(target);
  return path == "/healthz" || path == "/readyz" || path == "/metrics" || path == "/status";
}

void AdminRoutes::configure(AdminSettings settings) {
  const std::lock_guard lock(settings_mutex_);
  settings_ = std::move(settings);
}

void AdminRoutes::configure_sources(std::vector<SourceInfo> sources) {
  const std::lock_guard lock(settings_mutex_);
  settings_.sources = std::move(sources);
}

void AdminRoutes::set_leader_check(std::function<bool()> is_leader) {
  const std::lock_guard lock(settings_mutex_);
  is_leader_ = std::move(is_leader);
}

bool AdminRoutes::leads() const {
  std::function<bool()> check;
  {
    const std::lock_guard lock(settings_mutex_);
    check = is_leader_;
  }
  return !check || check();
}

AdminSettings AdminRoutes::settings() const {
  const std::lock_guard lock(settings_mutex_);
  return settings_;
}

void AdminRoutes::source_read(const std::string& source, bool ok, Timestamp at) {
  const std::lock_guard lock(settings_mutex_);
  if (ok)
    failing_since_.erase(source);
  else
    failing_since_.try_emplace(source, at);  // the first failure of a run of failures
}

// Since the first failed read this process saw after a good one; after a restart that
// found the source failing, since its last attempt (the store keeps no more).
void AdminRoutes::mark_failing_since(std::vector<SourceView>& sources) const {
  const std::lock_guard lock(settings_mutex_);
  for (SourceView& s : sources) {
    if (s.healthy) continue;
    const auto it = failing_since_.find(s.source.id);
    s.failing_since = it != failing_since_.end() ? std::optional<Timestamp>(it->second) : s.last_attempt;
  }
}

scim::HttpResponse AdminRoutes::handle(const scim::HttpRequest& request) {
  const std::string_view path = path_of(request.target);
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = text(405, "text/plain; charset=utf-8", "method not allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (path == "/healthz") return text(200, "text/plain; charset=utf-8", "ok\n");
  if (path == "/readyz") return readyz();
  if (path == "/metrics") return metrics();
  if (path == "/status") return status(request);
  return text(404, "text/plain; charset=utf-8", "not found\n");
}

scim::HttpResponse AdminRoutes::readyz() {
  const AdminSettings current = settings();
  boost::json::object body;
  bool ready = listener_up_.load();
  body["listener"] = ready ? "up" : "down";
  body["leader"] = leads();
  auto sources = read_sources(identities_, current.sources);
  if (!sources) {
    body["status"] = "unavailable";
    body["store"] = boost::json::object{{"ok", false}, {"error", sources.error().message}};
    return json(503, body);
  }
  body["store"] = boost::json::object{{"ok", true}};
  mark_failing_since(*sources);
  boost::json::array list, unhealthy;
  for (const SourceView& s : *sources) {
    boost::json::object o{{"source", s.source.id}, {"kind", s.source.kind}, {"state", s.status},
                          {"healthy", s.healthy}};
    if (s.last_success) o["last_success"] = format_timestamp(*s.last_success);
    if (!s.healthy) {
      if (s.failing_since) o["since"] = format_timestamp(*s.failing_since);
      if (!s.error.empty()) o["error"] = s.error;
      if (s.status == "never") o["error"] = "not read yet";
      unhealthy.push_back(o);
      ready = false;
    }
    list.push_back(std::move(o));
  }
  body["status"] = ready ? "ready" : "unready";
  body["sources"] = std::move(list);
  body["unhealthy"] = std::move(unhealthy);
  return json(ready ? 200 : 503, body);
}

void AdminRoutes::refresh_source_gauges(const std::vector<SourceView>& sources) {
  metrics_.source_up.clear();
  metrics_.sync_last_success.clear();
  metrics_.identities.clear();
  for (const SourceView& s : sources) {
    metrics_.source_up.with({s.source.id}).set(s.healthy ? 1 : 0);
    metrics_.identities.with({s.source.id}).set(static_cast<double>(s.identities));
    if (s.last_success) metrics_.sync_last_success.with({s.source.id}).set(seconds_of(*s.last_success));
  }
}

bool AdminRoutes::refresh_account_gauges() {
  metrics_.licences_used.clear();
  metrics_.licences_total.clear();
  metrics_.licences_pending.clear();
  metrics_.pending.clear();
  auto usage = accounts_->licence_usage();  // what `rosterd licences` shows
  if (!usage) return false;
  for (const LicenceUsage& u : *usage) {
    metrics_.licences_used.with({u.space, u.licence}).set(static_cast<double>(u.used));
    metrics_.licences_total.with({u.space, u.licence}).set(static_cast<double>(u.total));
    metrics_.licences_pending.with({u.space, u.licence}).set(static_cast<double>(u.pending));
  }
  std::vector<std::string> spaces;
  for (const LicenceUsage& u : *usage)
    if (spaces.empty() || spaces.back() != u.space) spaces.push_back(u.space);
  for (const std::string& space : spaces) {
    auto queue = accounts_->reconcile().seat_queue(space);
    if (!queue) return false;
    metrics_.pending.with({space}).set(static_cast<double>(queue->size()));
  }
  return true;
}

void AdminRoutes::refresh_outbox_gauges() {
  if (outbox_totals_) {
    const OutboxTotals totals = outbox_totals_();
    metrics_.outbox_deliveries.with({}).mirror(totals.delivered);
    metrics_.outbox_retries.with({}).mirror(totals.retried);
    metrics_.outbox_dead_letters.with({}).mirror(totals.dead);
  }
  if (!outbox_) return;
  metrics_.outbox_events.clear();
  metrics_.outbox_depth.clear();
  if (auto counts = outbox_->outbox_counts()) {
    metrics_.outbox_events.with({"pending"}).set(static_cast<double>(counts->pending));
    metrics_.outbox_events.with({"delivered"}).set(static_cast<double>(counts->delivered));
    metrics_.outbox_events.with({"dead"}).set(static_cast<double>(counts->dead));
    metrics_.outbox_depth.with({}).set(static_cast<double>(counts->pending));
  }
}

scim::HttpResponse AdminRoutes::metrics() {
  const AdminSettings current = settings();
  const std::lock_guard lock(store_mutex_);  // one scrape at a time refills the gauges
  bool store_ok = true;
  auto sources = read_sources(identities_, current.sources);
  if (sources)
    refresh_source_gauges(*sources);
  else
    store_ok = false;
  if (!refresh_account_gauges()) store_ok = false;
  refresh_outbox_gauges();
  metrics_.store_up.with({}).set(store_ok ? 1 : 0);
  metrics_.leader.with({}).set(leads() ? 1 : 0);
  return text(200, std::string(metrics::kExpositionContentType), registry_.render());
}

scim::HttpResponse AdminRoutes::status(const scim::HttpRequest& request) {
  const AdminSettings current = settings();
  if (!has_admin_token(request, current.token)) {
    auto r = text(401, "text/plain; charset=utf-8",
                  current.token.empty() ? "no admin_token_file is configured: the status page is disabled\n"
                                        : "the admin token is required\n");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"rosterd status\", charset=\"UTF-8\"");
    return r;
  }
  auto sources = read_sources(identities_, current.sources);
  if (!sources) return text(503, "text/plain; charset=utf-8", "the store cannot be read\n");
  mark_failing_since(*sources);
  Result<AccountsView> accounts = [&] {
    const std::lock_guard lock(store_mutex_);
    return read_accounts(*accounts_);
  }();
  if (!accounts) return text(503, "text/plain; charset=utf-8", "the store cannot be read\n");
  auto r = text(200, "text/html; charset=utf-8", render_status_page(*sources, *accounts, now(), leads()));
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace rosterd::admin
