#include "store/sql/sql_store.h"

#include <algorithm>
#include <limits>

#include "core/email.h"
#include "core/try.h"
#include "store/random_id.h"
#include "store/sql/account_rows.h"
#include "store/sql/delivery_rows.h"
#include "store/sql/audit_chain.h"
#include "store/sql/migrations.h"
#include "store/sql/sql_state_view.h"
#include "store/sql/statements.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

Result<std::vector<Account>> accounts_from(Result<SqlRows> rows) {
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Account> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    ROSTERD_ASSIGN(auto a, account_from_row(row));
    out.push_back(std::move(a));
  }
  return out;
}

// LIKE pattern for a substring search, with the pattern characters escaped by '!'.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (const char c : ascii_lower(text)) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out + "%";
}

// A planned operation's rule and facts, for the details of the events it writes.
std::vector<std::pair<std::string, std::string>> planned_details(const PlannedOperation& p) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(p.details.size() + 1);
  if (!p.rule.empty()) out.emplace_back("rule", p.rule);
  out.insert(out.end(), p.details.begin(), p.details.end());
  return out;
}

// Appends `extra` to an event's details; a key the event has already keeps its value
// (the event's own facts are what happened; the plan's say why).
void add_details(std::vector<std::pair<std::string, std::string>>& details,
                 const std::vector<std::pair<std::string, std::string>>& extra) {
  for (const auto& [key, value] : extra) {
    const bool taken = std::any_of(details.begin(), details.end(),
                                   [&](const auto& d) { return d.first == key; });
    if (!taken) details.emplace_back(key, value);
  }
}

std::int64_t limit_value(std::size_t limit) {
  return limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit);
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<SqlConnection> conn, StoreOptions options)
    : conn_(std::move(conn)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_now;
  if (!options_.new_id) options_.new_id = make_random_id_generator();
  ctx_.roles = &options_.roles;
  ctx_.new_id = options_.new_id;
}

Result<std::unique_ptr<SqlStore>> SqlStore::open(std::unique_ptr<SqlConnection> conn,
                                                 StoreOptions options) {
  ROSTERD_TRY(migrate(*conn));
  return std::unique_ptr<SqlStore>(new SqlStore(std::move(conn), std::move(options)));
}

Result<void> SqlStore::configure_spaces(std::span<const Space> spaces) {
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  for (const auto& s : spaces) {
    ROSTERD_TRY(conn_->execute(stmt::kUpsertSpace, {s.id, s.default_owner}));
    ROSTERD_TRY(conn_->execute(stmt::kMarkPools, {s.id}));
    for (const auto& [licence, total] : s.licences)
      ROSTERD_TRY(conn_->execute(stmt::kUpsertPool, {s.id, licence, total}));
  }
  ROSTERD_TRY(conn_->execute(stmt::kRecountSeats, {}));
  ROSTERD_TRY(conn_->execute(stmt::kDropUnlistedPools, {}));
  ROSTERD_TRY(conn_->execute(stmt::kCloseUnlistedPools, {}));
  return tx.commit();
}

Result<std::vector<Space>> SqlStore::spaces() {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kSpaces, {}));
  std::vector<Space> out;
  for (const auto& row : rows) {
    ROSTERD_ASSIGN(auto s, load_space(*conn_, row.text(0)));
    if (s) out.push_back(std::move(*s));
  }
  return out;
}

Result<std::optional<Account>> SqlStore::account(std::string_view id) {
  SqlStateView view(*conn_);
  return view.account(id);
}

Result<std::vector<Account>> SqlStore::accounts_by_email(std::string_view email,
                                                         std::optional<std::string_view> space) {
  const std::string key = email_key(email);
  const SqlValue space_value = space ? SqlValue{*space} : SqlValue{nullptr};
  return accounts_from(conn_->query(stmt::kAccountsByEmail, {key, space_value}));
}

Result<std::vector<Account>> SqlStore::accounts(const AccountFilter& f) {
  const std::optional<std::string> state =
      f.state ? std::optional<std::string>(std::string(to_string(*f.state))) : std::nullopt;
  const std::optional<std::string> search =
      f.search ? std::optional<std::string>(like_pattern(*f.search)) : std::nullopt;
  const std::int64_t include_deleted = f.include_deleted ? 1 : 0;
  // Streamed: a space's 100,000 accounts as rows of text and as Accounts at once would
  // hold them twice.
  std::vector<Account> out;
  ROSTERD_TRY(conn_->query_each(stmt::kAccounts,
                                {opt(f.space), opt(f.role), opt(f.licence), opt(f.team),
                                 opt(f.managed_by), opt(state), include_deleted, opt(search)},
                                [&out](const SqlRow& row) -> Result<bool> {
                                  ROSTERD_ASSIGN(auto a, account_from_row(row));
                                  out.push_back(std::move(a));
                                  return true;
                                }));
  return out;
}

Result<std::vector<LicenceUsage>> SqlStore::licence_usage() {
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kPools, {}));
  std::vector<LicenceUsage> out;
  for (const auto& row : rows)
    out.push_back({row.text(0), row.text(1), row.integer(3), row.integer(2), row.integer(4)});
  return out;
}

