#include "core/reconcile_changes.h"

#include <optional>
#include <set>
#include <utility>

#include "core/email.h"
#include "core/reconcile_text.h"

namespace rosterd {
namespace {

struct Diff {
  Profile changes;
  std::vector<std::string> fields;  // the other fields' names, for the reason
  bool empty() const { return changes == Profile{}; }
};

class ChangePlanner {
 public:
  ChangePlanner(const ReconcileScope& scope, const LeaverPlan& leavers,
                std::vector<std::string>& notes)
      : scope_(scope), leavers_(leavers), notes_(notes) {
    // Deletes come before updates and creates in a plan, so their emails are free again.
    for (const Account* a : scope.accounts())
      if (!leavers.deleted.count(a->id)) taken_.insert(email_key(a->email));
  }

  ChangePlan run(const std::vector<Pairing>& pairs) {
    plan_.needs.reserve(pairs.size());  // a need carries its operation: no regrowth copies
    for (const Pairing& p : pairs)
      if (p.account) existing(*p.desired, *p.account);
    for (const Pairing& p : pairs)
      if (!p.account) create(*p.desired);
    return std::move(plan_);
  }

 private:
  std::string who(const DesiredAccount& d) const { return "person " + d.person; }

  // The email may be given to this person's account (or a new one) without colliding.
  bool email_available(const DesiredAccount& d, const Account* current) {
    if (auto problem = email_problem(d.email)) {
      notes_.push_back(who(d) + ": email '" + d.email + "' " + *problem + "; it is not used");
      return false;
    }
    const std::string key = email_key(d.email);
    if (current && key == email_key(current->email)) return true;
    if (taken_.count(key)) {
      notes_.push_back(who(d) + ": email " + d.email + " is in use by another account; it is "
                       "not used");
      return false;
    }
    taken_.insert(key);
    return true;
  }

  Diff diff(const DesiredAccount& d, const Account& a) {
    Diff out;
    Profile& p = out.changes;
    auto field = [&](std::optional<std::string>& slot, const std::string& want,
                     const std::string& have, const char* name) {
      if (want == have) return;
      slot = want;
      out.fields.emplace_back(name);
    };
    if (d.email != a.email && email_available(d, &a)) field(p.email, d.email, a.email, "email");
    for (auto [slot, want, have, name] :
         {std::tuple{&p.given_name, &d.given_name, &a.given_name, "given name"},
          std::tuple{&p.family_name, &d.family_name, &a.family_name, "family name"}}) {
      if (want->empty() && !have->empty()) {
        notes_.push_back(who(d) + ": the source gives no " + name + "; it is left as it is");
        continue;
      }
      field(*slot, *want, *have, name);
    }
    field(p.title, d.title, a.title, "title");
    field(p.phone, d.phone, a.phone, "phone");
    field(p.country, d.country, a.country, "country");
    field(p.language, d.language, a.language, "language");
    field(p.team, d.team, a.team, "team");
    if (d.role != a.role) p.role = d.role;
    if (d.licence != a.licence) p.licence = d.licence;
    return out;
  }

  // An update as a plan operation: its group follows the role's rank unless a seat
  // holder's licence type changes. (A deactivated account holds no seat: its change of
  // type moves none; its reactivation takes the seat.)
  Draft update(const DesiredAccount& d, const Account& a, const Diff& diff) const {
    std::vector<std::string> parts;
    std::string group = plan_group::kUpdate;
    const Profile& p = diff.changes;
    const bool seat_move = p.licence && holds_seat(a.state);
    if (p.licence) parts.push_back("licence " + a.licence + " -> " + *p.licence);
    if (seat_move) group = plan_group::kChangeLicence;
    if (p.role) {
      const int from = scope_.rank(a.role), to = scope_.rank(*p.role);
      if (!seat_move && to > from) group = plan_group::kPromote;
      if (!seat_move && to < from) group = plan_group::kDemote;
      parts.push_back("role " + a.role + " -> " + *p.role);
    }
    if (!diff.fields.empty()) parts.push_back(join(diff.fields, ", ") + " changed");
    return draft(d, a.managed_by, UpdateOp{a.id, p}, group, join(parts, "; ") + ": " + why_granted(d));
  }

