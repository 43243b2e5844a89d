// spaces: the customer spaces rosterd provisions, with their licence pools and policies,
// and how people seen by several of a space's sources are correlated.
#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "config/closest_name.h"
#include "config/duration.h"
#include "config/config_sections.h"
#include "config/value_checks.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

constexpr IntRange kNotNegative{0};

void read_licences(const Field& field, Space& space, Problems& problems) {
  const MapView licences(field, problems);
  if (licences.is_map() && licences.entries().empty())
    problems.add(field.at, field.path,
                 "expected at least one licence type with its number of seats, "
                 "e.g. {recruiter: 25}");
  for (const auto& e : licences.entries()) {
    // A wrong number still defines the licence type, so that rules naming it are not
    // reported a second time.
    space.licences[e.key] = read_int(e.value, kNotNegative, problems).value_or(0);
  }
}

void read_on_leave(const Field& field, LeavePolicy& out, Problems& problems) {
  const MapView on_leave(field, problems);
  constexpr std::array kKeys{"action"sv, "delete_after_days"sv};
  on_leave.allow_only(kKeys, problems);
  constexpr std::array kActions{"deactivate"sv, "suspend"sv, "delete"sv};
  if (const auto action = on_leave.get("action"))
    out.action = read_choice(*action, kActions, problems).value_or(out.action);
  if (const auto days = on_leave.get("delete_after_days"))
    out.delete_after_days = static_cast<int>(read_int(*days, {0, 36600}, problems).value_or(0));
}

void read_max_destructive(const Field& field, DestructiveLimit& out, Problems& problems) {
  const MapView limit(field, problems);
  constexpr std::array kKeys{"count"sv, "percent"sv};
  limit.allow_only(kKeys, problems);
  if (const auto count = limit.get("count"))
    out.count = read_int(*count, kNotNegative, problems).value_or(out.count);
  if (const auto percent = limit.get("percent"))
    out.percent = static_cast<int>(read_int(*percent, {0, 100}, problems).value_or(out.percent));
}

// The host of an http(s) URL, without brackets around an IPv6 address.
std::string url_host(std::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  if (url.starts_with("[")) return std::string(url.substr(1, url.find(']') - 1));
  return std::string(url.substr(0, url.find(':')));
}

// localhost, ::1, or an IPv4 literal in 127.0.0.0/8 (not a name such as 127.0.0.1.example).
bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.") || host.find_first_not_of("0123456789.") != std::string::npos)
    return false;
  return std::count(host.begin(), host.end(), '.') == 3 && host.find("..") == std::string::npos &&
         !host.ends_with(".");
}

void check_webhook_url(const Field& field, const std::string& url, bool allow_http_loopback,
                       Problems& problems) {
  if (url.empty() || url.starts_with("https://")) return;
  if (!url.starts_with("http://")) {
    problems.add(field.at, field.path, "expected an http:// or https:// URL, got '" + url + "'");
  } else if (!allow_http_loopback) {
    problems.add(field.at, field.path,
                 "http:// is refused: events are sent over https:// (for a receiver on this "
                 "machine only, set allow_http_loopback: true), got '" + url + "'");
  } else if (!is_loopback_host(url_host(url))) {
    problems.add(field.at, field.path,
                 "allow_http_loopback allows http:// only to 127.0.0.1, ::1 or localhost, not '" +
                     url_host(url) + "'");
  }
}

// A duration as the other keys take it (30s, 5m...), or whole milliseconds ("500ms").
std::optional<std::chrono::milliseconds> read_webhook_duration(const Field& field, Problems& problems) {
  const auto text = read_string(field, problems);
  if (!text) return std::nullopt;
  const std::string_view digits = std::string_view(*text).substr(0, text->size() >= 2 ? text->size() - 2 : 0);
  if (text->ends_with("ms") && !digits.empty() && digits.size() < 10 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos && std::stol(std::string(digits)) > 0)
    return std::chrono::milliseconds(std::stol(std::string(digits)));
  if (const auto d = parse_duration(*text)) return std::chrono::milliseconds(*d);
  problems.add(field.at, field.path,
               "expected a duration such as 500ms, 30s, 5m or 1h, got '" + *text + "'");
  return std::nullopt;
}

void read_webhook_retry(const Field& field, WebhookConfig& out, Problems& problems) {
  const MapView retry(field, problems);
  constexpr std::array kKeys{"initial"sv, "max"sv, "attempts"sv};
  retry.allow_only(kKeys, problems);
  if (const auto f = retry.get("initial")) out.retry_initial = read_webhook_duration(*f, problems).value_or(out.retry_initial);
  if (const auto f = retry.get("max")) out.retry_max = read_webhook_duration(*f, problems).value_or(out.retry_max);
  if (const auto f = retry.get("attempts"))
    out.max_attempts = static_cast<int>(read_int(*f, {1, 1000}, problems).value_or(out.max_attempts));
}

