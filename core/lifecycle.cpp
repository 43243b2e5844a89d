#include "core/lifecycle.h"

#include <algorithm>
#include <type_traits>

#include "core/email.h"
#include "core/invariant_checks.h"
#include "core/try.h"

namespace rosterd {
namespace {

class Decider {
 public:
  Decider(const Actor& actor, StateView& view, const DecisionContext& ctx)
      : actor_(actor), ctx_(ctx), checks_(view, *ctx.roles, actor), view_(view) {}

  Result<Transition> operator()(const CreateOp& op);
  Result<Transition> operator()(const UpdateOp& op);
  Result<Transition> operator()(const SuspendOp& op);
  Result<Transition> operator()(const ResumeOp& op);
  Result<Transition> operator()(const DeactivateOp& op);
  Result<Transition> operator()(const ReactivateOp& op);
  Result<Transition> operator()(const LockOp& op);
  Result<Transition> operator()(const UnlockOp& op);
  Result<Transition> operator()(const ActivateOp& op);
  Result<Transition> operator()(const ReassignOp& op);
  Result<Transition> operator()(const DeleteOp& op);

 private:
  // A change of state only, after the actor check: the common shape of six operations.
  Result<Transition> change_state(std::string_view account_id, std::string_view verb,
                                  std::initializer_list<AccountState> allowed_from,
                                  AccountState to_or_enabled, bool to_enabled_state,
                                  bool guard_last_owner, std::string event_type);
  Event event(std::string type, const Account& account) const {
    return Event{ctx_.new_id(), std::move(type), account.space, account.id, {}};
  }
  Account touched(Account account) const {
    account.updated_at = ctx_.now;
    ++account.version;
    return account;
  }

