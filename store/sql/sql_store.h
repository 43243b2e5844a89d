// AccountStore and ReconcileStore over the SQL seam: the one implementation shared by
// SQLite and PostgreSQL. Not thread-safe: one SqlStore (and connection) per thread.
#pragma once

#include <memory>
#include <span>
#include <utility>

#include "core/lifecycle.h"
#include "store/account_store.h"
#include "store/reconcile_store.h"
#include "store/sql/sql_connection.h"
#include "store/store_options.h"

namespace rosterd::sql {

class SqlStore final : public AccountStore, public ReconcileStore {
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
  ReconcileStore& reconcile() override { return *this; }

  // ReconcileStore (sql_reconcile_store.cpp).
  Result<void> save_plan(const StoredPlan& plan) override;
  Result<std::optional<StoredPlan>> plan(std::string_view id) override;
  Result<std::vector<StoredPlan>> plans(std::optional<std::string_view> space,
                                        std::size_t limit) override;
  Result<void> set_plan_state(std::string_view id, std::string_view state, std::string_view actor,
                              std::string_view note) override;
  Result<std::vector<SeatClaim>> seat_queue(std::string_view space) override;
  Result<void> after_apply(std::string_view space, const std::vector<SeatClaim>& queue,
                           const std::vector<SourceStatus>& sources) override;
  Result<std::vector<SourceState>> source_states() override;
  Result<void> set_source_state(const SourceState& state) override;
  Result<std::vector<ReconcileRequest>> reconcile_requests() override;
  Result<bool> clear_reconcile_request(std::string_view space, Timestamp requested_at) override;
  Result<AuditVerification> verify_audit() override;

  SqlConnection& connection() { return *conn_; }

 private:
  SqlStore(std::unique_ptr<SqlConnection> conn, StoreOptions options);
  using Details = std::vector<std::pair<std::string, std::string>>;
  // Decides and writes one operation inside the caller's transaction; `extra` is added
  // to the details of its events (apply_plan: the rule and facts of a planned operation).
  Result<Transition> apply_in_transaction(StateView& view, const Operation& op,
                                          const Actor& actor, std::string_view reason,
                                          const Details& extra = {});
  Result<void> write(const Transition& t, const Actor& actor, std::string_view reason);

  std::unique_ptr<SqlConnection> conn_;
  StoreOptions options_;
  DecisionContext ctx_;
};

}  // namespace rosterd::sql
