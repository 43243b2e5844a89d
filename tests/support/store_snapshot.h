// Everything an AccountStore shows, as text: the accounts (deleted ones included), the
// audit log, the outbox, the licence counters and the spaces. Two snapshots are equal
// when nothing observable changed, field for field; the text form makes a difference
// readable in a test failure. Sequence numbers are left out (a PostgreSQL sequence is
// not rolled back with its transaction); the order of the rows is kept.
#pragma once

#include <ostream>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/account.h"
#include "core/error.h"
#include "core/space.h"
#include "core/timestamp.h"
#include "store/account_store.h"

namespace rosterd::testing {

inline std::string describe(const Account& a) {
  std::string folders;
  for (const auto& f : a.folders) folders += (folders.empty() ? "" : ",") + f;
  return "account id=" + a.id + " space=" + a.space + " email=" + a.email +
         " given_name=" + a.given_name + " family_name=" + a.family_name + " title=" + a.title +
         " phone=" + a.phone + " team=" + a.team + " country=" + a.country +
         " language=" + a.language + " role=" + a.role + " licence=" + a.licence +
         " state=" + std::string(to_string(a.state)) + " managed_by=" + a.managed_by +
         " source_anchor=" + a.source_anchor + " successor=" + a.successor +
         " folders=[" + folders + "] created_at=" + format_timestamp(a.created_at) +
         " updated_at=" + format_timestamp(a.updated_at) + " activated_at=" +
         (a.activated_at ? format_timestamp(*a.activated_at) : std::string("-")) +
         " version=" + std::to_string(a.version);
}

inline std::string describe(const std::vector<std::pair<std::string, std::string>>& details) {
  std::string out = "{";
  for (const auto& [k, v] : details) out += (out.size() > 1 ? ", " : "") + k + "=" + v;
  return out + "}";
}

inline std::string describe(const AuditEntry& e) {
  return "audit at=" + format_timestamp(e.at) + " actor=" + e.actor + " operation=" +
         e.operation + " event=" + e.event + " event_id=" + e.event_id + " space=" + e.space +
         " account=" + e.account_id + " email=" + e.email + " reason=" + e.reason + " details=" + describe(e.details);
}

inline std::string describe(const OutboxEntry& e) {
  return "outbox event_id=" + e.event_id + " type=" + e.type + " space=" + e.space +
         " account=" + e.account_id + " state=" + e.state + " attempts=" +
         std::to_string(e.attempts) + " created_at=" + format_timestamp(e.created_at) +
         " payload=" + e.payload;
}

inline std::string describe(const LicenceUsage& u) {
  return "licence " + u.space + "/" + u.licence + " used=" + std::to_string(u.used) +
         " total=" + std::to_string(u.total);
}

inline std::string describe(const Space& s) {
  std::string out = "space " + s.id + " default_owner=" + s.default_owner + " licences={";
  bool first = true;
  for (const auto& [licence, total] : s.licences) {
    out += (first ? "" : ", ") + licence + ":" + std::to_string(total);
    first = false;
  }
  return out + "}";
}

// One line per row; a failed read shows as an "error:" line, so it never compares equal
// to a successful one.
template <typename T>
std::string describe_all(const Result<std::vector<T>>& rows) {
  if (!rows) return "error: " + rows.error().message + "\n";
  std::string out;
  for (const auto& row : *rows) out += describe(row) + "\n";
  return out;
}

struct StoreSnapshot {
  std::string accounts, audit, outbox, licences, spaces;
  bool operator==(const StoreSnapshot&) const = default;
};

inline void PrintTo(const StoreSnapshot& s, std::ostream* os) {
  *os << "\n--- accounts\n" << s.accounts << "--- audit\n" << s.audit << "--- outbox\n"
      << s.outbox << "--- licences\n" << s.licences << "--- spaces\n" << s.spaces;
}

inline StoreSnapshot snapshot(AccountStore& store) {
  AccountFilter everything;
  everything.include_deleted = true;
  return {describe_all(store.accounts(everything)), describe_all(store.audit(AuditQuery{})),
          describe_all(store.outbox(std::nullopt, 0)), describe_all(store.licence_usage()),
          describe_all(store.spaces())};
}

// Replaces every UUID (the default random ids) by "<id-N>", numbered in order of first
// appearance, so runs with different random ids compare equal when they did the same.
inline std::string normalise_uuids(const std::string& text) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::unordered_map<std::string, std::string> names;
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), uuid), end; it != end; ++it) {
    out.append(last, (*it)[0].first);
    const auto [name, inserted] = names.try_emplace(it->str(), "");
    if (inserted) name->second = "<id-" + std::to_string(names.size()) + ">";
    out += name->second;
    last = (*it)[0].second;
  }
  out.append(last, text.cend());
  return out;
}

inline StoreSnapshot normalise_uuids(const StoreSnapshot& s) {
  // Normalised together, so an id keeps its name across the parts.
  const std::string sep = "\n=====\n";
  const std::string all = normalise_uuids(s.accounts + sep + s.audit + sep + s.outbox + sep +
                                          s.licences + sep + s.spaces);
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at; (at = all.find(sep, from)) != std::string::npos; from = at + sep.size())
    parts.push_back(all.substr(from, at - from));
  parts.push_back(all.substr(from));
  parts.resize(5);
  return {parts[0], parts[1], parts[2], parts[3], parts[4]};
}

}  // namespace rosterd::testing
