// A storage-neutral description of the SCIM resource attributes rosterd understands
// (RFC 7643 sections 4.1, 4.2, 4.3): which names exist, their types, and whether their
// values compare case-exactly. The filter compilers refuse a name missing here, so it is
// also the list of every attribute name that may reach SQL text.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/predicate.h"

namespace rosterd {

struct AttributeSpec {
  // Canonical: "userName", "name.familyName", "emails", "emails.value",
  // "meta.lastModified", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber".
  std::string name;
  enum class Type { String, Boolean, Integer, Decimal, DateTime, Reference, Complex } type = Type::String;
  bool multi_valued = false;
  bool case_exact = false;
  bool read_only = false;
};

class ResourceSchema {
 public:
  static const ResourceSchema& user();
  static const ResourceSchema& group();

  // The attribute a filter path names, compared case-insensitively. A schema URN is
  // optional for core attributes and required for extension attributes. nullptr if unknown.
  const AttributeSpec* find(const AttributePath& path) const;
  // A sub-attribute of a complex attribute as named inside parent[...] ("type" in
  // emails[type eq "work"]). nullptr if unknown.
  const AttributeSpec* find_member(const AttributeSpec& parent, std::string_view member) const;

  const std::string& core_schema() const { return core_schema_; }
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
