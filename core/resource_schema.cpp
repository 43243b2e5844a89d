#include "core/resource_schema.h"

#include <utility>

namespace rosterd {
namespace {

using Spec = AttributeSpec;
using Type = Spec::Type;
using Mutability = Spec::Mutability;
using Returned = Spec::Returned;
using Uniqueness = Spec::Uniqueness;
using Names = std::vector<std::string>;

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

// ---- Building the tables ---------------------------------------------------------------

Spec attr(std::string name, std::string description, Type type = Type::String) {
  Spec s;
  s.name = std::move(name);
  s.type = type;
  s.description = std::move(description);
  return s;
}
Spec exact(Spec s) { s.case_exact = true; return s; }
Spec required(Spec s) { s.required = true; return s; }
Spec read_only(Spec s) { s.mutability = Mutability::ReadOnly; s.read_only = true; return s; }
Spec with(Spec s, Mutability m) { s.mutability = m; s.read_only = m == Mutability::ReadOnly; return s; }
Spec with(Spec s, Returned r) { s.returned = r; return s; }
Spec with(Spec s, Uniqueness u) { s.uniqueness = u; return s; }
Spec canonical(Spec s, Names values) { s.canonical_values = std::move(values); return s; }
Spec refs(Spec s, Names types) { s.reference_types = std::move(types); return s; }
Spec multi(Spec s) { s.multi_valued = true; return s; }

// A complex attribute followed by its sub-attributes; a read-only parent makes them
// read-only too.
void add_complex(std::vector<Spec>& out, Spec parent, std::vector<Spec> members) {
  parent.type = Type::Complex;
  const std::string prefix = parent.name + ".";
  const bool parent_read_only = parent.read_only;
  out.push_back(std::move(parent));
  for (Spec& m : members) {
    m.name = prefix + m.name;
    if (parent_read_only) m = read_only(std::move(m));
    out.push_back(std::move(m));
  }
}

// emails, phoneNumbers, ims, photos, roles, entitlements, x509Certificates (RFC 7643
// section 2.4 and 4.1.2).
void add_plural(std::vector<Spec>& out, const std::string& name, std::string description,
                Type value_type, Names types, Names value_refs = {}) {
  Spec value = attr("value", "The value of one of the User's " + name + ".", value_type);
  if (value_type == Type::Reference) value = refs(std::move(value), std::move(value_refs));
  add_complex(out, multi(attr(name, std::move(description))),
              {std::move(value),
               attr("display", "A human-readable name, primarily used for display purposes."),
               canonical(attr("type", "A label indicating the attribute's function."), std::move(types)),
               attr("primary",
                    "A Boolean value indicating the 'primary' or preferred attribute value for this "
                    "attribute. The primary attribute value 'true' MUST appear no more than once.",
                    Type::Boolean)});
}

void add_common(std::vector<Spec>& out, std::string_view resource) {
  out.push_back(with(with(read_only(exact(attr("id", "A unique identifier for a SCIM resource as "
                                                     "defined by the service provider."))),
                          Returned::Always),
                     Uniqueness::Server));
  out.push_back(exact(attr("externalId", "An identifier for the resource as defined by the "
                                         "provisioning client.")));
  add_complex(out, read_only(attr("meta", "Resource metadata.")),
              {exact(attr("resourceType", "The name of the resource type of the resource.")),
               attr("created", "The date and time the resource was added to the service provider.",
                    Type::DateTime),
               attr("lastModified", "The most recent date and time that the details of this "
                                    "resource were updated at the service provider.",
                    Type::DateTime),
               refs(exact(attr("location", "The URI of the " + std::string(resource) + " being returned.",
                               Type::Reference)),
                    {"uri"}),
               exact(attr("version", "The version of the resource (its weak entity tag)."))});
}

void add_name(std::vector<Spec>& out) {
  add_complex(
      out, attr("name", "The components of the user's real name."),
      {attr("formatted", "The full name, including all middle names, titles, and suffixes as "
                         "appropriate, formatted for display."),
       attr("familyName", "The family name of the User, or last name in most Western languages."),
       attr("givenName", "The given name of the User, or first name in most Western languages."),
       attr("middleName", "The middle name(s) of the User."),
       attr("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western "
                               "languages (e.g., 'Ms.')."),
       attr("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western "
                               "languages (e.g., 'III').")});
}

void add_user_simple(std::vector<Spec>& out) {
  const std::pair<const char*, const char*> simple[] = {
      {"displayName", "The name of the User, suitable for display to end-users."},
      {"nickName", "The casual way to address the user in real life."},
      {"title", "The user's title, such as 'Vice President'."},
      {"userType", "Used to identify the relationship between the organization and the user."},
      {"preferredLanguage", "Indicates the User's preferred written or spoken language."},
      {"locale", "Used to indicate the User's default location for purposes of localizing items "
                 "such as currency, date time format, or numerical representations."},
      {"timezone", "The User's time zone in the 'Olson' time zone database format, e.g., "
                   "'America/Los_Angeles'."}};
  for (const auto& [name, description] : simple) out.push_back(attr(name, description));
  out.push_back(refs(attr("profileUrl", "A fully qualified URL pointing to a page representing the "
                                        "User's online profile.",
                          Type::Reference),
                     {"external"}));
  out.push_back(attr("active", "A Boolean value indicating the User's administrative status.",
                     Type::Boolean));
  out.push_back(with(with(attr("password", "The User's cleartext password, used to set an initial "
                                           "password; never stored nor returned by rosterd."),
                          Mutability::WriteOnly),
                     Returned::Never));
}

void add_user_plurals(std::vector<Spec>& out) {
  add_plural(out, "emails", "Email addresses for the user.", Type::String, {"work", "home", "other"});
  add_plural(out, "phoneNumbers", "Phone numbers for the User.", Type::String,
             {"work", "home", "mobile", "fax", "pager", "other"});
  add_plural(out, "ims", "Instant messaging addresses for the User.", Type::String,
             {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"});
  add_plural(out, "photos", "URLs of photos of the User.", Type::Reference, {"photo", "thumbnail"},
             {"external"});
  add_complex(out, multi(attr("addresses", "A physical mailing address for this User.")),
              {attr("formatted", "The full mailing address, formatted for display."),
               attr("streetAddress", "The full street address component."),
               attr("locality", "The city or locality component."),
               attr("region", "The state or region component."),
               attr("postalCode", "The zip code or postal code component."),
               attr("country", "The country name component (ISO 3166-1 alpha-2 code)."),
               canonical(attr("type", "A label indicating the attribute's function."),
                         {"work", "home", "other"}),
               attr("value", "The address as a single value."),
               attr("display", "A human-readable name, primarily used for display purposes."),
               attr("primary", "A Boolean value indicating the 'primary' or preferred address.",
                    Type::Boolean)});
  add_complex(out, read_only(multi(attr("groups", "A list of groups to which the user belongs."))),
              {attr("value", "The identifier of the User's group."),
               refs(attr("$ref", "The URI of the corresponding 'Group' resource.", Type::Reference),
                    {"User", "Group"}),
               attr("display", "A human-readable name, primarily used for display purposes."),
               canonical(attr("type", "A label indicating the membership: 'direct' or 'indirect'."),
                         {"direct", "indirect"})});
  add_plural(out, "entitlements", "A list of entitlements for the User.", Type::String, {});
  add_plural(out, "roles", "A list of roles for the User.", Type::String, {});
  add_plural(out, "x509Certificates", "A list of certificates issued to the User.", Type::Binary, {});
}

void add_enterprise(std::vector<Spec>& out) {
  const std::string ext = std::string(kEnterpriseUserUrn) + ":";
  const std::pair<const char*, const char*> simple[] = {
      {"employeeNumber", "Numeric or alphanumeric identifier assigned to a person, typically based "
                         "on order of hire or association with an organization."},
      {"costCenter", "Identifies the name of a cost center."},
      {"organization", "Identifies the name of an organization."},
      {"division", "Identifies the name of a division."},
      {"department", "Identifies the name of a department."}};
  for (const auto& [name, description] : simple) out.push_back(attr(ext + name, description));
  add_complex(out, attr(ext + "manager", "The User's manager."),
              {attr("value", "The id of the SCIM resource representing the User's manager."),
               refs(attr("$ref", "The URI of the SCIM resource representing the User's manager.",
                         Type::Reference),
                    {"User"}),
               read_only(attr("displayName", "The displayName of the User's manager."))});
}

std::vector<Spec> user_attributes() {
  std::vector<Spec> out;
  add_common(out, "User");
  out.push_back(with(required(attr("userName", "Unique identifier for the User, typically used by "
                                               "the user to directly authenticate to the service "
                                               "provider.")),
                     Uniqueness::Server));
  add_name(out);
  add_user_simple(out);
  add_user_plurals(out);
  add_enterprise(out);
  return out;
}

std::vector<Spec> group_attributes() {
  std::vector<Spec> out;
  add_common(out, "Group");
  out.push_back(required(attr("displayName", "A human-readable name for the Group.")));
  add_complex(out, multi(attr("members", "A list of members of the Group.")),
              {with(exact(attr("value", "Identifier of the member of this Group.")), Mutability::Immutable),
               read_only(attr("display", "The displayName (or userName) of the member.")),
               with(canonical(attr("type", "The type of the member: 'User' or 'Group'."), {"User", "Group"}),
                    Mutability::Immutable),
               with(refs(attr("$ref", "The URI of the member resource.", Type::Reference), {"User", "Group"}),
                    Mutability::Immutable)});
  return out;
}

std::vector<Spec> rosterd_attributes() {
  const std::string ext = std::string(kRosterdUserUrn) + ":";
  std::vector<Spec> out;
  out.push_back(read_only(attr(ext + "role", "The role of the account rosterd derived from this "
                                             "identity.")));
  out.push_back(read_only(attr(ext + "licence", "The licence type the account holds.")));
  out.push_back(read_only(attr(ext + "team", "The team of the account.")));
  out.push_back(read_only(canonical(
      attr(ext + "state", "The state of the account."),
      {"invited", "active", "suspended", "deactivated", "locked", "deleted"})));
  return out;
}

}  // namespace

std::string_view AttributeSpec::schema_urn() const {
  const std::string_view n = name;
  if (n.size() < 4 || !same_name(n.substr(0, 4), "urn:")) return {};
  return n.substr(0, n.rfind(':'));
}

std::string_view AttributeSpec::local_name() const {
  const std::string_view urn = schema_urn();
  return std::string_view(name).substr(urn.empty() ? 0 : urn.size() + 1);
}

bool AttributeSpec::is_sub_attribute() const {
  return local_name().find('.') != std::string_view::npos;
}

std::string_view AttributeSpec::member_name() const {
  const std::string_view local = local_name();
  const auto dot = local.find('.');
  return dot == std::string_view::npos ? local : local.substr(dot + 1);
}

std::string_view to_string(AttributeSpec::Type type) {
  switch (type) {
    case Type::String: return "string";
    case Type::Boolean: return "boolean";
    case Type::Integer: return "integer";
    case Type::Decimal: return "decimal";
    case Type::DateTime: return "dateTime";
    case Type::Reference: return "reference";
    case Type::Complex: return "complex";
    case Type::Binary: return "binary";
  }
  return "string";
}

std::string_view to_string(AttributeSpec::Mutability value) {
  switch (value) {
    case Mutability::ReadWrite: return "readWrite";
    case Mutability::ReadOnly: return "readOnly";
    case Mutability::WriteOnly: return "writeOnly";
    case Mutability::Immutable: return "immutable";
  }
  return "readWrite";
}

std::string_view to_string(AttributeSpec::Returned value) {
  switch (value) {
    case Returned::Default: return "default";
    case Returned::Always: return "always";
    case Returned::Never: return "never";
    case Returned::Request: return "request";
  }
  return "default";
}

std::string_view to_string(AttributeSpec::Uniqueness value) {
  switch (value) {
    case Uniqueness::None: return "none";
    case Uniqueness::Server: return "server";
    case Uniqueness::Global: return "global";
  }
  return "none";
}

ResourceSchema::ResourceSchema(std::string core_schema, std::vector<std::string> extensions,
                               std::vector<AttributeSpec> attributes)
    : core_schema_(std::move(core_schema)),
      extensions_(std::move(extensions)),
      attributes_(std::move(attributes)) {}

const ResourceSchema& ResourceSchema::user() {
  static const ResourceSchema schema(std::string(kUserSchemaUrn), {std::string(kEnterpriseUserUrn)},
                                     user_attributes());
  return schema;
}

const ResourceSchema& ResourceSchema::group() {
  static const ResourceSchema schema(std::string(kGroupSchemaUrn), {}, group_attributes());
  return schema;
}

std::span<const AttributeSpec> ResourceSchema::rosterd_user_extension() {
  static const std::vector<AttributeSpec> attributes = rosterd_attributes();
  return attributes;
}

AttributePath path_of_name(std::string_view text) {
  AttributePath p;
  if (text.starts_with("urn:")) {
    const auto colon = text.rfind(':');
    p.schema = std::string(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  const auto dot = text.find('.');
  p.attribute = std::string(text.substr(0, dot));
  if (dot != std::string_view::npos) p.sub_attribute = std::string(text.substr(dot + 1));
  return p;
}

const AttributeSpec* ResourceSchema::find_name(std::string_view canonical) const {
  for (const AttributeSpec& spec : attributes_)
    if (same_name(spec.name, canonical)) return &spec;
  return nullptr;
}

const AttributeSpec* ResourceSchema::find(const AttributePath& path) const {
  if (path.attribute.empty()) return nullptr;
  std::string name;
  if (!path.schema.empty() && !same_name(path.schema, core_schema_)) {
    bool known = false;
    for (const std::string& extension : extensions_)
      if (same_name(extension, path.schema)) { name = extension + ":"; known = true; }
    if (!known) return nullptr;
  }
  name += path.attribute;
  if (!path.sub_attribute.empty()) name += "." + path.sub_attribute;
  return find_name(name);
}

const AttributeSpec* ResourceSchema::find_member(const AttributeSpec& parent,
                                                 std::string_view member) const {
  if (parent.type != Type::Complex || member.empty()) return nullptr;
  for (const AttributeSpec& spec : sub_attributes(parent))
    if (same_name(spec.member_name(), member)) return &spec;
  return nullptr;
}

const AttributeSpec* ResourceSchema::find_top_level(std::string_view schema_urn,
                                                    std::string_view name) const {
  if (same_name(schema_urn, core_schema_)) schema_urn = {};
  for (const AttributeSpec& spec : attributes_)
    if (!spec.is_sub_attribute() && same_name(spec.schema_urn(), schema_urn) &&
        same_name(spec.local_name(), name))
      return &spec;
  return nullptr;
}

std::span<const AttributeSpec> ResourceSchema::sub_attributes(const AttributeSpec& parent) const {
  if (parent.type != Type::Complex) return {};
  const AttributeSpec* begin = attributes_.data();
  const AttributeSpec* end = begin + attributes_.size();
  const AttributeSpec* at = &parent;
  if (at < begin || at >= end) at = find_name(parent.name);
  if (at == nullptr) return {};
  const AttributeSpec* first = at + 1;
  const AttributeSpec* last = first;
  while (last != end && last->name.size() > parent.name.size() &&
         last->name.compare(0, parent.name.size(), parent.name) == 0 &&
         last->name[parent.name.size()] == '.')
    ++last;
  return {first, static_cast<std::size_t>(last - first)};
}

}  // namespace rosterd
