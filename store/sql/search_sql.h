// The SQL of IdentityReader::search: the compiled filter (predicate_sql.h) inside
// `WHERE source = $1 AND (...)`, an ORDER BY for the SCIM sortBy, and LIMIT/OFFSET for
// startIndex/count. Like the filter, every name in the text comes from
// core/resource_schema.h or a fixed table here, and every value is a placeholder.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/identity_store.h"
#include "store/sql/predicate_sql.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

struct SearchSql {
  // Placeholders: $1 the source, then `params` in order; `page` ends with
  // LIMIT $(params.size() + 2) OFFSET $(params.size() + 3).
  std::string page;
  std::string count;
  std::vector<std::string> params;
};

// ErrorCode::InvalidFilter for a filter that does not compile; ErrorCode::InvalidValue
// for a sort_by that names no attribute, or one that has no single value to sort by
// (a complex attribute such as "name", or memberships).
Result<SearchSql> compile_search(const ResourceQuery& query, Dialect dialect);

// The ORDER BY list (without the keywords) for `sort_by`: resources without the attribute
// last when ascending and first when descending (RFC 7644 section 3.4.2.3), then by id so
// pages are stable. Empty sort_by: creation order.
Result<std::string> compile_sort(ResourceKind kind, std::string_view sort_by, bool descending,
                                 Dialect dialect);

}  // namespace rosterd::sql