std::optional<WebhookConfig> read_webhook(const Field& field, Problems& problems) {
  const MapView webhook(field, problems);
  constexpr std::array kKeys{"url"sv,     "secret_file"sv,     "allow_http_loopback"sv, "ca_file"sv,
                             "timeout"sv, "connect_timeout"sv, "retry"sv};
  webhook.allow_only(kKeys, problems);
  WebhookConfig out;
  if (const auto allow = webhook.get("allow_http_loopback"))
    out.allow_http_loopback = read_bool(*allow, problems).value_or(false);
  if (const auto url = webhook.require("url", problems)) {
    out.url = read_string(*url, problems).value_or("");
    check_webhook_url(*url, out.url, out.allow_http_loopback, problems);
  }
  if (const auto secret = webhook.get("secret_file"))
    out.secret_file = read_string(*secret, problems).value_or("");
  if (const auto ca = webhook.get("ca_file")) out.ca_file = read_string(*ca, problems).value_or("");
  if (const auto f = webhook.get("timeout")) out.timeout = read_webhook_duration(*f, problems).value_or(out.timeout);
  if (const auto f = webhook.get("connect_timeout"))
    out.connect_timeout = read_webhook_duration(*f, problems).value_or(out.connect_timeout);
  if (const auto retry = webhook.get("retry")) read_webhook_retry(*retry, out, problems);
  if (!webhook.is_map()) return std::nullopt;
  return out;
}

// invitations: {smtp: {...}}. Plain smtp:// must use STARTTLS unless the server is on a
// loopback host and allow_plain_loopback says so (the same host check as the webhook's).
void check_smtp_url(const Field& field, const SmtpConfig& smtp, Problems& problems) {
  const std::string& url = smtp.url;
  if (url.empty()) return;
  if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
    problems.add(field.at, field.path, "expected an smtp:// or smtps:// URL, got '" + url + "'");
    return;
  }
  if (url.starts_with("smtps://") || smtp.starttls) return;
  if (!smtp.allow_plain_loopback) {
    problems.add(field.at, field.path,
                 "smtp:// without STARTTLS is refused: set starttls: true or use smtps:// (for a "
                 "server on this machine only, set allow_plain_loopback: true), got '" + url + "'");
  } else if (!is_loopback_host(url_host(url))) {
    problems.add(field.at, field.path,
                 "allow_plain_loopback allows smtp:// without STARTTLS only to 127.0.0.1, ::1 or "
                 "localhost, not '" + url_host(url) + "'");
  }
}

// A value that goes into a mail header or the SMTP envelope: no line breaks.
void check_one_line(const Field& field, const std::string& value, Problems& problems) {
  if (value.find_first_of("\r\n") != std::string::npos)
    problems.add(field.at, field.path, "expected a single line (no CR or LF)");
}

std::optional<SmtpConfig> read_smtp(const Field& field, Problems& problems) {
  const MapView smtp(field, problems);
  constexpr std::array kKeys{"url"sv,           "starttls"sv, "from"sv,    "username"sv,
                             "password_file"sv, "allow_plain_loopback"sv, "timeout"sv, "connect_timeout"sv};
  smtp.allow_only(kKeys, problems);
  SmtpConfig out;
  if (const auto f = smtp.get("starttls")) out.starttls = read_bool(*f, problems).value_or(true);
  if (const auto f = smtp.get("allow_plain_loopback"))
    out.allow_plain_loopback = read_bool(*f, problems).value_or(false);
  if (const auto f = smtp.require("from", problems)) {
    out.from = read_email(*f, problems).value_or("");
    check_one_line(*f, out.from, problems);
  }
  if (const auto f = smtp.get("username")) {
    out.username = read_string(*f, problems).value_or("");
    check_one_line(*f, out.username, problems);
  }
  if (const auto f = smtp.get("password_file")) out.password_file = read_string(*f, problems).value_or("");
  if (!out.password_file.empty() && out.username.empty())
    problems.add(field.at, field.path, "password_file is given without a username");
  if (const auto f = smtp.get("timeout")) out.timeout = read_webhook_duration(*f, problems).value_or(out.timeout);
  if (const auto f = smtp.get("connect_timeout"))
    out.connect_timeout = read_webhook_duration(*f, problems).value_or(out.connect_timeout);
  if (const auto url = smtp.require("url", problems)) {
    out.url = read_string(*url, problems).value_or("");
    check_one_line(*url, out.url, problems);
    check_smtp_url(*url, out, problems);
  }
  if (!smtp.is_map()) return std::nullopt;
  return out;
}

