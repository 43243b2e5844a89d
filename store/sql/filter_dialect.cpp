#include "store/sql/filter_dialect.h"

#include <cstdlib>

namespace rosterd::sql {
namespace {

// Keys come from core/resource_schema.h, never from filter text; one that could leave its
// quotes would be a bug in rosterd, so stop rather than build the SQL (kept under NDEBUG).
const std::string& checked(const std::string& key) {
  if (!is_safe_key(key)) std::abort();
  return key;
}

std::string with_wildcards(CompareOp op, std::string escaped, std::string_view any) {
  std::string out;
  if (op == CompareOp::Co || op == CompareOp::Ew) out += any;
  out += escaped;
  if (op == CompareOp::Co || op == CompareOp::Sw) out += any;
  return out;
}

// ---- SQLite: json_extract and friends over a '$."a"."b"' path --------------------------

// The JSON path as an SQL expression: a constant for a document, or built on the
// element's own path (json_each's fullkey) inside an array.
std::string sqlite_path(const JsonPlace& place) {
  std::string keys;
  for (const std::string& key : place.keys) keys += ".\"" + checked(key) + "\"";
  if (place.element.empty()) return "'$" + keys + "'";
  return place.element + ".fullkey || '" + keys + "'";
}

std::string sqlite_call(std::string_view function, const JsonPlace& place) {
  return std::string(function) + "(" + place.doc + ", " + sqlite_path(place) + ")";
}

std::string sqlite_text(const JsonPlace& place) { return sqlite_call("json_extract", place); }

std::string sqlite_is_bool(const JsonPlace& place, bool value) {
  return sqlite_call("json_type", place) + (value ? " = 'true'" : " = 'false'");
}

std::string sqlite_number(const JsonPlace& place) {
  return "CASE WHEN " + sqlite_call("json_type", place) + " IN ('integer', 'real') THEN " +
         sqlite_text(place) + " END";
}

std::string sqlite_number_param(std::string_view placeholder) {
  return "CAST(" + std::string(placeholder) + " AS REAL)";
}

std::string sqlite_present(const JsonPlace& place) {
  return "COALESCE(" + sqlite_call("json_type", place) + " <> 'null' AND " + sqlite_text(place) +
         " NOT IN ('', '[]', '{}'), FALSE)";
}

std::string sqlite_array_not_empty(const JsonPlace& place) {
  return "COALESCE(" + sqlite_call("json_array_length", place) + " > 0, FALSE)";
}

std::string sqlite_elements(const JsonPlace& array, std::string_view alias) {
  return sqlite_call("json_each", array) + " " + std::string(alias);
}

// GLOB is SQLite's case-sensitive LIKE; its wildcards are escaped by bracketing them.
std::string sqlite_exact_match(std::string_view expr, std::string_view placeholder) {
  return std::string(expr) + " GLOB " + std::string(placeholder);
}

std::string sqlite_exact_pattern(CompareOp op, std::string_view literal) {
  std::string escaped;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[') escaped += std::string("[") + c + "]";
    else escaped += c;
  }
  return with_wildcards(op, std::move(escaped), "*");
}

// ---- PostgreSQL: jsonb operators ---------------------------------------------------------

std::string pg_chain(const JsonPlace& place, bool last_as_text) {
  std::string out = place.element.empty() ? "(" + place.doc + ")::jsonb" : place.element + ".value";
  for (std::size_t k = 0; k < place.keys.size(); ++k) {
    out += (last_as_text && k + 1 == place.keys.size() ? " ->> '" : " -> '") + checked(place.keys[k]) + "'";
  }
  if (last_as_text && place.keys.empty()) out = "(" + out + " #>> '{}')";
  return out;
}

// COLLATE "C": compared and sorted by bytes, as SQLite does and as the columns are
// declared (migrations.cpp); ->> would otherwise give the database's collation.
std::string pg_text(const JsonPlace& place) { return "((" + pg_chain(place, true) + ") COLLATE \"C\")"; }

std::string pg_is_bool(const JsonPlace& place, bool value) {
  return "(" + pg_chain(place, false) + (value ? ") = 'true'::jsonb" : ") = 'false'::jsonb");
}

std::string pg_number(const JsonPlace& place) {
  const std::string value = "(" + pg_chain(place, false) + ")";
  return "CASE jsonb_typeof(" + value + ") WHEN 'number' THEN (" + value + " #>> '{}')::numeric END";
}

std::string pg_number_param(std::string_view placeholder) {
  return std::string(placeholder) + "::numeric";
}

std::string pg_present(const JsonPlace& place) {
  const std::string value = "(" + pg_chain(place, false) + ")";
  return "COALESCE(jsonb_typeof(" + value + ") <> 'null' AND " + value +
         " NOT IN ('\"\"'::jsonb, '[]'::jsonb, '{}'::jsonb), FALSE)";
}

std::string pg_array_not_empty(const JsonPlace& place) {
  const std::string value = "(" + pg_chain(place, false) + ")";
  return "COALESCE(jsonb_typeof(" + value + ") = 'array' AND " + value + " <> '[]'::jsonb, FALSE)";
}

std::string pg_elements(const JsonPlace& array, std::string_view alias) {
  const std::string value = "(" + pg_chain(array, false) + ")";
  return "jsonb_array_elements(CASE jsonb_typeof(" + value + ") WHEN 'array' THEN " + value +
         " ELSE '[]'::jsonb END) AS " + std::string(alias) + "(value)";
}

std::string pg_exact_match(std::string_view expr, std::string_view placeholder) {
  return std::string(expr) + " LIKE " + std::string(placeholder) + " ESCAPE '!'";
}

constexpr FilterDialect kSqlite{sqlite_text,     sqlite_is_bool,         sqlite_number,
                                sqlite_number_param, sqlite_present, sqlite_array_not_empty,
                                sqlite_elements, sqlite_exact_match,     sqlite_exact_pattern};
constexpr FilterDialect kPostgres{pg_text,     pg_is_bool,         pg_number,
                                  pg_number_param, pg_present, pg_array_not_empty,
                                  pg_elements, pg_exact_match,     like_pattern};

}  // namespace

const FilterDialect& filter_dialect(Dialect dialect) {
  return dialect == Dialect::Sqlite ? kSqlite : kPostgres;
}

std::string like_pattern(CompareOp op, std::string_view literal) {
  std::string escaped;
  for (char c : literal) {
    if (c == '%' || c == '_' || c == '!') escaped += '!';
    escaped += c;
  }
  return with_wildcards(op, std::move(escaped), "%");
}

std::vector<std::string> json_keys(std::string_view name) {
  std::vector<std::string> keys;
  if (name.starts_with("urn:")) {
    const auto colon = name.rfind(':');
    keys.emplace_back(name.substr(0, colon));
    name.remove_prefix(colon + 1);
  }
  for (auto dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
    keys.emplace_back(name.substr(0, dot));
    name.remove_prefix(dot + 1);
  }
  keys.emplace_back(name);
  return keys;
}

bool is_safe_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '$' || c == ':' || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace rosterd::sql
