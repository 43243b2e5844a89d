// What the outbox sender and the invitation sender share in the SQL layer: the outbox
// row read into its type, and a batch of attempt outcomes written through the statements
// of the table that tracks them (outbox, invitations).
#pragma once

#include <span>
#include <string_view>

#include "store/outbox_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// Columns 0-8 of an outbox row: seq, event_id, type, space, account_id, payload, state,
// attempts, created_at.
void read_outbox_entry(const SqlRow& row, OutboxEntry& e);

// Each statement takes $1 the event id and $2 the attempt's time; dead and retry_later
// $3 the error; retry_later $4 the next attempt's time.
struct OutcomeStatements {
  std::string_view delivered, retry_later, dead;
};

// Every outcome, in one transaction.
Result<void> record_outcomes(SqlConnection& conn, std::span<const AttemptOutcome> outcomes,
                             const OutcomeStatements& statements);

}  // namespace rosterd::sql
