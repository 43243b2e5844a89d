#include "scim/patch_value.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/try.h"
#include "scim/ascii_case.h"
#include "scim/patch_json.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

using Type = AttributeSpec::Type;

tl::unexpected<Error> wrong(std::string_view where, std::string_view expected,
                            const json::value& found) {
  std::string shown = json::serialize(found);
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  return fail(ErrorCode::InvalidValue,
              std::string(where) + ": expected " + std::string(expected) + ", found " + shown);
}

Result<json::value> to_boolean(const json::value& value, std::string_view where) {
  if (value.is_bool()) return value;
  if (const auto* s = value.if_string()) {
    if (equals_ignoring_case(*s, "true")) return json::value(true);
    if (equals_ignoring_case(*s, "false")) return json::value(false);
  }
  return wrong(where, "a boolean (true or false)", value);
}

Result<json::value> to_simple(const AttributeSpec& spec, const json::value& value,
                              std::string_view where) {
  switch (spec.type) {
    case Type::Boolean:
      return to_boolean(value, where);
    case Type::Integer:
      if (value.is_int64() || value.is_uint64()) return value;
      if (const auto* d = value.if_double(); d && std::trunc(*d) == *d && std::abs(*d) < 9e15)
        return json::value(static_cast<std::int64_t>(*d));
      return wrong(where, "an integer", value);
    case Type::Decimal:
      if (value.is_number()) return value;
      return wrong(where, "a number", value);
    default:
      if (value.is_string()) return value;
      return wrong(where, "a string", value);
  }
}

Result<json::value> to_complex(const ResourceSchema& schema, const AttributeSpec& spec,
                               const json::value& value, std::string_view where) {
  const auto* object = value.if_object();
  if (!object) {
    const AttributeSpec* inner = schema.find_member(spec, "value");
    if (!inner || value.is_array() || value.is_bool()) return wrong(where, "an object", value);
    ROSTERD_ASSIGN(json::value converted, to_simple(*inner, value, std::string(where) + ".value"));
    json::object wrapped;
    wrapped["value"] = std::move(converted);
    return wrapped;
  }
  json::object out;
  for (const auto& member : *object) {
    const AttributeSpec* sub = schema.find_member(spec, member.key());
    const std::string sub_where = std::string(where) + "." + std::string(member.key());
    if (!sub)
      return fail(ErrorCode::InvalidValue, sub_where + ": unknown sub-attribute of " +
                                               std::string(canonical_key(spec)));
    if (sub->read_only) continue;  // manager.displayName: the server's to fill, not the client's
    if (is_unassigned(member.value())) {
      set_key(out, canonical_key(*sub), nullptr);
      continue;
    }
    ROSTERD_ASSIGN(json::value converted, to_simple(*sub, member.value(), sub_where));
    set_key(out, canonical_key(*sub), std::move(converted));
  }
  return out;
}

}  // namespace

bool is_unassigned(const json::value& value) {
  if (value.is_null()) return true;
  const auto* s = value.if_string();
  return s && s->empty();
}

Result<json::value> normalise_value(const ResourceSchema& schema, const AttributeSpec& spec,
                                    const json::value& value, std::string_view where) {
  if (spec.type == Type::Complex) return to_complex(schema, spec, value, where);
  return to_simple(spec, value, where);
}

Result<json::array> normalise_elements(const ResourceSchema& schema, const AttributeSpec& spec,
                                       const json::value& value, std::string_view where) {
  json::array out;
  const auto add = [&](const json::value& element) -> Result<void> {
    if (is_unassigned(element)) return {};
    ROSTERD_ASSIGN(json::value converted, normalise_value(schema, spec, element, where));
    if (auto* object = converted.if_object()) {
      strip_nulls(*object);
      if (object->empty()) return {};
    }
    out.push_back(std::move(converted));
    return {};
  };
  if (const auto* list = value.if_array()) {
    for (const auto& element : *list) ROSTERD_TRY(add(element));
  } else {
    ROSTERD_TRY(add(value));
  }
  return out;
}

}  // namespace rosterd::scim
