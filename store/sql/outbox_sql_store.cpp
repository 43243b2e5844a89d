#include "store/sql/outbox_sql_store.h"

#include <limits>

#include "core/try.h"
#include "store/sql/delivery_rows.h"
#include "store/sql/migrations.h"
#include "store/sql/outbox_statements.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

// The columns of ROSTERD_OUTBOX_COLUMNS, in order.
OutboxEvent event_from_row(const SqlRow& row) {
  OutboxEvent e;
  read_outbox_entry(row, e);
  e.next_attempt_at = parse_timestamp(row.text(9)).value_or(Timestamp{});
  if (!row.is_null(10)) e.last_attempt_at = parse_timestamp(row.text(10));
  e.last_error = row.text(11);
  return e;
}

std::vector<OutboxEvent> events_from(const SqlRows& rows) {
  std::vector<OutboxEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(event_from_row(row));
  return out;
}

std::int64_t limit_value(std::size_t limit) {
  return limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit);
}

}  // namespace

Result<std::unique_ptr<SqlOutboxStore>> SqlOutboxStore::open(std::unique_ptr<SqlConnection> conn) {
  ROSTERD_TRY(migrate(*conn));
  return std::unique_ptr<SqlOutboxStore>(new SqlOutboxStore(std::move(conn)));
}

Result<std::vector<OutboxEvent>> SqlOutboxStore::claim_due(std::string_view space, Timestamp now,
                                                           Timestamp lease_until, std::size_t limit) {
  const std::string now_text = format_timestamp(now);
  const std::string lease_text = format_timestamp(lease_until);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kOutboxDue, {space, now_text, limit_value(limit)}));
  auto events = events_from(rows);
  for (auto& e : events) {
    ROSTERD_TRY(conn_->execute(stmt::kOutboxLease, {e.event_id, lease_text}));
    e.next_attempt_at = lease_until;
  }
  ROSTERD_TRY(tx.commit());
  return events;
}

Result<void> SqlOutboxStore::record_attempts(std::span<const AttemptOutcome> outcomes) {
  return record_outcomes(*conn_, outcomes,
                         {stmt::kOutboxDelivered, stmt::kOutboxRetryLater, stmt::kOutboxDead});
}

Result<std::vector<OutboxEvent>> SqlOutboxStore::outbox_events(std::optional<std::string_view> state,
                                                               std::size_t limit) {
  const SqlValue state_value = state ? SqlValue{*state} : SqlValue{nullptr};
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kOutboxEvents, {state_value, limit_value(limit)}));
  return events_from(rows);
}

Result<std::optional<OutboxEvent>> SqlOutboxStore::outbox_event(std::string_view event_id) {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kOutboxEvent, {event_id}));
  if (rows.empty()) return std::optional<OutboxEvent>();
  return std::optional<OutboxEvent>(event_from_row(rows.front()));
}

Result<OutboxCounts> SqlOutboxStore::outbox_counts() {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kOutboxCounts, {}));
  OutboxCounts counts;
  for (const auto& row : rows) {
    if (row.text(0) == "pending") counts.pending = row.integer(1);
    else if (row.text(0) == "delivered") counts.delivered = row.integer(1);
    else if (row.text(0) == "dead") counts.dead = row.integer(1);
  }
  return counts;
}

Result<std::vector<OutboxEvent>> SqlOutboxStore::events_after(std::string_view space, std::string_view type,
                                                              std::int64_t after_seq, std::size_t limit) {
  ROSTERD_ASSIGN(const auto rows,
                 conn_->query(stmt::kOutboxEventsAfter, {space, type, after_seq, limit_value(limit)}));
  return events_from(rows);
}

Result<void> SqlOutboxStore::explain_unchanged(std::string_view event_id, std::string_view wanted) {
  ROSTERD_ASSIGN(const auto event, outbox_event(event_id));
  if (!event) return fail(ErrorCode::NotFound, "no outbox event with id '" + std::string(event_id) + "'");
  return fail(ErrorCode::PreconditionFailed, "outbox event " + std::string(event_id) + " is " +
                                                 event->state + ", not " + std::string(wanted));
}

Result<void> SqlOutboxStore::retry_event(std::string_view event_id, Timestamp now) {
  const std::string at = format_timestamp(now);
  ROSTERD_ASSIGN(const auto changed, conn_->execute(stmt::kOutboxRetryDead, {event_id, at}));
  if (changed == 0) return explain_unchanged(event_id, "dead");
  return {};
}

Result<std::size_t> SqlOutboxStore::retry_dead(Timestamp now) {
  const std::string at = format_timestamp(now);
  ROSTERD_ASSIGN(const auto changed, conn_->execute(stmt::kOutboxRetryAllDead, {at}));
  return static_cast<std::size_t>(changed);
}

Result<void> SqlOutboxStore::drop_event(std::string_view event_id) {
  ROSTERD_ASSIGN(const auto changed, conn_->execute(stmt::kOutboxDrop, {event_id}));
  if (changed == 0) return explain_unchanged(event_id, "pending or dead");
  return {};
}

}  // namespace rosterd::sql
