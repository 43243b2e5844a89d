#include "scim/apply_patch.h"

#include <string>
#include <string_view>
#include <utility>

#include <boost/json/value.hpp>

#include "core/resource_schema.h"
#include "core/try.h"
#include "scim/ascii_case.h"
#include "scim/patch_json.h"
#include "scim/patch_members.h"
#include "scim/patch_multi_valued.h"
#include "scim/patch_resolve_path.h"
#include "scim/patch_value.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

using Op = PatchOperation::Op;

const ResourceSchema& schema_of(ResourceType type) {
  return type == ResourceType::User ? ResourceSchema::user() : ResourceSchema::group();
}

// rosterd's read-only extension (the derived account) is rendered, never stored: a client
// echoing it back in a path-less value is ignored, and one naming it in a path refused.
bool names_rosterd_extension(std::string_view key) {
  return key.size() >= kRosterdUserUrn.size() &&
         equals_ignoring_case(key.substr(0, kRosterdUserUrn.size()), kRosterdUserUrn);
}

// Sets `incoming` (a complex value whose null members mean "remove") on `key`: merged
// into the value present sub-attribute by sub-attribute (RFC 7644 section 3.5.2.3), or
// in its place when it carries "value" — a manager is another person, not an update.
void set_complex(json::object& holder, std::string_view key, json::object incoming) {
  const json::value* existing = find_key(holder, key);
  json::object merged;
  if (existing && existing->is_object() && !find_key(incoming, "value"))
    merged = existing->as_object();
  for (auto& member : incoming) {
    if (member.value().is_null()) {
      erase_key(merged, member.key());
    } else {
      set_key(merged, member.key(), std::move(member.value()));
    }
  }
  if (merged.empty()) {
    erase_key(holder, key);
  } else {
    set_key(holder, key, std::move(merged));
  }
}

class Patcher {
 public:
  explicit Patcher(const PatchTarget& target)
      : type_(target.type),
        schema_(schema_of(target.type)),
        resource_(target.resource),
        members_(target.load_members) {}

  Result<void> apply(const PatchOperation& operation) {
    if (!operation.path) return apply_pathless(operation.op, operation.value);
    if (names_rosterd_extension(operation.path->attribute.schema))
      return fail(ErrorCode::Mutability, "'" + operation.path->attribute.to_string() +
                                             "' is read-only: rosterd derives it");
    ROSTERD_ASSIGN(const ResolvedPath path,
                   resolve_patch_path(schema_, *operation.path, ErrorCode::InvalidPath));
    if (is_read_only(path))
      return fail(ErrorCode::Mutability, "'" + path.text + "' is read-only");
    return apply_path(operation.op, path, operation.value);
  }

  json::object take_resource() { return std::move(resource_); }
  std::vector<MemberStep> take_steps() { return members_.take_steps(); }

 private:
  Result<void> apply_path(Op op, const ResolvedPath& path, const json::value& value);
  Result<void> single_valued(Op op, const ResolvedPath& path, const json::value& value);
  Result<void> apply_pathless(Op op, const json::value& value);
  Result<void> apply_key(Op op, std::string_view key, const json::value& value);
  Result<void> apply_attribute_key(Op op, std::string_view key, const json::value& value);
  std::string_view extension_named(std::string_view key) const;

  const ResourceType type_;
  const ResourceSchema& schema_;
  json::object resource_;
  MemberPatch members_;
};

Result<void> Patcher::apply_path(Op op, const ResolvedPath& path, const json::value& value) {
  const AttributeSpec& attribute = *path.attribute;
  if (type_ == ResourceType::Group && attribute.name == "members")
    return members_.apply(op, path, value);
  if (attribute.multi_valued) {
    ROSTERD_TRY(patch_multi_valued(schema_, op, path, *holder_of(resource_, attribute, true), value));
  } else {
    ROSTERD_TRY(single_valued(op, path, value));
  }
  drop_empty_extension(resource_, attribute);
  return {};
}

