// render_user() / render_group(). Without a projection the stored canonical text is
// spliced: `{"schemas":[stored URNs(,rosterd URN)],"id":...,stored attributes...,
// groups/members, rosterd extension, meta}`. With a projection (or for text not of the
// canonical shape) the same resource is built as a JSON tree, projected and serialized.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/resource_schema.h"
#include "core/timestamp.h"
#include "core/json_text.h"
#include "scim/projection.h"
#include "scim/resource_codec.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr std::string_view kSchemasPrefix = R"({"schemas":[)";

// The canonical text cut around the end of its `schemas` array.
struct Spliced {
  std::string_view schemas;  // between '[' and ']'
  std::string_view members;  // after "]" up to the final '}': empty or ",..."
};

std::optional<Spliced> splice(std::string_view text) {
  if (!text.starts_with(kSchemasPrefix) || !text.ends_with('}')) return std::nullopt;
  const auto close = text.find(']', kSchemasPrefix.size());
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view schemas = text.substr(kSchemasPrefix.size(), close - kSchemasPrefix.size());
  // Schema URNs only: no character that could hide a ']' inside a string.
  for (const char c : schemas) {
    const bool urn_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == ':' || c == '.' || c == '-' || c == '_' || c == '"' || c == ',';
    if (!urn_char) return std::nullopt;
  }
  const std::string_view rest = text.substr(close + 1, text.size() - close - 2);
  if (!rest.empty() && rest.front() != ',') return std::nullopt;
  return Spliced{schemas, rest};
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  append_json_string(out, name);
  out.push_back(':');
  append_json_string(out, value);
}

std::string location(const RenderContext& context, ResourceType type, std::string_view id) {
  return context.base_url + (type == ResourceType::User ? "/Users/" : "/Groups/") + std::string(id);
}

void append_meta(std::string& out, const ResourceRecord& record, const RenderContext& context) {
  out += R"(,"meta":{"resourceType":)";
  out += record.type == ResourceType::User ? R"("User")" : R"("Group")";
  out += R"(,"created":")" + format_timestamp(record.created) + R"(","lastModified":")" +
         format_timestamp(record.updated) + "\",";
  append_field(out, "location", location(context, record.type, record.id));
  out.push_back(',');
  append_field(out, "version", etag(record.version));
  out.push_back('}');
}

// groups (of a user) or members (of a group).
void append_refs(std::string& out, std::string_view name, const std::vector<MemberRef>& refs,
                 const RenderContext& context, bool direct) {
  out += ",\"";
  out += name;
  out += "\":[";
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (i != 0) out.push_back(',');
    out += '{';
    append_field(out, "value", refs[i].id);
    out.push_back(',');
    append_field(out, "$ref", location(context, refs[i].type, refs[i].id));
    if (!refs[i].display.empty()) {
      out.push_back(',');
      append_field(out, "display", refs[i].display);
    }
    out += direct ? R"(,"type":"direct"})"
                  : (refs[i].type == ResourceType::User ? R"(,"type":"User"})" : R"(,"type":"Group"})");
  }
  out.push_back(']');
}

void append_account(std::string& out, const Account& account) {
  out += ",\"";
  out += kRosterdUserUrn;
  out += "\":{";
  for (const auto& [name, value] : {std::pair<std::string_view, std::string_view>{"role", account.role},
                                    {"licence", account.licence}, {"team", account.team}}) {
    if (value.empty()) continue;
    append_field(out, name, value);
    out.push_back(',');
  }
  append_field(out, "state", to_string(account.state));
  out.push_back('}');
}

// ---- The JSON-tree path ----------------------------------------------------------------

json::object parsed_attributes(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.get_object());
}

json::object tree(const ResourceRecord& record, const std::vector<MemberRef>* refs, bool direct,
                  const std::optional<Account>& account, const RenderContext& context) {
  json::object stored = parsed_attributes(record.attributes);
  json::object out;
  json::value& schemas = out["schemas"];
  if (json::value* listed = stored.if_contains("schemas"); listed != nullptr && listed->is_array())
    schemas = std::move(*listed);
  else
    schemas = json::array{json::value(record.type == ResourceType::User ? kUserSchemaUrn : kGroupSchemaUrn)};
  if (account) schemas.get_array().push_back(json::value(kRosterdUserUrn));
  out["id"] = record.id;
  for (auto& member : stored)
    if (member.key() != "schemas") out[member.key()] = std::move(member.value());
  // The pieces written by the splicing path, parsed back: one definition of their shape.
  std::string tail;
  if (refs != nullptr && !refs->empty())
    append_refs(tail, record.type == ResourceType::User ? "groups" : "members", *refs, context, direct);
  if (account) append_account(tail, *account);
  append_meta(tail, record, context);
  tail.front() = '{';
  tail.push_back('}');
  json::value pieces = json::parse(tail);
  for (auto& member : pieces.get_object()) out[member.key()] = std::move(member.value());
  return out;
}

std::string render(const ResourceRecord& record, const std::vector<MemberRef>* refs, bool direct,
                   const std::optional<Account>& account, const RenderContext& context,
                   const Projection* projection) {
  const std::optional<Spliced> parts = projection == nullptr ? splice(record.attributes) : std::nullopt;
  if (!parts) {
    json::object resource = tree(record, refs, direct, account, context);
    if (projection != nullptr) project(resource, record.type, *projection);
    return json::serialize(resource);
  }
  std::string out;
  out.reserve(record.attributes.size() + 400 + (refs != nullptr ? refs->size() * 160 : 0));
  out += kSchemasPrefix;
  out += parts->schemas;
  if (account) {
    if (!parts->schemas.empty()) out.push_back(',');
    append_json_string(out, kRosterdUserUrn);
  }
  out += "],";
  append_field(out, "id", record.id);
  out += parts->members;
  if (refs != nullptr && !refs->empty())
    append_refs(out, record.type == ResourceType::User ? "groups" : "members", *refs, context, direct);
  if (account) append_account(out, *account);
  append_meta(out, record, context);
  out.push_back('}');
  return out;
}

}  // namespace

std::string etag(std::int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::string render_user(const ResourceRecord& record, const RelatedToUser& related,
                        const RenderContext& context, const Projection* projection) {
  return render(record, &related.groups, true, related.account, context, projection);
}

std::string render_group(const ResourceRecord& record, const std::vector<MemberRef>* members,
                         const RenderContext& context, const Projection* projection) {
  return render(record, members, false, std::nullopt, context, projection);
}

}  // namespace rosterd::scim
