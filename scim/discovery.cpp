#include "scim/discovery.h"

#include <span>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/resource_schema.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr std::string_view kListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
constexpr std::string_view kSchemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
constexpr std::string_view kResourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
constexpr std::string_view kConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

struct SchemaInfo {
  std::string_view urn;
  std::string_view name;
  std::string_view description;
};

constexpr SchemaInfo kSchemas[] = {
    {kUserSchemaUrn, "User", "User Account"},
    {kEnterpriseUserUrn, "EnterpriseUser", "Enterprise User"},
    {kRosterdUserUrn, "RosterdAccount",
     "The account rosterd derived from the identity (read-only)"},
    {kGroupSchemaUrn, "Group", "Group"},
};

// The attributes of one schema, each complex one followed by its sub-attributes.
std::vector<const AttributeSpec*> attributes_of(std::string_view urn) {
  std::span<const AttributeSpec> all;
  std::string_view extension;
  if (urn == kGroupSchemaUrn) {
    all = ResourceSchema::group().attributes();
  } else if (urn == kRosterdUserUrn) {
    all = ResourceSchema::rosterd_user_extension();
    extension = urn;
  } else {
    all = ResourceSchema::user().attributes();
    if (urn == kEnterpriseUserUrn) extension = urn;
  }
  std::vector<const AttributeSpec*> out;
  for (const AttributeSpec& spec : all)
    if (spec.schema_urn() == extension) out.push_back(&spec);
  return out;
}

json::object describe(const AttributeSpec& spec, std::span<const AttributeSpec* const> subs) {
  json::object out;
  out["name"] = spec.member_name();
  out["type"] = to_string(spec.type);
  out["multiValued"] = spec.multi_valued;
  out["description"] = spec.description;
  out["required"] = spec.required;
  if (spec.type != AttributeSpec::Type::Complex && spec.type != AttributeSpec::Type::Boolean)
    out["caseExact"] = spec.case_exact;
  if (!spec.canonical_values.empty()) {
    json::array values;
    for (const std::string& value : spec.canonical_values) values.push_back(json::value(value));
    out["canonicalValues"] = std::move(values);
  }
  out["mutability"] = to_string(spec.mutability);
  out["returned"] = to_string(spec.returned);
  if (spec.type != AttributeSpec::Type::Complex && spec.type != AttributeSpec::Type::Boolean)
    out["uniqueness"] = to_string(spec.uniqueness);
  if (!spec.reference_types.empty()) {
    json::array types;
    for (const std::string& type : spec.reference_types) types.push_back(json::value(type));
    out["referenceTypes"] = std::move(types);
  }
  if (spec.type == AttributeSpec::Type::Complex) {
    json::array described;
    for (const AttributeSpec* sub : subs) described.push_back(describe(*sub, {}));
    out["subAttributes"] = std::move(described);
  }
  return out;
}

json::object schema_resource(const SchemaInfo& info, const RenderContext& context) {
  const std::vector<const AttributeSpec*> specs = attributes_of(info.urn);
  json::array attributes;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i]->is_sub_attribute()) continue;
    std::size_t end = i + 1;
    while (end < specs.size() && specs[end]->is_sub_attribute()) ++end;
    attributes.push_back(describe(*specs[i], std::span(specs).subspan(i + 1, end - i - 1)));
  }
  json::object out;
  out["schemas"] = json::array{json::value(kSchemaSchema)};
  out["id"] = info.urn;
  out["name"] = info.name;
  out["description"] = info.description;
  out["attributes"] = std::move(attributes);
  out["meta"] = json::object{{"resourceType", "Schema"},
                             {"location", context.base_url + "/Schemas/" + std::string(info.urn)}};
  return out;
}

json::object resource_type(bool user, const RenderContext& context) {
  const std::string_view name = user ? "User" : "Group";
  json::object out;
  out["schemas"] = json::array{json::value(kResourceTypeSchema)};
  out["id"] = name;
  out["name"] = name;
  out["endpoint"] = user ? "/Users" : "/Groups";
  out["description"] = user ? "User Account" : "Group";
  out["schema"] = user ? kUserSchemaUrn : kGroupSchemaUrn;
  json::array extensions;
  if (user)
    for (const std::string_view urn : {kEnterpriseUserUrn, kRosterdUserUrn})
      extensions.push_back(json::object{{"schema", urn}, {"required", false}});
  out["schemaExtensions"] = std::move(extensions);
  out["meta"] = json::object{{"resourceType", "ResourceType"},
                             {"location", context.base_url + "/ResourceTypes/" + std::string(name)}};
  return out;
}

std::string list_response(json::array resources) {
  json::object out;
  out["schemas"] = json::array{json::value(kListResponse)};
  out["totalResults"] = resources.size();
  out["itemsPerPage"] = resources.size();
  out["startIndex"] = 1;
  out["Resources"] = std::move(resources);
  return json::serialize(out);
}

}  // namespace

std::string service_provider_config_json(const ServiceLimits& limits, const RenderContext& context) {
  json::object out;
  out["schemas"] = json::array{json::value(kConfigSchema)};
  out["patch"] = json::object{{"supported", true}};
  out["bulk"] = json::object{{"supported", limits.max_bulk_operations > 0},
                             {"maxOperations", limits.max_bulk_operations},
                             {"maxPayloadSize", limits.max_bulk_payload_bytes}};
  out["filter"] = json::object{{"supported", true}, {"maxResults", limits.max_filter_results}};
  out["changePassword"] = json::object{{"supported", false}};
  out["sort"] = json::object{{"supported", true}};
  out["etag"] = json::object{{"supported", true}};
  out["authenticationSchemes"] = json::array{json::object{
      {"type", "oauthbearertoken"},
      {"name", "OAuth Bearer Token"},
      {"description", "Authentication with a bearer token (one per source) in the Authorization header"},
      {"specUri", "https://www.rfc-editor.org/info/rfc6750"},
      {"primary", true}}};
  out["meta"] = json::object{{"resourceType", "ServiceProviderConfig"},
                             {"location", context.base_url + "/ServiceProviderConfig"}};
  return json::serialize(out);
}

std::string schemas_json(const RenderContext& context) {
  json::array resources;
  for (const SchemaInfo& info : kSchemas) resources.push_back(schema_resource(info, context));
  return list_response(std::move(resources));
}

std::string schema_json(std::string_view urn, const RenderContext& context) {
  for (const SchemaInfo& info : kSchemas)
    if (equals_ignoring_case(info.urn, urn)) return json::serialize(schema_resource(info, context));
  return {};
}

std::string resource_types_json(const RenderContext& context) {
  return list_response(json::array{resource_type(true, context), resource_type(false, context)});
}

std::string resource_type_json(std::string_view name, const RenderContext& context) {
  if (equals_ignoring_case(name, "User")) return json::serialize(resource_type(true, context));
  if (equals_ignoring_case(name, "Group")) return json::serialize(resource_type(false, context));
  return {};
}

}  // namespace rosterd::scim
