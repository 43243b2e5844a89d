// The account operations of DESIGN.md section 1 as values. A plan is a list of them; the
// admin CLI builds one at a time. Targets are account ids: callers resolve emails first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/facts.h"

namespace rosterd {

struct Profile {  // fields an update may change; nullopt = leave as is
  std::optional<std::string> email, given_name, family_name, title, phone, team, country,
      language, role, licence;
  bool operator==(const Profile&) const = default;
};

struct CreateOp {
  std::string space;
  std::string email;
  std::string given_name;
  std::string family_name;
  std::optional<std::string> role;     // may come from the template
  std::optional<std::string> licence;  // may come from the template; must equal it if both
  std::optional<std::string> team;
  std::string title, phone, country, language;
  std::optional<std::string> template_account;  // account id to copy role/licence/team/folders from
  std::vector<std::string> folders;
  std::string source_anchor;  // set by sources
};
struct UpdateOp { std::string account; Profile changes; };
struct SuspendOp { std::string account; };
struct ResumeOp { std::string account; };
struct DeactivateOp { std::string account; };
struct ReactivateOp { std::string account; };
struct LockOp { std::string account; };
struct UnlockOp { std::string account; };
struct ActivateOp { std::string account; };  // first login: invited -> active
struct ReassignOp {
  std::string account;
  std::string to_email, to_given_name, to_family_name;
  std::string effective;  // YYYY-MM-DD; empty = now
};
struct DeleteOp {
  std::string account;
  std::optional<std::string> successor;  // account id; default: the space's default owner
};

using Operation = std::variant<CreateOp, UpdateOp, SuspendOp, ResumeOp, DeactivateOp,
                               ReactivateOp, LockOp, UnlockOp, ActivateOp, ReassignOp, DeleteOp>;

// "create", "update", ... — stable names used in audit rows and JSON.
std::string_view operation_name(const Operation& op);
// The target account id, empty for a create.
std::string_view operation_target(const Operation& op);

// Who asks for an operation. The invariants depend on it: a source may only touch the
// accounts it manages; an account acting in the admin panel needs a role that manages
// users, and only an owner may act on owners.
struct Actor {
  enum class Kind { Operator, Account, Source };
  Kind kind = Kind::Operator;
  std::string id;  // operator name, account id, or source id

  static Actor operator_named(std::string name) { return {Kind::Operator, std::move(name)}; }
  static Actor account(std::string id) { return {Kind::Account, std::move(id)}; }
  static Actor source(std::string id) { return {Kind::Source, std::move(id)}; }
  std::string label() const;  // "operator:root", "account:<id>", "source:okta"
};

struct PlannedOperation {
  Operation op;
  std::string reason;  // human-readable: why this operation is in the plan
  // Planned by reconcile(): the source applying it (Actor::source; empty: the caller's
  // actor), the person (correlation key) and rule it concerns, the plan group it is
  // listed under (create, update, promote, demote, change-licence, suspend, resume,
  // deactivate, reactivate, delete, reassign) and the facts that caused it, which go
  // into its audit rows.
  std::string source;
  std::string person;
  std::string rule;
  std::string group;
  SharedFacts details;
};

struct Plan {
  std::vector<PlannedOperation> operations;
};

// Operations that take something away: deactivate, suspend, delete, a demotion (a role of
// lower rank) or a licence removed or changed to another type. The safety threshold
// counts them.
bool is_destructive_group(std::string_view group);

}  // namespace rosterd
