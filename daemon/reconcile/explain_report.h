// `rosterd explain`: one person's identities, groups (direct and nested), every rule with
// matched or not and why, the resolution, the licence decision and what the next plan
// would do for them — as text and as stable JSON.
#pragma once

#include <iosfwd>

#include <boost/json/object.hpp>

#include "daemon/reconcile/space_planner.h"
#include "mapping/rule_set.h"

namespace rosterd {

boost::json::object explain_json(const Explanation& e, const SpacePlan& plan);
void print_explain_text(std::ostream& out, const Explanation& e, const SpacePlan& plan);

}  // namespace rosterd
