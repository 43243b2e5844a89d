#include "scim/resource_writes.h"

#include <algorithm>
#include <utility>

#include <boost/json/parse.hpp>

#include "core/try.h"
#include "scim/resource_codec.h"
#include "scim/resource_reads.h"
#include "scim/scim_response.h"

namespace rosterd::scim {
namespace {

std::string type_label(ResourceType type) { return type == ResourceType::User ? "User" : "Group"; }

std::string location_of(const Caller& caller, ResourceType type, std::string_view id) {
  return caller.base_url + "/" + std::string(endpoint_name(type)) + "/" + std::string(id);
}

Result<ResourceRecord> find_existing(IdentityWriter& w, const Caller& caller, ResourceType type,
                                     std::string_view id, std::string_view if_match) {
  ROSTERD_ASSIGN(std::optional<ResourceRecord> current, w.find(type, caller.source, id));
  if (!current) return fail(ErrorCode::NotFound, type_label(type) + " '" + std::string(id) + "' not found");
  if (!if_match.empty() && !etag_matches(if_match, current->version))
    return fail(ErrorCode::PreconditionFailed,
                "If-Match does not match: the " + type_label(type) + " is at version W/\"" +
                    std::to_string(current->version) + "\"");
  return std::move(*current);
}

// Members must be Users or Groups of the same source (never another tenant's); a group
// may not contain itself. Their stored type is the one that counts. Returns how many were
// not members yet; an unknown id fails the job (whose savepoint takes the additions back).
Result<std::size_t> add_checked_members(IdentityWriter& w, const Caller& caller, std::string_view group_id,
                                        const std::vector<MemberRef>& given) {
  std::vector<std::string> ids;
  ids.reserve(given.size());
  for (const MemberRef& m : given) {
    if (m.id == group_id) return fail(ErrorCode::InvalidValue, "a group cannot be a member of itself");
    ids.push_back(m.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ROSTERD_ASSIGN(const IdentityWriter::AddedMembers added, w.add_existing_members(caller.source, group_id, ids));
  if (added.found.size() != ids.size()) {
    for (const std::string& id : ids) {
      const bool known =
          std::any_of(added.found.begin(), added.found.end(), [&](const MemberRef& f) { return f.id == id; });
      if (!known) return fail(ErrorCode::InvalidValue, "members: no User or Group has the id '" + id + "'");
    }
  }
  return added.added;
}

Result<void> record_event(IdentityWriter& w, const Caller& caller, const ResourceRecord& r,
                          std::string_view what, Timestamp at,
                          std::vector<std::pair<std::string, std::string>> details = {}) {
  IdentityEvent event;
  event.space = caller.space;
  event.source = caller.source;
  event.actor = caller.actor();
  event.event = std::string(r.type == ResourceType::User ? "identity." : "group.") + std::string(what);
  event.resource_id = r.id;
  event.label = r.type == ResourceType::User ? r.user_name : r.display_name;
  if (r.external_id) details.emplace_back("externalId", *r.external_id);
  if (r.type == ResourceType::User) details.emplace_back("active", r.active ? "true" : "false");
  event.details = std::move(details);
  return w.record(event, at);
}

// The rendered resource, read back inside the transaction (memberships included).
Result<std::string> render_written(IdentityWriter& w, const Caller& caller, const ResourceRecord& r,
                                   const std::optional<Projection>& projection) {
  const RenderContext context{caller.base_url};
  const Projection* p = projection ? &*projection : nullptr;
  if (r.type == ResourceType::User) {
    const std::vector<std::string> ids{r.id};
    ROSTERD_ASSIGN(std::vector<RelatedToUser> related, w.related_users(caller.source, ids));
    return render_user(r, related.at(0), context, p);
  }
  if (p && !includes(*p, "members")) return render_group(r, nullptr, context, p);
  ROSTERD_ASSIGN(std::vector<MemberRef> members, w.members(caller.source, r.id));
  return render_group(r, &members, context, p);
}

Result<DecodedResource> decode(ResourceType type, const boost::json::object& body) {
  return decode_resource(type, body);
}

}  // namespace

HttpResponse to_response(const WriteResult& result) {
  HttpResponse response = result.body.empty() ? empty_response(result.status == 200 ? 204 : result.status)
                                              : json_response(result.status, result.body);
  if (result.version > 0) response.headers.emplace_back("ETag", etag(result.version));
  if (result.status == 201) response.headers.emplace_back("Location", result.location);
  return response;
}

IdentityStore::WriteJob create_job(const ScimEnv& env, Caller caller, ResourceType type,
                                   DecodedResource decoded, WriteOptions options,
                                   std::shared_ptr<WriteResult> out) {
  return [&env, caller = std::move(caller), type, decoded = std::move(decoded), options = std::move(options),
          out](IdentityWriter& w) -> Result<void> {
    ResourceRecord record = decoded.record;
    record.type = type;
    record.source = caller.source;
    record.id = env.new_id();
    record.version = 1;
    record.created = record.updated = env.clock();
    ROSTERD_TRY(w.insert(record));
    std::vector<std::pair<std::string, std::string>> details;
    if (type == ResourceType::Group && decoded.members && !decoded.members->empty()) {
      ROSTERD_ASSIGN(std::size_t added, add_checked_members(w, caller, record.id, *decoded.members));
      details.emplace_back("members_added", std::to_string(added));
    }
    ROSTERD_TRY(record_event(w, caller, record, "created", record.created, std::move(details)));
    out->status = 201;
    out->id = record.id;
    out->location = location_of(caller, type, record.id);
    out->version = record.version;
    if (type == ResourceType::User) {
      // A user created this instant is in no group and has no account yet: nothing to read.
      const Projection* p = options.projection ? &*options.projection : nullptr;
      out->body = render_user(record, RelatedToUser{}, RenderContext{caller.base_url}, p);
      return {};
    }
    ROSTERD_ASSIGN(out->body, render_written(w, caller, record, options.projection));
    return {};
  };
}

IdentityStore::WriteJob replace_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                    DecodedResource decoded, WriteOptions options,
                                    std::shared_ptr<WriteResult> out) {
  return [&env, caller = std::move(caller), type, id = std::move(id), decoded = std::move(decoded),
          options = std::move(options), out](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(ResourceRecord current, find_existing(w, caller, type, id, options.if_match));
    ResourceRecord record = decoded.record;
    record.type = type;
    record.source = caller.source;
    record.id = current.id;
    record.created = current.created;
    record.version = current.version + 1;
    record.updated = env.clock();
    ROSTERD_TRY(w.update_read(current, record));
    std::vector<std::pair<std::string, std::string>> details;
    if (type == ResourceType::Group) {
      // PUT replaces the whole resource: members absent means none (RFC 7644 section 3.5.1).
      ROSTERD_ASSIGN(std::size_t removed, w.clear_members(caller.source, record.id));
      std::size_t added = 0;
      if (decoded.members && !decoded.members->empty()) {
        ROSTERD_ASSIGN(added, add_checked_members(w, caller, record.id, *decoded.members));
      }
      details.emplace_back("members", std::to_string(removed) + " removed, " + std::to_string(added) + " added");
    }
    ROSTERD_TRY(record_event(w, caller, record, "updated", record.updated, std::move(details)));
    out->status = 200;
    out->id = record.id;
    out->location = location_of(caller, type, record.id);
    out->version = record.version;
    ROSTERD_ASSIGN(out->body, render_written(w, caller, record, options.projection));
    return {};
  };
}

IdentityStore::WriteJob patch_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                  std::vector<PatchOperation> operations, WriteOptions options,
                                  std::shared_ptr<WriteResult> out) {
  auto ops = std::make_shared<const std::vector<PatchOperation>>(std::move(operations));
  return [&env, caller = std::move(caller), type, id = std::move(id), ops, options = std::move(options),
          out](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(ResourceRecord current, find_existing(w, caller, type, id, options.if_match));
    boost::system::error_code ec;
    boost::json::value stored = boost::json::parse(current.attributes, ec);
    if (ec || !stored.is_object())
      return fail(ErrorCode::Storage, type_label(type) + " '" + id + "' has unreadable stored attributes");
    PatchTarget target;
    target.type = type;
    target.resource = std::move(stored.as_object());
    target.load_members = [&w, &caller, &id]() { return w.members(caller.source, id); };
    ROSTERD_TRY(apply_patch(*ops, target));
    ROSTERD_ASSIGN(DecodedResource decoded, decode(type, target.resource));
    ResourceRecord record = decoded.record;
    record.type = type;
    record.source = caller.source;
    record.id = current.id;
    record.created = current.created;
    record.version = current.version + 1;
    record.updated = env.clock();
    ROSTERD_TRY(w.update_read(current, record));
    std::size_t added = 0, removed = 0;
    for (const MemberStep& step : target.member_steps) {
      switch (step.kind) {
        case MemberStep::Kind::Clear: {
          ROSTERD_ASSIGN(std::size_t n, w.clear_members(caller.source, record.id));
          removed += n;
          break;
        }
        case MemberStep::Kind::Add: {
          ROSTERD_ASSIGN(std::size_t n, add_checked_members(w, caller, record.id, step.members));
          added += n;
          break;
        }
        case MemberStep::Kind::Remove: {
          std::vector<std::string> ids;
          ids.reserve(step.members.size());
          for (const MemberRef& m : step.members) ids.push_back(m.id);
          ROSTERD_ASSIGN(std::size_t n, w.remove_members(caller.source, record.id, ids));
          removed += n;
          break;
        }
      }
    }
    std::vector<std::pair<std::string, std::string>> details;
    if (!target.member_steps.empty())
      details.emplace_back("members", std::to_string(removed) + " removed, " + std::to_string(added) + " added");
    ROSTERD_TRY(record_event(w, caller, record, "updated", record.updated, std::move(details)));
    out->id = record.id;
    out->location = location_of(caller, type, record.id);
    out->version = record.version;
    // A group may have 50,000 members: answer 204 unless the request asked for attributes.
    if (type == ResourceType::Group && !options.projection) {
      out->status = 204;
      return {};
    }
    out->status = 200;
    ROSTERD_ASSIGN(out->body, render_written(w, caller, record, options.projection));
    return {};
  };
}

IdentityStore::WriteJob delete_job(const ScimEnv& env, Caller caller, ResourceType type, std::string id,
                                   WriteOptions options, std::shared_ptr<WriteResult> out) {
  return [&env, caller = std::move(caller), type, id = std::move(id), options = std::move(options),
          out](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(ResourceRecord current, find_existing(w, caller, type, id, options.if_match));
    ROSTERD_ASSIGN(bool removed, w.remove(type, caller.source, id));
    if (!removed) return fail(ErrorCode::NotFound, type_label(type) + " '" + id + "' not found");
    ROSTERD_TRY(record_event(w, caller, current, "deleted", env.clock()));
    out->status = 204;
    out->id = id;
    return {};
  };
}

}  // namespace rosterd::scim
