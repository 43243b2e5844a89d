#include "daemon/sources/directory_poll.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/read_directory.h"
#include "connectors/ldap/timestamp_changes.h"
#include "connectors/ldap/usn_changes.h"
#include "core/run_beside.h"
#include "core/try.h"
#include "daemon/free_memory.h"
#include "daemon/sources/directory_changes_write.h"
#include "daemon/sources/read_digest.h"

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
                                          DirectoryRecords records, const ReadMemberships& read_memberships,
                                          const SourceState& state, Timestamp now) {
  SourceDiff diff(std::move(records.contents), now, records.kept);
  ROSTERD_TRY(w.each_record(source, [&diff](ResourceRecord&& r) -> Result<void> {
    diff.stored(std::move(r));
    return {};
  }));
  // The read's first: the poll frees its entries before handing them over, and the
  // store's rows (as many) had better not be read while they are still held.
  diff.read_memberships(read_memberships());
  ROSTERD_ASSIGN(const auto memberships, w.memberships(source));
  const SourceChanges changes = std::move(diff).finish(memberships);
  return write_source_changes(w, changes, space, state, now);
}

Result<WriteSummary> store_directory_read(IdentityWriter& w, const std::string& source, const std::string& space,
                                          DirectoryRecords records, const SourceState& state, Timestamp now) {
  std::vector<Membership> memberships = std::move(records.contents.memberships);
  return store_directory_read(w, source, space, std::move(records),
                              [&memberships] { return std::move(memberships); }, state, now);
}

