#include "daemon/sources/directory_poll.h"

#include "connectors/ldap/connection.h"
#include "connectors/ldap/read_directory.h"
#include "core/try.h"

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

PollOutcome poll_directory(const LdapSourceSettings& source, IdentityStore& identities, Timestamp now) {
  SourceState base;
  auto read = identities.read([&](IdentityReader& r) -> Result<void> {
    ROSTERD_ASSIGN(auto previous, r.source_state(source.id));
    if (previous) base = std::move(*previous);
    return {};
  });
  base.source = source.id;
  if (!read) return PollOutcome{"failed", "reading the source's state failed: " + read.error().message, 0, 0, {}, {}};
  SourceState state = base;
  PollOutcome out;
  auto password = read_bind_password(source);
  if (!password) return unhealthy(identities, state, "failed", password.error().message, now, std::move(out));
  auto connection = ldap::connect(source.directory, *password);
  if (!connection) return unhealthy(identities, state, "failed", connection.error().message, now, std::move(out));
  const ldap::DirectorySnapshot snapshot = ldap::read_directory(*connection, source.directory, now);
  out.users = snapshot.users.size();
  out.groups = snapshot.groups.size();
  out.problems = snapshot.problems;
  if (!snapshot.complete)
    return unhealthy(identities, state, "incomplete", join(snapshot.failures), now, std::move(out));

  DirectoryRecords records = directory_records(source.id, snapshot);
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  state.status = "ok";
  state.error.clear();
  state.last_attempt_at = state.last_success_at = state.last_full_at = now;
  auto written = identities.write([&](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(out.written, store_directory_read(w, source.id, source.space, std::move(records), state, now));
    return {};
  });
  if (!written) {
    out.written = {};
    return unhealthy(identities, base, "failed", "storing the read failed: " + written.error().message, now,
                     std::move(out));
  }
  out.status = "ok";
  return out;
}

}  // namespace rosterd
