#include "daemon/reconcile/plan_report.h"

#include <map>
#include <unordered_map>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/timestamp.h"

namespace rosterd {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// The accounts of a plan by id. Built once for a whole report: a plan of 100,000
// operations looked up by scanning would be quadratic.
class AccountIndex {
 public:
  explicit AccountIndex(const SpacePlan& plan) {
    by_id_.reserve(plan.input.current.size());
    for (const Account& a : plan.input.current) by_id_.emplace(a.id, &a);
  }
  const Account* find(std::string_view id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const Account*> by_id_;
};

std::string email_of(const AccountIndex& accounts, const PlannedOperation& op) {
  if (const auto* create = std::get_if<CreateOp>(&op.op)) return create->email;
  const Account* a = accounts.find(operation_target(op.op));
  return a ? a->email : std::string(operation_target(op.op));
}

void put_profile(boost::json::object& o, const Profile& p) {
  const auto put = [&](const char* key, const std::optional<std::string>& v) {
    if (v) o[key] = *v;
  };
  put("email", p.email);
  put("given_name", p.given_name);
  put("family_name", p.family_name);
  put("title", p.title);
  put("phone", p.phone);
  put("team", p.team);
  put("country", p.country);
  put("language", p.language);
  put("role", p.role);
  put("licence", p.licence);
}

boost::json::object changes_json(const PlannedOperation& op, const SpacePlan& plan,
                                 const AccountIndex& accounts) {
  boost::json::object o;
  std::visit(Overloaded{
                 [&](const CreateOp& c) {
                   o["email"] = c.email;
                   o["given_name"] = c.given_name;
                   o["family_name"] = c.family_name;
                   if (c.role) o["role"] = *c.role;
                   if (c.licence) o["licence"] = *c.licence;
                   if (c.team) o["team"] = *c.team;
                   if (!c.title.empty()) o["title"] = c.title;
                   if (c.template_account) {
                     const Account* t = accounts.find(*c.template_account);
                     o["template"] = t ? t->email : *c.template_account;
                   }
                 },
                 [&](const UpdateOp& u) { put_profile(o, u.changes); },
                 [&](const DeleteOp& d) {
                   if (d.successor) {
                     const Account* s = accounts.find(*d.successor);
                     o["successor"] = s ? s->email : *d.successor;
                   } else {
                     o["successor"] = plan.input.policy.space.default_owner;
                   }
                 },
                 [&](const auto&) {},
             },
             op.op);
  return o;
}

std::string changes_text(const boost::json::object& changes) {
  std::string out;
  for (const auto& [key, value] : changes) {
    if (key == "email" || key == "given_name" || key == "family_name") continue;
    out += (out.empty() ? "" : ", ") + std::string(key) + " " +
           (value.is_string() ? std::string(value.as_string()) : std::string());
  }
  return out;
}

}  // namespace

std::string describe_operation(const PlannedOperation& op, const SpacePlan& plan) {
  const AccountIndex accounts(plan);
  std::string line = op.group + " " + email_of(accounts, op);
  const std::string changes = changes_text(changes_json(op, plan, accounts));
  if (!changes.empty()) line += " (" + changes + ")";
  if (!op.reason.empty()) line += ": " + op.reason;
  return line;
}

namespace {

// An object's members as text, without the braces ("" for an empty object).
std::string members_text(const boost::json::object& o) {
  std::string text = boost::json::serialize(o);
  return text.substr(1, text.size() - 2);
}

}  // namespace

void append_plan_json(std::string& out, const SpacePlan& plan, const StoredPlan* stored,
                      const boost::json::object& extra) {
  const ReconcileResult& r = plan.result;
  boost::json::object head;
  if (stored) {
    head["plan_id"] = stored->id;
    head["created_at"] = format_timestamp(stored->created_at);
    head["state"] = stored->state;
  }
  head["space"] = plan.space;
  head["input_hash"] = plan.input_hash;
  head["destructive"] = r.destructive;
  boost::json::array blocks;
  for (const PlanBlock& b : r.blocks) blocks.emplace_back(boost::json::object{{"kind", b.kind}, {"message", b.message}});
  head["blocks"] = std::move(blocks);
  boost::json::object counts;
  for (const PlannedOperation& op : r.plan.operations) {
    auto& n = counts[op.group];
    n = (n.is_int64() ? n.as_int64() : 0) + 1;
  }
  head["counts"] = std::move(counts);
  out += "{" + members_text(head) + ",\"operations\":[";
  // One operation at a time: as a JSON tree, 100,000 of them are several hundred MB.
  const AccountIndex accounts(plan);
  bool first = true;
  for (const PlannedOperation& op : r.plan.operations) {
    const boost::json::object j{{"group", op.group},
                                {"operation", operation_name(op.op)},
                                {"account", operation_target(op.op)},
                                {"email", email_of(accounts, op)},
                                {"person", op.person},
                                {"source", op.source},
                                {"rule", op.rule},
                                {"reason", op.reason},
                                {"changes", changes_json(op, plan, accounts)}};
    if (!first) out += ',';
    first = false;
    out += boost::json::serialize(j);
  }
  out += "]";
  boost::json::object tail;
  boost::json::array pending;
  for (const PendingSeat& p : r.pending)
    pending.emplace_back(boost::json::object{{"position", p.position},
                                             {"person", p.person},
                                             {"email", p.email},
                                             {"licence", p.licence},
                                             {"rule", p.rule},
                                             {"since", format_timestamp(p.since)},
                                             {"reason", p.reason}});
  tail["pending"] = std::move(pending);
  boost::json::array licences;
  std::map<std::string, const LicenceUsage*> before;
  for (const LicenceUsage& u : r.usage_before) before[u.licence] = &u;
  for (const LicenceUsage& u : r.usage_after) {
    const auto b = before.find(u.licence);
    licences.emplace_back(boost::json::object{{"licence", u.licence},
                                              {"total", u.total},
                                              {"used_before", b == before.end() ? 0 : b->second->used},
                                              {"used_after", u.used},
                                              {"pending", u.pending}});
  }
  tail["licences"] = std::move(licences);
  boost::json::array notes;
  for (const std::string& n : r.notes) notes.emplace_back(n);
  tail["notes"] = std::move(notes);
  for (const auto& member : extra) tail[member.key()] = member.value();
  out += "," + members_text(tail) + "}";
}

std::string plan_json_text(const SpacePlan& plan, const StoredPlan* stored) {
  std::string out;
  append_plan_json(out, plan, stored);
  return out;
}

void print_plan_text(std::ostream& out, const SpacePlan& plan, const StoredPlan* stored) {
  const ReconcileResult& r = plan.result;
  out << "Space " << plan.space;
  if (stored) out << ", plan " << stored->id;
  out << ": " << r.plan.operations.size() << " operation" << (r.plan.operations.size() == 1 ? "" : "s")
      << ", " << r.destructive << " destructive, " << r.pending.size() << " pending\n";
  std::string group;
  const AccountIndex accounts(plan);
  for (const PlannedOperation& op : r.plan.operations) {
    if (op.group != group) {
      group = op.group;
      std::size_t n = 0;
      for (const PlannedOperation& o : r.plan.operations) n += o.group == group;
      out << "  " << group << " (" << n << ")\n";
    }
    const std::string changes = changes_text(changes_json(op, plan, accounts));
    out << "    " << email_of(accounts, op);
    if (!changes.empty()) out << "  " << changes;
    out << "\n      why: " << op.reason << "\n";
  }
  if (!r.pending.empty()) {
    out << "  pending (waiting for a seat, in queue order)\n";
    for (const PendingSeat& p : r.pending)
      out << "    " << p.licence << " #" << p.position << " " << p.email << ": " << p.reason
          << " (rule " << p.rule << ", since " << format_timestamp(p.since) << ")\n";
  }
  out << "  licences (used/total before -> after)\n";
  std::map<std::string, const LicenceUsage*> before;
  for (const LicenceUsage& u : r.usage_before) before[u.licence] = &u;
  for (const LicenceUsage& u : r.usage_after) {
    const auto b = before.find(u.licence);
    out << "    " << u.licence << ": " << (b == before.end() ? 0 : b->second->used) << "/" << u.total
        << " -> " << u.used << "/" << u.total;
    if (u.pending > 0) out << ", " << u.pending << " pending";
    out << "\n";
  }
  for (const std::string& n : r.notes) out << "  note: " << n << "\n";
  for (const PlanBlock& b : r.blocks) out << "  BLOCKED (" << b.kind << "): " << b.message << "\n";
}

}  // namespace rosterd
