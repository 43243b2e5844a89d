#include "scim/parse_attribute_path.h"

#include <string>

namespace rosterd::scim {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 3986 characters, less the brackets and parentheses that delimit filter syntax.
bool is_uri_char(char c) {
  static constexpr std::string_view kOthers = "-._~:/?#@!$&'*+,;=%";
  return is_alpha(c) || is_digit(c) || kOthers.find(c) != std::string_view::npos;
}

// A URI has a scheme ("urn", "http") and a colon; `urn:` alone stays invalid.
std::size_t invalid_schema_offset(std::string_view schema) {
  if (schema.empty() || !is_alpha(schema[0])) return 0;
  for (std::size_t i = 0; i < schema.size(); ++i)
    if (!is_uri_char(schema[i])) return i;
  const auto colon = schema.find(':');
  if (colon == std::string_view::npos || colon + 1 == schema.size()) return schema.size();
  return std::string_view::npos;
}

constexpr std::string_view kNameRule = "(a letter, then letters, digits, '-' or '_')";

Result<void> check_name(const FilterCursor& cursor, std::size_t start, std::string_view name,
                        std::string_view what) {
  const std::size_t bad = invalid_name_offset(name);
  if (bad == std::string_view::npos) return {};
  return cursor.fail(start + bad, "expected " + std::string(what) + " " + std::string(kNameRule) +
                                      ", found " + cursor.describe(start + bad));
}

}  // namespace

std::size_t invalid_name_offset(std::string_view name) {
  // "$ref" is the one name outside the ABNF: RFC 7643 uses it for references.
  if (equals_ignoring_case(name, "$ref")) return std::string_view::npos;
  if (name.empty() || !is_alpha(name[0])) return 0;
  for (std::size_t i = 1; i < name.size(); ++i)
    if (!is_alpha(name[i]) && !is_digit(name[i]) && name[i] != '-' && name[i] != '_') return i;
  return std::string_view::npos;
}

Result<AttributePath> parse_attribute_path(FilterCursor& cursor) {
  const std::size_t start = cursor.offset();
  const std::string_view token = cursor.word();
  AttributePath path;
  std::size_t name_start = 0;  // within token
  if (const auto colon = token.rfind(':'); colon != std::string_view::npos) {
    const std::string_view schema = token.substr(0, colon);
    if (const auto bad = invalid_schema_offset(schema); bad != std::string_view::npos)
      return cursor.fail(start + bad,
                         "expected a schema URN (such as "
                         "urn:ietf:params:scim:schemas:core:2.0:User) before the "
                         "attribute name, found " +
                             cursor.describe(start));
    path.schema = std::string(schema);
    name_start = colon + 1;
  }
  const std::string_view names = token.substr(name_start);
  const auto dot = names.find('.');
  const std::string_view attribute = names.substr(0, dot);
  if (auto ok = check_name(cursor, start + name_start, attribute, "an attribute name"); !ok)
    return tl::unexpected(std::move(ok.error()));
  path.attribute = std::string(attribute);
  if (dot != std::string_view::npos) {
    const std::string_view sub = names.substr(dot + 1);
    const std::size_t sub_start = start + name_start + dot + 1;
    if (const auto second = sub.find('.'); second != std::string_view::npos)
      return cursor.fail(
          sub_start + second,
          "a path names at most one sub-attribute (as in 'name.familyName'), found " +
              cursor.describe(sub_start + second));
    if (auto ok = check_name(cursor, sub_start, sub, "a sub-attribute name after '.'"); !ok)
      return tl::unexpected(std::move(ok.error()));
    path.sub_attribute = std::string(sub);
  }
  cursor.advance(token.size());
  return path;
}

}  // namespace rosterd::scim
