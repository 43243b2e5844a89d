// Values of PATCH operations converted to what the resource holds (apply_patch.h): the
// type the schema gives each attribute, and canonical sub-attribute names.
#pragma once

#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/resource_schema.h"

namespace rosterd::scim {

// null and "": what Okta and Entra ID send to clear an attribute.
bool is_unassigned(const boost::json::value& value);

// One value of `spec` (an element, for a multi-valued attribute), as stored:
// - Boolean: true/false, or the strings "true"/"false" in any case (Entra sends "False");
// - String, Reference, DateTime: a string; Integer and Decimal: a number;
// - Complex: an object whose keys are sub-attributes of `spec` in any case, written under
//   their canonical names and converted in turn; a sub-attribute given as null or "" is
//   kept as null (a merge removes it; strip_nulls() drops it). A string or number given
//   for a complex attribute with a "value" sub-attribute means {"value": it} (Entra's
//   manager id, "emails": ["a@example.com"]).
// ErrorCode::InvalidValue otherwise; `where` names the attribute in the message.
Result<boost::json::value> normalise_value(const ResourceSchema& schema, const AttributeSpec& spec,
                                           const boost::json::value& value, std::string_view where);

// The elements of the multi-valued `spec`: an array, or one element alone. Elements that
// are unassigned (null, "", or a complex value with nothing left) are left out; complex
// elements have no null members.
Result<boost::json::array> normalise_elements(const ResourceSchema& schema,
                                              const AttributeSpec& spec,
                                              const boost::json::value& value,
                                              std::string_view where);

}  // namespace rosterd::scim
