// What a list or search asks for (RFC 7644 sections 3.4.2 and 3.4.3), from the query
// string of a GET or the SearchRequest body of a POST .search: one value either way.
#pragma once

#include <cstddef>
#include <string>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/predicate.h"
#include "scim/filter_parser.h"
#include "scim/request_target.h"

namespace rosterd::scim {

struct ListLimits {
  std::size_t default_count = 100;
  std::size_t max_count = 1000;  // advertised as filter.maxResults; larger counts are lowered
  FilterLimits filter;
};

struct ListRequest {
  PredicatePtr filter;  // null: everything
  std::string sort_by;  // as written; resolved against a resource type by the caller
  bool descending = false;
  std::size_t start_index = 1;  // below 1 counts as 1 (RFC 7644 section 3.4.2.4)
  std::size_t count = 100;      // negative counts as 0; capped at max_count
  std::string attributes, excluded_attributes;  // comma-separated, as written
};

// ErrorCode::InvalidFilter for a bad filter; InvalidValue for a malformed number or
// sortOrder.
Result<ListRequest> list_request_from_query(const RequestTarget& target, const ListLimits& limits);
// The body must be a SearchRequest (schemas urn:ietf:params:scim:api:messages:2.0:SearchRequest).
Result<ListRequest> list_request_from_body(const boost::json::value& body, const ListLimits& limits);

}  // namespace rosterd::scim
