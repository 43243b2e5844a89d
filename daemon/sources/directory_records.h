// Directory entries (the LDAP connector's values) as the identity store keeps sources:
// users and groups as ResourceRecords with SCIM-shaped attributes, and membership rows,
// anchors as ids. Member and manager DNs become anchors here, compared in their
// normalised form (RFC 4514), so a renamed or moved entry keeps its memberships. A
// record's external id is its entry's normalised DN: an incremental read resolves DNs
// against the store through it (IdentityReader::keys) without reading every record.
//
// The attributes of a user, so that rules name them as they would a SCIM user's:
//   userName, name.givenName, name.familyName, displayName, emails (the first primary),
//   title, active;
//   the enterprise extension: department, employeeNumber, costCenter, organization,
//   division, and manager.value (the manager's anchor);
//   every other mapped attribute (employeeType, ...) and the entry's DN under
//   kDirectoryUserUrn, reachable by bare name.
// A group is {"displayName", "dn"} (the top-level "dn" is what group rules match on).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "connectors/ldap/directory_snapshot.h"
#include "store/identity_store.h"

namespace rosterd {

inline constexpr std::string_view kDirectoryUserUrn =
    "urn:ietf:params:scim:schemas:extension:rosterd:2.0:DirectoryUser";

struct DnTarget {
  std::string id;
  ResourceType type = ResourceType::User;
};
// Looked up by string_view, so that a DN normalised into a reused buffer needs no string
// of its own: a full read looks up some 400,000 DNs (members, managers).
struct DnHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view dn) const noexcept { return std::hash<std::string_view>{}(dn); }
};
// normalised DN -> entry. An open-addressing table: the look-ups were a third of turning a
// full read into records with std::unordered_map's node per entry.
using DnIndex = boost::unordered_flat_map<std::string, DnTarget, DnHash, std::equal_to<>>;

// Turns entries into records and their DN references into anchors with `by_dn`; what
// cannot be resolved (a DN outside the bases, a foreign principal, a group containing
// itself) is left out and described in `problems`.
class RecordConverter {
 public:
  RecordConverter(std::string_view source, const DnIndex& by_dn, std::vector<std::string>& problems)
      : source_(source), by_dn_(by_dn), problems_(problems) {}

  ResourceRecord user(const ldap::DirectoryUser& user) const;
  ResourceRecord group(const ldap::DirectoryGroup& group) const;
  // The rows a group's member DNs (member models) and its memberOf DNs (memberOf model)
  // stand for; a user's memberOf DNs.
  void memberships(const ldap::DirectoryGroup& group, std::vector<Membership>& out) const;
  void memberships(const ldap::DirectoryUser& user, std::vector<Membership>& out) const;

 private:
  const DnTarget* find(std::string_view dn) const;
  void add_member(const std::string& group, const std::string& group_dn, const std::string& member_dn,
                  std::vector<Membership>& out) const;
  void add_member_of(const std::string& member, ResourceType type, const std::string& member_dn,
                     const std::string& group_dn, std::vector<Membership>& out) const;

  std::string_view source_;
  const DnIndex& by_dn_;
  std::vector<std::string>& problems_;
  mutable std::string normalised_;  // find()'s buffer
};

struct DirectoryRecords {
  SourceContents contents;  // users and groups by id, memberships by group then member
  std::vector<std::string> problems;
  // Anchors of entries the read skipped (no userName, invalid UTF-8, a duplicate name):
  // they exist, so what the store holds for them is kept, memberships included.
  std::vector<std::string> kept;
};

// A full read as the store would hold it.
DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot);

// The same in two steps: the records, then the memberships (300,000 rows for 100,000
// people), which a poll works out while the store compares the records with what it holds.
class DirectoryConversion {
 public:
  // `snapshot` must outlive the conversion.
  DirectoryConversion(std::string_view source, const ldap::DirectorySnapshot& snapshot);
  // Users and groups; contents.memberships is left empty.
  DirectoryRecords records() const;
  // The memberships, sorted (sort_memberships); what cannot be resolved goes to `problems`.
  std::vector<Membership> memberships(std::vector<std::string>& problems) const;

 private:
  std::string_view source_;
  const ldap::DirectorySnapshot& snapshot_;
  DnIndex by_dn_;
};

// Memberships in the order IdentityReader::contents() gives them, each once.
void sort_memberships(std::vector<Membership>& memberships);

}  // namespace rosterd
