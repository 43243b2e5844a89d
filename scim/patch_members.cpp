#include "scim/patch_members.h"

#include <algorithm>
#include <string>
#include <utility>
#include <variant>

#include <boost/json/object.hpp>

#include "core/email.h"
#include "core/resource_schema.h"
#include "core/try.h"
#include "scim/ascii_case.h"
#include "scim/filter_evaluator.h"
#include "scim/patch_json.h"
#include "scim/patch_value.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

using Op = PatchOperation::Op;

Result<ResourceType> member_type(const json::object& element, std::string_view where) {
  if (const json::value* type = find_key(element, "type"); type && !is_unassigned(*type)) {
    const auto* s = type->if_string();
    if (s && equals_ignoring_case(*s, "User")) return ResourceType::User;
    if (s && equals_ignoring_case(*s, "Group")) return ResourceType::Group;
    return fail(ErrorCode::InvalidValue, std::string(where) + ".type: expected \"User\" or \"Group\"");
  }
  if (const json::value* ref = find_key(element, "$ref"))
    if (const auto* s = ref->if_string(); s && ascii_lower(*s).find("/groups/") != std::string::npos)
      return ResourceType::Group;
  return ResourceType::User;
}

Result<MemberRef> member_ref(const json::value& element, std::string_view where) {
  if (const auto* id = element.if_string(); id && !id->empty())
    return MemberRef{std::string(*id), ResourceType::User, {}};
  const auto* object = element.if_object();
  const json::value* value = object ? find_key(*object, "value") : nullptr;
  const auto* id = value ? value->if_string() : nullptr;
  if (!id || id->empty())
    return fail(ErrorCode::InvalidValue,
                std::string(where) + ": a member is an object with a non-empty \"value\" (its id)");
  ROSTERD_ASSIGN(ResourceType type, member_type(*object, where));
  return MemberRef{std::string(*id), type, {}};
}

// [{"value": id, "type": ...}, ...], or one such object alone; null or "": none.
Result<std::vector<MemberRef>> member_refs(const json::value& value) {
  std::vector<MemberRef> out;
  if (is_unassigned(value)) return out;
  if (const auto* list = value.if_array()) {
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
      ROSTERD_ASSIGN(MemberRef ref, member_ref((*list)[i], "members[" + std::to_string(i) + "]"));
      out.push_back(std::move(ref));
    }
    return out;
  }
  ROSTERD_ASSIGN(MemberRef ref, member_ref(value, "members"));
  out.push_back(std::move(ref));
  return out;
}

// The ids of `value eq "id" [or value eq "id2" ...]`; false for any other filter.
bool plain_ids(const Predicate& filter, std::vector<MemberRef>& out) {
  if (const auto* o = std::get_if<Or>(&filter.node))
    return plain_ids(*o->left, out) && plain_ids(*o->right, out);
  const auto* c = std::get_if<Comparison>(&filter.node);
  if (!c || c->op != CompareOp::Eq || c->value.kind != Literal::Kind::String ||
      !equals_ignoring_case(c->path.attribute, "value"))
    return false;
  out.push_back(MemberRef{c->value.text, ResourceType::User, {}});
  return true;
}

json::object as_element(const MemberRef& member) {
  json::object element;
  element["value"] = member.id;
  element["type"] = member.type == ResourceType::Group ? "Group" : "User";
  if (!member.display.empty()) element["display"] = member.display;
  return element;
}

void run_step(std::vector<MemberRef>& members, MemberStep::Kind kind,
              const std::vector<MemberRef>& refs) {
  const auto has = [&](const std::string& id) {
    return std::any_of(refs.begin(), refs.end(), [&](const MemberRef& r) { return r.id == id; });
  };
  switch (kind) {
    case MemberStep::Kind::Clear:
      members.clear();
      break;
    case MemberStep::Kind::Add:
      for (const MemberRef& ref : refs)
        if (std::none_of(members.begin(), members.end(),
                         [&](const MemberRef& m) { return m.id == ref.id; }))
          members.push_back(ref);
      break;
    case MemberStep::Kind::Remove:
      std::erase_if(members, [&](const MemberRef& m) { return has(m.id); });
      break;
  }
}

}  // namespace

void MemberPatch::record(MemberStep::Kind kind, std::vector<MemberRef> members) {
  if (kind != MemberStep::Kind::Clear && members.empty()) return;
  if (view_) run_step(*view_, kind, members);
  if (!steps_.empty() && steps_.back().kind == kind) {
    auto& merged = steps_.back().members;
    merged.insert(merged.end(), std::make_move_iterator(members.begin()),
                  std::make_move_iterator(members.end()));
    return;
  }
  steps_.push_back(MemberStep{kind, std::move(members)});
}

Result<void> MemberPatch::remove_matching(const ResolvedPath& path) {
  std::vector<MemberRef> ids;
  if (plain_ids(*path.filter, ids)) {
    record(MemberStep::Kind::Remove, std::move(ids));
    return {};
  }
  if (!view_) {
    if (!load_) return fail(ErrorCode::Internal, "members cannot be loaded to evaluate the filter");
    ROSTERD_ASSIGN(view_, load_());
    for (const MemberStep& step : steps_) run_step(*view_, step.kind, step.members);
  }
  const CaseExactFn case_exact = case_exact_in(ResourceSchema::group());
  for (const MemberRef& member : *view_)
    if (matches_element(*path.filter, as_element(member), path.scope, case_exact))
      ids.push_back(MemberRef{member.id, member.type, {}});
  if (ids.empty())
    return fail(ErrorCode::NoTarget, "the filter of members matches no member");
  record(MemberStep::Kind::Remove, std::move(ids));
  return {};
}

Result<void> MemberPatch::apply(Op op, const ResolvedPath& path, const json::value& value) {
  if (path.sub)
    return fail(ErrorCode::InvalidPath,
                "members are changed whole (\"members\") or by a filter (\"members[value eq "
                "\\\"id\\\"]\"), not by sub-attribute");
  if (path.filter) {
    if (op != Op::Remove)
      return fail(ErrorCode::InvalidPath, "a members filter may be used with remove only; add "
                                          "or replace \"members\" with a list of members");
    return remove_matching(path);
  }
  ROSTERD_ASSIGN(std::vector<MemberRef> refs, member_refs(value));
  switch (op) {
    case Op::Add:
      record(MemberStep::Kind::Add, std::move(refs));
      break;
    case Op::Replace:
      record(MemberStep::Kind::Clear, {});
      record(MemberStep::Kind::Add, std::move(refs));
      break;
    case Op::Remove:
      if (is_unassigned(value)) {
        record(MemberStep::Kind::Clear, {});
      } else {
        record(MemberStep::Kind::Remove, std::move(refs));
      }
      break;
  }
  return {};
}

}  // namespace rosterd::scim
