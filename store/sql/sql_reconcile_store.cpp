// SqlStore's ReconcileStore half: stored plans, the seat queue, the sources' states and
// the audit chain's verification, on the account store's connection.
#include <algorithm>
#include <array>
#include <limits>

#include "core/try.h"
#include "store/sql/account_rows.h"
#include "store/sql/audit_chain.h"
#include "store/sql/reconcile_statements.h"
#include "store/sql/source_state_rows.h"
#include "store/sql/sql_store.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

std::int64_t limit_value(std::size_t limit) {
  return limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit);
}

std::optional<std::string> optional_time(const std::optional<Timestamp>& t) {
  return t ? std::optional<std::string>(format_timestamp(*t)) : std::nullopt;
}

Result<Timestamp> time_cell(const SqlRow& row, std::size_t i) {
  auto t = parse_timestamp(row.text(i));
  if (!t) return fail(ErrorCode::Storage, "corrupt timestamp in the store: '" + row.text(i) + "'");
  return *t;
}

Result<std::optional<Timestamp>> optional_time_cell(const SqlRow& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<Timestamp>{};
  ROSTERD_ASSIGN(const Timestamp t, time_cell(row, i));
  return std::optional<Timestamp>(t);
}

// The columns of stmt::kPlan (and kPlanHeader, with an empty body), in that order.
Result<StoredPlan> plan_from_row(const SqlRow& row) {
  StoredPlan p;
  p.id = row.text(0);
  p.space = row.text(1);
  ROSTERD_ASSIGN(p.created_at, time_cell(row, 2));
  p.input_hash = row.text(3);
  p.state = row.text(4);
  p.blocked_reason = row.text(5);
  p.body = row.text(6);
  ROSTERD_ASSIGN(p.applied_at, optional_time_cell(row, 7));
  p.applied_by = row.text(8);
  return p;
}

Result<std::vector<StoredPlan>> plans_from(const SqlRows& rows) {
  std::vector<StoredPlan> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ROSTERD_ASSIGN(auto p, plan_from_row(row));
    out.push_back(std::move(p));
  }
  return out;
}

constexpr std::array<std::string_view, 3> kSettableStates{"applied", "blocked", "refused"};

}  // namespace

Result<void> SqlStore::save_plan(const StoredPlan& p) {
  const std::string created = format_timestamp(p.created_at);
  const auto applied_at = optional_time(p.applied_at);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_TRY(conn_->execute(stmt::kSupersedePlans, {p.space}));
  ROSTERD_TRY(conn_->execute(stmt::kInsertPlan, {p.id, p.space, created, p.input_hash, p.state,
                                                 p.blocked_reason, opt(applied_at), p.applied_by}));
  ROSTERD_TRY(conn_->execute(stmt::kInsertPlanBody, {p.id, p.body}));
  return tx.commit();
}

Result<std::optional<StoredPlan>> SqlStore::plan(std::string_view id) {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kPlan, {id}));
  if (rows.empty()) return std::optional<StoredPlan>{};
  ROSTERD_ASSIGN(auto p, plan_from_row(rows.front()));
  return std::optional<StoredPlan>(std::move(p));
}

Result<std::vector<StoredPlan>> SqlStore::plans(std::optional<std::string_view> space,
                                                std::size_t limit) {
  const SqlValue space_value = space ? SqlValue{*space} : SqlValue{nullptr};
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kPlans, {space_value, limit_value(limit)}));
  return plans_from(rows);
}

// The plan's row and its audit row in one transaction: the log never says a plan was
// applied that the plans table does not, nor the other way round.
Result<void> SqlStore::set_plan_state(std::string_view id, std::string_view state,
                                      std::string_view actor, std::string_view note) {
  if (std::find(kSettableStates.begin(), kSettableStates.end(), state) == kSettableStates.end())
    return fail(ErrorCode::InvalidValue, "a plan cannot be marked '" + std::string(state) +
                                             "': expected applied, blocked or refused");
  const Timestamp now = options_.clock();
  const std::string at = format_timestamp(now);
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kPlanHeader, {id}));
  if (rows.empty()) return fail(ErrorCode::NotFound, "there is no plan '" + std::string(id) + "'");
  ROSTERD_ASSIGN(StoredPlan p, plan_from_row(rows.front()));
  if (p.state == "applied")
    return fail(ErrorCode::PreconditionFailed,
                "plan '" + std::string(id) + "' was applied already (" +
                    (p.applied_at ? format_timestamp(*p.applied_at) : std::string()) +
                    " by " + p.applied_by + ")");
  p.state = std::string(state);
  if (state == "applied") {
    p.applied_at = now;
    p.applied_by = std::string(actor);
  }
  if (state == "blocked") p.blocked_reason = std::string(note);
  const auto applied_at = optional_time(p.applied_at);
  ROSTERD_TRY(conn_->execute(stmt::kSetPlanState,
                             {p.id, p.state, p.blocked_reason, opt(applied_at), p.applied_by}));
  const std::string event = "plan." + p.state;
  const std::string event_id = options_.new_id();
  const std::string details = details_json({{"plan", p.id}});
  const std::string_view none = "";  // a null data() would bind NULL
  ROSTERD_TRY(append_audit(*conn_, AuditRow{at, actor, "plan", event, event_id, p.space, none,
                                            none, note, details}));
  return tx.commit();
}

Result<std::vector<SeatClaim>> SqlStore::seat_queue(std::string_view space) {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kSeatQueue, {space}));
  std::vector<SeatClaim> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ROSTERD_ASSIGN(const Timestamp since, time_cell(row, 2));
    out.push_back(SeatClaim{row.text(0), row.text(1), since});
  }
  return out;
}

Result<void> SqlStore::after_apply(std::string_view space, const std::vector<SeatClaim>& queue,
                                   const std::vector<SourceStatus>& sources) {
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  ROSTERD_TRY(conn_->execute(stmt::kClearSeatQueue, {space}));
  std::int64_t position = 0;
  for (const SeatClaim& c : queue) {
    const std::string since = format_timestamp(c.since);
    ROSTERD_TRY(conn_->execute(stmt::kInsertSeatClaim, {space, c.person, c.licence, since, ++position}));
  }
  for (const SourceStatus& s : sources)
    ROSTERD_TRY(conn_->execute(stmt::kSetIdentityCount, {s.id, s.current_count}));
  return tx.commit();
}

Result<std::vector<SourceState>> SqlStore::source_states() { return read_source_states(*conn_); }

Result<void> SqlStore::set_source_state(const SourceState& s) { return upsert_source_state(*conn_, s); }

Result<std::vector<ReconcileRequest>> SqlStore::reconcile_requests() {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kReconcileRequests, {}));
  std::vector<ReconcileRequest> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ROSTERD_ASSIGN(const Timestamp at, time_cell(row, 1));
    out.push_back(ReconcileRequest{row.text(0), at});
  }
  return out;
}

Result<bool> SqlStore::clear_reconcile_request(std::string_view space, Timestamp requested_at) {
  const std::string at = format_timestamp(requested_at);
  ROSTERD_ASSIGN(const auto removed, conn_->execute(stmt::kClearReconcileRequest, {space, at}));
  return removed > 0;
}

Result<AuditVerification> SqlStore::verify_audit() { return verify_audit_chain(*conn_); }

}  // namespace rosterd::sql
