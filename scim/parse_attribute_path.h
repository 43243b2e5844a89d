// Attribute paths of SCIM filters and PATCH paths (RFC 7644 attrPath):
// [URI ":"] ATTRNAME ["." ATTRNAME], e.g. "userName", "name.familyName",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "core/predicate.h"
#include "scim/filter_cursor.h"

namespace rosterd::scim {

// Reads the path at the cursor and leaves the cursor just after it (on a space, a
// bracket, a parenthesis or the end). The schema URN is everything before the last ':'
// of the path: URNs hold colons and dots ("2.0"), attribute names hold neither.
Result<AttributePath> parse_attribute_path(FilterCursor& cursor);

// Offset of the first byte of `name` that makes it no attribute name (ATTRNAME =
// ALPHA *("-" / "_" / DIGIT / ALPHA), or "$ref"), or npos when it is one. 0 when empty.
std::size_t invalid_name_offset(std::string_view name);

}  // namespace rosterd::scim
