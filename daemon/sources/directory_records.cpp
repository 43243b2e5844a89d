#include "daemon/sources/directory_records.h"

#include <algorithm>
#include <array>

#include "core/distinguished_name.h"
#include "core/resource_schema.h"
#include "core/json_text.h"

namespace rosterd {
namespace {

// The mapped names a user record places (everything else goes under kDirectoryUserUrn,
// with the DN), found in one pass over an entry's attributes.
enum Placed : std::size_t {
  kUserName, kEmail, kGivenName, kFamilyName, kDisplayName, kTitle, kManager,
  kDepartment, kEmployeeNumber, kCostCenter, kOrganization, kDivision,  // the enterprise extension's
  kPlacedCount
};
constexpr std::string_view kPlacedNames[kPlacedCount] = {
    "userName", "email", "givenName", "familyName", "displayName", "title", "manager",
    "department", "employeeNumber", "costCenter", "organization", "division"};

struct PlacedValues {
  std::array<const std::vector<std::string>*, kPlacedCount> values{};
  const std::vector<std::string>* dn = nullptr;  // an attribute mapped to the name "dn"

  explicit PlacedValues(const ldap::DirectoryUser& u) {
    for (const ldap::MappedAttribute& m : u.attributes) {
      if (m.name == "dn") dn = &m.values;
      const auto* at = std::find(std::begin(kPlacedNames), std::end(kPlacedNames), m.name);
      if (at != std::end(kPlacedNames)) values[static_cast<std::size_t>(at - std::begin(kPlacedNames))] = &m.values;
    }
  }
  const std::string* first(Placed p) const {
    const auto* v = values[p];
    return v && !v->empty() ? &v->front() : nullptr;
  }
};

bool is_placed(std::string_view name) {
  return std::find(std::begin(kPlacedNames), std::end(kPlacedNames), name) != std::end(kPlacedNames);
}

}  // namespace

void sort_memberships(std::vector<Membership>& m) {
  const auto by_group = [](const Membership& a, const Membership& b) { return a.group_id < b.group_id; };
  const auto by_member = [](const Membership& a, const Membership& b) { return a.member_id < b.member_id; };
  if (std::is_sorted(m.begin(), m.end(), by_group)) {
    // A full read's rows come group by group (member models): sorting each group's
    // members is enough, and much cheaper than sorting 300,000 rows on both keys.
    for (auto run = m.begin(); run != m.end();) {
      const auto end = std::find_if(run, m.end(), [&run](const Membership& x) { return x.group_id != run->group_id; });
      std::sort(run, end, by_member);
      run = end;
    }
  } else {
    std::sort(m.begin(), m.end(), [](const Membership& a, const Membership& b) {
      return a.group_id != b.group_id ? a.group_id < b.group_id : a.member_id < b.member_id;
    });
  }
  m.erase(std::unique(m.begin(), m.end()), m.end());
}

const DnTarget* RecordConverter::find(std::string_view dn) const {
  normalise_dn(dn, normalised_);
  const auto it = by_dn_.find(std::string_view(normalised_));
  return it == by_dn_.end() ? nullptr : &it->second;
}

namespace {

// A JSON object written as text, member by member. Records are written this way rather
// than as a Boost.JSON tree then serialised: at 100,000 entries the trees cost more than
// libldap's decoding of the entries. The text is what serialising the tree gave (same
// member order, same escaping; tested), so records stored before compare equal.
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  ObjectText(const ObjectText&) = delete;
  ObjectText& operator=(const ObjectText&) = delete;
  ~ObjectText() { out_ += '}'; }

