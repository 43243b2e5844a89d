// The sentences reconcile() puts in a plan: why a person has an account (the rule and
// the facts that matched), why a leaver goes. Internal to reconcile.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/desired.h"
#include "core/reconcile.h"

namespace rosterd {

// "member of CN=Recruiting-Paris via rule recruiters", "title \"Talent Manager\" via rule
// hiring-managers", "granted by rule x" when the rules engine recorded no facts.
std::string why_granted(const DesiredAccount& d);

// What goes in the audit rows of an operation on a desired person: the rule, then the
// facts the rules engine recorded, in its order. Shares the account's inputs (which begin
// with the rule when mapping made them) rather than copying them.
SharedFacts grant_details(const DesiredAccount& d);

std::string_view leave_action_name(LeaveAction action);  // "deactivate", "suspend", "delete"

std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace rosterd
