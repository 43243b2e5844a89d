#include "daemon/sources/directory_records.h"

#include <algorithm>
#include <unordered_map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/distinguished_name.h"
#include "core/resource_schema.h"

namespace rosterd {
namespace {

// Mapped names that are not extension attributes of the directory URN.
bool is_placed(std::string_view name) {
  static constexpr std::string_view kPlaced[] = {"userName", "email", "givenName", "familyName", "displayName",
                                                 "title", "department", "employeeNumber", "costCenter",
                                                 "organization", "division", "manager"};
  return std::find(std::begin(kPlaced), std::end(kPlaced), name) != std::end(kPlaced);
}

const std::string* first(const ldap::DirectoryUser& user, std::string_view name) {
  const auto* values = user.find(name);
  return values && !values->empty() ? &values->front() : nullptr;
}

}  // namespace

void sort_memberships(std::vector<Membership>& m) {
  std::sort(m.begin(), m.end(), [](const Membership& a, const Membership& b) {
    return a.group_id != b.group_id ? a.group_id < b.group_id : a.member_id < b.member_id;
  });
  m.erase(std::unique(m.begin(), m.end()), m.end());
}

const DnTarget* RecordConverter::find(std::string_view dn) const {
  const auto it = by_dn_.find(normalise_dn(dn));
  return it == by_dn_.end() ? nullptr : &it->second;
}

ResourceRecord RecordConverter::user(const ldap::DirectoryUser& u) const {
  ResourceRecord r;
  r.type = ResourceType::User;
  r.source = std::string(source_);
  r.id = u.anchor;
  r.external_id = normalise_dn(u.dn);
  r.user_name = u.user_name;
  r.active = u.active;
  if (const auto* emails = u.find("email")) r.emails = *emails;
  if (const auto* display = first(u, "displayName")) r.display_name = *display;

  boost::json::object a;
  a["userName"] = u.user_name;
  boost::json::object name;
  if (const auto* v = first(u, "givenName")) name["givenName"] = *v;
  if (const auto* v = first(u, "familyName")) name["familyName"] = *v;
  if (!name.empty()) a["name"] = std::move(name);
  if (!r.display_name.empty()) a["displayName"] = r.display_name;
  if (!r.emails.empty()) {
    boost::json::array emails;
    for (std::size_t i = 0; i < r.emails.size(); ++i) {
      boost::json::object e;
      e["value"] = r.emails[i];
      if (i == 0) e["primary"] = true;
      emails.push_back(std::move(e));
    }
    a["emails"] = std::move(emails);
  }
  if (const auto* v = first(u, "title")) a["title"] = *v;
  a["active"] = u.active;

  boost::json::object enterprise;
  for (const char* key : {"department", "employeeNumber", "costCenter", "organization", "division"})
    if (const auto* v = first(u, key)) enterprise[key] = *v;
  if (const auto* manager = first(u, "manager")) {
    const DnTarget* t = find(*manager);
    if (t && t->type == ResourceType::User) {
      boost::json::object ref;
      ref["value"] = t->id;
      enterprise["manager"] = std::move(ref);
    } else {
      problems_.push_back("user " + u.dn + ": manager " + *manager + " is not a user read from this source");
    }
  }
  if (!enterprise.empty()) a[kEnterpriseUserUrn] = std::move(enterprise);

  boost::json::object directory;
  directory["dn"] = u.dn;
  for (const ldap::MappedAttribute& m : u.attributes) {
    if (is_placed(m.name) || m.values.empty()) continue;
    if (m.values.size() == 1) {
      directory[m.name] = m.values.front();
    } else {
      boost::json::array values;
      for (const auto& v : m.values) values.emplace_back(v);
      directory[m.name] = std::move(values);
    }
  }
  a[kDirectoryUserUrn] = std::move(directory);
  r.attributes = boost::json::serialize(a);
  return r;
}

ResourceRecord RecordConverter::group(const ldap::DirectoryGroup& g) const {
  ResourceRecord r;
  r.type = ResourceType::Group;
  r.source = std::string(source_);
  r.id = g.anchor;
  r.external_id = normalise_dn(g.dn);
  r.display_name = g.name;
  boost::json::object a;
  a["displayName"] = g.name;
  a["dn"] = g.dn;
  r.attributes = boost::json::serialize(a);
  return r;
}

// Users' memberOf values are memberships of `member` in the groups they name.

void RecordConverter::memberships(const ldap::DirectoryGroup& g, std::vector<Membership>& out) const {
  for (const auto& dn : g.members) add_member(g.anchor, g.dn, dn, out);
  for (const auto& dn : g.member_of) add_member_of(g.anchor, ResourceType::Group, g.dn, dn, out);
}

void RecordConverter::memberships(const ldap::DirectoryUser& u, std::vector<Membership>& out) const {
  for (const auto& dn : u.member_of) add_member_of(u.anchor, ResourceType::User, u.dn, dn, out);
}

void RecordConverter::add_member(const std::string& group, const std::string& group_dn, const std::string& member_dn,
                                 std::vector<Membership>& out) const {
  const DnTarget* t = find(member_dn);
  if (!t) {
    problems_.push_back("group " + group_dn + ": member " + member_dn + " is not a user or group read from this source");
    return;
  }
  if (t->id == group) {
    problems_.push_back("group " + group_dn + " contains itself; that membership is left out");
    return;
  }
  out.push_back(Membership{group, t->id, t->type});
}

void RecordConverter::add_member_of(const std::string& member, ResourceType type, const std::string& member_dn,
                                    const std::string& group_dn, std::vector<Membership>& out) const {
  const DnTarget* t = find(group_dn);
  if (!t || t->type != ResourceType::Group) {
    problems_.push_back(member_dn + ": memberOf " + group_dn + " is not a group read from this source");
    return;
  }
  if (t->id == member) {
    problems_.push_back("group " + member_dn + " contains itself; that membership is left out");
    return;
  }
  out.push_back(Membership{t->id, member, type});
}

DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot) {
  DnIndex by_dn;
  for (const auto& u : snapshot.users) by_dn.emplace(normalise_dn(u.dn), DnTarget{u.anchor, ResourceType::User});
  for (const auto& g : snapshot.groups) by_dn.emplace(normalise_dn(g.dn), DnTarget{g.anchor, ResourceType::Group});
  DirectoryRecords out;
  const RecordConverter convert(source, by_dn, out.problems);
  out.contents.users.reserve(snapshot.users.size());
  for (const auto& u : snapshot.users) out.contents.users.push_back(convert.user(u));
  for (const auto& g : snapshot.groups) {
    out.contents.groups.push_back(convert.group(g));
    convert.memberships(g, out.contents.memberships);
  }
  for (const auto& u : snapshot.users) convert.memberships(u, out.contents.memberships);
  sort_memberships(out.contents.memberships);
  out.kept = snapshot.skipped_anchors;
  return out;
}

}  // namespace rosterd
