#include "store/sql/source_state_rows.h"

#include "core/try.h"
#include "store/sql/reconcile_statements.h"

namespace rosterd::sql {
namespace {

std::optional<std::string> optional_time(const std::optional<Timestamp>& t) {
  return t ? std::optional<std::string>(format_timestamp(*t)) : std::nullopt;
}

}  // namespace

Result<void> upsert_source_state(SqlConnection& conn, const SourceState& s) {
  const auto attempt = optional_time(s.last_attempt_at);
  const auto success = optional_time(s.last_success_at);
  const auto full = optional_time(s.last_full_at);
  ROSTERD_TRY(conn.execute(stmt::kUpsertSourceState, {s.source, s.status, s.error, s.identity_count,
                                                      opt(attempt), opt(success), opt(full), s.cursor}));
  return {};
}

}  // namespace rosterd::sql
