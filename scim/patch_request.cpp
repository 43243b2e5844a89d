#include "scim/patch_request.h"

#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/try.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

// Keys of the PatchOp message in any case: "Operations" is written "operations" by
// some clients, and SCIM attribute names are case-insensitive (RFC 7643 section 2.1).
const json::value* find_key(const json::object& object, std::string_view name) {
  if (const auto it = object.find(name); it != object.end()) return &it->value();
  for (const auto& member : object)
    if (equals_ignoring_case(member.key(), name)) return &member.value();
  return nullptr;
}

std::string at(std::size_t index) { return "Operations[" + std::to_string(index) + "]: "; }

Result<void> check_schemas(const json::object& body) {
  const json::value* schemas = find_key(body, "schemas");
  if (!schemas)
    return fail(ErrorCode::InvalidSyntax,
                "a PATCH request needs \"schemas\": [\"" + std::string(kPatchOpSchema) + "\"]");
  if (const auto* list = schemas->if_array())
    for (const auto& schema : *list)
      if (const auto* s = schema.if_string(); s && equals_ignoring_case(*s, kPatchOpSchema))
        return {};
  return fail(ErrorCode::InvalidSyntax,
              "\"schemas\" of a PATCH request must list \"" + std::string(kPatchOpSchema) + "\"");
}

Result<PatchOperation::Op> parse_op(const json::object& operation, std::size_t index) {
  const json::value* op = find_key(operation, "op");
  if (!op) return fail(ErrorCode::InvalidSyntax, at(index) + "\"op\" is missing");
  const auto* name = op->if_string();
  if (!name) return fail(ErrorCode::InvalidSyntax, at(index) + "\"op\" must be a string");
  if (equals_ignoring_case(*name, "add")) return PatchOperation::Op::Add;
  if (equals_ignoring_case(*name, "replace")) return PatchOperation::Op::Replace;
  if (equals_ignoring_case(*name, "remove")) return PatchOperation::Op::Remove;
  return fail(ErrorCode::InvalidSyntax, at(index) + "unknown op \"" + std::string(*name) +
                                            "\" (expected add, replace or remove)");
}

Result<PatchOperation> parse_operation(const json::value& entry, std::size_t index,
                                       const FilterLimits& limits) {
  const auto* operation = entry.if_object();
  if (!operation) return fail(ErrorCode::InvalidSyntax, at(index) + "an operation must be an object");
  PatchOperation out;
  ROSTERD_ASSIGN(out.op, parse_op(*operation, index));
  if (const json::value* path = find_key(*operation, "path"); path && !path->is_null()) {
    const auto* text = path->if_string();
    if (!text) return fail(ErrorCode::InvalidSyntax, at(index) + "\"path\" must be a string");
    auto parsed = parse_patch_path(*text, limits);
    if (!parsed) return fail(ErrorCode::InvalidPath, at(index) + parsed.error().message);
    out.path = std::move(*parsed);
  }
  const json::value* value = find_key(*operation, "value");
  if (out.op == PatchOperation::Op::Remove) {
    if (!out.path)
      return fail(ErrorCode::NoTarget, at(index) + "a remove operation needs a \"path\"");
  } else if (!value) {
    return fail(ErrorCode::InvalidValue,
                at(index) + "a \"value\" is required for " + std::string(to_string(out.op)));
  }
  if (value) out.value = *value;
  return out;
}

}  // namespace

std::string_view to_string(PatchOperation::Op op) {
  switch (op) {
    case PatchOperation::Op::Add:
      return "add";
    case PatchOperation::Op::Replace:
      return "replace";
    case PatchOperation::Op::Remove:
      return "remove";
  }
  return "add";
}

Result<std::vector<PatchOperation>> parse_patch_request(const json::value& body,
                                                        const FilterLimits& limits) {
  const auto* object = body.if_object();
  if (!object) return fail(ErrorCode::InvalidSyntax, "a PATCH request body must be a JSON object");
  ROSTERD_TRY(check_schemas(*object));
  const json::value* operations = find_key(*object, "Operations");
  if (!operations)
    return fail(ErrorCode::InvalidSyntax, "a PATCH request needs an \"Operations\" array");
  const auto* list = operations->if_array();
  if (!list || list->empty())
    return fail(ErrorCode::InvalidSyntax, "\"Operations\" must be an array of one or more operations");
  std::vector<PatchOperation> out;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    ROSTERD_ASSIGN(PatchOperation operation, parse_operation((*list)[i], i, limits));
    out.push_back(std::move(operation));
  }
  return out;
}

}  // namespace rosterd::scim
