#include "daemon/sources/directory_records.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
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

struct Target {
  std::string id;
  ResourceType type;
};

using DnIndex = std::unordered_map<std::string, Target>;  // normalised DN -> entry

void sort_memberships(std::vector<Membership>& m) {
  std::sort(m.begin(), m.end(), [](const Membership& a, const Membership& b) {
    return a.group_id != b.group_id ? a.group_id < b.group_id : a.member_id < b.member_id;
  });
  m.erase(std::unique(m.begin(), m.end()), m.end());
}  // normalised DN -> entry

// Turns entries into records and member DNs into membership rows, resolving DNs with an
// index of every entry of the source (the read's own, or the store's with a delta's).
class Converter {
 public:
  Converter(std::string_view source, const DnIndex& by_dn, DirectoryRecords& out)
      : source_(source), by_dn_(by_dn), out_(out) {}

  void run(const ldap::DirectorySnapshot& snapshot) {
    out_.contents.users.reserve(snapshot.users.size());
    for (const auto& u : snapshot.users) out_.contents.users.push_back(user(u));
    for (const auto& g : snapshot.groups) {
      out_.contents.groups.push_back(group(g));
      add_members(g);
    }
    for (const auto& u : snapshot.users) add_member_of(u);
    sort_memberships(out_.contents.memberships);
    out_.kept = snapshot.skipped_anchors;
  }

  const Target* find(std::string_view dn) const {
    const auto it = by_dn_.find(normalise_dn(dn));
    return it == by_dn_.end() ? nullptr : &it->second;
  }

  ResourceRecord user(const ldap::DirectoryUser& u) {
    ResourceRecord r;
    r.type = ResourceType::User;
    r.source = std::string(source_);
    r.id = u.anchor;
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
      const Target* t = find(*manager);
      if (t && t->type == ResourceType::User) {
        boost::json::object ref;
        ref["value"] = t->id;
        enterprise["manager"] = std::move(ref);
      } else {
        out_.problems.push_back("user " + u.dn + ": manager " + *manager + " is not a user read from this source");
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

  ResourceRecord group(const ldap::DirectoryGroup& g) const {
    ResourceRecord r;
    r.type = ResourceType::Group;
    r.source = std::string(source_);
    r.id = g.anchor;
    r.display_name = g.name;
    boost::json::object a;
    a["displayName"] = g.name;
    a["dn"] = g.dn;
    r.attributes = boost::json::serialize(a);
    return r;
  }

  // Users' memberOf values are memberships of `member` in the groups they name.
  void add_members(const ldap::DirectoryGroup& g) {
    for (const auto& dn : g.members) add_member(g.anchor, g.dn, dn);
    for (const auto& dn : g.member_of) add_member_of(g.anchor, ResourceType::Group, g.dn, dn);
  }
  void add_member_of(const ldap::DirectoryUser& u) {
    for (const auto& dn : u.member_of) add_member_of(u.anchor, ResourceType::User, u.dn, dn);
  }

  void add_member(const std::string& group, const std::string& group_dn, const std::string& member_dn) {
    const Target* t = find(member_dn);
    if (!t) {
      out_.problems.push_back("group " + group_dn + ": member " + member_dn +
                              " is not a user or group read from this source");
      return;
    }
    if (t->id == group) {
      out_.problems.push_back("group " + group_dn + " contains itself; that membership is left out");
      return;
    }
    out_.contents.memberships.push_back(Membership{group, t->id, t->type});
  }

  void add_member_of(const std::string& member, ResourceType type, const std::string& member_dn,
                     const std::string& group_dn) {
    const Target* t = find(group_dn);
    if (!t || t->type != ResourceType::Group) {
      out_.problems.push_back(member_dn + ": memberOf " + group_dn + " is not a group read from this source");
      return;
    }
    if (t->id == member) {
      out_.problems.push_back("group " + member_dn + " contains itself; that membership is left out");
      return;
    }
    out_.contents.memberships.push_back(Membership{t->id, member, type});
  }

 private:
  std::string_view source_;
  const DnIndex& by_dn_;
  DirectoryRecords& out_;
};

}  // namespace

DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot) {
  DnIndex by_dn;
  for (const auto& u : snapshot.users) by_dn.emplace(normalise_dn(u.dn), Target{u.anchor, ResourceType::User});
  for (const auto& g : snapshot.groups) by_dn.emplace(normalise_dn(g.dn), Target{g.anchor, ResourceType::Group});
  DirectoryRecords out;
  Converter(source, by_dn, out).run(snapshot);
  return out;
}

}  // namespace rosterd

