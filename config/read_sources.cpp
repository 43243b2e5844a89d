// sources: where people come from (SCIM pushes from an identity provider, LDAP pulls).
#include <algorithm>
#include <array>

#include "config/closest_name.h"
#include "config/config_sections.h"
#include "config/value_checks.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array kCommonKeys{"id"sv, "kind"sv, "space"sv};
constexpr std::array kKinds{"scim"sv, "ldap"sv};
constexpr std::array kScimKeys{"tokens"sv};

std::span<const std::string_view> keys_of_kind(std::string_view kind) {
  if (kind == "scim") return kScimKeys;
  return ldap_source_keys();
}

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Keys are checked against the source's kind; a key of the other kind gets a message saying
// so rather than a spelling suggestion. Without a valid kind every key of any kind is allowed.
void check_source_keys(const MapView& source, const std::string& kind, Problems& problems) {
  std::vector<std::string_view> allowed(kCommonKeys.begin(), kCommonKeys.end());
  for (const auto k : kKinds)
    if (kind.empty() || kind == k) {
      const auto more = keys_of_kind(k);
      allowed.insert(allowed.end(), more.begin(), more.end());
    }
  for (const auto& e : source.entries()) {
    if (contains(allowed, e.key)) continue;
    const auto other = std::find_if(kKinds.begin(), kKinds.end(), [&](std::string_view k) {
      return k != kind && contains(keys_of_kind(k), e.key);
    });
    if (!kind.empty() && other != kKinds.end())
      problems.add(e.value.key_at, e.value.path,
                   "'" + e.key + "' does not apply to a source of kind '" + kind +
                       "' (it is a setting of kind '" + std::string(*other) + "')");
    else
      report_unknown_key(e, allowed, problems);
  }
}

void read_tokens(const MapView& source, SourceConfig& out, Problems& problems) {
  const auto tokens = source.require("tokens", problems);
  if (!tokens) return;
  const auto items = list_items(*tokens, problems);
  if (tokens->node.IsSequence() && items.empty())
    problems.add(tokens->at, tokens->path, "expected at least one token digest");
  for (const Field& item : items) {
    const auto token = read_string(item, problems);
    if (!token) continue;
    // The value is never repeated in the message: it may be a token pasted by mistake.
    if (!is_token_hash(*token))
      problems.add(item.at, item.path,
                   "expected 'sha256:' and 64 lower-case hex digits, the SHA-256 digest of the "
                   "token (never the token itself)");
    else
      out.tokens.push_back(*token);
  }
}

void read_source_id(const MapView& source, SourceConfig& out, ReadContext& ctx) {
  const auto id = source.require("id", ctx.problems);
  if (!id) return;
  out.id = read_string(*id, ctx.problems).value_or("");
  if (out.id.empty()) return;
  if (!is_identifier(out.id))
    ctx.problems.add(id->at, id->path,
                     "source id '" + out.id + "' " + std::string(kIdentifierRule));
  for (const auto& other : ctx.config.sources)
    if (other.id == out.id)
      ctx.problems.add(id->at, id->path,
                       "source id '" + out.id + "' is already used at line " +
                           std::to_string(other.location.line));
}

void read_source(const Field& field, ReadContext& ctx) {
  Problems& problems = ctx.problems;
  SourceConfig out;
  out.location = problems.location(field.at);
  const MapView source(field, problems);
  if (!source.is_map()) return;
  read_source_id(source, out, ctx);
  if (const auto kind = source.require("kind", problems))
    out.kind = read_choice(*kind, kKinds, problems).value_or("");
  if (const auto space = source.require("space", problems)) {
    out.space = read_string(*space, problems).value_or("");
    if (!out.space.empty()) check_space_reference(*space, out.space, ctx);
  }
  check_source_keys(source, out.kind, problems);
  if (out.kind == "scim") read_tokens(source, out, problems);
  if (out.kind == "ldap") read_ldap_settings(source, out, problems);
  ctx.config.sources.push_back(std::move(out));
}

}  // namespace

void read_sources(const Field& field, ReadContext& ctx) {
  for (const Field& item : list_items(field, ctx.problems)) read_source(item, ctx);
}

bool check_source_reference(const Field& field, const std::string& source_id,
                            const std::string& space_id, const ReadContext& ctx) {
  const bool space_known = ctx.config.find_space(space_id) != nullptr;
  const SourceConfig* found = nullptr;
  std::vector<std::string> candidates;  // only sources the reference could name
  for (const auto& source : ctx.config.sources) {
    if (source.id == source_id) found = &source;
    if (!space_known || source.space == space_id) candidates.push_back(source.id);
  }
  if (found && space_known && found->space != space_id) {
    ctx.problems.add(field.at, field.path,
                     "source '" + source_id + "' feeds space '" + found->space + "', not '" +
                         space_id + "'" + did_you_mean(source_id, candidates));
    return false;
  }
  if (found) return true;
  std::string what = "source '" + source_id + "' is not defined under 'sources'";
  const std::string hint = did_you_mean(source_id, candidates);
  if (!hint.empty())
    what += hint;
  else if (space_known)
    what += candidates.empty()
                ? " (space '" + space_id + "' has no sources)"
                : " (sources of space '" + space_id + "': " + join_names(candidates) + ")";
  ctx.problems.add(field.at, field.path, std::move(what));
  return false;
}

}  // namespace rosterd::config_detail
