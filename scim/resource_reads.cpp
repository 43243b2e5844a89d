#include "scim/resource_reads.h"

#include <cstddef>
#include <optional>
#include <string>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/resource_schema.h"
#include "core/try.h"
#include "scim/ascii_case.h"
#include "scim/projection.h"
#include "scim/resource_codec.h"
#include "scim/scim_response.h"

namespace rosterd::scim {
namespace {

constexpr std::string_view kListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

std::string type_label(ResourceType type) { return type == ResourceType::User ? "User" : "Group"; }

// The canonical name of a sortBy attribute for this type; empty for none.
Result<std::string> canonical_sort_by(ResourceType type, std::string_view written) {
  if (written.empty()) return std::string();
  auto path = parse_patch_path(written);
  if (!path || path->value_filter)
    return fail(ErrorCode::InvalidValue, "sortBy must name an attribute, not '" + std::string(written) + "'");
  const ResourceSchema& schema = type == ResourceType::User ? ResourceSchema::user() : ResourceSchema::group();
  const AttributeSpec* spec = schema.find(path->attribute);
  if (!spec) return fail(ErrorCode::InvalidValue, "cannot sort by '" + std::string(written) + "': no such attribute");
  return spec->name;
}

// A copy of `p` for one resource type of a root search. RFC 7644 section 3.4.2.2: an
// attribute the type does not define has no value there, so a comparison on it is false
// (and its negation true) rather than an error — `userName sw "a" or displayName sw "a"`
// must still find Groups. Only attributes `other` (the root's other type) defines are
// replaced: one that no type defines stays, and fails as invalidFilter. `schema` null: a
// plain copy (inside a value filter).
PredicatePtr within_schema(const Predicate& p, const ResourceSchema* schema, const ResourceSchema& other) {
  auto make = [](auto node) { return std::make_unique<Predicate>(Predicate{std::move(node)}); };
  auto never = [&make] {  // not (id pr): every resource has an id
    Comparison has_id;
    has_id.path.attribute = "id";
    has_id.op = CompareOp::Pr;
    return make(Not{make(std::move(has_id))});
  };
  auto undefined_here = [&](const AttributePath& path) {
    return schema && !schema->find(path) && other.find(path);
  };
  return std::visit(
      [&](const auto& n) -> PredicatePtr {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, Comparison>) {
          return undefined_here(n.path) ? never() : make(n);
        } else if constexpr (std::is_same_v<T, ValuePathFilter>) {
          if (undefined_here(n.path)) return never();
          return make(ValuePathFilter{n.path, within_schema(*n.filter, nullptr, other)});
        } else if constexpr (std::is_same_v<T, Not>) {
          return make(Not{within_schema(*n.inner, schema, other)});
        } else {
          return make(T{within_schema(*n.left, schema, other), within_schema(*n.right, schema, other)});
        }
      },
      p.node);
}

Result<std::optional<Projection>> projection_for(ResourceType type, std::string_view attributes,
                                                 std::string_view excluded) {
  if (attributes.empty() && excluded.empty()) return std::optional<Projection>();
  ROSTERD_ASSIGN(Projection p, parse_projection(type, attributes, excluded));
  return std::optional<Projection>(std::move(p));
}

// Renders `records` (all of one type) onto `out`, comma-separated. `read_with`: Users'
// related_users(), if the store read it with them (ResourcePage::related); empty: asked.
Result<void> render_all(IdentityReader& reader, const Caller& caller, ResourceType type,
                        std::span<const ResourceRecord> records, const Projection* projection,
                        std::string& out, std::vector<RelatedToUser> read_with = {}) {
  if (records.empty()) return {};
  const RenderContext context{caller.base_url};
  if (type == ResourceType::User) {
    std::vector<RelatedToUser> related = std::move(read_with);
    if (related.size() != records.size()) {
      std::vector<std::string> ids;
      ids.reserve(records.size());
      for (const auto& r : records) ids.push_back(r.id);
      ROSTERD_ASSIGN(related, reader.related_users(caller.source, ids));
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!out.empty()) out += ',';
      out += render_user(records[i], related.at(i), context, projection);
    }
    return {};
  }
  const bool with_members = !projection || includes(*projection, "members");
  for (const auto& r : records) {
    if (!out.empty()) out += ',';
    if (with_members) {
      ROSTERD_ASSIGN(std::vector<MemberRef> members, reader.members(caller.source, r.id));
      out += render_group(r, &members, context, projection);
    } else {
      out += render_group(r, nullptr, context, projection);
    }
  }
  return {};
}

std::string list_body(std::size_t total, std::size_t start_index, std::size_t returned,
                      std::string_view resources) {
  std::string body = R"({"schemas":[")" + std::string(kListResponse) + R"("],"totalResults":)" +
                     std::to_string(total) + R"(,"startIndex":)" + std::to_string(start_index) +
                     R"(,"itemsPerPage":)" + std::to_string(returned) + R"(,"Resources":[)";
  body += resources;
  body += "]}";
  return body;
}

// The userName a `userName eq "..."` filter on /Users looks for: the look-up Okta and
// Entra ID make before every create, answered as GET /Users/{id} is
// (IdentityStore::find_user_by_name) rather than as a search. nullopt: any other list.
std::optional<std::string_view> user_name_sought(std::optional<ResourceType> type, const ListRequest& request) {
  if (type != ResourceType::User || !request.filter || !request.sort_by.empty()) return std::nullopt;
  const auto* c = std::get_if<Comparison>(&request.filter->node);
  if (!c || c->op != CompareOp::Eq || c->value.kind != Literal::Kind::String) return std::nullopt;
  const AttributeSpec* spec = ResourceSchema::user().find(c->path);
  if (!spec || spec->name != "userName") return std::nullopt;
  return std::string_view(c->value.text);
}

