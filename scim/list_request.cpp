#include "scim/list_request.h"

#include <charconv>
#include <cstdint>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace {

constexpr std::string_view kSearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

Result<std::int64_t> integer_param(std::string_view name, std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return fail(ErrorCode::InvalidValue, std::string(name) + " must be an integer, not '" + std::string(text) + "'");
  return value;
}

Result<void> set_sort_order(ListRequest& out, std::string_view order) {
  if (equals_ignoring_case(order, "ascending")) out.descending = false;
  else if (equals_ignoring_case(order, "descending")) out.descending = true;
  else return fail(ErrorCode::InvalidValue, "sortOrder must be 'ascending' or 'descending'");
  return {};
}

void set_paging(ListRequest& out, std::int64_t start, std::int64_t count, const ListLimits& limits) {
  out.start_index = start < 1 ? 1 : static_cast<std::size_t>(start);
  out.count = count < 0 ? 0 : std::min(static_cast<std::size_t>(count), limits.max_count);
}

Result<void> set_filter(ListRequest& out, std::string_view text, const ListLimits& limits) {
  if (text.empty()) return {};
  auto parsed = parse_filter(text, limits.filter);
  if (!parsed) return tl::unexpected(parsed.error());
  out.filter = std::move(*parsed);
  return {};
}

// "attributes": ["a", "b"] or "a,b".
Result<std::string> name_list(const boost::json::value& v, std::string_view key) {
  if (v.is_string()) return std::string(v.get_string());
  if (!v.is_array()) return fail(ErrorCode::InvalidValue, std::string(key) + " must be an array of attribute names");
  std::string out;
  for (const auto& e : v.get_array()) {
    if (!e.is_string()) return fail(ErrorCode::InvalidValue, std::string(key) + " must be an array of attribute names");
    if (!out.empty()) out += ',';
    out += e.get_string();
  }
  return out;
}

}  // namespace

Result<ListRequest> list_request_from_query(const RequestTarget& target, const ListLimits& limits) {
  ListRequest out;
  std::int64_t start = 1;
  auto count = static_cast<std::int64_t>(limits.default_count);
  if (const std::string* v = target.param("startIndex")) {
    auto n = integer_param("startIndex", *v);
    if (!n) return tl::unexpected(n.error());
    start = *n;
  }
  if (const std::string* v = target.param("count")) {
    auto n = integer_param("count", *v);
    if (!n) return tl::unexpected(n.error());
    count = *n;
  }
  set_paging(out, start, count, limits);
  if (const std::string* v = target.param("filter"))
    if (auto r = set_filter(out, *v, limits); !r) return tl::unexpected(r.error());
  if (const std::string* v = target.param("sortBy")) out.sort_by = *v;
  if (const std::string* v = target.param("sortOrder"))
    if (auto r = set_sort_order(out, *v); !r) return tl::unexpected(r.error());
  if (const std::string* v = target.param("attributes")) out.attributes = *v;
  if (const std::string* v = target.param("excludedAttributes")) out.excluded_attributes = *v;
  return out;
}

Result<ListRequest> list_request_from_body(const boost::json::value& body, const ListLimits& limits) {
  const auto* object = body.if_object();
  if (!object) return fail(ErrorCode::InvalidSyntax, "a SearchRequest must be a JSON object");
  bool schema_ok = false;
  if (const auto* schemas = object->if_contains("schemas"); schemas && schemas->is_array())
    for (const auto& s : schemas->get_array())
      schema_ok = schema_ok || (s.is_string() && equals_ignoring_case(s.get_string(), kSearchRequest));
  if (!schema_ok)
    return fail(ErrorCode::InvalidSyntax, "a SearchRequest must list the schema " + std::string(kSearchRequest));
  ListRequest out;
  std::int64_t start = 1;
  auto count = static_cast<std::int64_t>(limits.default_count);
  for (const auto& [key, value] : *object) {
    const std::string_view k(key.data(), key.size());
    if (equals_ignoring_case(k, "schemas")) continue;
    if (equals_ignoring_case(k, "startIndex") || equals_ignoring_case(k, "count")) {
      if (!value.is_int64() && !value.is_uint64())
        return fail(ErrorCode::InvalidValue, std::string(k) + " must be an integer");
      const std::int64_t n = value.is_int64() ? value.get_int64()
                                              : static_cast<std::int64_t>(std::min<std::uint64_t>(value.get_uint64(), INT64_MAX));
      (equals_ignoring_case(k, "count") ? count : start) = n;
    } else if (equals_ignoring_case(k, "filter")) {
      if (!value.is_string()) return fail(ErrorCode::InvalidFilter, "filter must be a string");
      if (auto r = set_filter(out, value.get_string(), limits); !r) return tl::unexpected(r.error());
    } else if (equals_ignoring_case(k, "sortBy")) {
      if (!value.is_string()) return fail(ErrorCode::InvalidValue, "sortBy must be a string");
      out.sort_by = value.get_string();
    } else if (equals_ignoring_case(k, "sortOrder")) {
      if (!value.is_string()) return fail(ErrorCode::InvalidValue, "sortOrder must be a string");
      if (auto r = set_sort_order(out, value.get_string()); !r) return tl::unexpected(r.error());
    } else if (equals_ignoring_case(k, "attributes")) {
      auto names = name_list(value, "attributes");
      if (!names) return tl::unexpected(names.error());
      out.attributes = std::move(*names);
    } else if (equals_ignoring_case(k, "excludedAttributes")) {
      auto names = name_list(value, "excludedAttributes");
      if (!names) return tl::unexpected(names.error());
      out.excluded_attributes = std::move(*names);
    } else {
      return fail(ErrorCode::InvalidSyntax, "a SearchRequest has no member '" + std::string(k) + "'");
    }
  }
  set_paging(out, start, count, limits);
  return out;
}

}  // namespace rosterd::scim
