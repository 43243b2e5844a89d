#include "daemon/reconcile/space_inputs.h"

#include <map>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "core/try.h"
#include "store/reconcile_store.h"

namespace rosterd {
namespace {

// A directory source stores a group's DN as the top-level "dn" attribute (the LDAP
// connector's convention); SCIM groups have none.
std::string group_dn(const std::string& attributes) {
  if (attributes.find("\"dn\"") == std::string::npos) return {};
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(attributes, ec);
  if (ec || !v.is_object()) return {};
  const auto* dn = v.as_object().if_contains("dn");
  return dn && dn->is_string() ? std::string(dn->as_string()) : std::string();
}

// A source's identities and groups as the rules engine reads them, made from the store's
// records one at a time (each_record): holding them all first would cost as much again.
// Returns how many users the source has.
Result<std::int64_t> add_source(IdentityReader& reader, const std::string& source, Directory& out) {
  const std::size_t first_person = out.people.size(), first_group = out.groups.size();
  std::int64_t users = 0;
  ROSTERD_TRY(reader.each_record(source, [&](ResourceRecord&& r) -> Result<void> {
    if (r.type == ResourceType::User) {
      ++users;
      DirectoryPerson p;
      p.source = source;
      p.id = std::move(r.id);
      p.user_name = std::move(r.user_name);
      p.display_name = std::move(r.display_name);
      p.emails = std::move(r.emails);
      p.active = r.active;
      p.attributes_json = std::move(r.attributes);
      p.created = r.created;
      out.people.push_back(std::move(p));
    } else {
      DirectoryGroup g;
      g.source = source;
      g.dn = group_dn(r.attributes);
      g.id = std::move(r.id);
      g.display_name = std::move(r.display_name);
      out.groups.push_back(std::move(g));
    }
    return {};
  }));
  // By the ids the people and groups hold (they stay where they are until this returns):
  // an open-addressing table without a copy of each id.
  boost::unordered_flat_map<std::string_view, std::size_t> person_at, group_at;
  person_at.reserve(out.people.size() - first_person);
  for (std::size_t i = first_person; i < out.people.size(); ++i) person_at.emplace(out.people[i].id, i);
  group_at.reserve(out.groups.size() - first_group);
  for (std::size_t i = first_group; i < out.groups.size(); ++i) group_at.emplace(out.groups[i].id, i);
  ROSTERD_ASSIGN(auto memberships, reader.memberships(source));
  for (Membership& m : memberships) {
    if (m.member_type == ResourceType::User) {
      if (auto it = person_at.find(m.member_id); it != person_at.end())
        out.people[it->second].groups.push_back(std::move(m.group_id));
    } else if (auto it = group_at.find(m.member_id); it != group_at.end()) {
      out.groups[it->second].groups.push_back(std::move(m.group_id));
    }
  }
  return users;
}

}  // namespace

SpacePolicy space_policy(const SpaceConfig& space) {
  SpacePolicy p;
  p.space = space.space;
  p.on_leave = space.on_leave.action == "suspend"  ? LeaveAction::Suspend
               : space.on_leave.action == "delete" ? LeaveAction::Delete
                                                   : LeaveAction::Deactivate;
  p.delete_after_days = space.on_leave.delete_after_days;
  p.max_destructive_count = space.max_destructive.count;
  p.max_destructive_percent = space.max_destructive.percent;
  return p;
}

Result<DirectoryInputs> read_directory_inputs(const Config& config, std::string_view space,
                                              IdentityStore& identities) {
  DirectoryInputs in;
  for (const SourceConfig& source : config.sources) {
    if (source.space != space) continue;
    std::int64_t users = 0;
    ROSTERD_TRY(identities.read([&](IdentityReader& reader) -> Result<void> {
      ROSTERD_ASSIGN(users, add_source(reader, source.id, in.directory));
      return {};
    }));
    in.users.push_back(users);
  }
  return in;
}

Result<AccountInputs> read_account_inputs(std::string_view space, AccountStore& accounts) {
  AccountInputs in;
  ROSTERD_ASSIGN(in.states, accounts.reconcile().source_states());
  AccountFilter filter;
  filter.space = std::string(space);
  ROSTERD_ASSIGN(in.accounts, accounts.accounts(filter));
  ROSTERD_ASSIGN(in.queue, accounts.reconcile().seat_queue(space));
  return in;
}

SpaceInputs combine_space_inputs(const Config& config, std::string_view space, DirectoryInputs directory,
                                 AccountInputs account_side) {
  SpaceInputs in;
  in.directory = std::move(directory.directory);
  std::map<std::string, const SourceState*, std::less<>> state_of;
  for (const SourceState& s : account_side.states) state_of.emplace(s.source, &s);
  std::size_t nth = 0;
  for (const SourceConfig& source : config.sources) {
    if (source.space != space) continue;
    SourceStatus status;
    status.id = source.id;
    status.current_count = nth < directory.users.size() ? directory.users[nth] : 0;
    ++nth;
    if (const auto it = state_of.find(source.id); it != state_of.end()) {
      status.previous_count = it->second->identity_count;
      if (source.kind != "scim") {
        status.state = it->second->status;
        status.problem = it->second->error;
      }
    } else if (source.kind != "scim") {
      status.state = "never";
    }
    in.sources.push_back(std::move(status));
  }
  in.accounts = std::move(account_side.accounts);
  in.queue = std::move(account_side.queue);
  return in;
}

Result<SpaceInputs> read_space_inputs(const Config& config, std::string_view space,
                                      AccountStore& accounts, IdentityStore& identities) {
  ROSTERD_ASSIGN(auto directory, read_directory_inputs(config, space, identities));
  ROSTERD_ASSIGN(auto account_side, read_account_inputs(space, accounts));
  return combine_space_inputs(config, space, std::move(directory), std::move(account_side));
}

}  // namespace rosterd
