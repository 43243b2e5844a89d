#include "scim/patch_json.h"

#include <string>
#include <utility>

#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace json = boost::json;
namespace {

std::string_view after_colon(std::string_view name) {
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool same_scalar(const json::value& a, const json::value& b, bool case_exact) {
  const auto* sa = a.if_string();
  const auto* sb = b.if_string();
  if (sa && sb) return case_exact ? *sa == *sb : equals_ignoring_case(*sa, *sb);
  return a == b;
}

}  // namespace

std::string_view canonical_key(const AttributeSpec& spec) {
  const std::string_view rest = after_colon(spec.name);
  const auto dot = rest.find('.');
  return dot == std::string_view::npos ? rest : rest.substr(dot + 1);
}

std::string_view extension_of(const AttributeSpec& spec) {
  const std::string_view name = spec.name;
  if (!name.starts_with("urn:")) return {};
  return name.substr(0, name.rfind(':'));  // attribute names hold no ':'; URNs hold dots
}

json::value* find_key(json::object& object, std::string_view key) {
  if (const auto it = object.find(key); it != object.end()) return &it->value();
  for (auto& member : object)
    if (equals_ignoring_case(member.key(), key)) return &member.value();
  return nullptr;
}

const json::value* find_key(const json::object& object, std::string_view key) {
  if (const auto it = object.find(key); it != object.end()) return &it->value();
  for (const auto& member : object)
    if (equals_ignoring_case(member.key(), key)) return &member.value();
  return nullptr;
}

bool erase_key(json::object& object, std::string_view key) {
  bool erased = false;
  for (auto it = object.begin(); it != object.end();) {
    if (equals_ignoring_case(it->key(), key)) {
      it = object.stable_erase(it);
      erased = true;
    } else {
      ++it;
    }
  }
  return erased;
}

void set_key(json::object& object, std::string_view key, json::value value) {
  for (auto it = object.begin(); it != object.end();) {
    const bool other_spelling = it->key() != key && equals_ignoring_case(it->key(), key);
    it = other_spelling ? object.stable_erase(it) : std::next(it);
  }
  object[key] = std::move(value);
}

json::object* holder_of(json::object& resource, const AttributeSpec& spec, bool create) {
  const std::string_view extension = extension_of(spec);
  if (extension.empty()) return &resource;
  json::value* found = find_key(resource, extension);
  if (found && found->is_object()) {
    set_key(resource, extension, std::move(*found));  // canonical spelling of the URN
    return &resource[extension].as_object();
  }
  if (!create) return nullptr;
  set_key(resource, extension, json::object());
  return &resource[extension].as_object();
}

void drop_empty_extension(json::object& resource, const AttributeSpec& spec) {
  const std::string_view extension = extension_of(spec);
  if (extension.empty()) return;
  const json::value* found = find_key(resource, extension);
  if (found && found->is_object() && found->as_object().empty()) erase_key(resource, extension);
}

void strip_nulls(json::object& object) {
  for (auto it = object.begin(); it != object.end();)
    it = it->value().is_null() ? object.stable_erase(it) : std::next(it);
}

bool same_element(const ResourceSchema& schema, const AttributeSpec& attribute,
                  const json::value& a, const json::value& b) {
  const auto* oa = a.if_object();
  const auto* ob = b.if_object();
  if (!oa || !ob) return same_scalar(a, b, attribute.case_exact);
  if (oa->size() != ob->size()) return false;
  for (const auto& member : *oa) {
    const json::value* other = find_key(*ob, member.key());
    if (!other) return false;
    const AttributeSpec* spec = schema.find_member(attribute, member.key());
    if (!same_scalar(member.value(), *other, spec && spec->case_exact)) return false;
  }
  return true;
}

}  // namespace rosterd::scim
