#include "scim/patch_multi_valued.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>

#include "core/try.h"
#include "scim/filter_evaluator.h"
#include "scim/patch_json.h"
#include "scim/patch_value.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

using Op = PatchOperation::Op;

json::object as_object(const json::value& element) {
  if (const auto* o = element.if_object()) return *o;
  json::object wrapped;
  wrapped["value"] = element;
  return wrapped;
}

json::value literal_value(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::Boolean:
      return literal.boolean;
    case Literal::Kind::Number:
      return literal.number;
    case Literal::Kind::String:
      return json::string(literal.text);
    case Literal::Kind::Null:
      break;
  }
  return nullptr;
}

// The element `a eq x and b eq y ...` describes, for an add that matches nothing;
// nullopt for any other filter (or, not, other operators, one attribute compared twice).
std::optional<json::object> element_of(const ResourceSchema& schema, const AttributeSpec& attribute,
                                       const Predicate& filter) {
  if (const auto* n = std::get_if<And>(&filter.node)) {
    auto left = element_of(schema, attribute, *n->left);
    auto right = element_of(schema, attribute, *n->right);
    if (!left || !right) return std::nullopt;
    for (auto& member : *right) {
      if (find_key(*left, member.key())) return std::nullopt;
      (*left)[member.key()] = std::move(member.value());
    }
    return left;
  }
  const auto* c = std::get_if<Comparison>(&filter.node);
  if (!c || c->op != CompareOp::Eq || c->value.kind == Literal::Kind::Null) return std::nullopt;
  const AttributeSpec* member = schema.find_member(attribute, c->path.attribute);
  if (!member) return std::nullopt;
  auto value = normalise_value(schema, *member, literal_value(c->value), member->name);
  if (!value) return std::nullopt;
  json::object out;
  out[canonical_key(*member)] = std::move(*value);
  return out;
}

class MultiValued {
 public:
  MultiValued(const ResourceSchema& schema, const ResolvedPath& path, json::object& holder)
      : schema_(schema), path_(path), attribute_(*path.attribute), holder_(holder) {
    if (const json::value* found = find_key(holder, canonical_key(attribute_))) {
      if (const auto* list = found->if_array()) {
        elements_ = *list;
      } else if (!found->is_null()) {
        elements_.push_back(*found);
      }
    }
  }

  Result<void> run(Op op, const json::value& value) {
    if (path_.filter) {
      ROSTERD_TRY(filtered(op, value));
    } else if (path_.sub) {
      ROSTERD_TRY(every_element(op, value));
    } else {
      ROSTERD_TRY(whole(op, value));
    }
    for (std::size_t i : touched_) one_primary(i);
    if (elements_.empty()) {
      erase_key(holder_, canonical_key(attribute_));
    } else {
      set_key(holder_, canonical_key(attribute_), std::move(elements_));
    }
    return {};
  }

