// The discovery documents are valid JSON, and /Schemas describes every attribute of
// core/resource_schema.h with its characteristics: generated from the one table the
// decoder uses.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/resource_schema.h"
#include "scim/discovery.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

const RenderContext kContext{"https://rosterd.example/scim/v2"};

json::value str(std::string_view text) { return json::string(text); }

const json::object* attribute_named(const json::array& attributes, std::string_view name) {
  for (const json::value& a : attributes)
    if (a.at("name") == json::string(name)) return &a.as_object();
  return nullptr;
}

// The description of `spec` in the Schema resource `schema`.
const json::object* described(const json::object& schema, const AttributeSpec& spec) {
  const std::string_view local = spec.local_name();
  const auto dot = local.find('.');
  const json::object* top = attribute_named(schema.at("attributes").as_array(), local.substr(0, dot));
  if (top == nullptr || dot == std::string_view::npos) return top;
  return attribute_named(top->at("subAttributes").as_array(), local.substr(dot + 1));
}

void expect_described(const json::object& schema, const AttributeSpec& spec) {
  const json::object* d = described(schema, spec);
  ASSERT_NE(d, nullptr) << spec.name;
  EXPECT_EQ(d->at("type"), json::string(to_string(spec.type))) << spec.name;
  EXPECT_EQ(d->at("multiValued"), spec.multi_valued) << spec.name;
  EXPECT_EQ(d->at("required"), spec.required) << spec.name;
  EXPECT_EQ(d->at("mutability"), json::string(to_string(spec.mutability))) << spec.name;
  EXPECT_EQ(d->at("returned"), json::string(to_string(spec.returned))) << spec.name;
  EXPECT_FALSE(d->at("description").as_string().empty()) << spec.name;
  if (spec.type != AttributeSpec::Type::Complex && spec.type != AttributeSpec::Type::Boolean) {
    EXPECT_EQ(d->at("caseExact"), spec.case_exact) << spec.name;
    EXPECT_EQ(d->at("uniqueness"), json::string(to_string(spec.uniqueness))) << spec.name;
  }
  if (spec.type == AttributeSpec::Type::Reference) {
    EXPECT_TRUE(d->contains("referenceTypes")) << spec.name;
  }
  if (spec.type == AttributeSpec::Type::Complex) {
    EXPECT_TRUE(d->contains("subAttributes")) << spec.name;
  }
}

json::object schema_resource(std::string_view urn) {
  const std::string text = schema_json(urn, kContext);
  EXPECT_FALSE(text.empty()) << urn;
  return json::parse(text).as_object();
}

TEST(Discovery, SchemasDescribeEveryAttributeOfTheSchemaTable) {
  const json::object user = schema_resource(kUserSchemaUrn);
  const json::object enterprise = schema_resource(kEnterpriseUserUrn);
  for (const AttributeSpec& spec : ResourceSchema::user().attributes())
    expect_described(spec.schema_urn().empty() ? user : enterprise, spec);
  const json::object group = schema_resource(kGroupSchemaUrn);
  for (const AttributeSpec& spec : ResourceSchema::group().attributes()) expect_described(group, spec);
  const json::object rosterd = schema_resource(kRosterdUserUrn);
  for (const AttributeSpec& spec : ResourceSchema::rosterd_user_extension()) {
    expect_described(rosterd, spec);
    EXPECT_EQ(spec.mutability, AttributeSpec::Mutability::ReadOnly) << spec.name;
  }
  // Core and extension attributes are not mixed up.
  EXPECT_EQ(attribute_named(user.at("attributes").as_array(), "employeeNumber"), nullptr);
  EXPECT_EQ(attribute_named(enterprise.at("attributes").as_array(), "userName"), nullptr);
}

