#include "scim/projection.h"

#include <algorithm>
#include <optional>

#include <boost/json/array.hpp>

#include "core/resource_schema.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxParameterBytes = 8192;

const ResourceSchema& schema_of(ResourceType type) {
  return type == ResourceType::User ? ResourceSchema::user() : ResourceSchema::group();
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// `name` is `parent` followed by `separator` and more.
bool is_below(std::string_view name, std::string_view parent, char separator) {
  return name.size() > parent.size() + 1 && name[parent.size()] == separator &&
         starts_with_ignoring_case(name, parent);
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The extension URNs a resource of this type may carry, canonical.
std::vector<std::string_view> extension_urns(ResourceType type) {
  std::vector<std::string_view> out;
  for (const std::string& urn : schema_of(type).extensions()) out.emplace_back(urn);
  if (type == ResourceType::User) out.push_back(kRosterdUserUrn);
  return out;
}

std::string_view known_extension(ResourceType type, std::string_view key) {
  for (const std::string_view urn : extension_urns(type))
    if (equals_ignoring_case(key, urn)) return urn;
  return {};
}

const AttributeSpec* find_spec(ResourceType type, std::string_view urn, std::string_view path) {
  const auto dot = path.find('.');
  const std::string_view top = path.substr(0, dot);
  if (urn == kRosterdUserUrn) {
    if (dot != std::string_view::npos) return nullptr;
    for (const AttributeSpec& spec : ResourceSchema::rosterd_user_extension())
      if (equals_ignoring_case(spec.local_name(), top)) return &spec;
    return nullptr;
  }
  const ResourceSchema& schema = schema_of(type);
  const AttributeSpec* spec = schema.find_top_level(urn, top);
  if (spec == nullptr || dot == std::string_view::npos) return spec;
  return schema.find_member(*spec, path.substr(dot + 1));
}

// The canonical form of one requested name, or "" when unknown.
std::string canonical_name(ResourceType type, std::string_view name) {
  std::string_view urn;
  std::string_view path = name;
  if (starts_with_ignoring_case(name, "urn:")) {
    if (const std::string_view whole = known_extension(type, name); !whole.empty()) return std::string(whole);
    std::vector<std::string_view> urns = extension_urns(type);
    urns.emplace_back(schema_of(type).core_schema());
    for (const std::string_view candidate : urns)
      if (is_below(name, candidate, ':')) {
        urn = candidate;
        path = name.substr(candidate.size() + 1);
      }
    if (path == name) return {};
  }
  const AttributeSpec* spec = find_spec(type, urn, path);
  return spec == nullptr ? std::string() : spec->name;
}

Result<std::vector<std::string>> parse_names(ResourceType type, std::string_view text) {
  if (text.size() > kMaxParameterBytes)
    return fail(ErrorCode::InvalidValue,
                "attribute list longer than " + std::to_string(kMaxParameterBytes) + " bytes");
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string name = canonical_name(type, trimmed(text.substr(0, comma)));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

json::object::iterator find_key(json::object& object, std::string_view key) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (equals_ignoring_case(it->key(), key)) return it;
  return object.end();
}

// Only the named members of an object, or of each element of an array of objects.
std::optional<json::value> keep_members(const json::value& value,
                                        const std::vector<std::string_view>& members) {
  const auto keep = [&](const json::object& object) {
    json::object out;
    for (const auto& member : object)
      for (const std::string_view name : members)
        if (equals_ignoring_case(member.key(), name)) out[member.key()] = member.value();
    return out;
  };
  if (value.is_object()) {
    json::object out = keep(value.get_object());
    return out.empty() ? std::nullopt : std::optional<json::value>(std::move(out));
  }
  if (!value.is_array()) return std::nullopt;
  json::array out;
  for (const json::value& element : value.get_array())
    if (element.is_object())
      if (json::object kept = keep(element.get_object()); !kept.empty()) out.push_back(std::move(kept));
  return out.empty() ? std::nullopt : std::optional<json::value>(std::move(out));
}

// What `attributes` keeps of the attribute named `full` (canonical, URN-qualified for
// extension attributes).
std::optional<json::value> selected(std::string_view full, const json::value& value,
                                    const std::vector<std::string>& names) {
  std::vector<std::string_view> members;
  for (const std::string& name : names) {
    if (equals_ignoring_case(name, full)) return value;
    if (is_below(name, full, '.')) members.push_back(std::string_view(name).substr(full.size() + 1));
  }
  if (members.empty()) return std::nullopt;
  return keep_members(value, members);
}

json::object select(json::object& resource, ResourceType type, const std::vector<std::string>& names) {
  json::object out;
  const ResourceSchema& schema = schema_of(type);
  for (auto& member : resource) {
    const std::string_view key = member.key();
    const AttributeSpec* spec = schema.find_top_level({}, key);
    const bool always = spec != nullptr && spec->returned == AttributeSpec::Returned::Always;
    if (always || equals_ignoring_case(key, "schemas")) {
      out[key] = std::move(member.value());
    } else if (const std::string_view urn = known_extension(type, key); !urn.empty()) {
      const auto whole = [&](const std::string& n) { return equals_ignoring_case(n, urn); };
      if (std::any_of(names.begin(), names.end(), whole)) {
        out[key] = std::move(member.value());
      } else if (member.value().is_object()) {
        json::object kept;
        for (const auto& inner : member.value().get_object())
          if (auto value = selected(std::string(urn) + ":" + std::string(inner.key()), inner.value(), names))
            kept[inner.key()] = std::move(*value);
        if (!kept.empty()) out[key] = std::move(kept);
      }
    } else if (auto value = selected(key, member.value(), names)) {
      out[key] = std::move(*value);
    }
  }
  return out;
}

// Removes `sub` from an object or from each object of an array; true when nothing is left.
bool drop_member(json::value& value, std::string_view sub) {
  const auto drop = [&](json::object& object) {
    if (auto it = find_key(object, sub); it != object.end()) object.erase(it);
    return object.empty();
  };
  if (value.is_object()) return drop(value.get_object());
  if (!value.is_array()) return false;
  json::array& elements = value.get_array();
  json::array kept;
  for (json::value& element : elements)
    if (!element.is_object() || !drop(element.get_object())) kept.push_back(std::move(element));
  elements = std::move(kept);
  return elements.empty();
}

void exclude(json::object& resource, ResourceType type, std::string_view name) {
  if (const std::string_view whole = known_extension(type, name); !whole.empty()) {
    if (auto it = find_key(resource, whole); it != resource.end()) resource.erase(it);
    return;
  }
  // Canonical names: an extension attribute is "<URN>:<name>", a core one has no URN.
  const std::string_view urn =
      name.starts_with("urn:") ? name.substr(0, name.rfind(':')) : std::string_view();
  const std::string_view path = urn.empty() ? name : name.substr(urn.size() + 1);
  const AttributeSpec* spec = find_spec(type, urn, path.substr(0, path.find('.')));
  if (spec == nullptr || spec->returned == AttributeSpec::Returned::Always) return;
  json::object* container = &resource;
  const auto extension = urn.empty() ? resource.end() : find_key(resource, urn);
  if (!urn.empty()) {
    if (extension == resource.end() || !extension->value().is_object()) return;
    container = &extension->value().get_object();
  }
  const auto dot = path.find('.');
  const auto target = find_key(*container, path.substr(0, dot));
  if (target == container->end()) return;
  if (dot == std::string_view::npos || drop_member(target->value(), path.substr(dot + 1)))
    container->erase(target);
  if (!urn.empty() && container->empty()) resource.erase(find_key(resource, urn));
}

}  // namespace

Result<Projection> parse_projection(ResourceType type, std::string_view attributes,
                                    std::string_view excluded_attributes) {
  Projection out;
  auto included = parse_names(type, attributes);
  if (!included) return tl::unexpected(std::move(included.error()));
  auto excluded = parse_names(type, excluded_attributes);
  if (!excluded) return tl::unexpected(std::move(excluded.error()));
  out.attributes = std::move(*included);
  out.excluded = std::move(*excluded);
  return out;
}

bool includes(const Projection& projection, std::string_view top) {
  if (equals_ignoring_case(top, "id") || equals_ignoring_case(top, "schemas")) return true;
  if (!projection.attributes.empty() &&
      std::none_of(projection.attributes.begin(), projection.attributes.end(), [&](const std::string& name) {
        return equals_ignoring_case(name, top) || is_below(name, top, '.') || is_below(name, top, ':') ||
               is_below(top, name, ':');
      }))
    return false;
  return std::none_of(projection.excluded.begin(), projection.excluded.end(), [&](const std::string& name) {
    return equals_ignoring_case(name, top) || is_below(top, name, ':');
  });
}

void project(boost::json::object& resource, ResourceType type, const Projection& projection) {
  if (!projection.attributes.empty()) resource = select(resource, type, projection.attributes);
  for (const std::string& name : projection.excluded) exclude(resource, type, name);
}

}  // namespace rosterd::scim