 private:
  Result<void> whole(Op op, const json::value& value);
  Result<void> every_element(Op op, const json::value& value);
  Result<void> filtered(Op op, const json::value& value);
  Result<void> add_filtered(const std::vector<std::size_t>& hits, const json::value& value);
  std::vector<std::size_t> matching() const;
  void set_sub(std::size_t i, const json::value& v);
  void erase_subs(const std::vector<std::size_t>& indices);
  void erase_elements(const std::vector<std::size_t>& indices);
  void one_primary(std::size_t keep);
  bool same_value(const json::value& a, const json::value& b) const;
  Result<json::value> sub_value(const json::value& value) const {
    return normalise_value(schema_, *path_.sub, value, path_.text);
  }
  std::vector<std::size_t> all() const {
    std::vector<std::size_t> out(elements_.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
    return out;
  }

  const ResourceSchema& schema_;
  const ResolvedPath& path_;
  const AttributeSpec& attribute_;
  json::object& holder_;
  json::array elements_;
  std::vector<std::size_t> touched_;  // elements added or changed, for "primary"
};

Result<void> MultiValued::whole(Op op, const json::value& value) {
  if (op == Op::Remove && is_unassigned(value)) {
    elements_.clear();
    return {};
  }
  ROSTERD_ASSIGN(json::array incoming, normalise_elements(schema_, attribute_, value, path_.text));
  if (op == Op::Replace) {
    elements_ = std::move(incoming);
    return {};
  }
  if (op == Op::Remove) {
    std::vector<std::size_t> gone;
    for (std::size_t i = 0; i < elements_.size(); ++i)
      if (std::any_of(incoming.begin(), incoming.end(),
                      [&](const json::value& given) { return same_value(elements_[i], given); }))
        gone.push_back(i);
    erase_elements(gone);
    return {};
  }
  for (auto& element : incoming) {
    if (std::any_of(elements_.begin(), elements_.end(), [&](const json::value& present) {
          return same_element(schema_, attribute_, present, element);
        }))
      continue;
    elements_.push_back(std::move(element));
    touched_.push_back(elements_.size() - 1);
  }
  return {};
}

Result<void> MultiValued::every_element(Op op, const json::value& value) {
  if (op == Op::Remove || is_unassigned(value)) {
    erase_subs(all());
    return {};
  }
  ROSTERD_ASSIGN(json::value v, sub_value(value));
  if (elements_.empty()) elements_.push_back(json::object());
  for (std::size_t i = 0; i < elements_.size(); ++i) set_sub(i, v);
  return {};
}

Result<void> MultiValued::filtered(Op op, const json::value& value) {
  const std::vector<std::size_t> hits = matching();
  if (op == Op::Add) return add_filtered(hits, value);
  if (hits.empty())
    return fail(ErrorCode::NoTarget, "the filter of " + path_.text + " matches no value of " +
                                         attribute_.name);
  if (path_.sub) {
    if (op == Op::Remove || is_unassigned(value)) {
      erase_subs(hits);
      return {};
    }
    ROSTERD_ASSIGN(json::value v, sub_value(value));
    for (std::size_t i : hits) set_sub(i, v);
    return {};
  }
  if (op == Op::Remove || is_unassigned(value)) {
    erase_elements(hits);
    return {};
  }
  ROSTERD_ASSIGN(json::value v, normalise_value(schema_, attribute_, value, path_.text));
  if (auto* object = v.if_object()) strip_nulls(*object);
  for (std::size_t i : hits) {
    elements_[i] = v;
    touched_.push_back(i);
  }
  return {};
}

Result<void> MultiValued::add_filtered(const std::vector<std::size_t>& hits,
                                       const json::value& value) {
  if (is_unassigned(value)) {
    path_.sub ? erase_subs(hits) : erase_elements(hits);
    return {};
  }
  json::object update;
  if (path_.sub) {
    ROSTERD_ASSIGN(update[canonical_key(*path_.sub)], sub_value(value));
  } else {
    ROSTERD_ASSIGN(json::value v, normalise_value(schema_, attribute_, value, path_.text));
    if (!v.is_object()) return fail(ErrorCode::InvalidValue, path_.text + ": expected an object");
    update = std::move(v.as_object());
  }
  std::vector<std::size_t> targets = hits;
  if (targets.empty()) {
    auto made = element_of(schema_, attribute_, *path_.filter);
    if (!made)
      return fail(ErrorCode::NoTarget,
                  "the filter of " + path_.text + " matches no value of " + attribute_.name +
                      ", and only a filter of `eq` comparisons joined by `and` can describe a new one");
    elements_.push_back(std::move(*made));
    targets.push_back(elements_.size() - 1);
  }
  for (std::size_t i : targets) {
    json::object element = as_object(elements_[i]);
    for (const auto& member : update) {
      if (member.value().is_null()) {
        erase_key(element, member.key());
      } else {
        set_key(element, member.key(), member.value());
      }
    }
    elements_[i] = std::move(element);
    touched_.push_back(i);
  }
  return {};
}

std::vector<std::size_t> MultiValued::matching() const {
  const CaseExactFn case_exact = case_exact_in(schema_);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < elements_.size(); ++i)
    if (!elements_[i].is_null() &&
        matches_element(*path_.filter, as_object(elements_[i]), path_.scope, case_exact))
      out.push_back(i);
  return out;
}

void MultiValued::set_sub(std::size_t i, const json::value& v) {
  json::object element = as_object(elements_[i]);
  set_key(element, canonical_key(*path_.sub), v);
  elements_[i] = std::move(element);
  touched_.push_back(i);
}

void MultiValued::erase_subs(const std::vector<std::size_t>& indices) {
  std::vector<std::size_t> emptied;
  for (std::size_t i : indices) {
    json::object element = as_object(elements_[i]);
    erase_key(element, canonical_key(*path_.sub));
    if (element.empty()) emptied.push_back(i);
    elements_[i] = std::move(element);
  }
  erase_elements(emptied);
}

void MultiValued::erase_elements(const std::vector<std::size_t>& indices) {
  for (auto it = indices.rbegin(); it != indices.rend(); ++it)
    elements_.erase(elements_.begin() + static_cast<std::ptrdiff_t>(*it));
  touched_.clear();  // only removals happen in the operations that call this
}

// RFC 7643 section 2.4: at most one element is primary.
void MultiValued::one_primary(std::size_t keep) {
  if (keep >= elements_.size()) return;
  const auto* kept = elements_[keep].if_object();
  const json::value* primary = kept ? find_key(*kept, "primary") : nullptr;
  if (!primary || !primary->is_bool() || !primary->as_bool()) return;
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    auto* element = elements_[i].if_object();
    if (i == keep || !element) continue;
    if (json::value* other = find_key(*element, "primary"); other && other->is_bool())
      *other = false;
  }
}

// Remove with a value: elements with the same "value" as one given (or equal elements
// when none has a "value").
bool MultiValued::same_value(const json::value& a, const json::value& b) const {
  const json::object oa = as_object(a);
  const json::object ob = as_object(b);
  const json::value* va = find_key(oa, "value");
  const json::value* vb = find_key(ob, "value");
  const AttributeSpec* value_spec = schema_.find_member(attribute_, "value");
  if (!va || !vb || !value_spec) return same_element(schema_, attribute_, a, b);
  return same_element(schema_, *value_spec, *va, *vb);
}

}  // namespace

Result<void> patch_multi_valued(const ResourceSchema& schema, Op op, const ResolvedPath& path,
                                json::object& holder, const json::value& value) {
  return MultiValued(schema, path, holder).run(op, value);
}

}  // namespace rosterd::scim
