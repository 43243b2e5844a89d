#include "daemon/serve_setup.h"

#include <map>
#include <string>

#include "daemon/admin/admin_token.h"
#include "daemon/reconcile/template_check.h"

namespace rosterd::cli {

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

std::size_t polled(const Config& config) {
  std::size_t n = 0;
  for (const SourceConfig& s : config.sources) n += s.kind == "ldap" ? 1 : 0;
  return n;
}

}  // namespace rosterd::cli
