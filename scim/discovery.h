// The discovery endpoints of RFC 7644 section 4 with the documents of RFC 7643 sections
// 5-7: /ServiceProviderConfig, /Schemas, /ResourceTypes. The schema definitions are
// generated from core/resource_schema.h, so every attribute rosterd accepts is described
// exactly as the decoder treats it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "scim/resource_codec.h"

namespace rosterd::scim {

struct ServiceLimits {
  std::size_t max_bulk_operations = 0;  // 0: bulk not supported
  std::size_t max_bulk_payload_bytes = 0;
  std::size_t max_filter_results = 0;
};

std::string service_provider_config_json(const ServiceLimits& limits, const RenderContext& context);

// A ListResponse of the Schema resources: User, the enterprise extension, the rosterd
// extension (all read-only) and Group.
std::string schemas_json(const RenderContext& context);
// One Schema resource by its URN (case-insensitive); "" when unknown.
std::string schema_json(std::string_view urn, const RenderContext& context);

// A ListResponse of the ResourceType resources User and Group.
std::string resource_types_json(const RenderContext& context);
// One ResourceType by name ("User", "Group", case-insensitive); "" when unknown.
std::string resource_type_json(std::string_view name, const RenderContext& context);

}  // namespace rosterd::scim