Result<void> Patcher::single_valued(Op op, const ResolvedPath& path, const json::value& value) {
  const AttributeSpec& attribute = *path.attribute;
  json::object& holder = *holder_of(resource_, attribute, true);
  const std::string_view key = canonical_key(attribute);
  const bool removing = op == Op::Remove || is_unassigned(value);
  if (path.sub) {
    const json::value* parent = find_key(holder, key);
    json::object object = parent && parent->is_object() ? parent->as_object() : json::object();
    if (removing) {
      erase_key(object, canonical_key(*path.sub));
    } else {
      ROSTERD_ASSIGN(json::value v, normalise_value(schema_, *path.sub, value, path.text));
      set_key(object, canonical_key(*path.sub), std::move(v));
    }
    if (object.empty()) {
      erase_key(holder, key);
    } else {
      set_key(holder, key, std::move(object));
    }
    return {};
  }
  if (removing) {
    if (attribute.required)
      return fail(ErrorCode::Mutability, "'" + attribute.name + "' is required and cannot be removed");
    erase_key(holder, key);
    return {};
  }
  ROSTERD_ASSIGN(json::value v, normalise_value(schema_, attribute, value, path.text));
  if (attribute.type == AttributeSpec::Type::Complex) {
    set_complex(holder, key, std::move(v.as_object()));
  } else {
    set_key(holder, key, std::move(v));
  }
  return {};
}

Result<void> Patcher::apply_pathless(Op op, const json::value& value) {
  const auto* object = value.if_object();
  if (op == Op::Remove) return fail(ErrorCode::NoTarget, "a remove operation needs a \"path\"");
  if (!object)
    return fail(ErrorCode::InvalidValue, "without \"path\", the value of " +
                                             std::string(to_string(op)) +
                                             " must be an object of attributes");
  for (const auto& member : *object) ROSTERD_TRY(apply_key(op, member.key(), member.value()));
  return {};
}

// One key of a path-less value: an attribute ("name", "name.givenName",
// "urn:...:User:employeeNumber"), a schema URN holding attributes, or "schemas".
Result<void> Patcher::apply_key(Op op, std::string_view key, const json::value& value) {
  if (equals_ignoring_case(key, "schemas") || names_rosterd_extension(key)) return {};
  const bool core = equals_ignoring_case(key, schema_.core_schema());
  const std::string_view extension = core ? std::string_view() : extension_named(key);
  if (!core && extension.empty()) return apply_attribute_key(op, key, value);
  if (!core && is_unassigned(value)) {
    erase_key(resource_, extension);
    return {};
  }
  const auto* object = value.if_object();
  if (!object)
    return fail(ErrorCode::InvalidValue, "'" + std::string(key) + "' must hold an object of attributes");
  for (const auto& member : *object) {
    const std::string inner =
        core ? std::string(member.key()) : std::string(extension) + ":" + std::string(member.key());
    ROSTERD_TRY(apply_attribute_key(op, inner, member.value()));
  }
  return {};
}

Result<void> Patcher::apply_attribute_key(Op op, std::string_view key, const json::value& value) {
  auto parsed = parse_patch_path(key);
  if (!parsed || parsed->value_filter)
    return fail(ErrorCode::InvalidValue, "'" + std::string(key) + "' is not an attribute name");
  ROSTERD_ASSIGN(const ResolvedPath path,
                 resolve_patch_path(schema_, *parsed, ErrorCode::InvalidValue));
  if (is_read_only(path)) return {};  // Okta sends the id along with a new displayName
  return apply_path(op, path, value);
}

std::string_view Patcher::extension_named(std::string_view key) const {
  for (const std::string& urn : schema_.extensions())
    if (equals_ignoring_case(urn, key)) return urn;
  return {};
}

}  // namespace

Result<void> apply_patch(const std::vector<PatchOperation>& ops, PatchTarget& target) {
  Patcher patcher(target);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (auto applied = patcher.apply(ops[i]); !applied) {
      Error error = std::move(applied.error());
      error.message = "Operations[" + std::to_string(i) + "]: " + error.message;
      return tl::unexpected(std::move(error));
    }
  }
  target.resource = patcher.take_resource();
  target.member_steps = patcher.take_steps();
  return {};
}

}  // namespace rosterd::scim
