#include "scim/patch_resolve_path.h"

#include <variant>

#include "core/try.h"

namespace rosterd::scim {
namespace {

Result<void> check_filter(const ResourceSchema& schema, const AttributeSpec& attribute,
                          const Predicate& filter) {
  if (const auto* c = std::get_if<Comparison>(&filter.node)) {
    const AttributeSpec* member =
        c->path.schema.empty() && c->path.sub_attribute.empty()
            ? schema.find_member(attribute, c->path.attribute)
            : nullptr;
    if (!member)
      return fail(ErrorCode::InvalidPath, "'" + c->path.to_string() + "' in the filter of " +
                                              attribute.name + " is not a sub-attribute of it");
    return {};
  }
  if (const auto* n = std::get_if<And>(&filter.node)) {
    ROSTERD_TRY(check_filter(schema, attribute, *n->left));
    return check_filter(schema, attribute, *n->right);
  }
  if (const auto* n = std::get_if<Or>(&filter.node)) {
    ROSTERD_TRY(check_filter(schema, attribute, *n->left));
    return check_filter(schema, attribute, *n->right);
  }
  if (const auto* n = std::get_if<Not>(&filter.node)) return check_filter(schema, attribute, *n->inner);
  return fail(ErrorCode::InvalidPath, "the filter of " + attribute.name + " may not hold another '['");
}

}  // namespace

Result<ResolvedPath> resolve_patch_path(const ResourceSchema& schema, const PatchPath& path,
                                        ErrorCode unknown) {
  ResolvedPath out;
  out.scope = AttributePath{path.attribute.schema, path.attribute.attribute, {}};
  out.attribute = schema.find(out.scope);
  if (!out.attribute)
    return fail(unknown, "unknown attribute '" + out.scope.to_string() + "'");
  out.text = out.attribute->name;
  const std::string& sub =
      path.attribute.sub_attribute.empty() ? path.sub_attribute : path.attribute.sub_attribute;
  if (path.value_filter) {
    if (!out.attribute->multi_valued)
      return fail(ErrorCode::InvalidPath, "'" + out.attribute->name +
                                              "' is single-valued: a value filter '[...]' "
                                              "applies to multi-valued attributes only");
    ROSTERD_TRY(check_filter(schema, *out.attribute, *path.value_filter));
    out.filter = path.value_filter.get();
    out.text += "[...]";
  }
  if (!sub.empty()) {
    out.sub = schema.find_member(*out.attribute, sub);
    if (!out.sub)
      return fail(unknown, "'" + sub + "' is not a sub-attribute of '" + out.attribute->name + "'");
    out.text = out.filter ? out.text + "." + std::string(sub) : out.sub->name;
  }
  return out;
}

bool is_read_only(const ResolvedPath& path) {
  return path.attribute->read_only || (path.sub && path.sub->read_only);
}

CaseExactFn case_exact_in(const ResourceSchema& schema) {
  return [&schema](const AttributePath& path) {
    const AttributeSpec* spec = schema.find(path);
    return spec && spec->case_exact;
  };
}

}  // namespace rosterd::scim
