// `rosterd check-config FILE`: the file's errors (exit 1, each as FILE:LINE:COLUMN), then
// the rules' lint warnings (exit 0), then — when the file's SQLite store exists — the
// checks that need the store: template accounts that do not exist (errors) and quotas the
// known identities would exceed (warnings). It never changes the store.
#include <algorithm>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "config/load_config.h"
#include "daemon/commands.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/space_planner.h"
#include "daemon/reconcile/template_check.h"
#include "daemon/sources/ldap_source_settings.h"
#include "daemon/invitation_setup.h"
#include "daemon/webhook_setup.h"
#include "mapping/lint.h"

namespace rosterd::cli {
namespace {

// Template and quota findings from the store, or a note saying why they were skipped.
Result<std::vector<LintFinding>> store_findings(const Config& config, std::string& note) {
  if (!existing_sqlite_file(config)) {
    note = "store " + config.store + " not found: template accounts and quotas not checked";
    return std::vector<LintFinding>{};
  }
  auto store = open_store(config, /*configure=*/false);
  if (!store) return tl::unexpected(store.error());
  auto findings = missing_templates(config, **store);
  if (!findings) return findings;
  auto identities = open_identity_store(config);
  if (!identities) return tl::unexpected(identities.error());
  auto planner = Planner::create(config);
  if (!planner) return tl::unexpected(planner.error());
  std::vector<DesiredState> desired;
  for (const SpaceConfig& space : config.spaces) {
    auto inputs = read_space_inputs(config, space.space.id, **store, **identities);
    if (!inputs) return tl::unexpected(inputs.error());
    desired.push_back((*planner)->rules(space.space.id)->desired_state(inputs->directory));
  }
  (*identities)->close();
  auto quotas = lint_quotas(config, desired);
  findings->insert(findings->end(), quotas.begin(), quotas.end());
  return findings;
}

}  // namespace

int run_check_config(const Args& args, std::ostream& out, std::ostream& err) {
  std::string path;
  if (args.positionals().size() == 1) path = args.positionals().front();
  else if (auto c = args.value("config"); c && args.positionals().empty()) path = *c;
  else {
    err << "rosterd: usage: rosterd check-config FILE\n";
    return 2;
  }
  const bool json = args.flag("json");
  auto config = load_config(path);
  if (!config) {
    err << config.error().message << "\n";
    if (json)
      out << boost::json::serialize(boost::json::object{{"ok", false}, {"file", path},
                                                        {"errors", boost::json::array{config.error().message}}})
          << "\n";
    return 1;
  }
  std::vector<LintFinding> findings = lint_rules(*config);
  // Directory sources: what only makes sense together (a bind DN without a password
  // setting, StartTLS on ldaps://, an unsupported SASL mechanism).
  for (const SourceConfig& source : config->sources)
    if (source.kind == "ldap")
      if (auto settings = ldap_source_settings(source); !settings)
        findings.push_back(LintFinding{LintFinding::Severity::Error, source.location, settings.error().message});
  // Webhooks: a secret_file that is missing or cannot be read (named, never shown).
  for (LintFinding& f : webhook_findings(*config)) findings.push_back(std::move(f));
  for (LintFinding& f : invitation_findings(*config)) findings.push_back(std::move(f));
  std::string note;
  auto from_store = store_findings(*config, note);
  if (!from_store) {
    note = "store checks skipped: " + from_store.error().message;
  } else {
    findings.insert(findings.end(), from_store->begin(), from_store->end());
  }
  const auto errors = std::count_if(findings.begin(), findings.end(), [](const LintFinding& f) {
    return f.severity == LintFinding::Severity::Error;
  });
  if (json) {
    boost::json::array items;
    for (const LintFinding& f : findings)
      items.emplace_back(boost::json::object{
          {"severity", f.severity == LintFinding::Severity::Error ? "error" : "warning"},
          {"location", f.location.to_string()},
          {"message", f.message}});
    out << boost::json::serialize(boost::json::object{{"ok", errors == 0}, {"file", path},
                                                      {"findings", std::move(items)}, {"note", note}})
        << "\n";
  } else {
    for (const LintFinding& f : findings)
      (f.severity == LintFinding::Severity::Error ? err : out)
          << f.location.to_string() << ": "
          << (f.severity == LintFinding::Severity::Error ? "error" : "warning") << ": " << f.message
          << "\n";
    if (!note.empty()) out << "note: " << note << "\n";
    if (errors == 0)
      out << path << ": ok (" << config->spaces.size() << " spaces, " << config->sources.size()
          << " sources, " << config->rules.size() << " rules"
          << (findings.empty() ? "" : ", " + std::to_string(findings.size()) + " warnings") << ")\n";
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace rosterd::cli
