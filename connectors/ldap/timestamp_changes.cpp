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
  DirectorySnapshot snapshot = read_directory(connection, changed, now);
  DirectoryChanges out;
  out.users = std::move(snapshot.users);
  out.groups = std::move(snapshot.groups);
  out.complete = snapshot.complete;
  out.failures = std::move(snapshot.failures);
  out.problems = std::move(snapshot.problems);
  out.skipped_anchors = std::move(snapshot.skipped_anchors);
  return out;
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