namespace {

// The state's cursor, as JSON: OpenLDAP's two sync cookies {"users": "...", "groups":
// "..."}, the latest modifyTimestamp read {"modified": "..."} on servers without content
// synchronisation, or an AD domain controller's {"invocation": "<GUID>", "usn": "<number>"}.
std::optional<boost::json::object> parse_cursor(const std::string& text) {
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<std::string> text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::optional<std::string>(std::string(v->as_string())) : std::nullopt;
}

std::string cursor_text(const ldap::SyncCursor& cursor) {
  return boost::json::serialize(boost::json::object{{"users", cursor.users}, {"groups", cursor.groups}});
}

std::string cursor_text(const ldap::UsnCursor& cursor) {
  return boost::json::serialize(
      boost::json::object{{"invocation", cursor.invocation_id}, {"usn", std::to_string(cursor.usn)}});
}

std::string modified_cursor(const std::string& latest) {
  return latest.empty() ? std::string() : boost::json::serialize(boost::json::object{{"modified", latest}});
}

// An incremental read from the state's cursor: the changes and the cursor to keep, or why
// a full read must be done instead.
struct IncrementalRead {
  ldap::DirectoryChanges changes;
  std::string next_cursor;
  std::string fallback;  // non-empty: read in full
};

IncrementalRead read_incremental(ldap::Connection& connection, const ldap::DirectorySettings& settings,
                                 const std::string& cursor, Timestamp now) {
  IncrementalRead out;
  const auto parsed = parse_cursor(cursor);
  if (settings.dialect == ldap::Dialect::OpenLdap && parsed && text_of(*parsed, "modified")) {
    // No content synchronisation on this server: the entries modified since.
    const std::string since = *text_of(*parsed, "modified");
    out.changes = ldap::read_changes_since_time(connection, settings, since, now);
    if (!out.changes.complete) out.fallback = join(out.changes.failures);
    out.next_cursor = modified_cursor(ldap::latest_modification(out.changes.users, out.changes.groups, since));
    return out;
  }
  if (settings.dialect == ldap::Dialect::OpenLdap) {
    const auto users = parsed ? text_of(*parsed, "users") : std::nullopt;
    const auto groups = parsed ? text_of(*parsed, "groups") : std::nullopt;
    if (!users || !groups) {
      out.fallback = "no sync cookie from an earlier read";
      return out;
    }
    out.changes = ldap::read_directory_changes(connection, settings, ldap::SyncCursor{*users, *groups}, now);
    // A cookie the server no longer serves, or a sync search that could not finish (a
    // limit on this account: sync searches cannot be paged).
    if (out.changes.refresh_required) out.fallback = "the server asked for a full read (e-syncRefreshRequired)";
    else if (!out.changes.complete) out.fallback = join(out.changes.failures);
    out.next_cursor = cursor_text(out.changes.cursor);
    return out;
  }
  const auto invocation = parsed ? text_of(*parsed, "invocation") : std::nullopt;
  const auto usn_text = parsed ? text_of(*parsed, "usn") : std::nullopt;
  std::uint64_t usn = 0;
  if (!invocation || !usn_text ||
      std::from_chars(usn_text->data(), usn_text->data() + usn_text->size(), usn).ec != std::errc()) {
    out.fallback = "no USN cursor from an earlier read";
    return out;
  }
  // Taken before the read: what changes meanwhile is read again next time.
  auto current = ldap::current_usn_cursor(connection);
  if (!current) {
    out.fallback = current.error().message;
    return out;
  }
  if (current->invocation_id != *invocation) {
    // USNs are a DC's own numbering: from another DC (or a restored one) they mean nothing.
    out.fallback = "another domain controller answered (invocationId " + current->invocation_id +
                   ", the cursor is from " + *invocation + ")";
    return out;
  }
  out.changes = ldap::read_changes_since_usn(connection, settings, ldap::UsnCursor{*invocation, usn}, now);
  if (!out.changes.complete) out.fallback = join(out.changes.failures);
  out.next_cursor = cursor_text(*current);
  return out;
}

// Before a full read: the cursor the next incremental read starts from, or why there is
// none (then every read is a full one).
std::pair<std::string, std::string> cursor_before_full_read(ldap::Connection& connection,
                                                            const ldap::DirectorySettings& settings) {
  if (settings.dialect == ldap::Dialect::OpenLdap) {
    auto taken = ldap::current_sync_cursor(connection, settings);
    if (!taken) return {"", taken.error().message};
    if (!taken->cursor) return {"", taken->why_not};
    return {cursor_text(*taken->cursor), ""};
  }
  auto current = ldap::current_usn_cursor(connection);
  if (!current) return {"", current.error().message};
  return {cursor_text(*current), ""};
}

// Writes a healthy read: `write` computes and writes the changes inside the job, on the
// writer's thread, given the state to write and the source's state as the job's
// transaction finds it (another poll may have written since `base` was read);
// `meanwhile`, if given, runs on this one until then (it must not touch the outcome,
// which the job fills).
PollOutcome store_read(IdentityStore& identities, const LdapSourceSettings& source, const SourceState& base,
                       SourceState state, Timestamp now, PollOutcome out,
                       const std::function<Result<WriteSummary>(IdentityWriter&, const SourceState&,
                                                                 const std::optional<SourceState>&)>& write,
                       const std::function<void()>& meanwhile = {}) {
  state.status = "ok";
  state.error.clear();
  state.last_attempt_at = state.last_success_at = now;
  const auto started = std::chrono::steady_clock::now();
  std::promise<Result<void>> finished;
  identities.write_async(
      [&](IdentityWriter& w) -> Result<void> {
        ROSTERD_ASSIGN(const auto was, w.source_state(source.id));
        ROSTERD_ASSIGN(out.written, write(w, state, was));
        // Plans made while the source was unhealthy left its accounts alone, or were
        // blocked: its space is planned again now, even if the read changed nobody.
        if (was && (was->status == "failed" || was->status == "incomplete"))
          ROSTERD_TRY(w.record(IdentityEvent{source.space, source.id, "source:" + source.id, "source.recovered",
                                             source.id, source.id, {{"was", was->status}, {"error", was->error}}},
                               now));
        return {};
      },
      [&finished](Result<void> r) { finished.set_value(std::move(r)); });
  if (meanwhile) meanwhile();
  auto written = finished.get_future().get();
  out.store_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!written) {
    out.written = {};
    return unhealthy(identities, base, "failed", "storing the read failed: " + written.error().message, now,
                     std::move(out));
  }
  out.status = "ok";
  return out;
}

