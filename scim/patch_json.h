// JSON helpers of the PATCH engine (apply_patch.h): attribute keys found in any case and
// written under their canonical name, where an attribute lives in a resource, and when
// two elements of a multi-valued attribute are the same value.
#pragma once

#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/resource_schema.h"

namespace rosterd::scim {

// The key of `spec` inside the object that holds it: "userName", "manager" for
// "urn:...:enterprise:2.0:User:manager", "givenName" for "name.givenName",
// "value" for "urn:...:User:manager.value".
std::string_view canonical_key(const AttributeSpec& spec);
// The URN of the extension `spec` belongs to ("urn:...:enterprise:2.0:User"), or empty
// for a core attribute.
std::string_view extension_of(const AttributeSpec& spec);

boost::json::value* find_key(boost::json::object& object, std::string_view key);
const boost::json::value* find_key(const boost::json::object& object, std::string_view key);
// Removes `key` in every spelling; true if one was there.
bool erase_key(boost::json::object& object, std::string_view key);
// Writes `value` under `key` exactly as given, removing other spellings of it.
void set_key(boost::json::object& object, std::string_view key, boost::json::value value);

// The object holding the top-level attribute `spec`: the resource, or the extension
// object under its URN (created when `create`; nullptr when absent and not created).
boost::json::object* holder_of(boost::json::object& resource, const AttributeSpec& spec, bool create);
// Removes the extension object of `spec` when nothing is left in it.
void drop_empty_extension(boost::json::object& resource, const AttributeSpec& spec);

// Removes null members (what a complex value holds for "unassign this sub-attribute").
void strip_nulls(boost::json::object& object);

// The same value of a multi-valued attribute: the same sub-attributes with equal values,
// strings compared as the schema says (case-insensitively unless caseExact).
bool same_element(const ResourceSchema& schema, const AttributeSpec& attribute,
                  const boost::json::value& a, const boost::json::value& b);

}  // namespace rosterd::scim
