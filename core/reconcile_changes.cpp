#include "core/reconcile_changes.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "core/email.h"
#include "core/reconcile_text.h"
#include "core/view_map.h"

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
      if (leavers.deleted[scope.id_index(*a)]) ++deleted_.emplace(Deleted{a, 0}).first->count;
  }

  ChangePlan run(const std::vector<Pairing>& pairs) {
    for (const Pairing& p : pairs)
      if (p.account && !p.unchanged) existing(*p.desired, *p.account);
    const auto creates = static_cast<std::size_t>(
        std::count_if(pairs.begin(), pairs.end(), [](const Pairing& p) { return !p.account; }));
    given_.reserve(creates);
    plan_.needs.reserve(plan_.needs.size() + creates);
    for (const Pairing& p : pairs)
      if (!p.account) create(*p.desired);
    return std::move(plan_);
  }

 private:
  std::string who(const DesiredAccount& d) const { return "person " + d.person; }

  // Whether `email` (case-insensitively) is in use once the plan is applied: by an account
  // the plan does not delete, or given to a person earlier in this plan.
  bool taken(std::string_view email) const {
    const Deleted* deleted = deleted_.find(email);
    return scope_.accounts_with_email(email) > (deleted ? deleted->count : 0) ||
           given_.contains(email);
  }

  // The email may be given to this person's account (or a new one) without colliding.
  bool email_available(const DesiredAccount& d, const Account* current) {
    if (auto problem = email_problem(d.email)) {
      notes_.push_back(who(d) + ": email '" + d.email + "' " + *problem + "; it is not used");
      return false;
    }
    if (current && EmailKeyEqual{}(d.email, current->email)) return true;
    if (taken(d.email)) {
      notes_.push_back(who(d) + ": email " + d.email + " is in use by another account; it is "
                       "not used");
      return false;
    }
    given_.emplace(d.email);
    return true;
  }

  // Keep in step with unchanged() in reconcile_matching.cpp: a pair whose fields compared
  // here are all equal, in a state that needs no resume or reactivation, is not looked at.
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

  // `granted` is null for a create (build_create() makes it if the seat is granted).
  SeatNeed need(const DesiredAccount& d, std::unique_ptr<Draft> granted) const {
    SeatNeed n;
    n.desired = &d;
    n.since = scope_.queued_since(d.person, d.licence).value_or(scope_.now());
    n.granted = std::move(granted);
    return n;
  }

  void existing(const DesiredAccount& d, const Account& a) {
    const Diff changes = diff(d, a);
    const bool seat_move = changes.changes.licence && holds_seat(a.state);
    if (seat_move) {
      SeatNeed n = need(d, std::make_unique<Draft>(update(d, a, changes)));
      n.from_licence = a.licence;
      n.fallback = fallback(d, a, changes);
      plan_.needs.push_back(std::move(n));
    } else if (!changes.empty()) {
      plan_.drafts.push_back(update(d, a, changes));
    }
    if (a.state != AccountState::Suspended && a.state != AccountState::Deactivated) return;
    const std::string again = "desired again: " + why_granted(d);
    if (a.state == AccountState::Suspended) {
      plan_.drafts.push_back(draft(d, a.managed_by, ResumeOp{a.id}, plan_group::kResume, again));
      return;
    }
    auto reactivate = std::make_unique<Draft>(
        draft(d, a.managed_by, ReactivateOp{a.id}, plan_group::kReactivate, again));
    plan_.needs.push_back(need(d, std::move(reactivate)));
  }

  // The update without the change of licence type, for when no seat of the new type is
  // free: the role stays too when the new role may not hold the current licence.
  std::unique_ptr<Draft> fallback(const DesiredAccount& d, const Account& a, Diff changes) const {
    changes.changes.licence.reset();
    const Role* role = scope_.roles().find(d.role);
    if (changes.changes.role && !(role && role->may_hold(a.licence))) changes.changes.role.reset();
    if (changes.empty()) return nullptr;
    return std::make_unique<Draft>(update(d, a, changes));
  }

  void create(const DesiredAccount& d) {
    if (d.given_name.empty() || d.family_name.empty()) {
      notes_.push_back(who(d) + ": the source gives no given or family name; no account is created");
      return;
    }
    const Account* tpl = nullptr;
    if (!d.template_account.empty()) {
      tpl = scope_.account_by_ref(d.template_account);
      if (!tpl || leavers_.deleted[scope_.id_index(*tpl)]) {
        notes_.push_back(who(d) + ": template account '" + d.template_account +
                         "' does not exist; no account is created");
        return;
      }
      if (tpl->licence != d.licence) {
        notes_.push_back(who(d) + ": template account " + tpl->email + " has licence type '" +
                         tpl->licence + "', not '" + d.licence + "'; no account is created");
        return;
      }
    }
    if (!email_available(d, nullptr)) return;
    SeatNeed n = need(d, nullptr);
    n.template_account = tpl;
    plan_.needs.push_back(std::move(n));
  }

  const ReconcileScope& scope_;
  const LeaverPlan& leavers_;
  std::vector<std::string>& notes_;
  // Together with the scope's accounts, the emails in use when updates and creates are
  // applied: deleted accounts' emails are free again, those given to persons are not.
  struct Deleted {
    const Account* first = nullptr;
    std::size_t count = 0;  // how many accounts with this email the plan deletes
  };
  struct ByEmail {
    std::string_view operator()(const Deleted& d) const { return d.first->email; }
  };
  struct Itself {
    std::string_view operator()(std::string_view email) const { return email; }
  };
  EmailMap<Deleted, ByEmail> deleted_;
  EmailMap<std::string_view, Itself> given_;
  ChangePlan plan_;
};

}  // namespace

void build_create(const ReconcileScope& scope, const SeatNeed& need, PlannedOperation& out) {
  const DesiredAccount& d = *need.desired;
  CreateOp& create = out.op.emplace<CreateOp>();
  if (need.template_account) create.template_account = need.template_account->id;
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
  out.reason = why_granted(d);
  out.source = d.source;
  out.person = d.person;
  out.rule = d.rule;
  out.group = plan_group::kCreate;
  out.details = grant_details(d);
}

ChangePlan plan_changes(const ReconcileScope& scope, const std::vector<Pairing>& pairs,
                        const LeaverPlan& leavers, std::vector<std::string>& notes) {
  return ChangePlanner(scope, leavers, notes).run(pairs);
}

}  // namespace rosterd