// A full read's memberships, their digest, and what could not be resolved.
struct Memberships {
  std::vector<Membership> rows;
  std::string digest;
  std::vector<std::string> problems;
};

Memberships work_out_memberships(const DirectoryConversion& conversion) {
  Memberships m;
  m.rows = conversion.memberships(m.problems);
  m.digest = memberships_digest(m.rows);
  return m;
}

// Writes a complete full read. The writer's thread compares the records with the store
// while this one works out the memberships and frees the entries (about 100 MB at 100,000
// people) before handing the memberships over: the job reads the store's own memberships
// only then. What the last full read found (the digests kept with the source's state, as
// the write transaction sees it) is not compared again unless `compare_all`: records with
// the same digest wait for the memberships, and if theirs is the same too, only the
// state is written.
PollOutcome store_full_read(IdentityStore& identities, const LdapSourceSettings& source, const SourceState& base,
                            SourceState state, Timestamp now, PollOutcome out, ldap::DirectorySnapshot& snapshot,
                            std::unique_ptr<const DirectoryConversion> conversion, DirectoryRecords records,
                            const std::string& records_at, bool compare_all, std::future<Memberships> early) {
  // `early` reads the conversion: should this return before `meanwhile` waits for it, it is
  // waited for here (locals go before the parameters they might outlive).
  struct WaitForEarly {
    std::future<Memberships>& work;
    ~WaitForEarly() {
      if (work.valid()) work.wait();
    }
  } wait_for_early{early};
  // A guess from the state read before the read, for whether to free memory first.
  const ReadDigest guess = compare_all ? ReadDigest{} : ReadDigest::parse(base.read_digest);
  std::promise<Memberships> memberships_ready;
  auto memberships_of = memberships_ready.get_future();
  std::vector<std::string> membership_problems;
  const auto meanwhile = [&] {
    bool handed_over = false;
    const auto hand_over = [&](Memberships&& m) {
      handed_over = true;
      memberships_ready.set_value(std::move(m));
    };
    try {
      // (`early`, if there is one, is always waited for here, before the conversion it reads goes.)
      Memberships m = early.valid() ? early.get() : work_out_memberships(*conversion);
      membership_problems = std::move(m.problems);
      // A job that will compare and write wants the memory first; one that will only
      // write the state need not wait for it.
      if (records_at == guess.records && m.digest == guess.memberships) hand_over(std::move(m));
      conversion.reset();
      snapshot = {};
      if (!handed_over) hand_over(std::move(m));
    } catch (...) {
      if (!handed_over) memberships_ready.set_exception(std::current_exception());  // the job fails, not the poll
    }
    return_free_memory();  // the writer's thread allocates from an arena of its own
  };
  out = store_read(
      identities, source, base, state, now, std::move(out),
      [&](IdentityWriter& w, const SourceState& s, const std::optional<SourceState>& stored) -> Result<WriteSummary> {
        // What the store holds now, not `base`.
        const ReadDigest last = compare_all || !stored ? ReadDigest{} : ReadDigest::parse(stored->read_digest);
        SourceState next = s;
        // Set when the memberships are known; write_source_changes reads it after that.
        const auto take_memberships = [&] {
          Memberships m = memberships_of.get();
          next.read_digest = ReadDigest{records_at, m.digest}.text();
          return m;
        };
        if (records_at == last.records) {
          Memberships m = take_memberships();
          if (m.digest == last.memberships) return write_source_changes(w, SourceChanges{}, source.space, next, now);
          records.contents.memberships = std::move(m.rows);
          return store_directory_read(w, source.id, source.space, std::move(records), next, now);
        }
        return store_directory_read(
            w, source.id, source.space, std::move(records), [&] { return take_memberships().rows; }, next, now);
      },
      meanwhile);
  out.problems.insert(out.problems.end(), membership_problems.begin(), membership_problems.end());
  return out;
}

}  // namespace

