#include "store/sql/sql_state_view.h"

#include "core/email.h"
#include "store/sql/account_rows.h"
#include "store/sql/statements.h"

namespace rosterd::sql {
namespace {

Result<std::optional<Account>> first_account(Result<SqlRows> rows) {
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Account>{};
  auto a = account_from_row(rows->front());
  if (!a) return tl::unexpected(a.error());
  return std::optional<Account>(std::move(*a));
}

}  // namespace

Result<std::optional<Space>> load_space(SqlConnection& conn, std::string_view id) {
  auto rows = conn.query(stmt::kSpace, {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Space>{};
  Space s;
  s.id = rows->front().text(0);
  s.default_owner = rows->front().text(1);
  auto pools = conn.query(stmt::kPoolsOfSpace, {id});
  if (!pools) return tl::unexpected(pools.error());
  for (const auto& row : *pools) s.licences.emplace(row.text(0), row.integer(1));
  return std::optional<Space>(std::move(s));
}

Result<std::optional<Space>> SqlStateView::space(std::string_view id) {
  if (auto it = spaces_.find(id); it != spaces_.end()) return it->second;
  auto s = load_space(conn_, id);
  if (s) spaces_.emplace(std::string(id), *s);
  return s;
}

Result<std::optional<Account>> SqlStateView::account(std::string_view id) {
  return first_account(conn_.query(stmt::kAccount, {id}));
}

Result<std::optional<Account>> SqlStateView::account_by_email(std::string_view space,
                                                              std::string_view email) {
  const std::string key = email_key(email);
  return first_account(conn_.query(stmt::kAccountByEmail, {space, key}));
}

Result<std::int64_t> SqlStateView::seats_used(std::string_view space, std::string_view licence) {
  auto rows = conn_.query(stmt::kSeatsUsed, {space, licence});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? 0 : rows->front().integer(0);
}

Result<std::int64_t> SqlStateView::enabled_owners(std::string_view space) {
  auto rows = conn_.query(stmt::kEnabledOwners, {space});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? 0 : rows->front().integer(0);
}

}  // namespace rosterd::sql