Result<void> SqlStore::write(const Transition& t, const Actor& actor, std::string_view reason) {
  for (const auto& a : t.accounts) ROSTERD_TRY(upsert_account(*conn_, a));
  for (const auto& s : t.seats) ROSTERD_TRY(conn_->execute(stmt::kChangeSeats, {s.space, s.licence, s.delta}));
  const std::string at = format_timestamp(ctx_.now);
  const std::string actor_label = actor.label();
  const std::string reason_text(reason);
  for (const auto& e : t.events) {
    const auto account = std::find_if(t.accounts.begin(), t.accounts.end(),
                                      [&](const Account& a) { return a.id == e.account_id; });
    const std::string details = details_json(e.details);
    const std::string payload =
        event_payload(e, account == t.accounts.end() ? nullptr : &*account, reason_text, at);
    const std::string_view email = account == t.accounts.end() ? std::string_view() : account->email;
    ROSTERD_TRY(append_audit(*conn_, AuditRow{at, actor_label, t.operation, e.type, e.id, e.space,
                                              e.account_id, email, reason, details}));
    ROSTERD_TRY(conn_->execute(stmt::kInsertOutbox, {e.id, e.type, e.space, e.account_id, payload, at}));
  }
  return {};
}

Result<Transition> SqlStore::apply_in_transaction(StateView& view, const Operation& op,
                                                  const Actor& actor, std::string_view reason,
                                                  const Details& extra) {
  ROSTERD_ASSIGN(auto t, decide(op, actor, view, ctx_));
  if (!extra.empty())
    for (Event& e : t.events) add_details(e.details, extra);
  if (t.changed()) ROSTERD_TRY(write(t, actor, reason));
  return t;
}

Result<Applied> SqlStore::apply(const Operation& op, const Actor& actor, std::string_view reason) {
  ctx_.now = options_.clock();
  ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
  SqlStateView view(*conn_);
  ROSTERD_ASSIGN(auto t, apply_in_transaction(view, op, actor, reason));
  ROSTERD_TRY(tx.commit());
  return Applied{std::move(t)};
}

Result<PlanOutcome> SqlStore::apply_plan(const Plan& plan, const Actor& actor,
                                         std::size_t per_transaction) {
  per_transaction = std::max<std::size_t>(per_transaction, 1);
  PlanOutcome outcome;
  const auto& ops = plan.operations;
  for (std::size_t begin = 0; begin < ops.size(); begin += per_transaction) {
    const std::size_t end = std::min(ops.size(), begin + per_transaction);
    ctx_.now = options_.clock();
    ROSTERD_ASSIGN(auto tx, Transaction::begin(*conn_));
    SqlStateView view(*conn_);
    bool unprotected_failure = false;  // a refused operation without a savepoint
    for (std::size_t i = begin; i < end; ++i) {
      // A single-operation batch needs no savepoint: the transaction is the operation.
      std::optional<Savepoint> sp;
      if (end - begin > 1) {
        ROSTERD_ASSIGN(auto s, Savepoint::begin(*conn_));
        sp.emplace(std::move(s));
      }
      const PlannedOperation& planned = ops[i];
      const Actor op_actor = planned.source.empty() ? actor : Actor::source(planned.source);
      auto t = apply_in_transaction(view, planned.op, op_actor, planned.reason,
                                    planned_details(planned));
      if (!t) {
        const auto code = t.error().code;
        if (code == ErrorCode::Storage || code == ErrorCode::Unavailable || code == ErrorCode::Internal)
          return tl::unexpected(t.error());  // the batch rolls back; nothing half-written
        outcome.refused.emplace_back(i, t.error());
        unprotected_failure = !sp;
        continue;  // the savepoint's destructor undoes whatever the operation wrote
      }
      if (sp) ROSTERD_TRY(sp->release());
      ++(t->changed() ? outcome.applied : outcome.unchanged);
    }
    if (unprotected_failure) continue;  // the transaction's destructor rolls it back
    ROSTERD_TRY(tx.commit());
  }
  return outcome;
}

Result<std::vector<AuditEntry>> SqlStore::audit(const AuditQuery& q) {
  const std::optional<std::string> since =
      q.since ? std::optional<std::string>(format_timestamp(*q.since)) : std::nullopt;
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kAudit, {opt(since), opt(q.space),
                                                              opt(q.account_id), limit_value(q.limit)}));
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    AuditEntry e;
    e.seq = row.integer(0);
    e.at = parse_timestamp(row.text(1)).value_or(Timestamp{});
    e.actor = row.text(2);
    e.operation = row.text(3);
    e.event = row.text(4);
    e.event_id = row.text(5);
    e.space = row.text(6);
    e.account_id = row.text(7);
    e.reason = row.text(8);
    e.details = details_from_json(row.text(9));
    e.email = row.text(10);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<OutboxEntry>> SqlStore::outbox(std::optional<std::string_view> state,
                                                  std::size_t limit) {
  const SqlValue state_value = state ? SqlValue{*state} : SqlValue{nullptr};
  ROSTERD_ASSIGN(const auto rows, conn_->query(stmt::kOutbox, {state_value, limit_value(limit)}));
  std::vector<OutboxEntry> out;
  for (const auto& row : rows) {
    OutboxEntry e;
    read_outbox_entry(row, e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace rosterd::sql