HttpResponse list_by_user_name(const ScimEnv& env, const Caller& caller, const ListRequest& request,
                               std::string_view user_name) {
  auto projection = projection_for(ResourceType::User, request.attributes, request.excluded_attributes);
  if (!projection) return error_response(projection.error());
  auto user = env.store.find_user_by_name(caller.source, user_name);
  if (!user) return error_response(user.error());
  std::string resources;
  std::size_t returned = 0;
  if (*user && request.start_index <= 1 && request.count > 0) {
    const UserWithRelated& u = **user;
    resources = render_user(u.record, u.related, RenderContext{caller.base_url},
                            *projection ? &**projection : nullptr);
    returned = 1;
  }
  return json_response(200, list_body(*user ? 1 : 0, request.start_index, returned, resources));
}

}  // namespace

std::string_view endpoint_name(ResourceType type) { return type == ResourceType::User ? "Users" : "Groups"; }

bool etag_matches(std::string_view header, std::int64_t version) {
  const std::string wanted = std::to_string(version);
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.size() >= 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    if (tag == wanted) return true;
  }
  return false;
}

HttpResponse get_resource(const ScimEnv& env, const Caller& caller, ResourceType type,
                          std::string_view id, std::string_view attributes,
                          std::string_view excluded_attributes, std::string_view if_none_match) {
  auto projection = projection_for(type, attributes, excluded_attributes);
  if (!projection) return error_response(projection.error());
  const Projection* p = *projection ? &**projection : nullptr;
  const auto not_found = [&] {
    return fail(ErrorCode::NotFound, type_label(type) + " '" + std::string(id) + "' not found");
  };
  HttpResponse response;
  if (type == ResourceType::User) {  // the user with its groups and account, read at once
    auto user = env.store.find_user(caller.source, id);
    if (user && !*user) user = not_found();
    if (!user) return error_response(user.error());
    const UserWithRelated& u = **user;
    if (!if_none_match.empty() && etag_matches(if_none_match, u.record.version))
      response = empty_response(304);
    else
      response = json_response(200, render_user(u.record, u.related, RenderContext{caller.base_url}, p));
    response.headers.emplace_back("ETag", etag(u.record.version));
    return response;
  }
  auto done = env.store.read([&](IdentityReader& reader) -> Result<void> {
    ROSTERD_ASSIGN(std::optional<ResourceRecord> record, reader.find(type, caller.source, id));
    if (!record) return not_found();
    if (!if_none_match.empty() && etag_matches(if_none_match, record->version)) {
      response = empty_response(304);
    } else {
      std::string body;
      ROSTERD_TRY(render_all(reader, caller, type, std::span<const ResourceRecord>(&*record, 1), p, body));
      response = json_response(200, std::move(body));
    }
    response.headers.emplace_back("ETag", etag(record->version));
    return {};
  });
  if (!done) return error_response(done.error());
  return response;
}

HttpResponse list_resources(const ScimEnv& env, const Caller& caller, std::optional<ResourceType> type,
                            const ListRequest& request) {
  if (const auto user_name = user_name_sought(type, request)) return list_by_user_name(env, caller, request, *user_name);
  std::vector<ResourceType> types;
  if (type) types.push_back(*type);
  else types = {ResourceType::User, ResourceType::Group};

  std::size_t total = 0;
  std::size_t returned = 0;
  std::string resources;
  auto done = env.store.read([&](IdentityReader& reader) -> Result<void> {
    // Pages run over the concatenation of the types' results (Users first at the root).
    std::size_t skip = request.start_index - 1;
    std::size_t room = request.count;
    std::optional<Error> only_error;
    std::size_t answered = 0;
    for (const ResourceType t : types) {
      ROSTERD_ASSIGN(std::optional<Projection> projection,
                     projection_for(t, request.attributes, request.excluded_attributes));
      auto sort_by = canonical_sort_by(t, request.sort_by);
      if (!sort_by && !type) sort_by = std::string();  // at the root, a type without it sorts by default
      if (!sort_by) return tl::unexpected(sort_by.error());
      ResourceQuery query;
      query.type = t;
      query.source = caller.source;
      PredicatePtr for_type;  // at the root, the filter as this type reads it
      if (!type && request.filter) {
        const bool user = t == ResourceType::User;
        for_type = within_schema(*request.filter, user ? &ResourceSchema::user() : &ResourceSchema::group(),
                                 user ? ResourceSchema::group() : ResourceSchema::user());
      }
      query.filter = for_type ? for_type.get() : request.filter.get();
      query.sort_by = *sort_by;
      query.descending = request.descending;
      query.start_index = skip + 1;
      query.count = room;
      auto page = reader.search(query);
      if (!page) {
        // At the root, a filter naming an attribute only Users have finds no Groups.
        if (!type && page.error().code == ErrorCode::InvalidFilter) {
          only_error = page.error();
          continue;
        }
        return tl::unexpected(page.error());
      }
      ++answered;
      total += page->total;
      skip = skip > page->total ? skip - page->total : 0;
      room -= std::min(room, page->resources.size());
      returned += page->resources.size();
      ROSTERD_TRY(render_all(reader, caller, t, page->resources, projection ? &*projection : nullptr, resources,
                             std::move(page->related)));
    }
    if (answered == 0 && only_error) return tl::unexpected(*only_error);
    return {};
  });
  if (!done) return error_response(done.error());
  return json_response(200, list_body(total, request.start_index, returned, resources));
}

}  // namespace rosterd::scim