  const Actor& actor_;
  const DecisionContext& ctx_;
  InvariantChecks checks_;
  StateView& view_;
};

Result<void> require_name(std::string_view value, std::string_view what) {
  if (!value.empty()) return {};
  return fail(ErrorCode::InvalidValue, std::string(what) + " is required");
}

Result<void> state_refusal(std::string_view verb, const Account& a) {
  return refuse(invariant::kState, "cannot " + std::string(verb) + " " + a.email +
                                       ": the account is " + std::string(to_string(a.state)));
}

Result<Transition> Decider::operator()(const CreateOp& op) {
  ROSTERD_ASSIGN(const Space space, checks_.space(op.space));
  ROSTERD_TRY(checks_.email_free(space.id, op.email));
  ROSTERD_TRY(require_name(op.given_name, "given name"));
  ROSTERD_TRY(require_name(op.family_name, "family name"));

  Account a;
  a.space = space.id;
  a.email = op.email;
  a.given_name = op.given_name;
  a.family_name = op.family_name;
  a.title = op.title;
  a.phone = op.phone;
  a.country = op.country;
  a.language = op.language;
  a.source_anchor = op.source_anchor;
  std::string template_email;
  if (op.template_account) {
    ROSTERD_ASSIGN(const Account tpl, checks_.target(*op.template_account));
    if (tpl.space != space.id)
      return fail(ErrorCode::InvalidValue, "template " + tpl.email + " is not in space '" + space.id + "'");
    if (op.licence && *op.licence != tpl.licence)
      return refuse(invariant::kTemplateLicence,
                    "a copy of " + tpl.email + " must have its licence type '" + tpl.licence +
                        "', not '" + *op.licence + "'");
    a.role = tpl.role;
    a.licence = tpl.licence;
    a.team = tpl.team;
    a.folders = tpl.folders;
    template_email = tpl.email;
  }
  if (op.role) a.role = *op.role;
  if (op.licence) a.licence = *op.licence;
  if (op.team) a.team = *op.team;
  for (const auto& f : op.folders)
    if (std::find(a.folders.begin(), a.folders.end(), f) == a.folders.end()) a.folders.push_back(f);
  ROSTERD_TRY(require_name(a.role, "role"));
  ROSTERD_TRY(require_name(a.licence, "licence type"));
  ROSTERD_ASSIGN(const Role* role, checks_.role(a.role));
  ROSTERD_TRY(checks_.licence_known(space, a.licence));
  ROSTERD_TRY(checks_.role_may_hold(*role, a.licence));
  ROSTERD_TRY(checks_.may_grant(space.id, *role));
  ROSTERD_TRY(checks_.seat_free(space, a.licence));

  a.managed_by = actor_.kind == Actor::Kind::Source ? actor_.id : std::string(kManualManager);
  a.id = ctx_.new_id();
  a.state = AccountState::Invited;
  a.created_at = a.updated_at = ctx_.now;
  a.version = 1;

  Transition t{"create", {}, {{space.id, a.licence, +1}}, {}};
  Event e = event("account.created", a);
  e.details = {{"role", a.role}, {"licence", a.licence}};
  if (!template_email.empty()) e.details.emplace_back("template", template_email);
  t.events.push_back(std::move(e));
  t.accounts.push_back(std::move(a));
  return t;
}

Result<Transition> Decider::operator()(const UpdateOp& op) {
  ROSTERD_ASSIGN(const Account before, checks_.target(op.account));
  ROSTERD_TRY(checks_.may_act_on(before));
  ROSTERD_ASSIGN(const Space space, checks_.space(before.space));
  Account after = before;
  const Profile& p = op.changes;
  std::vector<std::pair<std::string, std::string>> changes;
  auto set = [&](std::string& field, const std::optional<std::string>& value, const char* name) {
    if (value && *value != field) {
      changes.emplace_back(name, field + " -> " + *value);
      field = *value;
    }
  };
  if (p.email) ROSTERD_TRY(checks_.email_free(space.id, *p.email, before.id));
  if (p.given_name) ROSTERD_TRY(require_name(*p.given_name, "given name"));
  if (p.family_name) ROSTERD_TRY(require_name(*p.family_name, "family name"));
  set(after.email, p.email, "email");
  set(after.given_name, p.given_name, "given_name");
  set(after.family_name, p.family_name, "family_name");
  set(after.title, p.title, "title");
  set(after.phone, p.phone, "phone");
  set(after.team, p.team, "team");
  set(after.country, p.country, "country");
  set(after.language, p.language, "language");
  set(after.role, p.role, "role");
  set(after.licence, p.licence, "licence");
  if (changes.empty()) return Transition{"update", {}, {}, {}};

  ROSTERD_ASSIGN(const Role* role, checks_.role(after.role));
  ROSTERD_TRY(checks_.licence_known(space, after.licence));
  ROSTERD_TRY(checks_.role_may_hold(*role, after.licence));
  Transition t{"update", {}, {}, {}};
  if (after.role != before.role) {
    ROSTERD_TRY(checks_.may_grant(space.id, *role));
    if (before.role == kOwnerRole) ROSTERD_TRY(checks_.not_last_owner(before, "demote"));
  }
  if (after.licence != before.licence && holds_seat(before.state)) {
    ROSTERD_TRY(checks_.seat_free(space, after.licence));
    t.seats = {{space.id, before.licence, -1}, {space.id, after.licence, +1}};
    Event e = event("licence.changed", after);
    e.details = {{"from", before.licence}, {"to", after.licence}};
    t.events.push_back(std::move(e));
  }
  Event e = event("account.updated", after);
  e.details = std::move(changes);
  t.events.insert(t.events.begin(), std::move(e));
  t.accounts.push_back(touched(std::move(after)));
  return t;
}

Result<Transition> Decider::change_state(std::string_view account_id, std::string_view verb,
                                         std::initializer_list<AccountState> allowed_from,
                                         AccountState to, bool to_enabled_state,
                                         bool guard_last_owner, std::string event_type) {
  ROSTERD_ASSIGN(Account a, checks_.target(account_id));
  ROSTERD_TRY(checks_.may_act_on(a));
  if (std::find(allowed_from.begin(), allowed_from.end(), a.state) == allowed_from.end())
    return tl::unexpected(state_refusal(verb, a).error());
  if (guard_last_owner) ROSTERD_TRY(checks_.not_last_owner(a, verb));
  const AccountState from = a.state;
  a.state = to_enabled_state ? a.enabled_state() : to;
  Transition t{std::string(verb), {}, {}, {}};
  Event e = event(std::move(event_type), a);
  e.details = {{"from", std::string(to_string(from))}, {"to", std::string(to_string(a.state))}};
  t.events.push_back(std::move(e));
  t.accounts.push_back(touched(std::move(a)));
  return t;
}

using S = AccountState;

Result<Transition> Decider::operator()(const SuspendOp& op) {
  return change_state(op.account, "suspend", {S::Invited, S::Active, S::Locked}, S::Suspended,
                      false, true, "account.suspended");
}

Result<Transition> Decider::operator()(const ResumeOp& op) {
  return change_state(op.account, "resume", {S::Suspended}, S::Active, true, false,
                      "account.resumed");
}

Result<Transition> Decider::operator()(const LockOp& op) {
  return change_state(op.account, "lock", {S::Invited, S::Active}, S::Locked, false, false,
                      "account.locked");
}

Result<Transition> Decider::operator()(const UnlockOp& op) {
  return change_state(op.account, "unlock", {S::Locked}, S::Active, true, false,
                      "account.unlocked");
}

Result<Transition> Decider::operator()(const ActivateOp& op) {
  auto t = change_state(op.account, "activate", {S::Invited}, S::Active, false, false,
                        "account.activated");
  if (t) t->accounts.front().activated_at = ctx_.now;
  return t;
}

Result<Transition> Decider::operator()(const DeactivateOp& op) {
  auto t = change_state(op.account, "deactivate", {S::Invited, S::Active, S::Suspended, S::Locked},
                        S::Deactivated, false, true, "account.deactivated");
  if (t) {
    const Account& a = t->accounts.front();
    t->seats.push_back({a.space, a.licence, -1});  // every state it leaves holds a seat
  }
  return t;
}

Result<Transition> Decider::operator()(const ReactivateOp& op) {
  ROSTERD_ASSIGN(const Account a, checks_.target(op.account));
  ROSTERD_ASSIGN(const Space space, checks_.space(a.space));
  if (a.state == S::Deactivated) {
    ROSTERD_ASSIGN(const Role* role, checks_.role(a.role));
    ROSTERD_TRY(checks_.licence_known(space, a.licence));
    ROSTERD_TRY(checks_.role_may_hold(*role, a.licence));
    ROSTERD_TRY(checks_.may_act_on(a));
    ROSTERD_TRY(checks_.seat_free(space, a.licence));
  }
  auto t = change_state(op.account, "reactivate", {S::Deactivated}, S::Active, true, false,
                        "account.reactivated");
  if (t) t->seats.push_back({a.space, a.licence, +1});
  return t;
}

Result<Transition> Decider::operator()(const ReassignOp& op) {
  ROSTERD_ASSIGN(Account from, checks_.target(op.account));
  ROSTERD_TRY(checks_.may_act_on(from));
  if (!holds_seat(from.state)) return tl::unexpected(state_refusal("reassign", from).error());
  const auto today = std::chrono::floor<std::chrono::days>(ctx_.now);
  if (!op.effective.empty()) {
    const auto day = parse_date(op.effective);
    if (!day)
      return fail(ErrorCode::InvalidValue,
                  "effective date '" + op.effective + "' is not a date (YYYY-MM-DD)");
    // rosterd applies a reassignment when it is asked to; recording a future date while
    // the leaver already lost access would misstate what happened.
    if (*day > today)
      return fail(ErrorCode::InvalidValue,
                  "effective date " + op.effective +
                      " is in the future: run the reassignment on that date (rosterd does not "
                      "schedule operations)");
  }
  ROSTERD_TRY(checks_.email_free(from.space, op.to_email));
  ROSTERD_TRY(require_name(op.to_given_name, "given name of the new holder"));
  ROSTERD_TRY(require_name(op.to_family_name, "family name of the new holder"));

  // The new holder gets the leaver's seat, role, team and folders; the seat moves with
  // it, so the quota cannot refuse a reassign.
  Account to = from;
  to.id = ctx_.new_id();
  to.email = op.to_email;
  to.given_name = op.to_given_name;
  to.family_name = op.to_family_name;
  to.phone.clear();
  to.successor.clear();
  to.state = S::Invited;
  to.activated_at.reset();
  to.created_at = to.updated_at = ctx_.now;
  to.version = 1;
  // The source anchor belongs to the leaver's identity, not to the new person.
  to.source_anchor.clear();

  const std::string effective = op.effective.empty() ? format_date(today) : op.effective;
  Event reassigned = event("account.reassigned", to);
  reassigned.details = {{"from_account", from.id}, {"from_email", from.email},
                        {"to_email", to.email}, {"effective", effective}};
  Event handover = event("account.handover", from);
  handover.details = {{"to_account", to.id}, {"to_email", to.email}, {"effective", effective}};

  from.state = S::Deactivated;
  from.successor = to.id;
  Transition t{"reassign", {}, {}, {}};
  t.accounts.push_back(touched(std::move(from)));
  t.accounts.push_back(std::move(to));
  t.events.push_back(std::move(reassigned));
  t.events.push_back(std::move(handover));
  return t;
}

Result<Transition> Decider::operator()(const DeleteOp& op) {
  ROSTERD_ASSIGN(Account a, checks_.target(op.account));
  ROSTERD_TRY(checks_.may_act_on(a));
  ROSTERD_ASSIGN(const Space space, checks_.space(a.space));
  std::optional<Account> successor;
  if (op.successor) {
    ROSTERD_ASSIGN(auto found, view_.account(*op.successor));
    successor = std::move(found);
  } else if (!space.default_owner.empty()) {
    ROSTERD_ASSIGN(auto found, view_.account_by_email(space.id, space.default_owner));
    successor = std::move(found);
  } else {
    return refuse(invariant::kHandover, "deleting " + a.email +
                                            " needs a successor: name one, or set default_owner "
                                            "for space '" + space.id + "'");
  }
  if (!successor || successor->state == S::Deleted || successor->space != a.space)
    return refuse(invariant::kHandover,
                  "the successor for " + a.email + " does not exist in space '" + a.space + "'");
  if (successor->id == a.id)
    return refuse(invariant::kHandover, a.email + " cannot be its own successor");
  if (!is_enabled(successor->state))
    return refuse(invariant::kHandover, "the successor " + successor->email + " is " +
                                            std::string(to_string(successor->state)) +
                                            "; a successor must be active");
  ROSTERD_TRY(checks_.not_last_owner(a, "delete"));

  Transition t{"delete", {}, {}, {}};
  if (holds_seat(a.state)) t.seats.push_back({a.space, a.licence, -1});
  Event handover = event("account.handover", a);
  handover.details = {{"to_account", successor->id}, {"to_email", successor->email}};
  Event deleted = event("account.deleted", a);
  deleted.details = {{"from", std::string(to_string(a.state))}, {"successor", successor->email}};
  a.state = S::Deleted;
  a.successor = successor->id;
  t.events.push_back(std::move(handover));
  t.events.push_back(std::move(deleted));
  t.accounts.push_back(touched(std::move(a)));
  return t;
}

}  // namespace

Result<Transition> decide(const Operation& op, const Actor& actor, StateView& view,
                          const DecisionContext& ctx) {
  Decider decider(actor, view, ctx);
  return std::visit(decider, op);
}

}  // namespace rosterd
