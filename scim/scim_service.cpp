#include "scim/scim_service.h"

#include <future>
#include <optional>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include "scim/ascii_case.h"
#include "scim/bulk.h"
#include "scim/discovery.h"
#include "scim/patch_request.h"
#include "scim/projection.h"
#include "scim/request_target.h"
#include "scim/resource_codec.h"
#include "scim/resource_reads.h"
#include "scim/resource_writes.h"
#include "scim/scim_response.h"
#include "store/random_id.h"
#include "store/store_options.h"

namespace rosterd::scim {
namespace {

enum class Verb { Get, Post, Put, Patch, Delete, Other };

Verb verb_of(std::string_view method) {
  if (method == "GET" || method == "HEAD") return Verb::Get;
  if (method == "POST") return Verb::Post;
  if (method == "PUT") return Verb::Put;
  if (method == "PATCH") return Verb::Patch;
  if (method == "DELETE") return Verb::Delete;
  return Verb::Other;
}

HttpResponse not_allowed(std::string_view allow) {
  HttpResponse response = error_response(405, "method not allowed here; allowed: " + std::string(allow));
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

HttpResponse unauthorized(std::string_view detail) {
  HttpResponse response = error_response(401, detail);
  response.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="rosterd")");
  return response;
}

// The Host header if it looks like a host[:port] (it is echoed into every location).
std::string safe_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return "localhost";
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return "localhost";
  }
  return std::string(host);
}

Result<boost::json::value> parse_body(const HttpRequest& request) {
  // The Content-Type is not checked: application/scim+json and application/json are
  // what IdPs send, but a client that mislabels a JSON body is better served than refused.
  if (request.body.empty()) return fail(ErrorCode::InvalidSyntax, "the request needs a JSON body");
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  if (ec) return fail(ErrorCode::InvalidSyntax, "the body is not valid JSON: " + ec.message());
  return value;
}

std::optional<ResourceType> resource_type(std::string_view segment) {
  if (segment == "Users") return ResourceType::User;
  if (segment == "Groups") return ResourceType::Group;
  return std::nullopt;
}

}  // namespace

ScimService::ScimService(IdentityStore& store, std::vector<ScimSource> sources, BearerAuth auth,
                         ScimServiceOptions options)
    : sources_(std::move(sources)),
      auth_(std::move(auth)),
      options_(std::move(options)),
      env_{store, options_.clock, options_.new_id, options_.limits} {}

Result<std::unique_ptr<ScimService>> ScimService::create(IdentityStore& store, std::vector<ScimSource> sources,
                                                         ScimServiceOptions options) {
  auto auth = BearerAuth::create(sources);
  if (!auth) return tl::unexpected(auth.error());
  if (!options.clock) options.clock = system_now;
  if (!options.new_id) options.new_id = make_random_id_generator();
  while (options.base_path.size() > 1 && options.base_path.back() == '/') options.base_path.pop_back();
  return std::unique_ptr<ScimService>(new ScimService(store, std::move(sources), std::move(*auth), std::move(options)));
}

bool ScimService::serves(std::string_view path) const {
  const std::string& base = options_.base_path;
  return path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/' || path[base.size()] == '?');
}

HttpResponse ScimService::handle_now(HttpRequest request) const {
  std::promise<HttpResponse> answer;
  auto future = answer.get_future();
  handle(std::move(request), [&answer](HttpResponse r) { answer.set_value(std::move(r)); });
  return future.get();
}

