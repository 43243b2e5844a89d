// The SCIM 2.0 service provider (RFC 7644) as one transport-free function: a request
// value in, a response value out through `respond`. It authenticates the bearer token
// (which names the source, hence the tenant), routes under the base path, and runs
// reads in the calling thread and writes as identity-store jobs (answered once durable).
//
// Endpoints under base_path (default /scim/v2): Users, Groups (GET list, POST; GET, PUT,
// PATCH, DELETE by id; POST .search), POST .search at the root, POST Bulk,
// ServiceProviderConfig, Schemas[/urn], ResourceTypes[/name].
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scim/bearer_auth.h"
#include "scim/http_message.h"
#include "scim/scim_env.h"

namespace rosterd::scim {

struct ScimServiceOptions {
  std::string base_path = "/scim/v2";
  bool https = false;  // the scheme of meta.location and Location
  ScimLimits limits;
  std::function<Timestamp()> clock;     // default: the system clock
  std::function<std::string()> new_id;  // default: random UUIDs
};

class ScimService {
 public:
  // ErrorCode::Config for malformed or shared token digests.
  static Result<std::unique_ptr<ScimService>> create(IdentityStore& store, std::vector<ScimSource> sources,
                                                     ScimServiceOptions options);

  using Respond = std::function<void(HttpResponse)>;
  // Thread-safe. Calls `respond` exactly once: at once for reads and refusals, from the
  // store's writer thread for writes.
  void handle(HttpRequest&& request, Respond respond) const;

  // handle(), waiting for the answer (tests, tools).
  HttpResponse handle_now(HttpRequest request) const;

  // Does this path belong to the service (starts with base_path)?
  bool serves(std::string_view path) const;

 private:
  ScimService(IdentityStore& store, std::vector<ScimSource> sources, BearerAuth auth, ScimServiceOptions options);

  std::vector<ScimSource> sources_;
  BearerAuth auth_;
  ScimServiceOptions options_;
  ScimEnv env_;
};

}  // namespace rosterd::scim