TEST(Discovery, UserSchemaHasTheRfcCharacteristicsOfKeyAttributes) {
  const json::object user = schema_resource("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER");
  EXPECT_EQ(user.at("id"), str(kUserSchemaUrn));
  const json::array& attributes = user.at("attributes").as_array();
  const json::object* user_name = attribute_named(attributes, "userName");
  ASSERT_NE(user_name, nullptr);
  EXPECT_EQ(user_name->at("required"), true);
  EXPECT_EQ(user_name->at("uniqueness"), "server");
  const json::object* password = attribute_named(attributes, "password");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->at("mutability"), "writeOnly");
  EXPECT_EQ(password->at("returned"), "never");
  const json::object* id = attribute_named(attributes, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->at("returned"), "always");
  EXPECT_EQ(id->at("mutability"), "readOnly");
  for (const char* name : {"x509Certificates", "addresses", "entitlements", "roles", "ims", "photos", "groups"})
    EXPECT_NE(attribute_named(attributes, name), nullptr) << name;
  EXPECT_EQ(user.at("meta").at("location"), str(kContext.base_url + "/Schemas/" + std::string(kUserSchemaUrn)));
}

TEST(Discovery, SchemasListsFourSchemasAndUnknownUrnIsEmpty) {
  const json::object list = json::parse(schemas_json(kContext)).as_object();
  EXPECT_EQ(list.at("schemas"), json::array{"urn:ietf:params:scim:api:messages:2.0:ListResponse"});
  EXPECT_EQ(list.at("totalResults"), 4);
  ASSERT_EQ(list.at("Resources").as_array().size(), 4u);
  for (const json::value& s : list.at("Resources").as_array())
    EXPECT_EQ(s.at("schemas"), json::array{"urn:ietf:params:scim:schemas:core:2.0:Schema"});
  EXPECT_EQ(schema_json("urn:example:nope", kContext), "");
}

TEST(Discovery, ResourceTypesDeclareEndpointsSchemasAndOptionalExtensions) {
  const json::object list = json::parse(resource_types_json(kContext)).as_object();
  ASSERT_EQ(list.at("Resources").as_array().size(), 2u);
  const json::object user = json::parse(resource_type_json("user", kContext)).as_object();
  EXPECT_EQ(user.at("endpoint"), "/Users");
  EXPECT_EQ(user.at("schema"), str(kUserSchemaUrn));
  EXPECT_EQ(user.at("schemaExtensions"),
            (json::array{json::object{{"schema", kEnterpriseUserUrn}, {"required", false}},
                         json::object{{"schema", kRosterdUserUrn}, {"required", false}}}));
  EXPECT_EQ(user.at("meta").at("location"), str(kContext.base_url + "/ResourceTypes/User"));
  const json::object group = json::parse(resource_type_json("Group", kContext)).as_object();
  EXPECT_EQ(group.at("endpoint"), "/Groups");
  EXPECT_EQ(group.at("schema"), str(kGroupSchemaUrn));
  EXPECT_EQ(resource_type_json("Robot", kContext), "");
}

TEST(Discovery, ServiceProviderConfigAdvertisesWhatRosterdSupports) {
  const json::object c =
      json::parse(service_provider_config_json(ServiceLimits{100, 1048576, 200}, kContext)).as_object();
  EXPECT_EQ(c.at("schemas"), json::array{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"});
  EXPECT_EQ(c.at("patch").at("supported"), true);
  EXPECT_EQ(c.at("bulk"), (json::object{{"supported", true}, {"maxOperations", 100}, {"maxPayloadSize", 1048576}}));
  EXPECT_EQ(c.at("filter"), (json::object{{"supported", true}, {"maxResults", 200}}));
  EXPECT_EQ(c.at("changePassword").at("supported"), false);
  EXPECT_EQ(c.at("sort").at("supported"), true);
  EXPECT_EQ(c.at("etag").at("supported"), true);
  const json::array& schemes = c.at("authenticationSchemes").as_array();
  ASSERT_EQ(schemes.size(), 1u);
  EXPECT_EQ(schemes[0].at("type"), "oauthbearertoken");
  EXPECT_EQ(schemes[0].at("primary"), true);
  EXPECT_EQ(c.at("meta").at("location"), str(kContext.base_url + "/ServiceProviderConfig"));
  const json::object no_bulk = json::parse(service_provider_config_json(ServiceLimits{0, 0, 200}, kContext)).as_object();
  EXPECT_EQ(no_bulk.at("bulk").at("supported"), false);
}

}  // namespace
}  // namespace rosterd::scim
