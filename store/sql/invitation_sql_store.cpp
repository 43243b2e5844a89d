#include "store/sql/invitation_sql_store.h"

#include <algorithm>

#include "core/try.h"
#include "store/sql/delivery_rows.h"
#include "store/sql/migrations.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

// The statements of this store ($N placeholders, like statements.h).
#define ROSTERD_INVITATION_COLUMNS \
  "i.event_id, i.space, i.account_id, i.state, i.attempts, i.next_attempt_at, i.last_error, i.sent_at"

constexpr std::string_view kLastSeen = "SELECT COALESCE(MAX(seq), 0) FROM invitations WHERE space = $1";
constexpr std::string_view kStartOf = "SELECT after_seq FROM invitation_starts WHERE space = $1";
constexpr std::string_view kStartSpaces = "SELECT space FROM invitation_starts";
constexpr std::string_view kForgetStart = "DELETE FROM invitation_starts WHERE space = $1";
constexpr std::string_view kStart =
    "INSERT INTO invitation_starts (space, after_seq) SELECT $1, COALESCE(MAX(seq), 0) FROM outbox"
    " WHERE space = $1 AND created_at < $2 ON CONFLICT (space) DO NOTHING";
constexpr std::string_view kInsert =
    "INSERT INTO invitations (event_id, seq, space, account_id, state, attempts, next_attempt_at, last_error)"
    " VALUES ($1, $2, $3, $4, 'pending', 0, $5, '') ON CONFLICT (event_id) DO NOTHING";
constexpr std::string_view kDue =
    "SELECT " ROSTERD_INVITATION_COLUMNS ", COALESCE(o.payload, '') FROM invitations i"
    " LEFT JOIN outbox o ON o.event_id = i.event_id"
    " WHERE i.space = $1 AND i.state = 'pending' AND i.next_attempt_at <= $2 ORDER BY i.seq LIMIT $3";
constexpr std::string_view kLease =
    "UPDATE invitations SET next_attempt_at = $2 WHERE event_id = $1 AND state = 'pending'";
constexpr std::string_view kSent =
    "UPDATE invitations SET state = 'sent', attempts = attempts + 1, last_error = '', sent_at = $2"
    " WHERE event_id = $1 AND state = 'pending'";
constexpr std::string_view kRetryLater =
    "UPDATE invitations SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4"
    " WHERE event_id = $1 AND state = 'pending'";
constexpr std::string_view kDead =
    "UPDATE invitations SET state = 'dead', attempts = attempts + 1, last_error = $3, next_attempt_at = $2"
    " WHERE event_id = $1 AND state = 'pending'";
constexpr std::string_view kAll =
    "SELECT " ROSTERD_INVITATION_COLUMNS ", '' FROM invitations i ORDER BY i.seq";

#undef ROSTERD_INVITATION_COLUMNS

Invitation invitation_from_row(const SqlRow& row) {
  Invitation i;
  i.event_id = row.text(0);
  i.space = row.text(1);
  i.account_id = row.text(2);
  i.state = row.text(3);
  i.attempts = static_cast<int>(row.integer(4));
  i.next_attempt_at = parse_timestamp(row.text(5)).value_or(Timestamp{});
  i.last_error = row.text(6);
  if (!row.is_null(7)) i.sent_at = parse_timestamp(row.text(7));
  i.payload = row.text(8);
  return i;
}

std::vector<Invitation> invitations_from(const SqlRows& rows) {
  std::vector<Invitation> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(invitation_from_row(row));
  return out;
}

}  // namespace

Result<std::unique_ptr<SqlInvitationStore>> SqlInvitationStore::open(std::unique_ptr<SqlConnection> conn) {
  ROSTERD_TRY(migrate(*conn));
  return std::unique_ptr<SqlInvitationStore>(new SqlInvitationStore(std::move(conn)));
}

Result<void> SqlInvitationStore::keep_starts(std::span<const std::string> spaces, Timestamp enabled_at) {
  const std::string at = format_timestamp(enabled_at);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_ASSIGN(const auto known, conn_->query(kStartSpaces, {}));
  for (const SqlRow& row : known)
    if (std::find(spaces.begin(), spaces.end(), row.text(0)) == spaces.end())
      ROSTERD_TRY(conn_->execute(kForgetStart, {row.text(0)}));
  for (const std::string& space : spaces) ROSTERD_TRY(conn_->execute(kStart, {space, at}));
  return tx.commit();
}

Result<std::int64_t> SqlInvitationStore::last_seen_seq(std::string_view space) {
  ROSTERD_ASSIGN(const auto seen, conn_->query(kLastSeen, {space}));
  ROSTERD_ASSIGN(const auto start, conn_->query(kStartOf, {space}));
  const std::int64_t recorded = seen.empty() ? 0 : seen.front().integer(0);
  return std::max(recorded, start.empty() ? std::int64_t{0} : start.front().integer(0));
}

Result<void> SqlInvitationStore::add_invitations(std::span<const OutboxEvent> events, Timestamp now) {
  if (events.empty()) return {};
  const std::string due = format_timestamp(now);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  for (const OutboxEvent& e : events)
    ROSTERD_TRY(conn_->execute(kInsert, {e.event_id, e.seq, e.space, e.account_id, due}));
  return tx.commit();
}

Result<std::vector<Invitation>> SqlInvitationStore::claim_due(std::string_view space, Timestamp now,
                                                              Timestamp lease_until, std::size_t limit) {
  const std::string now_text = format_timestamp(now);
  const std::string lease_text = format_timestamp(lease_until);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_ASSIGN(const auto rows, conn_->query(kDue, {space, now_text, static_cast<std::int64_t>(limit)}));
  auto due = invitations_from(rows);
  for (auto& i : due) {
    ROSTERD_TRY(conn_->execute(kLease, {i.event_id, lease_text}));
    i.next_attempt_at = lease_until;
  }
  ROSTERD_TRY(tx.commit());
  return due;
}

Result<void> SqlInvitationStore::record_sends(std::span<const AttemptOutcome> outcomes) {
  return record_outcomes(*conn_, outcomes, {kSent, kRetryLater, kDead});
}

Result<std::vector<Invitation>> SqlInvitationStore::invitations() {
  ROSTERD_ASSIGN(const auto rows, conn_->query(kAll, {}));
  return invitations_from(rows);
}

}  // namespace rosterd::sql
