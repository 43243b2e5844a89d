#include "daemon/output.h"

#include <algorithm>
#include <ostream>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "store/account_json.h"

namespace rosterd::cli {
namespace {

// Prints rows as columns padded to their widest cell.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

void print_accounts(std::ostream& out, const std::vector<Account>& accounts, bool json) {
  if (json) {
    boost::json::array a;
    for (const auto& account : accounts) a.emplace_back(account_json(account));
    out << boost::json::serialize(a) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{
      {"SPACE", "EMAIL", "NAME", "ROLE", "LICENCE", "TEAM", "STATE", "MANAGED_BY", "ID"}};
  for (const auto& a : accounts)
    rows.push_back({a.space, a.email, a.given_name + " " + a.family_name, a.role, a.licence,
                    or_dash(a.team), std::string(to_string(a.state)), a.managed_by, a.id});
  print_table(out, rows);
  out << accounts.size() << (accounts.size() == 1 ? " account\n" : " accounts\n");
}

void print_account(std::ostream& out, const Account& a, bool json) {
  if (json) {
    out << boost::json::serialize(account_json(a)) << "\n";
    return;
  }
  std::string folders;
  for (const auto& f : a.folders) folders += (folders.empty() ? "" : ", ") + f;
  print_table(out, {{"id:", a.id},
                    {"space:", a.space},
                    {"email:", a.email},
                    {"name:", a.given_name + " " + a.family_name},
                    {"title:", or_dash(a.title)},
                    {"phone:", or_dash(a.phone)},
                    {"team:", or_dash(a.team)},
                    {"country:", or_dash(a.country)},
                    {"language:", or_dash(a.language)},
                    {"role:", a.role},
                    {"licence:", a.licence},
                    {"state:", std::string(to_string(a.state))},
                    {"managed by:", a.managed_by},
                    {"successor:", or_dash(a.successor)},
                    {"folders:", or_dash(folders)},
                    {"created:", format_timestamp(a.created_at)},
                    {"updated:", format_timestamp(a.updated_at)},
                    {"version:", std::to_string(a.version)}});
}

void print_applied(std::ostream& out, const Applied& applied, const Account* unchanged, bool json) {
  const Transition& t = applied.transition;
  if (json) {
    boost::json::object o{{"operation", t.operation}, {"changed", t.changed()}};
    boost::json::array accounts;
    for (const auto& a : t.accounts) accounts.emplace_back(account_json(a));
    if (!t.accounts.empty()) o["account"] = accounts.front();
    else if (unchanged) o["account"] = account_json(*unchanged);
    o["accounts"] = std::move(accounts);
    boost::json::array events;
    for (const auto& e : t.events) {
      boost::json::object details;
      for (const auto& [k, v] : e.details) details[k] = v;
      events.emplace_back(boost::json::object{
          {"id", e.id}, {"type", e.type}, {"account_id", e.account_id}, {"details", details}});
    }
    o["events"] = std::move(events);
    out << boost::json::serialize(o) << "\n";
    return;
  }
  if (!t.changed()) {
    out << t.operation << ": nothing to change" << (unchanged ? " for " + unchanged->email : "") << "\n";
    return;
  }
  for (const auto& e : t.events) {
    const auto a = std::find_if(t.accounts.begin(), t.accounts.end(),
                                [&](const Account& x) { return x.id == e.account_id; });
    out << e.type << " " << (a != t.accounts.end() ? a->email : e.account_id);
    for (const auto& [k, v] : e.details) out << " " << k << "=" << v;
    out << "\n";
  }
}

void print_audit(std::ostream& out, const std::vector<AuditEntry>& entries, bool json) {
  if (json) {
    boost::json::array a;
    for (const auto& e : entries) {
      boost::json::object details;
      for (const auto& [k, v] : e.details) details[k] = v;
      a.emplace_back(boost::json::object{
          {"seq", e.seq}, {"at", format_timestamp(e.at)}, {"actor", e.actor},
          {"operation", e.operation}, {"event", e.event}, {"event_id", e.event_id},
          {"space", e.space}, {"account_id", e.account_id}, {"email", e.email}, {"reason", e.reason},
          {"details", details}});
    }
    out << boost::json::serialize(a) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"SEQ", "AT", "ACTOR", "EVENT", "SPACE", "ACCOUNT", "DETAILS", "REASON"}};
  for (const auto& e : entries) {
    std::string details;
    for (const auto& [k, v] : e.details) details += (details.empty() ? "" : " ") + k + "=" + v;
    rows.push_back({std::to_string(e.seq), format_timestamp(e.at), e.actor, e.event, e.space,
                    or_dash(e.email),
                    or_dash(details), or_dash(e.reason)});
  }
  print_table(out, rows);
}

void print_licences(std::ostream& out, const std::vector<LicenceUsage>& usage, bool json) {
  if (json) {
    boost::json::array a;
    for (const auto& u : usage)
      a.emplace_back(boost::json::object{{"space", u.space}, {"licence", u.licence},
                                         {"used", u.used}, {"total", u.total},
                                         {"pending", u.pending}});
    out << boost::json::serialize(a) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"SPACE", "LICENCE", "USED/TOTAL", "FREE", "PENDING"}};
  for (const auto& u : usage)
    rows.push_back({u.space, u.licence, std::to_string(u.used) + "/" + std::to_string(u.total),
                    std::to_string(std::max<std::int64_t>(0, u.total - u.used)),
                    std::to_string(u.pending)});
  print_table(out, rows);
}

}  // namespace rosterd::cli
