#include "core/reconcile_owners.h"

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace rosterd {
namespace {

class OwnerReplay {
 public:
  explicit OwnerReplay(const ReconcileScope& scope)
      : scope_(scope), owners_(scope.enabled_owners()) {}

  std::vector<OwnerRefusal> run(const std::vector<const PlannedOperation*>& operations) {
    const bool had_owner = owners_ > 0;
    for (const PlannedOperation* p : operations)
      std::visit([this](const auto& op) { step(op); }, p->op);
    return had_owner ? refused_ : std::vector<OwnerRefusal>{};
  }

 private:
  // An account as the plan leaves it so far. Only the accounts the plan touches get one.
  struct Owner {
    std::string_view id, email, role;  // views into the input and the plan
    AccountState state;
  };
  static bool owner(const Owner& o) { return o.role == kOwnerRole && is_enabled(o.state); }

  // Whether the owner `o` may go (decide() wants another enabled owner); records the
  // refusal otherwise.
  bool may_remove(const Owner& o, std::string_view verb) {
    if (owners_ > 1) {
      --owners_;
      return true;
    }
    refused_.push_back({std::string(o.id), std::string(verb) + " " + std::string(o.email)});
    return false;
  }

  Owner* find(std::string_view id) {
    if (const auto it = touched_.find(id); it != touched_.end()) return &it->second;
    const Account* a = scope_.account(id);
    if (!a) return nullptr;
    return &touched_.emplace(a->id, Owner{a->id, a->email, a->role, a->state}).first->second;
  }

  void step(const UpdateOp& op) {
    if (!op.changes.role) return;
    Owner* o = find(op.account);
    if (!o) return;
    const bool was = owner(*o);
    Owner next = *o;
    next.role = *op.changes.role;
    if (was && !owner(next) && !may_remove(*o, "demote")) return;
    if (!was && owner(next)) ++owners_;
    *o = next;
  }
  void leave(std::string_view id, AccountState to, std::string_view verb) {
    Owner* o = find(id);
    if (!o || (owner(*o) && !may_remove(*o, verb))) return;
    o->state = to;
  }
  void back(std::string_view id) {
    Owner* o = find(id);
    if (!o) return;
    if (o->role == kOwnerRole && !is_enabled(o->state)) ++owners_;
    o->state = AccountState::Active;
  }
  void step(const DeactivateOp& op) { leave(op.account, AccountState::Deactivated, "deactivate"); }
  void step(const SuspendOp& op) { leave(op.account, AccountState::Suspended, "suspend"); }
  void step(const DeleteOp& op) { leave(op.account, AccountState::Deleted, "delete"); }
  void step(const ResumeOp& op) { back(op.account); }
  void step(const ReactivateOp& op) { back(op.account); }
  void step(const CreateOp& op) {
    if (op.role && *op.role == kOwnerRole) ++owners_;
  }
  template <typename Other>
  void step(const Other&) {}

  const ReconcileScope& scope_;
  std::unordered_map<std::string_view, Owner> touched_;  // by id
  std::int64_t owners_ = 0;
  std::vector<OwnerRefusal> refused_;
};

}  // namespace

std::vector<OwnerRefusal> last_owner_refusals(
    const ReconcileScope& scope, const std::vector<const PlannedOperation*>& operations) {
  return OwnerReplay(scope).run(operations);
}

}  // namespace rosterd
