// `rosterd store migrate --from STORE --to STORE [--from-password-file F]
// [--to-password-file F]`: moves a store to another database (SQLite to PostgreSQL, or
// any pair) with everything in it; store/sql/store_copy.h says what is copied and how.
// The source is brought to the latest schema version first; the target must be a new
// database (or one holding nothing). Stop `rosterd serve` on the source first: what it
// writes after the copy's snapshot would not be in the target.
#include <filesystem>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "config/store_url.h"
#include "daemon/commands.h"
#include "daemon/open_store.h"
#include "store/sql/migrations.h"
#include "store/sql/store_copy.h"

namespace rosterd::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: rosterd store migrate --from STORE --to STORE [--from-password-file F] [--to-password-file F]"
    " (STORE: sqlite:PATH or postgresql://user@host:port/database?options)";

Result<void> check_url(const std::string& option, const std::string& url) {
  if (!url.starts_with("sqlite:") && !is_postgres_url(url))
    return fail(ErrorCode::Usage, "--" + option + ": expected sqlite:PATH or a postgresql:// URL");
  if (url.starts_with("sqlite:") && url.size() == 7)
    return fail(ErrorCode::Usage, "--" + option + ": expected a database file after 'sqlite:'");
  if (store_url_has_password(url))
    return fail(ErrorCode::Usage, "--" + option + ": the URL holds a password; give it with --" + option +
                                      "-password-file (or PGPASSFILE / PGPASSWORD) instead");
  return {};
}

// The source, brought to the latest schema version. A SQLite source must exist: opening
// a missing file would create an empty store and copy nothing.
Result<std::unique_ptr<sql::SqlConnection>> open_source(const StoreAddress& address) {
  if (address.url.starts_with("sqlite:")) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(address.url.substr(7), ec))
      return fail(ErrorCode::NotFound, "--from " + address.url + ": no such database file");
  }
  auto conn = connect_store(address);
  if (!conn) return conn;
  if (auto migrated = sql::migrate(**conn); !migrated)
    return tl::unexpected(Error{migrated.error().code, "--from " + address.url + ": " + migrated.error().message, {}});
  return conn;
}

// The target: a database rosterd never used gets the schema; one at the latest version is
// checked for emptiness by the copy; any other version is not a new database.
Result<std::unique_ptr<sql::SqlConnection>> open_target(const StoreAddress& address) {
  auto conn = connect_store(address);
  if (!conn) return conn;
  auto version = sql::stored_schema_version(**conn);
  if (!version) return tl::unexpected(version.error());
  if (*version != 0 && *version != sql::latest_schema_version())
    return fail(ErrorCode::Invariant, "--to " + address.url +
                                          ": the database already holds a rosterd store (schema version " +
                                          std::to_string(*version) +
                                          "); the copy goes into a new, empty database only");
  if (*version == 0)
    if (auto migrated = sql::migrate(**conn); !migrated)
      return tl::unexpected(Error{migrated.error().code, "--to " + address.url + ": " + migrated.error().message, {}});
  return conn;
}

void print_copy(std::ostream& out, const sql::StoreCopy& copy, const StoreAddress& from, const StoreAddress& to,
                bool json) {
  std::int64_t total = 0;
  for (const auto& [table, n] : copy.rows) total += n;
  if (json) {
    boost::json::object tables;
    for (const auto& [table, n] : copy.rows) tables[table] = n;
    out << boost::json::serialize(boost::json::object{{"from", from.url},
                                                      {"to", to.url},
                                                      {"rows", total},
                                                      {"tables", std::move(tables)},
                                                      {"audit_rows_verified", copy.audit.rows}})
        << "\n";
    return;
  }
  for (const auto& [table, n] : copy.rows) out << "  " << table << ": " << n << "\n";
  out << "copied " << total << " rows from " << from.url << " to " << to.url << "; the audit log verifies ("
      << copy.audit.rows << " rows)\n";
}

}  // namespace

OptionSpec store_options() {
  OptionSpec spec;
  spec.with_value.insert({"from", "to", "from-password-file", "to-password-file"});
  return spec;
}

int run_store(const std::string& sub, const Args& args, std::ostream& out, std::ostream& err) {
  const bool json = args.flag("json");
  const auto usage = [&](const std::string& message) {
    return report_error(Error{ErrorCode::Usage, message + "\n" + std::string(kUsage), {}}, json, out, err);
  };
  if (sub != "migrate") return usage("store: unknown operation '" + sub + "' (migrate)");
  if (!args.positionals().empty())
    return usage("store migrate: unexpected argument '" + args.positionals().front() + "'");
  const auto from_url = args.value("from");
  const auto to_url = args.value("to");
  if (!from_url || !to_url) return usage("store migrate: --from and --to are required");
  for (const auto& [option, url] : {std::pair{"from", *from_url}, std::pair{"to", *to_url}})
    if (auto ok = check_url(option, url); !ok) return usage(ok.error().message);
  const StoreAddress from{*from_url, args.value("from-password-file").value_or("")};
  const StoreAddress to{*to_url, args.value("to-password-file").value_or("")};
  if (from.url == to.url) return usage("store migrate: --from and --to name the same store");
  for (const StoreAddress* a : {&from, &to})
    if (!a->password_file.empty() && !is_postgres_url(a->url))
      return usage("store migrate: a password file is for a postgresql:// store");
  auto source = open_source(from);
  if (!source) return report_error(source.error(), json, out, err);
  auto target = open_target(to);
  if (!target) return report_error(target.error(), json, out, err);
  auto copy = sql::copy_store(**source, **target);
  if (!copy) return report_error(copy.error(), json, out, err);
  print_copy(out, *copy, from, to, json);
  return 0;
}

}  // namespace rosterd::cli
