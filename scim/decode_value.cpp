#include "scim/decode_value.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/timestamp.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;
using Type = AttributeSpec::Type;
using Decoded = Result<std::optional<json::value>>;

bool is_absent(const json::value& value) {
  return value.is_null() || (value.is_string() && value.get_string().empty());
}

bool is_manager(const AttributeSpec& spec) {
  return spec.schema_urn() == kEnterpriseUserUrn && spec.local_name() == "manager";
}

Decoded decode_object(const ResourceSchema& schema, const AttributeSpec& spec,
                      const json::object& value, const std::string& path) {
  json::object out;
  for (const auto& member : value) {
    const AttributeSpec* sub = schema.find_member(spec, member.key());
    if (sub == nullptr)
      return fail(ErrorCode::InvalidValue,
                  "unknown attribute '" + path + "." + std::string(member.key()) + "'");
    if (!settable(*sub)) continue;
    const std::string name(sub->member_name());
    auto decoded = decode_scalar(*sub, member.value(), path + "." + name);
    if (!decoded) return tl::unexpected(std::move(decoded.error()));
    if (*decoded)
      out[name] = std::move(**decoded);
    else
      out.erase(name);
  }
  if (out.empty()) return std::nullopt;
  return json::value(ordered_members(schema, spec, out));
}

Decoded decode_multi(const ResourceSchema& schema, const AttributeSpec& spec,
                     const json::value& value, const std::string& path) {
  json::array single;
  if (value.is_object()) single.push_back(value);
  if (!value.is_array() && !value.is_object())
    return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be an array");
  const json::array& elements = value.is_array() ? value.get_array() : single;
  json::array out;
  std::size_t primaries = 0;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    Decoded element = std::nullopt;
    if (spec.type != Type::Complex) {
      element = decode_scalar(spec, elements[i], at);
    } else if (is_absent(elements[i])) {
      continue;
    } else if (!elements[i].is_object()) {
      return fail(ErrorCode::InvalidValue, "attribute '" + at + "' must be an object");
    } else {
      element = decode_object(schema, spec, elements[i].get_object(), at);
    }
    if (!element) return element;
    if (!*element) continue;
    if (const auto* object = (*element)->if_object()) {
      const auto* primary = object->if_contains("primary");
      if (primary != nullptr && primary->is_bool() && primary->get_bool()) ++primaries;
    }
    out.push_back(std::move(**element));
  }
  if (primaries > 1)
    return fail(ErrorCode::InvalidValue,
                "attribute '" + path + "' has more than one value with primary true");
  if (out.empty()) return std::nullopt;
  return json::value(std::move(out));
}

Decoded decode_string(const AttributeSpec& spec, const json::value& value, const std::string& path) {
  if (!value.is_string())
    return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be a string");
  const json::string& text = value.get_string();
  if (text.size() > kMaxStringBytes)
    return fail(ErrorCode::InvalidValue, "attribute '" + path + "' is longer than " +
                                             std::to_string(kMaxStringBytes) + " bytes");
  if (spec.type == Type::DateTime && !parse_timestamp(std::string_view(text.data(), text.size())))
    return fail(ErrorCode::InvalidValue,
                "attribute '" + path + "' must be an ISO 8601 date and time");
  return value;
}

}  // namespace

bool settable(const AttributeSpec& spec) {
  return spec.mutability != AttributeSpec::Mutability::ReadOnly &&
         spec.mutability != AttributeSpec::Mutability::WriteOnly;
}

Decoded decode_scalar(const AttributeSpec& spec, const json::value& value, const std::string& path) {
  if (is_absent(value)) return std::nullopt;
  switch (spec.type) {
    case Type::Boolean:
      if (value.is_bool()) return value;
      if (value.is_string()) {
        const std::string_view text(value.get_string().data(), value.get_string().size());
        if (equals_ignoring_case(text, "true")) return json::value(true);
        if (equals_ignoring_case(text, "false")) return json::value(false);
      }
      return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be a boolean");
    case Type::Integer:
      if (value.is_int64() || value.is_uint64()) return value;
      return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be an integer");
    case Type::Decimal:
      if (value.is_number()) return value;
      return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be a number");
    case Type::Complex:
      return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must not be complex");
    default:
      return decode_string(spec, value, path);
  }
}

Decoded decode_value(const ResourceSchema& schema, const AttributeSpec& spec,
                     const json::value& value, const std::string& path) {
  if (is_absent(value)) return std::nullopt;
  if (spec.multi_valued) return decode_multi(schema, spec, value, path);
  if (spec.type != Type::Complex) return decode_scalar(spec, value, path);
  if (is_manager(spec) && value.is_string()) {
    json::object manager;
    manager["value"] = value;
    return decode_object(schema, spec, manager, path);
  }
  if (!value.is_object())
    return fail(ErrorCode::InvalidValue, "attribute '" + path + "' must be an object");
  return decode_object(schema, spec, value.get_object(), path);
}

json::object ordered_members(const ResourceSchema& schema, const AttributeSpec& parent,
                             const json::object& value) {
  json::object out;
  for (const AttributeSpec& sub : schema.sub_attributes(parent)) {
    const std::string_view name = sub.member_name();
    if (const json::value* member = value.if_contains(name)) out.emplace(name, *member);
  }
  return out;
}

}  // namespace rosterd::scim