  std::string& key(std::string_view name) {
    if (!empty_) out_ += ',';
    empty_ = false;
    append_json_string(out_, name);
    out_ += ':';
    return out_;
  }
  void string(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
  void boolean(std::string_view name, bool value) { key(name) += value ? "true" : "false"; }

 private:
  std::string& out_;
  bool empty_ = true;
};

}  // namespace

ResourceRecord RecordConverter::user(const ldap::DirectoryUser& u) const {
  ResourceRecord r;
  r.type = ResourceType::User;
  r.source = std::string(source_);
  r.id = u.anchor;
  r.external_id = normalise_dn(u.dn);
  r.user_name = u.user_name;
  r.active = u.active;
  const PlacedValues placed(u);
  if (const auto* emails = placed.values[kEmail]) r.emails = *emails;
  if (const auto* display = placed.first(kDisplayName)) r.display_name = *display;

  const DnTarget* manager = nullptr;
  const std::string* manager_dn = placed.first(kManager);
  if (manager_dn) {
    manager = find(*manager_dn);
    if (!manager || manager->type != ResourceType::User) {
      manager = nullptr;
      problems_.push_back("user " + u.dn + ": manager " + *manager_dn + " is not a user read from this source");
    }
  }

  std::string& text = r.attributes;
  text.clear();
  {
    ObjectText a(text);
    a.string("userName", u.user_name);
    const auto* given = placed.first(kGivenName);
    const auto* family = placed.first(kFamilyName);
    if (given || family) {
      ObjectText name(a.key("name"));
      if (given) name.string("givenName", *given);
      if (family) name.string("familyName", *family);
    }
    if (!r.display_name.empty()) a.string("displayName", r.display_name);
    if (!r.emails.empty()) {
      std::string& emails = a.key("emails");
      emails += '[';
      for (std::size_t i = 0; i < r.emails.size(); ++i) {
        if (i > 0) emails += ',';
        ObjectText e(emails);
        e.string("value", r.emails[i]);
        if (i == 0) e.boolean("primary", true);
      }
      emails += ']';
    }
    if (const auto* v = placed.first(kTitle)) a.string("title", *v);
    a.boolean("active", u.active);

    bool any_enterprise = manager != nullptr;
    for (std::size_t p = kDepartment; p < kPlacedCount; ++p) any_enterprise |= placed.first(Placed(p)) != nullptr;
    if (any_enterprise) {
      ObjectText enterprise(a.key(kEnterpriseUserUrn));
      for (std::size_t p = kDepartment; p < kPlacedCount; ++p)
        if (const auto* v = placed.first(Placed(p))) enterprise.string(kPlacedNames[p], *v);
      if (manager) {
        ObjectText ref(enterprise.key("manager"));
        ref.string("value", manager->id);
      }
    }

    ObjectText directory(a.key(kDirectoryUserUrn));
    const auto write_values = [&directory](std::string_view name, const std::vector<std::string>& values) {
      if (values.size() == 1) {
        directory.string(name, values.front());
        return;
      }
      std::string& out = directory.key(name);
      out += '[';
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, values[i]);
      }
      out += ']';
    };
    // An attribute mapped to the name "dn" takes the DN's place (as assigning it in a
    // JSON object did).
    if (placed.dn && !placed.dn->empty()) write_values("dn", *placed.dn);
    else directory.string("dn", u.dn);
    for (const ldap::MappedAttribute& m : u.attributes)
      if (!is_placed(m.name) && m.name != "dn" && !m.values.empty()) write_values(m.name, m.values);
  }
  return r;
}

ResourceRecord RecordConverter::group(const ldap::DirectoryGroup& g) const {
  ResourceRecord r;
  r.type = ResourceType::Group;
  r.source = std::string(source_);
  r.id = g.anchor;
  r.external_id = normalise_dn(g.dn);
  r.display_name = g.name;
  r.attributes.clear();
  {
    ObjectText a(r.attributes);
    a.string("displayName", g.name);
    a.string("dn", g.dn);
  }
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

DirectoryConversion::DirectoryConversion(std::string_view source, const ldap::DirectorySnapshot& snapshot)
    : source_(source), snapshot_(snapshot) {
  by_dn_.reserve(snapshot.users.size() + snapshot.groups.size());
  for (const auto& u : snapshot.users) by_dn_.emplace(normalise_dn(u.dn), DnTarget{u.anchor, ResourceType::User});
  for (const auto& g : snapshot.groups) by_dn_.emplace(normalise_dn(g.dn), DnTarget{g.anchor, ResourceType::Group});
}

DirectoryRecords DirectoryConversion::records() const {
  DirectoryRecords out;
  const RecordConverter convert(source_, by_dn_, out.problems);
  out.contents.users.reserve(snapshot_.users.size());
  for (const auto& u : snapshot_.users) out.contents.users.push_back(convert.user(u));
  out.contents.groups.reserve(snapshot_.groups.size());
  for (const auto& g : snapshot_.groups) out.contents.groups.push_back(convert.group(g));
  out.kept = snapshot_.skipped_anchors;
  return out;
}

std::vector<Membership> DirectoryConversion::memberships(std::vector<std::string>& problems) const {
  const RecordConverter convert(source_, by_dn_, problems);
  std::vector<Membership> out;
  for (const auto& g : snapshot_.groups) convert.memberships(g, out);
  for (const auto& u : snapshot_.users) convert.memberships(u, out);
  sort_memberships(out);
  return out;
}

DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot) {
  const DirectoryConversion conversion(source, snapshot);
  DirectoryRecords out = conversion.records();
  out.contents.memberships = conversion.memberships(out.problems);
  return out;
}

}  // namespace rosterd
