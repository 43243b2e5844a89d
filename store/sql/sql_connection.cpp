#include "store/sql/sql_connection.h"

#include <charconv>

namespace rosterd::sql {

const std::string& SqlRow::text(std::size_t i) const {
  static const std::string kEmpty;
  return cells[i] ? *cells[i] : kEmpty;
}

std::int64_t SqlRow::integer(std::size_t i) const {
  if (!cells[i]) return 0;
  std::int64_t value = 0;
  const auto& s = *cells[i];
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

Result<void> SqlConnection::query_each(std::string_view sql, std::span<const SqlValue> params,
                                       const SqlRowSink& sink) {
  auto rows = query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  for (const SqlRow& row : *rows) {
    auto more = sink(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
  }
  return {};
}

Result<std::vector<SqlRows>> SqlConnection::query_all(std::span<const SqlStatement> statements) {
  std::vector<SqlRows> out;
  out.reserve(statements.size());
  for (const SqlStatement& s : statements) {
    auto rows = query(s.sql, s.params);
    if (!rows) return tl::unexpected(rows.error());
    out.push_back(std::move(*rows));
  }
  return out;
}

Result<std::vector<SqlRows>> SqlConnection::query_snapshot(std::span<const SqlStatement> statements) {
  if (auto begun = begin_read(); !begun) return tl::unexpected(begun.error());
  auto rows = query_all(statements);
  auto ended = execute("ROLLBACK", {});
  if (!rows) return rows;
  if (!ended) return tl::unexpected(ended.error());
  return rows;
}

Result<void> SqlConnection::execute_later(std::string_view sql, std::span<const SqlValue> params) {
  if (auto r = execute(sql, params); !r) return tl::unexpected(r.error());
  return {};
}

Result<void> SqlConnection::settle_writes() { return {}; }

Result<void> SqlConnection::execute_deferred(std::string_view sql) {
  if (auto r = execute(sql, {}); !r) return tl::unexpected(r.error());
  return {};
}

Result<void> SqlConnection::begin_read() {
  const std::string_view sql = dialect() == Dialect::Postgres
                                   ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                   : "BEGIN";
  if (auto r = execute(sql, {}); !r) return tl::unexpected(r.error());
  return {};
}

}  // namespace rosterd::sql
