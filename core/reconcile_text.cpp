#include "core/reconcile_text.h"

namespace rosterd {
namespace {

bool is_group_fact(std::string_view key) {
  return key == "group" || key == "groups" || key == "memberOf" || key == "member_of";
}

}  // namespace

// Written into one string of exactly the right size: a plan of 100,000 creates has as
// many, and the plan is most of reconcile's memory.
std::string why_granted(const DesiredAccount& d) {
  constexpr std::string_view kMemberOf = "member of ", kVia = " via rule ";
  std::size_t size = 0;
  for (const auto& [key, value] : d.inputs) {
    if (key == "rule") continue;  // said once, at the end
    size += (size ? 2 : 0) + (is_group_fact(key) ? kMemberOf.size() : key.size() + 3) + value.size();
  }
  if (size == 0) return d.rule.empty() ? "desired by source " + d.source : "granted by rule " + d.rule;
  std::string out;
  out.reserve(size + (d.rule.empty() ? 0 : kVia.size() + d.rule.size()));
  for (const auto& [key, value] : d.inputs) {
    if (key == "rule") continue;
    if (!out.empty()) out += ", ";
    if (is_group_fact(key)) {
      out += kMemberOf;
    } else {
      out += key;
      out += " \"";
    }
    out += value;
    if (!is_group_fact(key)) out += '"';
  }
  if (!d.rule.empty()) {
    out += kVia;
    out += d.rule;
  }
  return out;
}

SharedFacts grant_details(const DesiredAccount& d) {
  // Mapping puts the deciding rule first; a desired account built by hand may not.
  if (d.rule.empty() || (!d.inputs.empty() && d.inputs[0] == std::pair<std::string, std::string>("rule", d.rule)))
    return d.inputs;
  Facts out;
  out.reserve(d.inputs.size() + 1);
  out.emplace_back("rule", d.rule);
  out.insert(out.end(), d.inputs.begin(), d.inputs.end());
  return out;
}

std::string_view leave_action_name(LeaveAction action) {
  switch (action) {
    case LeaveAction::Deactivate: return "deactivate";
    case LeaveAction::Suspend: return "suspend";
    case LeaveAction::Delete: return "delete";
  }
  return "deactivate";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

}  // namespace rosterd