void ScimService::handle(HttpRequest&& request, Respond respond) const {
  auto target = parse_request_target(request.target);
  if (!target) return respond(error_response(target.error()));
  if (!serves(target->path)) return respond(error_response(404, "no such endpoint: " + target->path));
  const auto all = path_segments(target->path);
  const std::size_t base_depth = path_segments(options_.base_path).size();
  const std::vector<std::string_view> route(all.begin() + static_cast<std::ptrdiff_t>(base_depth), all.end());

  const std::string& authorization = request.header("Authorization");
  if (authorization.empty()) return respond(unauthorized("a bearer token is required"));
  const int source_index = auth_.authenticate(authorization);
  if (source_index < 0) return respond(unauthorized("the bearer token is not valid"));
  const ScimSource& source = sources_[static_cast<std::size_t>(source_index)];
  Caller caller{source.id, source.space,
                std::string(options_.https ? "https://" : "http://") + safe_host(request.header("Host")) +
                    options_.base_path};
  const RenderContext context{caller.base_url};
  const Verb verb = verb_of(request.method);
  auto param = [&](std::string_view name) -> std::string_view {
    const std::string* v = target->param(name);
    return v ? std::string_view(*v) : std::string_view{};
  };

  if (route.empty()) return respond(error_response(404, "no such endpoint: " + target->path));
  const std::string_view head = route[0];

  // Discovery (RFC 7644 section 4).
  if (head == "ServiceProviderConfig" && route.size() == 1) {
    if (verb != Verb::Get) return respond(not_allowed("GET"));
    const ServiceLimits limits{env_.limits.max_bulk_operations, env_.limits.max_bulk_payload_bytes,
                               env_.limits.list.max_count};
    return respond(json_response(200, service_provider_config_json(limits, context)));
  }
  if (head == "Schemas" || head == "ResourceTypes") {
    if (verb != Verb::Get) return respond(not_allowed("GET"));
    const bool schemas = head == "Schemas";
    if (route.size() == 1) return respond(json_response(200, schemas ? schemas_json(context) : resource_types_json(context)));
    if (route.size() == 2) {
      std::string one = schemas ? schema_json(route[1], context) : resource_type_json(route[1], context);
      if (one.empty()) return respond(error_response(404, std::string(head) + " has no '" + std::string(route[1]) + "'"));
      return respond(json_response(200, std::move(one)));
    }
    return respond(error_response(404, "no such endpoint: " + target->path));
  }

  // POST /.search at the root.
  if (head == ".search" && route.size() == 1) {
    if (verb != Verb::Post) return respond(not_allowed("POST"));
    auto body = parse_body(request);
    if (!body) return respond(error_response(body.error()));
    auto list = list_request_from_body(*body, env_.limits.list);
    if (!list) return respond(error_response(list.error()));
    return respond(list_resources(env_, caller, std::nullopt, *list));
  }

  if (head == "Bulk" && route.size() == 1) {
    if (verb != Verb::Post) return respond(not_allowed("POST"));
    if (request.body.size() > env_.limits.max_bulk_payload_bytes)
      return respond(error_response(413, "the bulk request is larger than maxPayloadSize"));
    auto body = parse_body(request);
    if (!body) return respond(error_response(body.error()));
    return run_bulk(env_, std::move(caller), std::move(*body), request.body.size(), std::move(respond));
  }

  const std::optional<ResourceType> type = resource_type(head);
  if (!type || route.size() > 2) return respond(error_response(404, "no such endpoint: " + target->path));

  // Write options shared by POST, PUT, PATCH and DELETE.
  auto write_options = [&]() -> Result<WriteOptions> {
    WriteOptions options;
    options.if_match = request.header("If-Match");
    if (!param("attributes").empty() || !param("excludedAttributes").empty()) {
      auto p = parse_projection(*type, param("attributes"), param("excludedAttributes"));
      if (!p) return tl::unexpected(p.error());
      options.projection = std::move(*p);
    }
    return options;
  };
  auto submit = [&](IdentityStore::WriteJob job, std::shared_ptr<WriteResult> out) {
    env_.store.write_async(
        std::move(job),
        [out, respond = std::move(respond)](Result<void> r) {
          respond(r ? to_response(*out) : error_response(r.error()));
        },
        IdentityStore::Rerun::Allowed);  // resource_writes.h's jobs are
  };

  if (route.size() == 1) {
    switch (verb) {
      case Verb::Get: {
        auto list = list_request_from_query(*target, env_.limits.list);
        if (!list) return respond(error_response(list.error()));
        return respond(list_resources(env_, caller, type, *list));
      }
      case Verb::Post: {
        auto body = parse_body(request);
        if (!body) return respond(error_response(body.error()));
        if (!body->is_object()) return respond(error_response(400, "the body must be a JSON object", "invalidSyntax"));
        auto options = write_options();
        if (!options) return respond(error_response(options.error()));
        auto decoded = decode_resource(*type, body->as_object());
        if (!decoded) return respond(error_response(decoded.error()));
        auto out = std::make_shared<WriteResult>();
        return submit(create_job(env_, std::move(caller), *type, std::move(*decoded), std::move(*options), out), out);
      }
      default:
        return respond(not_allowed("GET, POST"));
    }
  }

  const std::string id(route[1]);
  if (id == ".search") {
    if (verb != Verb::Post) return respond(not_allowed("POST"));
    auto body = parse_body(request);
    if (!body) return respond(error_response(body.error()));
    auto list = list_request_from_body(*body, env_.limits.list);
    if (!list) return respond(error_response(list.error()));
    return respond(list_resources(env_, caller, type, *list));
  }
  switch (verb) {
    case Verb::Get:
      return respond(get_resource(env_, caller, *type, id, param("attributes"), param("excludedAttributes"),
                                  request.header("If-None-Match")));
    case Verb::Put: {
      auto body = parse_body(request);
      if (!body) return respond(error_response(body.error()));
      if (!body->is_object()) return respond(error_response(400, "the body must be a JSON object", "invalidSyntax"));
      auto options = write_options();
      if (!options) return respond(error_response(options.error()));
      auto decoded = decode_resource(*type, body->as_object());
      if (!decoded) return respond(error_response(decoded.error()));
      auto out = std::make_shared<WriteResult>();
      return submit(replace_job(env_, std::move(caller), *type, id, std::move(*decoded), std::move(*options), out), out);
    }
    case Verb::Patch: {
      auto body = parse_body(request);
      if (!body) return respond(error_response(body.error()));
      auto ops = parse_patch_request(*body);
      if (!ops) return respond(error_response(ops.error()));
      auto options = write_options();
      if (!options) return respond(error_response(options.error()));
      auto out = std::make_shared<WriteResult>();
      return submit(patch_job(env_, std::move(caller), *type, id, std::move(*ops), std::move(*options), out), out);
    }
    case Verb::Delete: {
      auto options = write_options();
      if (!options) return respond(error_response(options.error()));
      auto out = std::make_shared<WriteResult>();
      return submit(delete_job(env_, std::move(caller), *type, id, std::move(*options), out), out);
    }
    default:
      return respond(not_allowed("GET, PUT, PATCH, DELETE"));
  }
}

}  // namespace rosterd::scim
