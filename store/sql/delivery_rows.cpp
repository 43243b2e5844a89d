#include "store/sql/delivery_rows.h"

#include "core/try.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {

void read_outbox_entry(const SqlRow& row, OutboxEntry& e) {
  e.seq = row.integer(0);
  e.event_id = row.text(1);
  e.type = row.text(2);
  e.space = row.text(3);
  e.account_id = row.text(4);
  e.payload = row.text(5);
  e.state = row.text(6);
  e.attempts = static_cast<int>(row.integer(7));
  e.created_at = parse_timestamp(row.text(8)).value_or(Timestamp{});
}

Result<void> record_outcomes(SqlConnection& conn, std::span<const AttemptOutcome> outcomes,
                             const OutcomeStatements& statements) {
  if (outcomes.empty()) return {};
  ROSTERD_ASSIGN(auto tx, Transaction::begin(conn));
  for (const AttemptOutcome& o : outcomes) {
    const std::string at = format_timestamp(o.attempted_at);
    switch (o.result) {
      case AttemptResult::Delivered:
        ROSTERD_TRY(conn.execute(statements.delivered, {o.event_id, at}));
        break;
      case AttemptResult::Retry: {
        const std::string next = format_timestamp(o.next_attempt_at);
        ROSTERD_TRY(conn.execute(statements.retry_later, {o.event_id, at, o.error, next}));
        break;
      }
      case AttemptResult::Dead:
        ROSTERD_TRY(conn.execute(statements.dead, {o.event_id, at, o.error}));
        break;
    }
  }
  return tx.commit();
}

}  // namespace rosterd::sql