namespace rosterd {
namespace {

// The DN a stored record was read with: a group's top-level "dn", a user's under the
// directory extension.
std::string stored_dn(const ResourceRecord& r) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(r.attributes, ec);
  if (ec || !v.is_object()) return {};
  const boost::json::object* where = &v.as_object();
  if (r.type == ResourceType::User) {
    const auto* ext = where->if_contains(kDirectoryUserUrn);
    if (!ext || !ext->is_object()) return {};
    where = &ext->as_object();
  }
  const auto* dn = where->if_contains("dn");
  return dn && dn->is_string() ? std::string(dn->as_string()) : std::string();
}

bool by_id(const ResourceRecord& a, const ResourceRecord& b) { return a.id < b.id; }

}  // namespace

DirectoryRecords apply_directory_changes(std::string_view source, const SourceContents& stored,
                                         const ldap::DirectoryChanges& changes, ldap::Membership model) {
  const std::set<std::string> kept(changes.skipped_anchors.begin(), changes.skipped_anchors.end());
  std::set<std::string> changed_users, changed_groups;
  for (const auto& u : changes.users) changed_users.insert(u.anchor);
  for (const auto& g : changes.groups) changed_groups.insert(g.anchor);
  std::set<std::string> gone(changes.deleted.begin(), changes.deleted.end());
  // A present phase: whatever the server did not name is gone (but not an entry the read
  // skipped, which exists).
  const auto absent = [&](const std::vector<ResourceRecord>& records,
                          const std::optional<std::vector<std::string>>& present) {
    if (!present) return;
    const std::set<std::string> there(present->begin(), present->end());
    for (const ResourceRecord& r : records)
      if (!there.contains(r.id)) gone.insert(r.id);
  };
  absent(stored.users, changes.present_users);
  absent(stored.groups, changes.present_groups);
  // An entry named as deleted and sent as changed is there (slapd lists modified entries
  // as deleted before sending them whole); one the read skipped exists too.
  for (const auto& id : changed_users) gone.erase(id);
  for (const auto& id : changed_groups) gone.erase(id);
  for (const auto& id : kept) gone.erase(id);

  DirectoryRecords out;
  out.kept = changes.skipped_anchors;
  DnIndex by_dn;
  const auto keep_stored = [&](const std::vector<ResourceRecord>& records, const std::set<std::string>& changed,
                               std::vector<ResourceRecord>& into) {
    for (const ResourceRecord& r : records) {
      if (gone.contains(r.id) || changed.contains(r.id)) continue;
      if (const std::string dn = stored_dn(r); !dn.empty()) by_dn.emplace(normalise_dn(dn), Target{r.id, r.type});
      into.push_back(r);
    }
  };
  keep_stored(stored.users, changed_users, out.contents.users);
  keep_stored(stored.groups, changed_groups, out.contents.groups);
  for (const auto& u : changes.users) by_dn[normalise_dn(u.dn)] = Target{u.anchor, ResourceType::User};
  for (const auto& g : changes.groups) by_dn[normalise_dn(g.dn)] = Target{g.anchor, ResourceType::Group};

  Converter convert(source, by_dn, out);
  for (const auto& u : changes.users) out.contents.users.push_back(convert.user(u));
  for (const auto& g : changes.groups) out.contents.groups.push_back(convert.group(g));
  std::sort(out.contents.users.begin(), out.contents.users.end(), by_id);
  std::sort(out.contents.groups.begin(), out.contents.groups.end(), by_id);

  // Memberships: the stored rows, less those of what is gone and those the changed
  // entries state anew (a changed group's members; in the memberOf model, a changed
  // entry's groups), plus theirs.
  const bool member_of = model == ldap::Membership::MemberOf;
  for (const Membership& m : stored.memberships) {
    if (gone.contains(m.group_id) || gone.contains(m.member_id)) continue;
    if (!member_of && changed_groups.contains(m.group_id)) continue;
    if (member_of && (changed_users.contains(m.member_id) || changed_groups.contains(m.member_id))) continue;
    out.contents.memberships.push_back(m);
  }
  for (const auto& g : changes.groups) convert.add_members(g);
  for (const auto& u : changes.users) convert.add_member_of(u);
  sort_memberships(out.contents.memberships);
  return out;
}

}  // namespace rosterd
