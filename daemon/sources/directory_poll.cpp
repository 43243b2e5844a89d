#include "daemon/sources/directory_poll.h"

#include <functional>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/read_directory.h"
#include "core/try.h"
#include "daemon/sources/directory_changes_write.h"

namespace rosterd {
namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out;
}

// Records a read that must not change identities: only the state, keeping what the last
// good read left (its time, its cursor).
PollOutcome unhealthy(IdentityStore& identities, SourceState state, std::string status, std::string error,
                      Timestamp now, PollOutcome out) {
  state.status = status;
  state.error = error;
  state.last_attempt_at = now;
  out.status = std::move(status);
  out.error = std::move(error);
  auto written = identities.write([&](IdentityWriter& w) { return w.set_source_state(state); });
  if (!written) out.error += " (and its state could not be stored: " + written.error().message + ")";
  return out;
}

}  // namespace

Result<WriteSummary> store_directory_read(IdentityWriter& w, const std::string& source, const std::string& space,
                                          DirectoryRecords records, const SourceState& state, Timestamp now) {
  ROSTERD_ASSIGN(const SourceContents stored, w.contents(source));
  const SourceChanges changes = diff_source(stored, std::move(records.contents), now, records.kept);
  return write_source_changes(w, changes, space, state, now);
}

namespace {

// The state's cursor: the two sync cookies as {"users": "...", "groups": "..."}.
std::optional<ldap::SyncCursor> parse_cursor(const std::string& text) {
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* users = v.as_object().if_contains("users");
  const auto* groups = v.as_object().if_contains("groups");
  if (!users || !users->is_string() || !groups || !groups->is_string()) return std::nullopt;
  return ldap::SyncCursor{std::string(users->as_string()), std::string(groups->as_string())};
}

std::string cursor_text(const ldap::SyncCursor& cursor) {
  return boost::json::serialize(boost::json::object{{"users", cursor.users}, {"groups", cursor.groups}});
}

// Writes a healthy read: `write` computes and writes the changes inside the job.
PollOutcome store_read(IdentityStore& identities, const SourceState& base, SourceState state, Timestamp now,
                       PollOutcome out,
                       const std::function<Result<WriteSummary>(IdentityWriter&, const SourceState&)>& write) {
  state.status = "ok";
  state.error.clear();
  state.last_attempt_at = state.last_success_at = now;
  const auto started = std::chrono::steady_clock::now();
  auto written = identities.write([&](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(out.written, write(w, state));
    return {};
  });
  out.store_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!written) {
    out.written = {};
    return unhealthy(identities, base, "failed", "storing the read failed: " + written.error().message, now,
                     std::move(out));
  }
  out.status = "ok";
  return out;
}

}  // namespace

PollOutcome poll_directory(const LdapSourceSettings& source, IdentityStore& identities, Timestamp now,
                           bool force_full) {
  SourceState base;
  auto read = identities.read([&](IdentityReader& r) -> Result<void> {
    ROSTERD_ASSIGN(auto previous, r.source_state(source.id));
    if (previous) base = std::move(*previous);
    return {};
  });
  base.source = source.id;
  PollOutcome out;
  if (!read) {
    out.status = "failed";
    out.error = "reading the source's state failed: " + read.error().message;
    return out;
  }
  const auto started = std::chrono::steady_clock::now();
  const auto read_so_far = [&] {
    out.read_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  };
  auto password = read_bind_password(source);
  if (!password) return unhealthy(identities, base, "failed", password.error().message, now, std::move(out));
  auto connection = ldap::connect(source.directory, *password);
  if (!connection) return unhealthy(identities, base, "failed", connection.error().message, now, std::move(out));

  // Incremental when the last full read left a cursor and the next full read is not due.
  const auto cursor = parse_cursor(base.cursor);
  const bool full_due = force_full || !cursor || !base.last_full_at ||
                        now - *base.last_full_at >= source.full_every ||
                        source.directory.dialect != ldap::Dialect::OpenLdap;
  if (!full_due) {
    ldap::DirectoryChanges changes = ldap::read_directory_changes(*connection, source.directory, *cursor, now);
    // A cookie the server no longer serves, or a sync search that could not finish (a
    // limit on this account: sync searches cannot be paged), falls back to a full read
    // now rather than leaving the source unread until the next one is due.
    std::string fallback;
    if (changes.refresh_required) fallback = "the server asked for a full read (e-syncRefreshRequired)";
    else if (!changes.complete) fallback = join(changes.failures);
    if (fallback.empty()) {
      out.full = false;
      out.users = changes.users.size();
      out.groups = changes.groups.size();
      out.deleted = changes.deleted.size();
      out.problems = changes.problems;
      read_so_far();
      SourceState state = base;
      state.cursor = cursor_text(changes.cursor);
      if (changes.empty() && state.cursor == base.cursor && base.status == "ok") {
        out.status = "ok";  // nothing new and nothing to record: no write at all
        return out;
      }
      return store_read(identities, base, state, now, std::move(out),
                        [&](IdentityWriter& w, const SourceState& s) {
                          return store_directory_changes(w, source.id, source.space, changes,
                                                         source.directory.membership, s, now, out.problems);
                        });
    }
    out.problems.push_back("incremental read abandoned, reading in full: " + fallback);
  }

  // A full read, the sync cookies taken first so that the next read starts before it.
  std::optional<ldap::SyncCursor> next_cursor;
  std::string no_cursor;
  if (source.directory.dialect == ldap::Dialect::OpenLdap) {
    auto taken = ldap::current_sync_cursor(*connection, source.directory);
    if (!taken) return unhealthy(identities, base, "failed", taken.error().message, now, std::move(out));
    next_cursor = std::move(taken->cursor);
    no_cursor = std::move(taken->why_not);
  }
  const ldap::DirectorySnapshot snapshot = ldap::read_directory(*connection, source.directory, now);
  out.users = snapshot.users.size();
  out.groups = snapshot.groups.size();
  out.problems.insert(out.problems.end(), snapshot.problems.begin(), snapshot.problems.end());
  if (!no_cursor.empty())
    out.problems.push_back("incremental reads are not possible, every read is a full one: " + no_cursor);
  if (!snapshot.complete)
    return unhealthy(identities, base, "incomplete", join(snapshot.failures), now, std::move(out));
  DirectoryRecords records = directory_records(source.id, snapshot);
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  read_so_far();  // the read, and its entries turned into records
  SourceState state = base;
  state.cursor = next_cursor ? cursor_text(*next_cursor) : std::string();
  state.last_full_at = now;
  return store_read(identities, base, state, now, std::move(out),
                    [&](IdentityWriter& w, const SourceState& s) {
                      return store_directory_read(w, source.id, source.space, std::move(records), s, now);
                    });
}

}  // namespace rosterd
