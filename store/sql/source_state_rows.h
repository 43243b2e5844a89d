// Writing a source's read state (sync_state), shared by the account store's
// set_source_state and the identity writer's (which commits it with the changes it covers).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/source_state.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

Result<void> upsert_source_state(SqlConnection& conn, const SourceState& state);
// Every source's state, ordered by source; or only `source`'s (none if it has no row).
Result<std::vector<SourceState>> read_source_states(SqlConnection& conn,
                                                    std::optional<std::string_view> source = std::nullopt);

}  // namespace rosterd::sql
