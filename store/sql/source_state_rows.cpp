#include "store/sql/source_state_rows.h"

#include "core/try.h"
#include "store/sql/reconcile_statements.h"

namespace rosterd::sql {
namespace {

std::optional<std::string> optional_time(const std::optional<Timestamp>& t) {
  return t ? std::optional<std::string>(format_timestamp(*t)) : std::nullopt;
}

Result<std::optional<Timestamp>> optional_time_cell(const SqlRow& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<Timestamp>{};
  auto t = parse_timestamp(row.text(i));
  if (!t) return fail(ErrorCode::Storage, "corrupt timestamp in the store: '" + row.text(i) + "'");
  return std::optional<Timestamp>(*t);
}

}  // namespace

Result<std::vector<SourceState>> read_source_states(SqlConnection& conn, std::optional<std::string_view> source) {
  ROSTERD_ASSIGN(const auto rows, source ? conn.query(stmt::kSourceState, {*source})
                                         : conn.query(stmt::kSourceStates, {}));
  std::vector<SourceState> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    SourceState s;
    s.source = row.text(0);
    s.status = row.text(1);
    s.error = row.text(2);
    s.identity_count = row.integer(3);
    ROSTERD_ASSIGN(s.last_attempt_at, optional_time_cell(row, 4));
    ROSTERD_ASSIGN(s.last_success_at, optional_time_cell(row, 5));
    ROSTERD_ASSIGN(s.last_full_at, optional_time_cell(row, 6));
    s.cursor = row.text(7);
    s.read_digest = row.text(8);
    out.push_back(std::move(s));
  }
  return out;
}

Result<void> upsert_source_state(SqlConnection& conn, const SourceState& s) {
  const auto attempt = optional_time(s.last_attempt_at);
  const auto success = optional_time(s.last_success_at);
  const auto full = optional_time(s.last_full_at);
  ROSTERD_TRY(conn.execute(stmt::kUpsertSourceState, {s.source, s.status, s.error, s.identity_count,
                                                      opt(attempt), opt(success), opt(full), s.cursor,
                                                      s.read_digest}));
  return {};
}

}  // namespace rosterd::sql
