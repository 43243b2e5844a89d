// canonical_text(): every value reconcile() reads, one record per line, records of a kind
// sorted, strings quoted and escaped so that no value can imitate a separator. Two inputs
// with the same text give the same plan; a stored plan's input hash is taken over it.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/reconcile.h"
#include "core/reconcile_text.h"

namespace rosterd {
namespace {

// Appends `s` quoted: runs of plain characters are copied at once (a plan's input text is
// some 100 MB at 100,000 people, hashed at every plan).
void append_quoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

std::string quoted(std::string_view s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

// A line "kind name=value name=value ...".
class Line {
 public:
  explicit Line(std::string_view kind) {
    text_.reserve(256);
    text_ += kind;
  }
  Line& str(std::string_view name, std::string_view value) {
    start(name);
    append_quoted(text_, value);
    return *this;
  }
  Line& num(std::string_view name, long long value) { return raw(name, std::to_string(value)); }
  Line& time(std::string_view name, Timestamp t) { return raw(name, format_timestamp(t)); }
  Line& raw(std::string_view name, const std::string& value) {
    start(name);
    text_ += value;
    return *this;
  }
  std::string done() {
    text_ += '\n';
    return std::move(text_);
  }

 private:
  void start(std::string_view name) {
    text_ += ' ';
    text_ += name;
    text_ += '=';
  }

  std::string text_;
};

std::string desired_line(const DesiredAccount& d) {
  Line l("desired");
  l.str("person", d.person).str("source", d.source).str("anchor", d.anchor).str("email", d.email);
  l.str("given_name", d.given_name).str("family_name", d.family_name).str("title", d.title);
  l.str("phone", d.phone).str("country", d.country).str("language", d.language);
  l.str("team", d.team).str("role", d.role).str("licence", d.licence);
  l.str("template", d.template_account).str("rule", d.rule).num("rule_index", d.rule_index);
  l.str("manager_email", d.manager_email).str("rule_handover", d.rule_handover);
  l.time("first_seen", d.first_seen);
  std::string inputs = "[";
  for (const auto& [k, v] : d.inputs) inputs += (inputs.size() > 1 ? "," : "") + quoted(k) + ":" + quoted(v);
  return l.raw("inputs", inputs + "]").done();
}

std::string excluded_line(const ExcludedPerson& e) {
  Line l("excluded");
  l.str("person", e.person).str("source", e.source).str("anchor", e.anchor).str("email", e.email);
  l.str("reason", e.reason).str("manager_email", e.manager_email);
  return l.str("rule_handover", e.rule_handover).done();
}

std::string account_line(const Account& a) {
  Line l("account");
  l.str("id", a.id).str("email", a.email).str("given_name", a.given_name);
  l.str("family_name", a.family_name).str("title", a.title).str("phone", a.phone);
  l.str("team", a.team).str("country", a.country).str("language", a.language);
  l.str("role", a.role).str("licence", a.licence).str("state", to_string(a.state));
  l.str("managed_by", a.managed_by).str("source_anchor", a.source_anchor);
  return l.time("updated_at", a.updated_at).done();
}

std::string policy_lines(const ReconcileInput& input) {
  const SpacePolicy& p = input.policy;
  std::string out = Line("now").time("at", input.now).done();
  out += Line("space")
             .str("id", p.space.id)
             .str("default_owner", p.space.default_owner)
             .str("on_leave", leave_action_name(p.on_leave))
             .num("delete_after_days", p.delete_after_days)
             .num("max_destructive_count", p.max_destructive_count)
             .num("max_destructive_percent", p.max_destructive_percent)
             .done();
  for (const auto& [licence, total] : p.space.licences)
    out += Line("licence").str("type", licence).num("total", total).done();
  const RoleCatalogue built_in = input.roles ? RoleCatalogue{} : RoleCatalogue::built_in();
  for (const auto& [name, role] : (input.roles ? *input.roles : built_in).roles()) {
    std::vector<std::string> licences = role.licences;
    std::sort(licences.begin(), licences.end());
    std::string list;
    for (const auto& l : licences) list += (list.empty() ? "" : ",") + quoted(l);
    out += Line("role").str("name", name).num("rank", role.rank).raw("licences", "[" + list + "]").done();
  }
  return out;
}

// Sorted, written, and freed before the next kind of record is made.
void write_sorted(std::vector<std::string>& lines,
                  const std::function<void(std::string_view)>& sink) {
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) sink(l);
  lines = {};
}

}  // namespace

void write_canonical_text(const ReconcileInput& input,
                          const std::function<void(std::string_view)>& sink) {
  sink("rosterd-reconcile-input 1\n");
  sink(policy_lines(input));
  std::vector<std::string> lines;
  for (const auto& s : input.sources)
    lines.push_back(Line("source").str("id", s.id).str("state", s.state).str("problem", s.problem)
                        .num("previous_count", s.previous_count).num("current_count", s.current_count)
                        .done());
  write_sorted(lines, sink);
  for (const auto& d : input.desired.accounts) lines.push_back(desired_line(d));
  write_sorted(lines, sink);
  for (const auto& e : input.desired.excluded) lines.push_back(excluded_line(e));
  write_sorted(lines, sink);
  // What reconcile ignores (deleted accounts, other spaces) does not change the text.
  for (const auto& a : input.current)
    if (a.state != AccountState::Deleted && a.space == input.policy.space.id)
      lines.push_back(account_line(a));
  write_sorted(lines, sink);
  for (const auto& c : input.queue)
    lines.push_back(Line("claim").str("person", c.person).str("licence", c.licence).time("since", c.since).done());
  write_sorted(lines, sink);
}

std::string canonical_text(const ReconcileInput& input) {
  std::string out;
  write_canonical_text(input, [&out](std::string_view piece) { out += piece; });
  return out;
}

}  // namespace rosterd