PollOutcome poll_directory(const LdapSourceSettings& source, IdentityStore& identities, Timestamp now,
                           bool force_full, std::mutex* large_work) {
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
  const bool full_due = force_full || base.cursor.empty() || !base.last_full_at ||
                        now - *base.last_full_at >= source.full_every;
  if (!full_due) {
    IncrementalRead incremental = read_incremental(*connection, source.directory, base.cursor, now);
    if (incremental.fallback.empty()) {
      const ldap::DirectoryChanges& changes = incremental.changes;
      out.full = false;
      out.users = changes.users.size();
      out.groups = changes.groups.size();
      out.deleted = changes.deleted.size();
      out.problems = changes.problems;
      read_so_far();
      SourceState state = base;
      state.cursor = incremental.next_cursor;
      if (changes.empty() && state.cursor == base.cursor && base.status == "ok") {
        out.status = "ok";  // nothing new and nothing to record: no write at all
        return out;
      }
      // Not into `out`, which store_read has taken.
      std::vector<std::string> write_problems;
      out = store_read(identities, source, base, state, now, std::move(out),
                       [&](IdentityWriter& w, const SourceState& s, const std::optional<SourceState>&) {
                         return store_directory_changes(w, source.id, source.space, changes,
                                                        source.directory.membership, s, now, write_problems);
                       });
      out.problems.insert(out.problems.end(), write_problems.begin(), write_problems.end());
      return out;
    }
    // Rather than leave the source unread until the next full read is due.
    out.problems.push_back("incremental read abandoned, reading in full: " + incremental.fallback);
  }

  // A full read, the next cursor taken first so that the next read starts before it.
  const auto [next_cursor, no_cursor] = cursor_before_full_read(*connection, source.directory);
  ldap::DirectorySnapshot snapshot = ldap::read_directory(*connection, source.directory, now);
  out.users = snapshot.users.size();
  out.groups = snapshot.groups.size();
  out.problems.insert(out.problems.end(), snapshot.problems.begin(), snapshot.problems.end());
  std::string cursor = next_cursor;
  if (cursor.empty() && source.directory.dialect == ldap::Dialect::OpenLdap) {
    // No content synchronisation: the next reads ask for what was modified since the
    // latest modification this read saw (the server's clock, not ours).
    cursor = modified_cursor(ldap::latest_modification(snapshot.users, snapshot.groups));
    if (!no_cursor.empty())
      out.problems.push_back("no content synchronisation (" + no_cursor +
                             "): incremental reads follow modifyTimestamp and see deletions only at full reads");
  } else if (!no_cursor.empty()) {
    out.problems.push_back("incremental reads are not possible, every read is a full one: " + no_cursor);
  }
  if (!snapshot.complete)
    return unhealthy(identities, base, "incomplete", join(snapshot.failures), now, std::move(out));
  // Taken once the entries are here, never while waiting for a server (a slow directory
  // holds no plan up), and kept until the read is stored.
  std::unique_lock<std::mutex> one_large_job;
  if (large_work) one_large_job = std::unique_lock<std::mutex>(*large_work);
  auto conversion = std::make_unique<const DirectoryConversion>(source.id, snapshot);
  // A scheduled read where the last one left digests will most likely find the same: then
  // the memberships are worked out on a second thread while this one makes the records (both
  // only read the entries), and the write job, which only compares digests, has them at
  // once. A read that will compare anyway works them out while the store compares, as
  // before: held during that compare, they would add to its peak memory.
  std::future<Memberships> early;
  if (!force_full && !ReadDigest::parse(base.read_digest).memberships.empty())
    early = run_beside([c = conversion.get()] { return work_out_memberships(*c); });
  DirectoryRecords records = conversion->records();
  const std::string records_at = records_digest(records.contents, records.kept);
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  read_so_far();  // the read, its entries turned into records, and their digest
  SourceState state = base;
  state.cursor = cursor;
  state.last_full_at = now;
  // `conversion` reads `snapshot` where it is: both are freed once the memberships are out.
  // `--full` compares with the store whatever the digests say: the operator's way to put
  // right what was changed behind rosterd's back.
  return store_full_read(identities, source, base, std::move(state), now, std::move(out), snapshot,
                         std::move(conversion), std::move(records), records_at, force_full, std::move(early));
}

}  // namespace rosterd
