#include "daemon/reconcile/explain_report.h"

#include <ostream>

#include <boost/json/array.hpp>

#include "core/email.h"
#include "daemon/reconcile/plan_report.h"
#include "store/account_json.h"

namespace rosterd {
namespace {

// The person's account: the one their winning identity manages, else the one with
// their email.
const Account* account_of(const Explanation& e, const SpacePlan& plan) {
  for (const DirectoryPerson* id : e.identities)
    for (const Account& a : plan.input.current)
      if (!a.is_manual() && a.managed_by == id->source && a.source_anchor == id->id) return &a;
  std::string email;
  if (e.desired) email = e.desired->email;
  else if (e.excluded) email = e.excluded->email;
  for (const Account& a : plan.input.current)
    if (!email.empty() && email_key(a.email) == email_key(email)) return &a;
  return nullptr;
}

struct LicenceDecision {
  std::string status;  // holds | granted-next-plan | pending | none
  std::string licence;
  std::size_t position = 0;
  std::string reason;
};

LicenceDecision licence_decision(const Explanation& e, const SpacePlan& plan, const Account* account) {
  LicenceDecision d;
  if (!e.desired) {
    d.status = "none";
    d.reason = e.excluded ? e.excluded->reason : "no account";
    return d;
  }
  d.licence = e.desired->licence;
  for (const PendingSeat& p : plan.result.pending)
    if (p.person == e.person) {
      d.status = "pending";
      d.position = p.position;
      d.reason = p.reason;
      return d;
    }
  if (account && account->licence == d.licence && holds_seat(account->state)) {
    d.status = "holds";
    d.reason = "holds a " + d.licence + " seat";
    return d;
  }
  d.status = "granted-next-plan";
  d.reason = "a " + d.licence + " seat is free for them: the next plan gives it";
  return d;
}

std::vector<const PlannedOperation*> operations_for(const Explanation& e, const SpacePlan& plan,
                                                    const Account* account) {
  std::vector<const PlannedOperation*> out;
  for (const PlannedOperation& op : plan.result.plan.operations)
    if (op.person == e.person || (account && operation_target(op.op) == account->id))
      out.push_back(&op);
  return out;
}

}  // namespace

boost::json::object explain_json(const Explanation& e, const SpacePlan& plan) {
  boost::json::object o{{"person", e.person}, {"space", plan.space}, {"resolution", e.resolution}};
  boost::json::array identities;
  for (const DirectoryPerson* p : e.identities) {
    boost::json::array emails;
    for (const auto& m : p->emails) emails.emplace_back(m);
    identities.emplace_back(boost::json::object{{"source", p->source},
                                                {"id", p->id},
                                                {"user_name", p->user_name},
                                                {"display_name", p->display_name},
                                                {"emails", std::move(emails)},
                                                {"active", p->active}});
  }
  o["identities"] = std::move(identities);
  boost::json::array groups;
  for (const GroupMembership& g : e.groups) {
    boost::json::array via;
    for (const auto& v : g.via) via.emplace_back(v);
    groups.emplace_back(boost::json::object{{"source", g.source}, {"id", g.id}, {"name", g.name},
                                            {"dn", g.dn}, {"nested", g.nested}, {"via", std::move(via)}});
  }
  o["groups"] = std::move(groups);
  boost::json::array rules;
  for (const RuleVerdict& r : e.rules) {
    boost::json::array because;
    for (const auto& b : r.because) because.emplace_back(b);
    boost::json::object j{{"rule", r.rule},      {"location", r.location.to_string()},
                          {"matched", r.matched}, {"because", std::move(because)},
                          {"deny", r.deny},       {"outcome", r.outcome}};
    if (!r.deny) {
      j["role"] = r.role;
      j["licence"] = r.licence;
      j["team"] = r.team;
    }
    if (!r.lost_because.empty()) j["lost_because"] = r.lost_because;
    rules.emplace_back(std::move(j));
  }
  o["rules"] = std::move(rules);
  if (e.desired) {
    o["decision"] = boost::json::object{{"rule", e.desired->rule},   {"role", e.desired->role},
                                        {"licence", e.desired->licence}, {"team", e.desired->team},
                                        {"email", e.desired->email},   {"source", e.desired->source}};
  } else {
    o["decision"] = nullptr;
  }
  if (e.excluded) o["excluded"] = boost::json::object{{"reason", e.excluded->reason}};
  const Account* account = account_of(e, plan);
  const LicenceDecision d = licence_decision(e, plan, account);
  boost::json::object licence{{"status", d.status}, {"licence", d.licence}, {"reason", d.reason}};
  if (d.status == "pending") licence["position"] = d.position;
  o["licence"] = std::move(licence);
  if (account) o["account"] = account_json(*account);
  else o["account"] = nullptr;
  boost::json::array next;
  for (const PlannedOperation* op : operations_for(e, plan, account))
    next.emplace_back(boost::json::object{{"group", op->group},
                                          {"operation", operation_name(op->op)},
                                          {"description", describe_operation(*op, plan)}});
  o["next_operations"] = std::move(next);
  return o;
}

void print_explain_text(std::ostream& out, const Explanation& e, const SpacePlan& plan) {
  out << e.person << " in space " << plan.space << "\n";
  out << "identities (by source precedence):\n";
  for (const DirectoryPerson* p : e.identities) {
    out << "  " << p->source << " " << p->id << "  userName " << p->user_name
        << (p->active ? "" : "  DISABLED");
    if (!p->emails.empty()) out << "  email " << p->emails.front();
    out << "\n";
  }
  out << "groups:\n";
  if (e.groups.empty()) out << "  (none)\n";
  for (const GroupMembership& g : e.groups) {
    out << "  " << (g.dn.empty() ? g.name : g.dn);
    if (g.nested) {
      out << "  (nested, via ";
      for (std::size_t i = 0; i < g.via.size(); ++i) out << (i ? " > " : "") << g.via[i];
      out << ")";
    } else {
      out << "  (direct)";
    }
    out << "\n";
  }
  out << "rules (resolution " << e.resolution << "):\n";
  for (const RuleVerdict& r : e.rules) {
    out << "  " << r.rule << " [" << r.location.to_string() << "]: " << r.outcome;
    if (!r.deny && r.matched) out << " -> " << r.role << " / " << r.licence;
    if (!r.lost_because.empty()) out << " (" << r.lost_because << ")";
    out << "\n";
    for (const std::string& b : r.because) out << "      " << b << "\n";
  }
  if (e.desired)
    out << "decision: role " << e.desired->role << ", licence " << e.desired->licence
        << (e.desired->team.empty() ? "" : ", team " + e.desired->team) << " (rule " << e.desired->rule
        << ")\n";
  else if (e.excluded)
    out << "decision: no account: " << e.excluded->reason << "\n";
  const Account* account = account_of(e, plan);
  const LicenceDecision d = licence_decision(e, plan, account);
  out << "licence: " << d.status;
  if (d.status == "pending") out << " #" << d.position;
  out << (d.reason.empty() ? "" : ": " + d.reason) << "\n";
  out << "account: "
      << (account ? account->email + " (" + account->role + ", " + account->licence + ", " +
                        std::string(to_string(account->state)) + ")"
                  : std::string("none"))
      << "\n";
  const auto ops = operations_for(e, plan, account);
  out << "next plan: " << (ops.empty() ? "nothing for this person" : "") << "\n";
  for (const PlannedOperation* op : ops) out << "  " << describe_operation(*op, plan) << "\n";
}

}  // namespace rosterd
