// decode_resource(): dispatches the keys of a body to their schema entries (scim/
// decode_value.cpp checks each value), then derives the indexed keys of the record and
// writes the canonical attribute text.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "scim/ascii_case.h"
#include "scim/decode_value.h"
#include "scim/resource_codec.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxUserNameBytes = 1024;

// Entra ID lists this marker next to the core Group schema when it creates a group (the
// "Create Group" request of Microsoft's SCIM tutorial); it defines no attribute of its own.
constexpr std::string_view kEntraGroupMarkerUrn =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

std::string_view view(const json::string& s) { return {s.data(), s.size()}; }

tl::unexpected<Error> invalid(std::string message) {
  return fail(ErrorCode::InvalidValue, std::move(message));
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

class Decoder {
 public:
  explicit Decoder(ResourceType type)
      : type_(type), schema_(type == ResourceType::User ? ResourceSchema::user() : ResourceSchema::group()) {}

  Result<void> schemas(const json::object& body);
  Result<void> key(std::string_view key, const json::value& value);
  Result<DecodedResource> finish();

 private:
  // Known URNs of this resource type: the core schema, its extensions, and (Users) the
  // read-only rosterd extension. Empty when `urn` is none of them.
  std::string_view known_urn(std::string_view urn) const;
  Result<void> attribute(std::string_view urn, std::string_view path, const json::value& value,
                         std::string_view shown);
  Result<void> sub_attribute(const AttributeSpec& spec, std::string_view sub,
                             const json::value& value, std::string_view shown);
  Result<void> members(const json::value& value);
  std::string attributes_text() const;
  std::string text_of(std::string_view canonical) const;

  ResourceType type_;
  const ResourceSchema& schema_;
  // Keyed by the address of the schema entry: iterating gives schema-table order.
  std::map<const AttributeSpec*, json::value> values_;
  std::optional<std::vector<MemberRef>> members_;
};

std::string_view Decoder::known_urn(std::string_view urn) const {
  if (equals_ignoring_case(urn, schema_.core_schema())) return schema_.core_schema();
  for (const std::string& extension : schema_.extensions())
    if (equals_ignoring_case(urn, extension)) return extension;
  if (type_ == ResourceType::User && equals_ignoring_case(urn, kRosterdUserUrn)) return kRosterdUserUrn;
  return {};
}

Result<void> Decoder::schemas(const json::object& body) {
  const json::value* listed = nullptr;
  for (const auto& member : body)
    if (equals_ignoring_case(member.key(), "schemas")) listed = &member.value();
  const std::string need = "'schemas' must list " + schema_.core_schema();
  if (listed == nullptr) return fail(ErrorCode::InvalidValue, need);
  json::array single;
  if (listed->is_string()) single.push_back(*listed);
  if (!listed->is_array() && !listed->is_string())
    return fail(ErrorCode::InvalidValue, "'schemas' must be an array of schema URNs");
  bool core = false;
  for (const json::value& urn : listed->is_array() ? listed->get_array() : single) {
    if (!urn.is_string()) return fail(ErrorCode::InvalidValue, "'schemas' must be an array of schema URNs");
    if (type_ == ResourceType::Group && equals_ignoring_case(view(urn.get_string()), kEntraGroupMarkerUrn)) continue;
    const std::string_view known = known_urn(view(urn.get_string()));
    // "urn:scim:schemas:core:1.0" and its kin: a SCIM 1.x client (RFC 7644 section 3.12,
    // invalidVers) rather than an unknown extension.
    if (known.empty() && starts_with_ignoring_case(view(urn.get_string()), "urn:scim:schemas:"))
      return fail(ErrorCode::InvalidVersion, "schema '" + std::string(view(urn.get_string())) +
                                                 "' is SCIM 1.x; this service speaks SCIM 2.0 (RFC 7643)");
    if (known.empty())
      return fail(ErrorCode::InvalidValue, "unknown schema '" + std::string(view(urn.get_string())) + "'");
    core = core || known == schema_.core_schema();
  }
  if (!core) return fail(ErrorCode::InvalidValue, need);
  return {};
}

Result<void> Decoder::key(std::string_view key, const json::value& value) {
  if (equals_ignoring_case(key, "schemas")) return {};
  if (!starts_with_ignoring_case(key, "urn:")) return attribute({}, key, value, key);
  if (const std::string_view urn = known_urn(key); !urn.empty()) {
    if (urn == kRosterdUserUrn || value.is_null() || (value.is_string() && value.get_string().empty()))
      return {};
    if (!value.is_object())
      return fail(ErrorCode::InvalidValue, "extension '" + std::string(urn) + "' must be an object");
    for (const auto& member : value.get_object()) {
      const std::string shown = std::string(urn) + ":" + std::string(member.key());
      auto done = attribute(urn, member.key(), member.value(), shown);
      if (!done) return done;
    }
    return {};
  }
  const auto colon = key.rfind(':');
  const std::string_view urn = known_urn(key.substr(0, colon));
  if (urn.empty()) return fail(ErrorCode::InvalidValue, "unknown schema in '" + std::string(key) + "'");
  if (urn == kRosterdUserUrn) return {};
  return attribute(urn, key.substr(colon + 1), value, key);
}

Result<void> Decoder::attribute(std::string_view urn, std::string_view path, const json::value& value,
                                std::string_view shown) {
  const auto dot = path.find('.');
  const AttributeSpec* spec = schema_.find_top_level(urn, path.substr(0, dot));
  if (spec == nullptr) return fail(ErrorCode::InvalidValue, "unknown attribute '" + std::string(shown) + "'");
  if (type_ == ResourceType::Group && spec->name == "members") {
    if (dot != std::string_view::npos)
      return fail(ErrorCode::InvalidValue, "unknown attribute '" + std::string(shown) + "'");
    return members(value);
  }
  if (!settable(*spec)) return {};
  if (dot != std::string_view::npos) return sub_attribute(*spec, path.substr(dot + 1), value, shown);
  auto decoded = decode_value(schema_, *spec, value, std::string(spec->name));
  if (!decoded) return tl::unexpected(std::move(decoded.error()));
  if (!*decoded) {
    values_.erase(spec);
    return {};
  }
  // "name.givenName" then "name": both kept, the later one winning where they overlap.
  auto existing = values_.find(spec);
  if (existing != values_.end() && existing->second.is_object() && (*decoded)->is_object()) {
    json::object& merged = existing->second.get_object();
    for (const auto& member : (*decoded)->get_object()) merged[member.key()] = member.value();
    existing->second = ordered_members(schema_, *spec, existing->second.get_object());
    return {};
  }
  values_[spec] = std::move(**decoded);
  return {};
}

Result<void> Decoder::sub_attribute(const AttributeSpec& spec, std::string_view sub,
                                    const json::value& value, std::string_view shown) {
  const AttributeSpec* member = schema_.find_member(spec, sub);
  if (member == nullptr) return invalid("unknown attribute '" + std::string(shown) + "'");
  if (spec.multi_valued)
    return fail(ErrorCode::InvalidValue, "attribute '" + std::string(shown) +
                                             "' names a sub-attribute of a multi-valued attribute");
  if (!settable(*member)) return {};
  auto decoded = decode_scalar(*member, value, member->name);
  if (!decoded) return tl::unexpected(std::move(decoded.error()));
  json::value& slot = values_[&spec];
  if (!slot.is_object()) slot = json::object();
  json::object& object = slot.get_object();
  const std::string name(member->member_name());
  if (*decoded)
    object[name] = std::move(**decoded);
  else
    object.erase(name);
  if (object.empty())
    values_.erase(&spec);
  else
    slot = ordered_members(schema_, spec, object);
  return {};
}

Result<void> Decoder::members(const json::value& value) {
  if (value.is_null() || (value.is_string() && value.get_string().empty())) {
    members_.reset();
    return {};
  }
  json::array single;
  if (value.is_object()) single.push_back(value);
  if (!value.is_array() && !value.is_object())
    return fail(ErrorCode::InvalidValue, "attribute 'members' must be an array");
  std::vector<MemberRef> out;
  const json::array& elements = value.is_array() ? value.get_array() : single;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::string at = "members[" + std::to_string(i) + "]";
    if (!elements[i].is_object()) return invalid("attribute '" + at + "' must be an object");
    MemberRef ref;
    for (const auto& [name, member] : elements[i].get_object()) {
      const bool is_value = equals_ignoring_case(name, "value");
      const bool is_type = equals_ignoring_case(name, "type");
      const bool ignored = equals_ignoring_case(name, "display") || equals_ignoring_case(name, "$ref");
      if (!is_value && !is_type && !ignored)
        return invalid("unknown attribute '" + at + "." + std::string(name) + "'");
      if (!is_value && !is_type) continue;
      if (!member.is_string() && !(is_type && member.is_null()))
        return invalid("attribute '" + at + "." + std::string(name) + "' must be a string");
      if (is_value) ref.id = view(member.get_string());
      if (is_type && member.is_string() && equals_ignoring_case(view(member.get_string()), "Group"))
        ref.type = ResourceType::Group;
      else if (is_type && member.is_string() && !member.get_string().empty() &&
               !equals_ignoring_case(view(member.get_string()), "User"))
        return fail(ErrorCode::InvalidValue, "attribute '" + at + ".type' must be \"User\" or \"Group\"");
    }
    if (ref.id.empty()) return fail(ErrorCode::InvalidValue, "attribute '" + at + ".value' is required");
    if (ref.id.size() > kMaxStringBytes) return invalid("attribute '" + at + ".value' is too long");
    const bool seen = std::any_of(out.begin(), out.end(), [&](const MemberRef& m) { return m.id == ref.id; });
    if (!seen) out.push_back(std::move(ref));
  }
  members_ = std::move(out);
  return {};
}

