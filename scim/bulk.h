// /Bulk (RFC 7644 section 3.7): several POST/PUT/PATCH/DELETE operations in one request,
// each its own transaction (one failing does not undo the others), with `bulkId`
// references ("bulkId:q1" in a path or anywhere in data names the resource an earlier
// POST of the request created; operations are run in an order that resolves them when
// possible, 409 otherwise), `failOnErrors` (stop after that many errors) and the limits
// advertised by /ServiceProviderConfig (too many operations or bytes: 413).
#pragma once

#include <functional>

#include <boost/json/value.hpp>

#include "scim/http_message.h"
#include "scim/scim_env.h"

namespace rosterd::scim {

// Answers through `respond` once every operation has been run (from the store's writer
// thread), or at once for a request that is refused as a whole.
void run_bulk(const ScimEnv& env, Caller caller, boost::json::value body, std::size_t body_bytes,
              std::function<void(HttpResponse)> respond);

}  // namespace rosterd::scim
