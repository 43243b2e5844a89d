// What a directory source means when its configuration leaves something out: the
// attribute map, the filters and the anchor each dialect uses unless told otherwise.
#pragma once

#include <map>
#include <string>

#include "connectors/ldap/directory_settings.h"

namespace rosterd::ldap {

// The dialect's attribute map with settings.attributes laid over it; names mapped to an
// empty attribute are left out.
std::map<std::string, std::string> effective_attributes(const DirectorySettings& settings);

// settings.users.filter / settings.groups.filter, or the dialect's default.
std::string user_filter(const DirectorySettings& settings);
std::string group_filter(const DirectorySettings& settings);

// settings.anchor_attribute, or entryUUID (openldap) / objectGUID (ad).
std::string anchor_attribute(const DirectorySettings& settings);

// The attribute that holds a group's members in the member/uniqueMember models.
std::string member_attribute(const DirectorySettings& settings);

}  // namespace rosterd::ldap
