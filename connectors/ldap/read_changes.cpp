// RFC 4533 refreshOnly searches: one per kind (users, groups), each from its own cookie.
#include <ldap.h>

#include <algorithm>
#include <set>

#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/directory_changes.h"
#include "connectors/ldap/group_reader.h"
#include "connectors/ldap/search.h"
#include "connectors/ldap/sync_controls.h"
#include "connectors/ldap/user_reader.h"

namespace rosterd::ldap {
namespace {

// What one sync search said, before it is sorted into users or groups.
struct SyncRead {
  std::set<std::string> present;  // named as present (a present phase)
  std::vector<std::string> deleted;
  std::optional<std::string> cookie;
  bool present_phase = false;
  bool refresh_required = false;
  std::optional<std::string> failure;
};

SearchRequest sync_request(const SearchSettings& where, std::string filter, std::vector<std::string> attributes,
                           const std::optional<std::string>& cookie, const char* purpose) {
  SearchRequest request;
  request.base = where.base;
  request.scope = where.scope;
  request.filter = std::move(filter);
  request.attributes = std::move(attributes);
  request.controls = {sync_request_control(cookie)};
  request.purpose = purpose;
  return request;
}

// Runs one refreshOnly search; `on_changed` gets each added or modified entry.
SyncRead run_sync(Connection& connection, const SearchRequest& request,
                  const std::function<void(const Entry&)>& on_changed) {
  SyncRead out;
  const auto fail = [&](std::string why) {
    if (!out.failure) out.failure = describe_search(connection, request) + ": " + std::move(why);
  };
  SearchHandlers handlers;
  handlers.on_entry = [&](const Entry& entry) {
    const std::vector<Control> controls = entry.controls();
    const Control* state_control = find_control(controls, kSyncStateOid);
    if (!state_control || !state_control->value) {
      fail("an entry came without its Sync State control: " + entry.dn());
      return false;
    }
    auto state = decode_sync_state(*state_control->value);
    if (!state) {
      fail(state.error().message + " on " + entry.dn());
      return false;
    }
    if (state->cookie) out.cookie = state->cookie;
    switch (state->kind) {
      case SyncState::Kind::Present:
        out.present.insert(state->uuid);
        break;
      case SyncState::Kind::Delete:
        out.deleted.push_back(state->uuid);
        break;
      case SyncState::Kind::Add:
      case SyncState::Kind::Modify:
        out.present.insert(state->uuid);
        on_changed(entry);
        break;
    }
    return true;
  };
  handlers.on_intermediate = [&](const Intermediate& message) {
    if (message.oid != kSyncInfoOid || !message.value) return true;
    auto info = decode_sync_info(*message.value);
    if (!info) {
      fail(info.error().message);
      return false;
    }
    if (info->cookie) out.cookie = info->cookie;
    if (info->kind == SyncInfo::Kind::IdSet) {
      if (info->refresh_deletes) out.deleted.insert(out.deleted.end(), info->uuids.begin(), info->uuids.end());
      else out.present.insert(info->uuids.begin(), info->uuids.end());
    }
    return true;
  };
  auto done = search(connection, request, handlers);
  if (!done) {
    fail(done.error().message);
    return out;
  }
  if (done->code == kSyncRefreshRequired) {
    out.refresh_required = true;
    return out;
  }
  if (!done->success()) {
    fail(done->message);
    return out;
  }
  const Control* done_control = find_control(done->controls, kSyncDoneOid);
  if (!done_control || !done_control->value) {
    fail("the result came without its Sync Done control");
    return out;
  }
  auto sync_done = decode_sync_done(*done_control->value);
  if (!sync_done) {
    fail(sync_done.error().message);
    return out;
  }
  if (sync_done->cookie) out.cookie = sync_done->cookie;
  out.present_phase = !sync_done->refresh_deletes;
  return out;
}

// Folds one search's outcome into the changes; false when it failed.
bool merge(SyncRead&& read, const std::string& cookie_before, std::string& cookie_after,
           std::optional<std::vector<std::string>>& present, DirectoryChanges& out) {
  if (read.refresh_required) {
    out.refresh_required = true;
    return false;
  }
  if (read.failure) {
    out.failures.push_back(std::move(*read.failure));
    return false;
  }
  cookie_after = read.cookie.value_or(cookie_before);
  out.deleted.insert(out.deleted.end(), read.deleted.begin(), read.deleted.end());
  if (read.present_phase) present.emplace(read.present.begin(), read.present.end());
  return true;
}

}  // namespace

DirectoryChanges changes_from(DirectorySnapshot&& snapshot) {
  DirectoryChanges out;
  out.users = std::move(snapshot.users);
  out.groups = std::move(snapshot.groups);
  out.complete = snapshot.complete;
  out.failures = std::move(snapshot.failures);
  out.problems = std::move(snapshot.problems);
  out.skipped_anchors = std::move(snapshot.skipped_anchors);
  return out;
}

DirectoryChanges read_directory_changes(Connection& connection, const DirectorySettings& settings,
                                        const SyncCursor& since, Timestamp now) {
  DirectoryChanges out;
  const UserReader users(settings, now);
  SyncRead user_read = run_sync(
      connection, sync_request(settings.users, user_filter(settings), users.attributes(), since.users, "users"),
      [&](const Entry& entry) {
        if (auto read = users.read(entry, out.problems, &out.skipped_anchors)) out.users.push_back(std::move(read->user));
      });
  bool ok = merge(std::move(user_read), since.users, out.cursor.users, out.present_users, out);
  if (ok && !settings.groups.base.empty()) {
    const GroupReader groups(settings);
    SyncRead group_read = run_sync(
        connection,
        sync_request(settings.groups, group_filter(settings), groups.attributes(), since.groups, "groups"),
        [&](const Entry& entry) {
          if (auto read = groups.read(entry, out.problems, &out.skipped_anchors))
            out.groups.push_back(std::move(read->group));
        });
    ok = merge(std::move(group_read), since.groups, out.cursor.groups, out.present_groups, out);
  }
  // slapd's session log names a deleted entry to every sync search of the database,
  // whatever its base and filter: the users' and the groups' searches both list it.
  // It also lists entries that were modified, then sends them whole: those are changes.
  std::set<std::string> changed;
  for (const auto& u : out.users) changed.insert(u.anchor);
  for (const auto& g : out.groups) changed.insert(g.anchor);
  std::sort(out.deleted.begin(), out.deleted.end());
  out.deleted.erase(std::unique(out.deleted.begin(), out.deleted.end()), out.deleted.end());
  std::erase_if(out.deleted, [&](const std::string& anchor) { return changed.contains(anchor); });
  out.complete = ok && !out.refresh_required;
  return out;
}

Result<CursorTaken> current_sync_cursor(Connection& connection, const DirectorySettings& settings) {
  CursorTaken out;
  SyncCursor cursor;
  // true: got the cookie; false: `out.why_not` says why sync cannot be used.
  const auto take = [&](const SearchSettings& where, const char* purpose,
                        std::string& cookie) -> Result<bool> {
    // Only the cookie is wanted, not 100,000 entries: slapd's cookie marks a point in its
    // change sequence (the database's contextCSN), not a result set, so the cookie of a
    // search that matches nothing serves the real searches as well. The filter asks for
    // an entryUUID no entry has (entryUUID is always indexed where syncprov runs).
    const SearchRequest request =
        sync_request(where, "(entryUUID=00000000-0000-0000-0000-000000000000)", {"1.1"}, std::nullopt, purpose);
    SearchHandlers handlers;
    handlers.on_entry = [](const Entry&) { return true; };
    auto done = search(connection, request, handlers);
    if (!done) return tl::unexpected(done.error());
    switch (done->code) {
      case LDAP_SUCCESS:
        break;
      case LDAP_UNAVAILABLE_CRITICAL_EXTENSION:
      case LDAP_SIZELIMIT_EXCEEDED:
      case LDAP_TIMELIMIT_EXCEEDED:
      case LDAP_ADMINLIMIT_EXCEEDED:
      case LDAP_INSUFFICIENT_ACCESS:
        out.why_not = describe_search(connection, request) + ": " + done->message;
        return false;
      default:
        return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": " + done->message);
    }
    const Control* done_control = find_control(done->controls, kSyncDoneOid);
    auto sync_done = done_control && done_control->value ? decode_sync_done(*done_control->value)
                                                          : Result<SyncDone>(SyncDone{});
    if (!sync_done || !sync_done->cookie) {
      out.why_not = describe_search(connection, request) + ": the server sent no sync cookie";
      return false;
    }
    cookie = *sync_done->cookie;
    return true;
  };
  auto users = take(settings.users, "the users' sync cookie", cursor.users);
  if (!users) return tl::unexpected(users.error());
  if (!*users) return out;
  if (!settings.groups.base.empty()) {
    auto groups = take(settings.groups, "the groups' sync cookie", cursor.groups);
    if (!groups) return tl::unexpected(groups.error());
    if (!*groups) return out;
  }
  out.cursor = std::move(cursor);
  return out;
}

}  // namespace rosterd::ldap
