// The one place where the predicate compiler's SQL differs between SQLite and PostgreSQL:
// how a member of the JSON `attributes` document is read, how the elements of a JSON
// array are listed, and how case-exact substring matches are spelled. Every key given
// here comes from core/resource_schema.h, never from the filter text; values only ever
// appear as placeholders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/predicate.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// Where a JSON value lives: a path of keys below the document `doc` (a column such as
// "i.attributes") or, when `element` is set, below one element of an array listed by
// FilterDialect::elements under that alias.
struct JsonPlace {
  std::string doc;
  std::string element;  // alias of the array element, or empty
  std::vector<std::string> keys;
};

struct FilterDialect {
  std::string (*text)(const JsonPlace&);            // the value as SQL text (NULL if absent)
  std::string (*is_bool)(const JsonPlace&, bool);   // true when the value is that JSON boolean
  std::string (*number)(const JsonPlace&);          // the value as an SQL number
  std::string (*number_param)(std::string_view placeholder);
  std::string (*present)(const JsonPlace&);         // not absent, null, "", [] or {}
  std::string (*array_not_empty)(const JsonPlace&);
  // A FROM item listing the elements of the array at `array` under `alias`.
  std::string (*elements)(const JsonPlace& array, std::string_view alias);
  // Case-exact co/sw/ew: the SQL and the parameter to bind for it.
  std::string (*exact_match)(std::string_view expr, std::string_view placeholder);
  std::string (*exact_pattern)(CompareOp op, std::string_view literal);
};

const FilterDialect& filter_dialect(Dialect dialect);

// Case-insensitive co/sw/ew: a LIKE pattern with %, _ and ! escaped by '!'.
std::string like_pattern(CompareOp op, std::string_view literal);

// The keys of a canonical attribute name inside the `attributes` document:
// "urn:...:2.0:User:manager.value" -> {"urn:...:2.0:User", "manager", "value"}.
std::vector<std::string> json_keys(std::string_view canonical);

// True when `key` can sit inside quoted SQL text and a JSON path without escaping.
bool is_safe_key(std::string_view key);

}  // namespace rosterd::sql
