#include "core/reconcile_text.h"

namespace rosterd {
namespace {

bool is_group_fact(std::string_view key) {
  return key == "group" || key == "groups" || key == "memberOf" || key == "member_of";
}

}  // namespace

std::string why_granted(const DesiredAccount& d) {
  std::vector<std::string> facts;
  for (const auto& [key, value] : d.inputs) {
    if (is_group_fact(key)) facts.push_back("member of " + value);
    else facts.push_back(key + " \"" + value + "\"");
  }
  std::string out = join(facts, ", ");
  if (d.rule.empty()) return out.empty() ? "desired by source " + d.source : out;
  return out.empty() ? "granted by rule " + d.rule : out + " via rule " + d.rule;
}

std::vector<std::pair<std::string, std::string>> grant_details(const DesiredAccount& d) {
  std::vector<std::pair<std::string, std::string>> out;
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
