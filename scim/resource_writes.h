// POST, PUT, PATCH and DELETE of Users and Groups (RFC 7644 sections 3.3, 3.5, 3.6) as
// identity-store write jobs: each one transaction that checks the version (If-Match),
// writes the resource and its memberships, records the audit event (which also marks the
// source's space for reconcile) and renders the answer. The caller submits the job and
// answers from `WriteResult` once the store reports the job durable.
// Each job may be run again (IdentityStore::Rerun::Allowed): it acts only through its
// IdentityWriter, copies what it captured, and sets its WriteResult afresh on every run.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "scim/apply_patch.h"
#include "scim/http_message.h"
#include "scim/patch_request.h"
#include "scim/projection.h"
#include "scim/resource_codec.h"
#include "scim/scim_env.h"

namespace rosterd::scim {

struct WriteResult {
  int status = 200;      // 201 created, 200 with a body, 204 without
  std::string id;        // of the resource written
  std::string location;  // its URL
  std::int64_t version = 0;
  std::string body;      // the rendered resource (empty for 204)
};

HttpResponse to_response(const WriteResult& result);

struct WriteOptions {
  std::string if_match;                 // the If-Match header, or empty
  std::optional<Projection> projection;  // attributes / excludedAttributes of the request
};

// The body is decoded (checked, canonicalised) by the caller, on its own thread: the
// writer's one thread does only what needs the transaction.
IdentityStore::WriteJob create_job(const ScimEnv& env, Caller caller, ResourceType type,
                                   DecodedResource decoded, WriteOptions options,
                                   std::shared_ptr<WriteResult> out);
IdentityStore::WriteJob replace_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                    DecodedResource decoded, WriteOptions options,
                                    std::shared_ptr<WriteResult> out);
IdentityStore::WriteJob patch_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                  std::vector<PatchOperation> operations, WriteOptions options,
                                  std::shared_ptr<WriteResult> out);
IdentityStore::WriteJob delete_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                   WriteOptions options, std::shared_ptr<WriteResult> out);

}  // namespace rosterd::scim