void read_invitations(const Field& field, SpaceConfig& out, Problems& problems) {
  const MapView invitations(field, problems);
  constexpr std::array kKeys{"smtp"sv};
  invitations.allow_only(kKeys, problems);
  if (const auto smtp = invitations.get("smtp")) out.invitation_smtp = read_smtp(*smtp, problems);
}

// The sources named here are defined later in the file: they are kept in the context and
// checked by check_source_precedence() once every source is read.
void read_precedence(const Field& field, SpaceConfig& out, ReadContext& ctx) {
  const auto items = list_items(field, ctx.problems);
  if (field.node.IsSequence() && items.empty())
    ctx.problems.add(field.at, field.path,
                     "expected at least one source id (leave 'precedence' out to rank the "
                     "sources in file order)");
  for (const Field& item : items) {
    const auto id = read_string(item, ctx.problems);
    if (!id) continue;
    if (std::find(out.source_precedence.begin(), out.source_precedence.end(), *id) !=
        out.source_precedence.end()) {
      ctx.problems.add(item.at, item.path, "source '" + *id + "' is listed twice");
      continue;
    }
    out.source_precedence.push_back(*id);
    ctx.precedence_items.push_back({out.space.id, *id, item});
  }
}

void read_correlate(const Field& field, SpaceConfig& out, ReadContext& ctx) {
  const MapView correlate(field, ctx.problems);
  constexpr std::array kKeys{"attribute"sv, "precedence"sv};
  correlate.allow_only(kKeys, ctx.problems);
  if (const auto attribute = correlate.get("attribute")) {
    const auto name = read_string(*attribute, ctx.problems);
    if (name && !is_attribute_name(*name))
      ctx.problems.add(attribute->at, attribute->path,
                       "attribute name '" + *name + "' " + std::string(kAttributeNameRule));
    else if (name)
      out.correlate_by = *name;
  }
  if (const auto precedence = correlate.get("precedence")) read_precedence(*precedence, out, ctx);
}

void read_space(const MapEntry& entry, ReadContext& ctx) {
  Problems& problems = ctx.problems;
  if (!is_identifier(entry.key))
    problems.add(entry.value.key_at, entry.value.path,
                 "space id '" + entry.key + "' " + std::string(kIdentifierRule));
  SpaceConfig out;
  out.space.id = entry.key;
  out.location = problems.location(entry.value.key_at);

  const MapView space(entry.value, problems);
  constexpr std::array kKeys{"licences"sv,        "default_owner"sv, "resolution"sv, "on_leave"sv,
                             "max_destructive"sv, "webhook"sv,       "correlate"sv,  "invitations"sv};
  space.allow_only(kKeys, problems);
  if (const auto licences = space.require("licences", problems))
    read_licences(*licences, out.space, problems);
  if (const auto owner = space.get("default_owner"))
    out.space.default_owner = read_email(*owner, problems).value_or("");
  constexpr std::array kResolutions{"highest-rank"sv, "first-match"sv};
  if (const auto resolution = space.get("resolution"))
    out.resolution = read_choice(*resolution, kResolutions, problems).value_or(out.resolution);
  if (const auto on_leave = space.get("on_leave")) read_on_leave(*on_leave, out.on_leave, problems);
  if (const auto limit = space.get("max_destructive"))
    read_max_destructive(*limit, out.max_destructive, problems);
  if (const auto webhook = space.get("webhook")) out.webhook = read_webhook(*webhook, problems);
  if (const auto correlate = space.get("correlate")) read_correlate(*correlate, out, ctx);
  if (const auto invitations = space.get("invitations")) read_invitations(*invitations, out, problems);
  ctx.config.spaces.push_back(std::move(out));
}

}  // namespace

void read_spaces(const Field& field, ReadContext& ctx) {
  const MapView spaces(field, ctx.problems);
  for (const auto& entry : spaces.entries()) read_space(entry, ctx);
}

void check_source_precedence(const ReadContext& ctx) {
  for (const auto& ref : ctx.precedence_items)
    check_source_reference(ref.item, ref.source, ref.space, ctx);
}

bool check_space_reference(const Field& field, const std::string& space_id,
                           const ReadContext& ctx) {
  if (ctx.config.find_space(space_id)) return true;
  std::vector<std::string> ids;
  for (const auto& s : ctx.config.spaces) ids.push_back(s.space.id);
  std::string what = "space '" + space_id + "' is not defined under 'spaces'";
  const std::string hint = did_you_mean(space_id, ids);
  if (!hint.empty())
    what += hint;
  else if (!ids.empty())
    what += " (defined: " + join_names(ids) + ")";
  ctx.problems.add(field.at, field.path, std::move(what));
  return false;
}

}  // namespace rosterd::config_detail
