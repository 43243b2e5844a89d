// How a plan is shown: text for the administrator reviewing it (operations grouped by
// type with reasons, pending people, licence usage before/after, blocks, notes) and the
// stable JSON of `rosterd plan --json`, which is also the body stored with the plan.
// JSON shape (README "Machine-readable output"):
//   {"plan_id","space","created_at","input_hash","state","destructive",
//    "blocks":[{"kind","message"}], "counts":{"create":3,...},
//    "operations":[{"group","operation","account","email","person","source","rule","reason",
//                   "changes":{...},"successor"?}],
//    "pending":[{"position","person","email","licence","rule","since","reason"}],
//    "licences":[{"licence","total","used_before","used_after","pending"}], "notes":[...]}
#pragma once

#include <iosfwd>
#include <string>

#include <boost/json/object.hpp>

#include "daemon/reconcile/space_planner.h"
#include "store/reconcile_store.h"

namespace rosterd {

// `stored` gives the id, time and state; without it they are left out. `extra` members
// (the outcome of an apply) come last. Written as text, appended to `out`: a first
// sync's plan is tens of megabytes of it, and several times that as a JSON tree.
void append_plan_json(std::string& out, const SpacePlan& plan, const StoredPlan* stored,
                      const boost::json::object& extra = {});
std::string plan_json_text(const SpacePlan& plan, const StoredPlan* stored);
void print_plan_text(std::ostream& out, const SpacePlan& plan, const StoredPlan* stored);

// One line per operation, for logs and for the explain output.
std::string describe_operation(const PlannedOperation& op, const SpacePlan& plan);

}  // namespace rosterd
