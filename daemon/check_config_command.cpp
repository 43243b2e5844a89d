// `rosterd check-config FILE`: the file's errors (exit 1, each as FILE:LINE:COLUMN), then
// the rules' lint warnings (exit 0), then the store: one that serve could not open (a
// PostgreSQL database that cannot be reached or logged into, an unreadable password file,
// a schema newer than this rosterd) is an error; one at the latest schema version gets the
// checks that need it: template accounts that do not exist (errors) and quotas the known
// identities would exceed (warnings). It never changes the store (a SQLite file that does
// not exist, or an older schema, is noted and not read).
#include <algorithm>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "config/load_config.h"
#include "config/store_url.h"
#include "daemon/commands.h"
#include "daemon/open_store.h"
#include "daemon/reconcile/space_planner.h"
#include "daemon/reconcile/template_check.h"
#include "daemon/sources/ldap_source_settings.h"
#include "daemon/invitation_setup.h"
#include "daemon/webhook_setup.h"
#include "mapping/lint.h"
#include "store/sql/migrations.h"
#include "store/sql/store_copy.h"

namespace rosterd::cli {
namespace {

// Whether the store can be read as it is, without changing it: a SQLite file that does not
// exist yet is a note (serve creates it); a database that cannot be reached (wrong
// password, host down, a certificate that does not verify) or whose schema is newer than
// this rosterd knows is an error, since serve would refuse to start; one at an older
// version is a note (serve migrates it; check-config never does). True when the store is
// at the latest version and can be read.
bool store_readable(const Config& config, std::vector<LintFinding>& findings, std::string& note) {
  if (!is_postgres_url(config.store) && !existing_sqlite_file(config)) {
    note = "store " + config.store + " not found: template accounts and quotas not checked";
    return false;
  }
  const auto error = [&](const std::string& message) {
    findings.push_back(LintFinding{LintFinding::Severity::Error, config.store_location, message});
    return false;
  };
  auto conn = connect_store(config);
  if (!conn) return error(conn.error().message);
  auto version = sql::stored_schema_version(**conn);
  if (!version) return error("store " + config.store + ": " + version.error().message);
  if (*version > sql::latest_schema_version())
    return error("store " + config.store + ": the database has schema version " + std::to_string(*version) +
                 ", newer than this rosterd knows (" + std::to_string(sql::latest_schema_version()) +
                 "): upgrade rosterd");
  if (*version < sql::latest_schema_version()) {
    note = "store " + config.store + " is at schema version " + std::to_string(*version) + "; `rosterd serve` " +
           "will migrate it to " + std::to_string(sql::latest_schema_version()) +
           ": template accounts and quotas not checked";
    return false;
  }
  return true;
}

// Template and quota findings from the store (at the latest schema version: nothing is
// migrated or otherwise written).
Result<std::vector<LintFinding>> store_findings(const Config& config) {
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
  // The store: its password file (named, never shown), then the database itself.
  std::string note;
  auto password = is_postgres_url(config->store) ? postgres_target(store_address(*config))
                                                 : Result<PostgresTarget>(PostgresTarget{});
  if (!password) {
    findings.push_back(LintFinding{LintFinding::Severity::Error, config->store_location, password.error().message});
  } else if (store_readable(*config, findings, note)) {
    auto from_store = store_findings(*config);
    if (!from_store) note = "store checks skipped: " + from_store.error().message;
    else findings.insert(findings.end(), from_store->begin(), from_store->end());
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
