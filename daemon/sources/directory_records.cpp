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

struct Target {
  std::string id;
  ResourceType type;
};

class Converter {
 public:
  Converter(std::string_view source, const ldap::DirectorySnapshot& snapshot) : source_(source), snapshot_(snapshot) {
    for (const auto& u : snapshot.users) by_dn_.emplace(normalise_dn(u.dn), Target{u.anchor, ResourceType::User});
    for (const auto& g : snapshot.groups) by_dn_.emplace(normalise_dn(g.dn), Target{g.anchor, ResourceType::Group});
  }

  DirectoryRecords run() {
    out_.contents.users.reserve(snapshot_.users.size());
    for (const auto& u : snapshot_.users) out_.contents.users.push_back(user(u));
    for (const auto& g : snapshot_.groups) {
      out_.contents.groups.push_back(group(g));
      for (const auto& dn : g.members) add_member(g.anchor, g.dn, dn);
      for (const auto& dn : g.member_of) add_member_of(g.anchor, ResourceType::Group, g.dn, dn);
    }
    for (const auto& u : snapshot_.users)
      for (const auto& dn : u.member_of) add_member_of(u.anchor, ResourceType::User, u.dn, dn);
    auto& m = out_.contents.memberships;
    std::sort(m.begin(), m.end(), [](const Membership& a, const Membership& b) {
      return a.group_id != b.group_id ? a.group_id < b.group_id : a.member_id < b.member_id;
    });
    m.erase(std::unique(m.begin(), m.end()), m.end());
    out_.kept = snapshot_.skipped_anchors;
    return std::move(out_);
  }

 private:
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

  std::string_view source_;
  const ldap::DirectorySnapshot& snapshot_;
  std::unordered_map<std::string, Target> by_dn_;
  DirectoryRecords out_;
};

}  // namespace

DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot) {
  return Converter(source, snapshot).run();
}

}  // namespace rosterd
