#include "connectors/ldap/timestamp_changes.h"

#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/filter_escape.h"
#include "connectors/ldap/read_directory.h"

namespace rosterd::ldap {

DirectoryChanges read_changes_since_time(Connection& connection, const DirectorySettings& settings,
                                         const std::string& since, Timestamp now) {
  const std::string after = "(modifyTimestamp>=" + escape_filter_value(since) + ")";
  DirectorySettings changed = settings;
  changed.users.filter = "(&" + user_filter(settings) + after + ")";
  if (!settings.groups.base.empty()) changed.groups.filter = "(&" + group_filter(settings) + after + ")";
  return changes_from(read_directory(connection, changed, now));
}

// GeneralizedTime values of one server all have its one format, so they order as text.
std::string latest_modification(const std::vector<DirectoryUser>& users, const std::vector<DirectoryGroup>& groups,
                                std::string floor) {
  for (const auto& u : users)
    if (u.modified > floor) floor = u.modified;
  for (const auto& g : groups)
    if (g.modified > floor) floor = g.modified;
  return floor;
}

}  // namespace rosterd::ldap
