#include "connectors/ldap/usn_changes.h"

#include <charconv>
#include <map>
#include <vector>

#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/object_guid.h"
#include "connectors/ldap/read_directory.h"
#include "connectors/ldap/search.h"

namespace rosterd::ldap {
namespace {

// One entry's values of `attributes`, read with a base search.
Result<std::map<std::string, std::vector<std::string>>> read_entry(Connection& connection, const std::string& dn,
                                                                   const std::vector<std::string>& attributes,
                                                                   const char* purpose) {
  SearchRequest request;
  request.base = dn;
  request.scope = SearchScope::Base;
  request.attributes = attributes;
  request.purpose = purpose;
  std::map<std::string, std::vector<std::string>> values;
  SearchHandlers handlers;
  handlers.on_entry = [&](const Entry& entry) {
    for (const std::string& a : attributes) values[a] = entry.values(a);
    return true;
  };
  auto done = search(connection, request, handlers);
  if (!done) return tl::unexpected(done.error());
  if (!done->success())
    return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": " + done->message);
  return values;
}

std::string with_usn(const std::string& filter, std::uint64_t after) {
  return "(&" + filter + "(uSNChanged>=" + std::to_string(after + 1) + "))";
}

}  // namespace

Result<UsnCursor> current_usn_cursor(Connection& connection) {
  auto root = read_entry(connection, "", {"highestCommittedUSN", "dsServiceName"}, "the DC's rootDSE");
  if (!root) return tl::unexpected(root.error());
  const auto& usn = (*root)["highestCommittedUSN"];
  const auto& service = (*root)["dsServiceName"];
  const std::string where = " at " + connection.url();
  if (usn.size() != 1 || service.size() != 1)
    return fail(ErrorCode::Unavailable, "no highestCommittedUSN or dsServiceName in the rootDSE" + where +
                                            " (not an Active Directory domain controller?)");
  UsnCursor cursor;
  const auto [end, ec] = std::from_chars(usn[0].data(), usn[0].data() + usn[0].size(), cursor.usn);
  if (ec != std::errc() || end != usn[0].data() + usn[0].size())
    return fail(ErrorCode::Unavailable, "highestCommittedUSN '" + usn[0] + "' is not a number" + where);
  auto settings = read_entry(connection, service[0], {"invocationId"}, "the DC's NTDS Settings");
  if (!settings) return tl::unexpected(settings.error());
  const auto& invocation = (*settings)["invocationId"];
  const auto text = invocation.size() == 1 ? guid_to_string(invocation[0]) : std::nullopt;
  if (!text) return fail(ErrorCode::Unavailable, "no readable invocationId on " + service[0] + where);
  cursor.invocation_id = *text;
  return cursor;
}

DirectoryChanges read_changes_since_usn(Connection& connection, const DirectorySettings& settings,
                                        const UsnCursor& since, Timestamp now) {
  DirectorySettings changed = settings;
  changed.users.filter = with_usn(user_filter(settings), since.usn);
  if (!settings.groups.base.empty()) changed.groups.filter = with_usn(group_filter(settings), since.usn);
  return changes_from(read_directory(connection, changed, now));
}

}  // namespace rosterd::ldap
