// add, replace and remove on a multi-valued attribute of a resource (emails, addresses,
// ...), with or without a value filter and a sub-attribute; the semantics are those
// apply_patch.h states.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/resource_schema.h"
#include "scim/patch_request.h"
#include "scim/patch_resolve_path.h"

namespace rosterd::scim {

// `holder` is the object that holds path.attribute (the resource or its extension object).
Result<void> patch_multi_valued(const ResourceSchema& schema, PatchOperation::Op op,
                                const ResolvedPath& path, boost::json::object& holder,
                                const boost::json::value& value);

}  // namespace rosterd::scim
