// One attribute value of a request body checked against its schema entry and brought to
// canonical form (scim/resource_codec.h states what is accepted). Used by
// decode_resource(); kept apart so each file stays small.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/resource_schema.h"

namespace rosterd::scim {

inline constexpr std::size_t kMaxStringBytes = 64 * 1024;

// Whether a request may set this attribute: read-only and write-only attributes are
// ignored when received (RFC 7644 section 3.5.1), never refused.
bool settable(const AttributeSpec& spec);

// Names of the complex members come out canonical and in schema-table order; nullopt
// means "absent" (null, "", [], {}, or nothing settable left). `path` names the value in
// error messages ("emails[1].primary").
Result<std::optional<boost::json::value>> decode_value(const ResourceSchema& schema,
                                                       const AttributeSpec& spec,
                                                       const boost::json::value& value,
                                                       const std::string& path);

// A sub-attribute value (scalar only).
Result<std::optional<boost::json::value>> decode_scalar(const AttributeSpec& spec,
                                                        const boost::json::value& value,
                                                        const std::string& path);

// Members of a complex value in schema-table order (keys assumed canonical).
boost::json::object ordered_members(const ResourceSchema& schema, const AttributeSpec& parent,
                                    const boost::json::object& value);

}  // namespace rosterd::scim
