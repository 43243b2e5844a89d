// A storage-neutral description of the SCIM resource attributes rosterd understands
// (RFC 7643 sections 4.1, 4.2, 4.3, 7): which names exist, their types and
// characteristics. One source of truth: the filter compilers refuse a name missing here
// (so it is also the list of every attribute name that may reach SQL text), the SCIM
// decoder accepts exactly these names, and /Schemas describes them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/predicate.h"

namespace rosterd {

inline constexpr std::string_view kUserSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kGroupSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kEnterpriseUserUrn =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
// rosterd's read-only extension of a User: the account derived from the identity.
inline constexpr std::string_view kRosterdUserUrn =
    "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User";

struct AttributeSpec {
  // Canonical: "userName", "name.familyName", "emails", "emails.value",
  // "meta.lastModified", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber".
  std::string name;
  enum class Type { String, Boolean, Integer, Decimal, DateTime, Reference, Complex, Binary } type =
      Type::String;
  bool multi_valued = false;
  bool case_exact = false;
  bool read_only = false;  // mutability == ReadOnly, kept for the filter compilers
  enum class Mutability { ReadWrite, ReadOnly, WriteOnly, Immutable } mutability = Mutability::ReadWrite;
  enum class Returned { Default, Always, Never, Request } returned = Returned::Default;
  enum class Uniqueness { None, Server, Global } uniqueness = Uniqueness::None;
  bool required = false;
  std::string description;
  std::vector<std::string> canonical_values;
  std::vector<std::string> reference_types;  // Reference only: "User", "Group", "external", "uri"

  // The extension URN of an extension attribute, "" for a core attribute.
  std::string_view schema_urn() const;
  // The name without its URN: "manager.value", "userName".
  std::string_view local_name() const;
  bool is_sub_attribute() const;
  // The last segment of the name: "value" for "emails.value", "userName" for "userName".
  std::string_view member_name() const;
};

std::string_view to_string(AttributeSpec::Type type);        // "string", "dateTime", ...
std::string_view to_string(AttributeSpec::Mutability value);  // "readWrite", ...
std::string_view to_string(AttributeSpec::Returned value);    // "default", ...
std::string_view to_string(AttributeSpec::Uniqueness value);  // "none", ...

// A canonical attribute name as a path: "name.familyName" -> {"", "name", "familyName"},
// "urn:...:2.0:User:manager.value" -> {"urn:...:2.0:User", "manager", "value"}.
AttributePath path_of_name(std::string_view canonical_name);

class ResourceSchema {
 public:
  static const ResourceSchema& user();
  static const ResourceSchema& group();
  // The read-only rosterd extension of a User (role, licence, team, state), rendered from
  // the derived account. Not part of user().attributes(): nothing of it is stored with the
  // identity, so neither filters nor requests may name it.
  static std::span<const AttributeSpec> rosterd_user_extension();

  // The attribute a filter path names, compared case-insensitively. A schema URN is
  // optional for core attributes and required for extension attributes. nullptr if unknown.
  const AttributeSpec* find(const AttributePath& path) const;
  // A sub-attribute of a complex attribute as named inside parent[...] ("type" in
  // emails[type eq "work"]). nullptr if unknown.
  const AttributeSpec* find_member(const AttributeSpec& parent, std::string_view member) const;
  // A top-level attribute of one schema (core_schema() or an extension), by its name
  // without URN, compared case-insensitively. nullptr if unknown.
  const AttributeSpec* find_top_level(std::string_view schema_urn, std::string_view name) const;
  // The sub-attributes of a complex attribute, in table order (empty for others).
  std::span<const AttributeSpec> sub_attributes(const AttributeSpec& parent) const;

  const std::string& core_schema() const { return core_schema_; }
  std::span<const std::string> extensions() const { return extensions_; }
  // Every attribute, each complex one directly followed by its sub-attributes.
  std::span<const AttributeSpec> attributes() const { return attributes_; }

 private:
  ResourceSchema(std::string core_schema, std::vector<std::string> extensions,
                 std::vector<AttributeSpec> attributes);
  const AttributeSpec* find_name(std::string_view canonical) const;

  std::string core_schema_;
  std::vector<std::string> extensions_;
  std::vector<AttributeSpec> attributes_;
};

}  // namespace rosterd
