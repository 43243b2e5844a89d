// OutboxStore over the SQL seam, on a connection of its own (the webhook sender's thread,
// or a CLI command). Not thread-safe: one per thread.
#pragma once

#include <memory>

#include "store/outbox_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class SqlOutboxStore final : public OutboxStore {
 public:
  // Migrates the database to the latest schema first (the outbox indexes are in it).
  static Result<std::unique_ptr<SqlOutboxStore>> open(std::unique_ptr<SqlConnection> conn);

  Result<std::vector<OutboxEvent>> claim_due(std::string_view space, Timestamp now,
                                             Timestamp lease_until, std::size_t limit) override;
  Result<void> record_attempts(std::span<const AttemptOutcome> outcomes) override;
  Result<std::vector<OutboxEvent>> outbox_events(std::optional<std::string_view> state,
                                                 std::size_t limit) override;
  Result<std::optional<OutboxEvent>> outbox_event(std::string_view event_id) override;
  Result<OutboxCounts> outbox_counts() override;
  Result<std::vector<OutboxEvent>> events_after(std::string_view space, std::string_view type,
                                                std::int64_t after_seq, std::size_t limit) override;
  Result<void> retry_event(std::string_view event_id, Timestamp now) override;
  Result<std::size_t> retry_dead(Timestamp now) override;
  Result<void> drop_event(std::string_view event_id) override;

 private:
  explicit SqlOutboxStore(std::unique_ptr<SqlConnection> conn) : conn_(std::move(conn)) {}
  // NotFound, or PreconditionFailed naming the event's state, for an event that an
  // administrator's retry or drop did not change.
  Result<void> explain_unchanged(std::string_view event_id, std::string_view wanted);

  std::unique_ptr<SqlConnection> conn_;
};

}  // namespace rosterd::sql
