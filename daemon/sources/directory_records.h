// A directory read (the LDAP connector's snapshot) as the identity store keeps sources:
// users and groups as ResourceRecords with SCIM-shaped attributes, and membership rows,
// anchors as ids. Member and manager DNs become anchors here, compared in their
// normalised form (RFC 4514), so a renamed or moved entry keeps its memberships.
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

#include <string>
#include <string_view>
#include <vector>

#include "connectors/ldap/directory_changes.h"
#include "connectors/ldap/directory_snapshot.h"
#include "store/identity_store.h"

namespace rosterd {

inline constexpr std::string_view kDirectoryUserUrn =
    "urn:ietf:params:scim:schemas:extension:rosterd:2.0:DirectoryUser";

struct DirectoryRecords {
  SourceContents contents;  // users and groups by id, memberships by group then member
  // Member or manager DNs that name no entry of the read (outside the bases, a foreign
  // principal, a deleted entry) and groups that contain themselves: left out, each named.
  std::vector<std::string> problems;
  // Anchors of entries the read skipped (no userName, invalid UTF-8, a duplicate name):
  // they exist, so what the store holds for them is kept, memberships included.
  std::vector<std::string> kept;
};

DirectoryRecords directory_records(std::string_view source, const ldap::DirectorySnapshot& snapshot);

// What the source holds after an incremental read: `stored` (what the store holds, from
// earlier reads) with `changes` laid over it — changed entries replace theirs, deleted
// ones and, after a present phase, those not named go, memberships follow (`model` says
// whether a changed entry states its groups or a changed group its members). The result
// is what a full read would have found, for the same diff and write.
DirectoryRecords apply_directory_changes(std::string_view source, const SourceContents& stored,
                                         const ldap::DirectoryChanges& changes, ldap::Membership model);

}  // namespace rosterd
