#include "daemon/admin/status_page.h"

#include <map>

namespace rosterd::admin {
namespace {

constexpr std::string_view kStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.4em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}.num{text-align:right}"
    ".ok{color:#176117;font-weight:bold}.bad{color:#a11;font-weight:bold}"
    ".full{background:#fde8e8}.muted{color:#777}pre{white-space:pre-wrap;margin:0}";

std::string when(const std::optional<Timestamp>& t) { return t ? format_timestamp(*t) : "never"; }

std::string cell(std::string_view text, std::string_view attributes = "") {
  std::string out = "<td";
  if (!attributes.empty()) out += " " + std::string(attributes);
  return out + ">" + html_escape(text) + "</td>";
}

std::string attribute(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + html_escape(value) + "\"";
}

std::string sources_section(const std::vector<SourceView>& sources) {
  std::string out = "<h2>Sources</h2>\n<table id=\"sources\"><tr><th>source</th><th>kind</th><th>space</th>"
                    "<th>last sync</th><th>last good sync</th><th>health</th><th>identities</th></tr>\n";
  for (const SourceView& s : sources) {
    out += "<tr " + attribute("data-source", s.source.id) + ">";
    out += cell(s.source.id) + cell(s.source.kind) + cell(s.source.space);
    out += cell(s.source.kind == "scim" ? "pushed by the provider" : when(s.last_attempt));
    out += cell(s.source.kind == "scim" ? "-" : when(s.last_success));
    std::string health = s.healthy ? "ok" : s.status;
    if (!s.healthy && s.failing_since) health += " since " + format_timestamp(*s.failing_since);
    if (!s.healthy && !s.error.empty()) health += ": " + s.error;
    out += cell(health, s.healthy ? "class=\"health ok\"" : "class=\"health bad\"");
    out += cell(std::to_string(s.identities), "class=\"num identities\"");
    out += "</tr>\n";
  }
  if (sources.empty()) out += "<tr><td colspan=\"7\" class=\"muted\">no sources configured</td></tr>\n";
  return out + "</table>\n";
}

std::string licences_section(const AccountsView& accounts) {
  std::string out = "<h2>Licences</h2>\n<table id=\"licences\"><tr><th>space</th><th>licence</th>"
                    "<th>used</th><th>total</th><th>pending</th></tr>\n";
  for (const LicenceUsage& u : accounts.licences) {
    out += "<tr " + attribute("data-space", u.space) + " " + attribute("data-licence", u.licence) +
           (u.used >= u.total ? " class=\"full\"" : "") + ">";
    out += cell(u.space) + cell(u.licence);
    out += cell(std::to_string(u.used), "class=\"num used\"") + cell(std::to_string(u.total), "class=\"num total\"");
    out += cell(std::to_string(u.pending), "class=\"num pending\"");
    out += "</tr>\n";
  }
  if (accounts.licences.empty()) out += "<tr><td colspan=\"5\" class=\"muted\">no spaces</td></tr>\n";
  out += "</table>\n<h2>Pending people</h2>\n";
  if (accounts.pending.empty()) return out + "<p class=\"muted\" id=\"pending\">nobody is waiting for a licence</p>\n";
  out += "<table id=\"pending\"><tr><th>space</th><th>person</th><th>licence</th><th>waiting since</th></tr>\n";
  for (const auto& [space, queue] : accounts.pending)
    for (const SeatClaim& claim : queue)
      out += "<tr>" + cell(space) + cell(claim.person) + cell(claim.licence) + cell(format_timestamp(claim.since)) +
             "</tr>\n";
  return out + "</table>\n";
}

std::string blocked_section(const AccountsView& accounts) {
  std::string out = "<h2>Last blocked plan</h2>\n";
  if (!accounts.last_blocked) return out + "<p class=\"muted\" id=\"blocked\">no plan has been blocked</p>\n";
  const StoredPlan& p = *accounts.last_blocked;
  out += "<table id=\"blocked\"><tr><th>plan</th><td>" + html_escape(p.id) + "</td></tr>";
  out += "<tr><th>space</th><td>" + html_escape(p.space) + "</td></tr>";
  out += "<tr><th>created</th><td>" + html_escape(format_timestamp(p.created_at)) + "</td></tr>";
  out += "<tr><th>state</th><td>" + html_escape(p.state) + "</td></tr>";
  out += "<tr><th>why</th><td><pre>" + html_escape(p.blocked_reason) + "</pre></td></tr></table>\n";
  return out;
}

std::string audit_section(const AccountsView& accounts) {
  std::string out = "<h2>Last " + std::to_string(kStatusAuditEvents) +
                    " audit events</h2>\n<table id=\"audit\"><tr><th>#</th><th>time</th><th>actor</th>"
                    "<th>event</th><th>space</th><th>account</th><th>reason</th></tr>\n";
  for (const AuditEntry& e : accounts.audit)
    out += "<tr>" + cell(std::to_string(e.seq), "class=\"num\"") + cell(format_timestamp(e.at)) + cell(e.actor) +
           cell(e.event) + cell(e.space) + cell(e.email.empty() ? e.account_id : e.email) + cell(e.reason) + "</tr>\n";
  if (accounts.audit.empty()) out += "<tr><td colspan=\"7\" class=\"muted\">no events yet</td></tr>\n";
  return out + "</table>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_status_page(const std::vector<SourceView>& sources, const AccountsView& accounts, Timestamp now,
                               bool leader) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>rosterd status</title><style>";
  out += kStyle;
  out += "</style></head>\n<body>\n<h1>rosterd status</h1>\n<p class=\"muted\">as of " +
         html_escape(format_timestamp(now)) + "</p>\n";
  out += leader ? "<p id=\"role\" data-leader=\"true\">This instance leads: it reads the directories, reconciles "
                  "and sends the webhooks.</p>\n"
                : "<p id=\"role\" data-leader=\"false\">This instance is a standby: it serves SCIM; another "
                  "instance on the same database reads the directories, reconciles and sends the webhooks.</p>\n";
  out += sources_section(sources);
  out += licences_section(accounts);
  out += blocked_section(accounts);
  out += audit_section(accounts);
  return out + "</body></html>\n";
}

}  // namespace rosterd::admin
