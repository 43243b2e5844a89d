#include "daemon/sources/source_polling.h"

#include <algorithm>

#include "core/try.h"

namespace rosterd {

Result<std::vector<SourcePoll>> poll_ldap_sources(const Config& config, IdentityStore& identities,
                                                  const std::vector<std::string>& spaces,
                                                  std::optional<std::string_view> only, Timestamp now,
                                                  bool force_full) {
  std::vector<SourcePoll> out;
  for (const SourceConfig& s : config.sources) {
    if (s.kind != "ldap" || (only && s.id != *only)) continue;
    if (std::find(spaces.begin(), spaces.end(), s.space) == spaces.end()) continue;
    ROSTERD_ASSIGN(const LdapSourceSettings settings, ldap_source_settings(s));
    out.push_back(SourcePoll{s.id, s.space, poll_directory(settings, identities, now, force_full)});
  }
  return out;
}

std::string poll_summary(const PollOutcome& o) {
  if (!o.ok()) return o.status + ": " + o.error;
  const WriteSummary& w = o.written;
  const std::string read =
      o.full ? "full read: " + std::to_string(o.users) + " users and " + std::to_string(o.groups) + " groups; "
             : "changes: " + std::to_string(o.users) + " users and " + std::to_string(o.groups) + " groups changed, " +
                   std::to_string(o.deleted) + " deleted; ";
  return read + std::to_string(w.inserted) + " created, " + std::to_string(w.updated) + " updated, " +
         std::to_string(w.removed) + " removed, " + std::to_string(w.membership_changes) + " membership changes";
}

}  // namespace rosterd
