// The comparison value of a SCIM filter (RFC 7644 compValue): a JSON string, a JSON
// number, or true / false / null, the keywords in any case like every SCIM keyword.
#pragma once

#include <string_view>

#include "core/error.h"
#include "core/predicate.h"
#include "scim/filter_cursor.h"

namespace rosterd::scim {

// Reads the value at the cursor and leaves the cursor just after it. `op` is the
// operator as written, for the message when no value is there. Strings are decoded
// (escapes, surrogate pairs) and must be well-formed UTF-8 without control characters
// or U+0000; numbers keep their text as written alongside their value.
Result<Literal> parse_literal(FilterCursor& cursor, std::string_view op);

}  // namespace rosterd::scim
