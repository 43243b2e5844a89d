#include "core/resource_schema.h"

#include <initializer_list>
#include <utility>

#include "core/email.h"

namespace rosterd {
namespace {

using Type = AttributeSpec::Type;

constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr std::string_view kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

AttributeSpec attr(std::string name, Type type = Type::String, bool case_exact = false) {
  return AttributeSpec{std::move(name), type, false, case_exact, false};
}

void add_complex(std::vector<AttributeSpec>& out, const std::string& name,
                 std::initializer_list<AttributeSpec> members, bool multi = false,
                 bool read_only = false) {
  out.push_back(AttributeSpec{name, Type::Complex, multi, false, read_only});
  for (const AttributeSpec& m : members)
    out.push_back(AttributeSpec{name + "." + m.name, m.type, false, m.case_exact, read_only});
}

// emails, phoneNumbers, ims, photos, roles, entitlements (RFC 7643 section 2.4).
void add_plural(std::vector<AttributeSpec>& out, const std::string& name, Type value_type) {
  add_complex(out, name,
              {attr("value", value_type), attr("display"), attr("type"), attr("primary", Type::Boolean)},
              true);
}

void add_meta(std::vector<AttributeSpec>& out) {
  add_complex(out, "meta",
              {attr("resourceType", Type::String, true), attr("created", Type::DateTime),
               attr("lastModified", Type::DateTime), attr("location", Type::Reference, true),
               attr("version", Type::String, true)},
              false, true);
}

std::vector<AttributeSpec> user_attributes() {
  std::vector<AttributeSpec> out{attr("id", Type::String, true), attr("externalId", Type::String, true),
                                 attr("userName")};
  add_complex(out, "name",
              {attr("formatted"), attr("familyName"), attr("givenName"), attr("middleName"),
               attr("honorificPrefix"), attr("honorificSuffix")});
  for (const char* simple : {"displayName", "nickName", "title", "userType", "preferredLanguage",
                             "locale", "timezone"})
    out.push_back(attr(simple));
  out.push_back(attr("profileUrl", Type::Reference));
  out.push_back(attr("active", Type::Boolean));
  add_plural(out, "emails", Type::String);
  add_plural(out, "phoneNumbers", Type::String);
  add_plural(out, "ims", Type::String);
  add_plural(out, "photos", Type::Reference);
  add_plural(out, "roles", Type::String);
  add_plural(out, "entitlements", Type::String);
  add_complex(out, "addresses",
              {attr("formatted"), attr("streetAddress"), attr("locality"), attr("region"),
               attr("postalCode"), attr("country"), attr("type"), attr("value"), attr("display"),
               attr("primary", Type::Boolean)},
              true);
  add_complex(out, "groups",
              {attr("value"), attr("$ref", Type::Reference), attr("display"), attr("type")}, true, true);
  add_meta(out);
  const std::string ext = std::string(kEnterprise) + ":";
  for (const char* simple : {"employeeNumber", "costCenter", "organization", "division", "department"})
    out.push_back(attr(ext + simple));
  add_complex(out, ext + "manager",
              {attr("value"), attr("$ref", Type::Reference), attr("displayName")});
  return out;
}

std::vector<AttributeSpec> group_attributes() {
  std::vector<AttributeSpec> out{attr("id", Type::String, true), attr("externalId", Type::String, true),
                                 attr("displayName")};
  add_complex(out, "members",
              {attr("value", Type::String, true), attr("display"), attr("type"),
               attr("$ref", Type::Reference)},
              true);
  add_meta(out);
  return out;
}

}  // namespace

ResourceSchema::ResourceSchema(std::string core_schema, std::vector<std::string> extensions,
                               std::vector<AttributeSpec> attributes)
    : core_schema_(std::move(core_schema)),
      extensions_(std::move(extensions)),
      attributes_(std::move(attributes)) {}

const ResourceSchema& ResourceSchema::user() {
  static const ResourceSchema schema(std::string(kUserSchema), {std::string(kEnterprise)},
                                     user_attributes());
  return schema;
}

const ResourceSchema& ResourceSchema::group() {
  static const ResourceSchema schema(std::string(kGroupSchema), {}, group_attributes());
  return schema;
}

const AttributeSpec* ResourceSchema::find_name(std::string_view canonical) const {
  const std::string key = ascii_lower(canonical);
  for (const AttributeSpec& spec : attributes_)
    if (ascii_lower(spec.name) == key) return &spec;
  return nullptr;
}

const AttributeSpec* ResourceSchema::find(const AttributePath& path) const {
  if (path.attribute.empty()) return nullptr;
  std::string name;
  const std::string schema = ascii_lower(path.schema);
  if (!schema.empty() && schema != ascii_lower(core_schema_)) {
    bool known = false;
    for (const std::string& extension : extensions_)
      if (ascii_lower(extension) == schema) { name = extension + ":"; known = true; }
    if (!known) return nullptr;
  }
  name += path.attribute;
  if (!path.sub_attribute.empty()) name += "." + path.sub_attribute;
  return find_name(name);
}

const AttributeSpec* ResourceSchema::find_member(const AttributeSpec& parent,
                                                 std::string_view member) const {
  if (parent.type != Type::Complex || member.empty()) return nullptr;
  return find_name(parent.name + "." + std::string(member));
}

}  // namespace rosterd
