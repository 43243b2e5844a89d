#include "connectors/ldap/read_directory.h"

#include <cstdint>

#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/group_reader.h"
#include "connectors/ldap/paged_search.h"
#include "connectors/ldap/range_retrieval.h"
#include "connectors/ldap/search.h"
#include "connectors/ldap/snapshot_order.h"
#include "connectors/ldap/user_reader.h"

namespace rosterd::ldap {
namespace {

// An entry whose multi-valued attribute came in ranges, to complete once its paged
// search is over (a second search while a paged one is running would interleave pages).
struct PendingRange {
  std::size_t index;
  std::uint64_t from;
};

SearchRequest request_for(const SearchSettings& where, std::string filter,
                          const std::vector<std::string>& attributes, const char* purpose) {
  SearchRequest request;
  request.base = where.base;
  request.scope = where.scope;
  request.filter = std::move(filter);
  request.attributes = attributes;
  request.purpose = purpose;
  return request;
}

// Continuation references name other servers and are not chased here; an administrator
// should still know that part of the tree was not read.
void note_references(Connection& connection, const SearchRequest& request, const PagedOutcome& outcome,
                     DirectorySnapshot& snapshot) {
  if (outcome.references_skipped == 0) return;
  snapshot.problems.push_back(describe_search(connection, request) + ": " +
                              std::to_string(outcome.references_skipped) +
                              (outcome.references_skipped == 1 ? " search reference" : " search references") +
                              " to other servers not followed");
}

// Reads the rest of each pending range into the values `values_of` returns.
template <typename Item, typename Values>
void complete_ranges(Connection& connection, std::vector<Item>& items, const std::vector<PendingRange>& pending,
                     const std::string& attribute, Values values_of, DirectorySnapshot& snapshot) {
  for (const PendingRange& p : pending) {
    Item& item = items[p.index];
    if (auto done = read_remaining_values(connection, item.dn, attribute, p.from, values_of(item)); !done)
      snapshot.failures.push_back(done.error().message);
  }
}

bool read_users(Connection& connection, const DirectorySettings& settings, Timestamp now,
                DirectorySnapshot& snapshot) {
  const UserReader reader(settings, now);
  std::vector<PendingRange> pending;
  const SearchRequest request = request_for(settings.users, user_filter(settings), reader.attributes(), "users");
  const PagedOutcome outcome = paged_search(connection, request, settings.page_size, [&](const Entry& entry) {
    if (auto read = reader.read(entry, snapshot.problems, &snapshot.skipped_anchors)) {
      if (read->more_member_of_from) pending.push_back({snapshot.users.size(), *read->more_member_of_from});
      snapshot.users.push_back(std::move(read->user));
    }
    return true;
  });
  note_references(connection, request, outcome, snapshot);
  if (!outcome.complete()) {
    snapshot.failures.push_back(outcome.reason);
    return outcome.status != ReadStatus::Failed;
  }
  complete_ranges(connection, snapshot.users, pending, "memberOf",
                  [](DirectoryUser& u) -> std::vector<std::string>& { return u.member_of; }, snapshot);
  return true;
}

void read_groups(Connection& connection, const DirectorySettings& settings, DirectorySnapshot& snapshot) {
  const GroupReader reader(settings);
  std::vector<PendingRange> pending;
  const SearchRequest request = request_for(settings.groups, group_filter(settings), reader.attributes(), "groups");
  const PagedOutcome outcome = paged_search(connection, request, settings.page_size, [&](const Entry& entry) {
    if (auto read = reader.read(entry, snapshot.problems, &snapshot.skipped_anchors)) {
      if (read->more_from) pending.push_back({snapshot.groups.size(), *read->more_from});
      snapshot.groups.push_back(std::move(read->group));
    }
    return true;
  });
  note_references(connection, request, outcome, snapshot);
  if (!outcome.complete()) {
    snapshot.failures.push_back(outcome.reason);
    return;
  }
  const bool member_of = settings.membership == Membership::MemberOf;
  complete_ranges(connection, snapshot.groups, pending, reader.dn_attribute(),
                  [member_of](DirectoryGroup& g) -> std::vector<std::string>& {
                    return member_of ? g.member_of : g.members;
                  },
                  snapshot);
}

}  // namespace

DirectorySnapshot read_directory(Connection& connection, const DirectorySettings& settings, Timestamp now) {
  DirectorySnapshot snapshot;
  if (settings.users.base.empty()) {
    snapshot.failures.push_back("no base DN for users is configured for " + connection.url());
    return snapshot;
  }
  // After a failed user search the connection is most likely gone: the group search
  // would only add the same failure again.
  const bool go_on = read_users(connection, settings, now, snapshot);
  if (go_on && !settings.groups.base.empty()) read_groups(connection, settings, snapshot);
  order_and_deduplicate(snapshot.users, snapshot.problems, &snapshot.skipped_anchors);
  order_and_deduplicate(snapshot.groups, snapshot.problems);
  snapshot.complete = snapshot.failures.empty();
  return snapshot;
}

}  // namespace rosterd::ldap
