// AccountStore over the SQL seam: the one implementation shared by SQLite and
// PostgreSQL. Not thread-safe: one SqlStore (and connection) per thread.
#pragma once

#include <memory>

#include "core/lifecycle.h"
#include "store/account_store.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"

namespace rosterd::sql {

class SqlStore final : public AccountStore {
 public:
  // Migrates the database to the latest schema before returning the store.
  static Result<std::unique_ptr<SqlStore>> open(std::unique_ptr<SqlConnection> conn,
                                                StoreOptions options);

  Result<void> configure_spaces(std::span<const Space> spaces) override;
  Result<std::vector<Space>> spaces() override;
  Result<std::optional<Account>> account(std::string_view id) override;
  Result<std::vector<Account>> accounts_by_email(std::string_view email,
                                                 std::optional<std::string_view> space) override;
  Result<std::vector<Account>> accounts(const AccountFilter& filter) override;
  Result<std::vector<LicenceUsage>> licence_usage() override;
  Result<Applied> apply(const Operation& op, const Actor& actor, std::string_view reason) override;
  Result<PlanOutcome> apply_plan(const Plan& plan, const Actor& actor,
                                 std::size_t per_transaction) override;
  Result<std::vector<AuditEntry>> audit(const AuditQuery& query) override;
  Result<std::vector<OutboxEntry>> outbox(std::optional<std::string_view> state,
                                          std::size_t limit) override;

  SqlConnection& connection() { return *conn_; }

 private:
  SqlStore(std::unique_ptr<SqlConnection> conn, StoreOptions options);
  // Decides and writes one operation inside the caller's transaction.
  Result<Transition> apply_in_transaction(StateView& view, const Operation& op,
                                          const Actor& actor, std::string_view reason);
  Result<void> write(const Transition& t, const Actor& actor, std::string_view reason);

  std::unique_ptr<SqlConnection> conn_;
  StoreOptions options_;
  DecisionContext ctx_;
};

}  // namespace rosterd::sql