std::string Decoder::text_of(std::string_view canonical) const {
  const AttributeSpec* spec = schema_.find_top_level({}, canonical);
  const auto found = spec == nullptr ? values_.end() : values_.find(spec);
  if (found == values_.end() || !found->second.is_string()) return {};
  return std::string(view(found->second.get_string()));
}

std::string Decoder::attributes_text() const {
  json::object out;
  json::array schemas{json::value(schema_.core_schema())};
  std::map<std::string_view, json::object> extensions;
  for (const auto& [spec, value] : values_) {
    const std::string_view urn = spec->schema_urn();
    if (urn.empty())
      out[spec->name] = value;
    else
      extensions[urn][spec->local_name()] = value;
  }
  for (const std::string& urn : schema_.extensions()) {
    auto found = extensions.find(urn);
    if (found == extensions.end()) continue;
    schemas.push_back(json::value(urn));
    out[urn] = std::move(found->second);
  }
  json::object canonical;
  canonical["schemas"] = std::move(schemas);
  for (auto& member : out) canonical.emplace(member.key(), std::move(member.value()));
  return json::serialize(canonical);
}

Result<DecodedResource> Decoder::finish() {
  DecodedResource out;
  ResourceRecord& record = out.record;
  record.type = type_;
  if (std::string external = text_of("externalId"); !external.empty())
    record.external_id = std::move(external);
  record.display_name = text_of("displayName");
  if (type_ == ResourceType::User) {
    record.user_name = text_of("userName");
    if (trimmed(record.user_name).empty()) return invalid("attribute 'userName' is required");
    if (record.user_name.size() > kMaxUserNameBytes)
      return fail(ErrorCode::InvalidValue, "attribute 'userName' is longer than " +
                                               std::to_string(kMaxUserNameBytes) + " bytes");
  } else if (trimmed(record.display_name).empty()) {
    return fail(ErrorCode::InvalidValue, "attribute 'displayName' is required");
  }
  if (const AttributeSpec* active = schema_.find_top_level({}, "active")) {
    const auto found = values_.find(active);
    if (found != values_.end() && found->second.is_bool()) record.active = found->second.get_bool();
  }
  const AttributeSpec* emails = schema_.find_top_level({}, "emails");
  if (emails != nullptr && values_.contains(emails)) {
    for (const json::value& email : values_.at(emails).get_array()) {
      const json::value* value = email.get_object().if_contains("value");
      if (value == nullptr || !value->is_string()) continue;
      const json::value* primary = email.get_object().if_contains("primary");
      const bool first = primary != nullptr && primary->is_bool() && primary->get_bool();
      const std::string text(view(value->get_string()));
      record.emails.insert(first ? record.emails.begin() : record.emails.end(), text);
    }
  }
  record.attributes = attributes_text();
  out.members = std::move(members_);
  return out;
}

}  // namespace

Result<DecodedResource> decode_resource(ResourceType type, const boost::json::object& body) {
  Decoder decoder(type);
  if (auto checked = decoder.schemas(body); !checked) return tl::unexpected(std::move(checked.error()));
  for (const auto& member : body)
    if (auto done = decoder.key(member.key(), member.value()); !done)
      return tl::unexpected(std::move(done.error()));
  return decoder.finish();
}

}  // namespace rosterd::scim