  static Draft draft(const DesiredAccount& d, const std::string& source, Operation op,
                     std::string group, std::string reason) {
    Draft out;
    out.planned.op = std::move(op);
    out.planned.reason = std::move(reason);
    out.planned.source = source;
    out.planned.person = d.person;
    out.planned.rule = d.rule;
    out.planned.group = std::move(group);
    out.planned.details = grant_details(d);
    return out;
  }

  SeatNeed need(const DesiredAccount& d, Draft granted) const {
    SeatNeed n;
    n.person = d.person;
    n.email = d.email;
    n.rule = d.rule;
    n.licence = d.licence;
    n.rule_index = d.rule_index;
    n.since = scope_.queued_since(d.person, d.licence).value_or(scope_.now());
    n.first_seen = d.first_seen;
    n.granted = std::move(granted);
    return n;
  }

  void existing(const DesiredAccount& d, const Account& a) {
    const Diff changes = diff(d, a);
    const bool seat_move = changes.changes.licence && holds_seat(a.state);
    if (seat_move) {
      SeatNeed n = need(d, update(d, a, changes));
      n.from_licence = a.licence;
      n.fallback = fallback(d, a, changes);
      plan_.needs.push_back(std::move(n));
    } else if (!changes.empty()) {
      plan_.drafts.push_back(update(d, a, changes));
    }
    const std::string again = "desired again: " + why_granted(d);
    if (a.state == AccountState::Suspended)
      plan_.drafts.push_back(draft(d, a.managed_by, ResumeOp{a.id}, plan_group::kResume, again));
    if (a.state == AccountState::Deactivated)
      plan_.needs.push_back(
          need(d, draft(d, a.managed_by, ReactivateOp{a.id}, plan_group::kReactivate, again)));
  }

  // The update without the change of licence type, for when no seat of the new type is
  // free: the role stays too when the new role may not hold the current licence.
  std::optional<Draft> fallback(const DesiredAccount& d, const Account& a, Diff changes) const {
    changes.changes.licence.reset();
    const Role* role = scope_.roles().find(d.role);
    if (changes.changes.role && !(role && role->may_hold(a.licence))) changes.changes.role.reset();
    if (changes.empty()) return std::nullopt;
    return update(d, a, changes);
  }

  void create(const DesiredAccount& d) {
    if (d.given_name.empty() || d.family_name.empty()) {
      notes_.push_back(who(d) + ": the source gives no given or family name; no account is created");
      return;
    }
    CreateOp op;
    if (!d.template_account.empty()) {
      const Account* tpl = scope_.account_by_ref(d.template_account);
      if (!tpl || leavers_.deleted.count(tpl->id)) {
        notes_.push_back(who(d) + ": template account '" + d.template_account +
                         "' does not exist; no account is created");
        return;
      }
      if (tpl->licence != d.licence) {
        notes_.push_back(who(d) + ": template account " + tpl->email + " has licence type '" +
                         tpl->licence + "', not '" + d.licence + "'; no account is created");
        return;
      }
      op.template_account = tpl->id;
    }
    if (!email_available(d, nullptr)) return;
    SeatNeed n = need(d, Draft{});
    // Captures what outlives this planner: the scope and the desired account.
    n.build = [&scope = scope_, &d, template_id = std::move(op.template_account)]() {
      CreateOp create;
      create.template_account = template_id;
      create.space = scope.space();
      create.email = d.email;
      create.given_name = d.given_name;
      create.family_name = d.family_name;
      // Explicit even with a template, so the new account is exactly what is desired (the
      // template brings its folders) and the next plan finds nothing to change.
      create.role = d.role;
      create.licence = d.licence;
      create.team = d.team;
      create.title = d.title;
      create.phone = d.phone;
      create.country = d.country;
      create.language = d.language;
      create.source_anchor = d.anchor;
      return draft(d, d.source, std::move(create), plan_group::kCreate, why_granted(d));
    };
    plan_.needs.push_back(std::move(n));
  }

  const ReconcileScope& scope_;
  const LeaverPlan& leavers_;
  std::vector<std::string>& notes_;
  std::set<std::string> taken_;  // email keys in use when updates and creates are applied
  ChangePlan plan_;
};

}  // namespace

ChangePlan plan_changes(const ReconcileScope& scope, const std::vector<Pairing>& pairs,
                        const LeaverPlan& leavers, std::vector<std::string>& notes) {
  return ChangePlanner(scope, leavers, notes).run(pairs);
}

}  // namespace rosterd
