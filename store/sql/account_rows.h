// Accounts, audit and outbox rows to and from the SQL layer's text cells, and the JSON
// that the audit details and the platform's events carry.
#pragma once

#include <string>
#include <vector>

#include "core/account.h"
#include "core/transition.h"
#include "store/account_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// Reads the columns of stmt::kAccount, in that order.
Result<Account> account_from_row(const SqlRow& row);

// Writes an account with stmt::kUpsertAccount. `scratch` keeps the strings that the
// bound values borrow alive until the call returns.
Result<void> upsert_account(SqlConnection& conn, const Account& a);

std::string details_json(const std::vector<std::pair<std::string, std::string>>& details);
std::vector<std::pair<std::string, std::string>> details_from_json(const std::string& json);

// The body the platform receives for an event: id, type, occurred_at, space, reason,
// the account as it is after the change, and the event's details.
std::string event_payload(const Event& e, const Account* account, const std::string& reason,
                          const std::string& occurred_at);

}  // namespace rosterd::sql
