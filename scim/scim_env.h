// What every SCIM handler shares for the life of the server (ScimEnv) and what one
// request brings (Caller: the authenticated source and the URL it reached us by).
#pragma once

#include <functional>
#include <string>

#include "core/timestamp.h"
#include "scim/list_request.h"
#include "store/identity_store.h"

namespace rosterd::scim {

struct ScimLimits {
  ListLimits list;
  std::size_t max_bulk_operations = 1000;
  std::size_t max_bulk_payload_bytes = 1 << 20;  // no more than the transport's body limit
};

struct ScimEnv {
  IdentityStore& store;
  std::function<Timestamp()> clock;
  std::function<std::string()> new_id;
  ScimLimits limits;
};

struct Caller {
  std::string source;    // the source id the token belongs to
  std::string space;     // its space
  std::string base_url;  // "https://host:port/scim/v2": meta.location and Location start with it
  std::string actor() const { return "source:" + source; }
};

}  // namespace rosterd::scim
