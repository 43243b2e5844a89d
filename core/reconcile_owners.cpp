#include "core/reconcile_owners.h"

#include <cstdint>
#include <map>
#include <string_view>
#include <variant>

namespace rosterd {
namespace {

class OwnerReplay {
 public:
  explicit OwnerReplay(const ReconcileScope& scope) {
    for (const Account* a : scope.accounts()) {
      const Owner& o = accounts_.emplace(a->id, Owner{a->id, a->email, a->role, a->state}).first->second;
      if (owner(o)) ++owners_;
    }
  }

  std::vector<OwnerRefusal> run(const Plan& plan) {
    const bool had_owner = owners_ > 0;
    for (const auto& p : plan.operations) std::visit([this](const auto& op) { step(op); }, p.op);
    return had_owner ? refused_ : std::vector<OwnerRefusal>{};
  }

 private:
  struct Owner {
    std::string id, email, role;
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
    refused_.push_back({o.id, std::string(verb) + " " + o.email});
    return false;
  }

  Owner* find(const std::string& id) {
    const auto it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
  }

  void step(const UpdateOp& op) {
    Owner* o = find(op.account);
    if (!o || !op.changes.role) return;
    const bool was = owner(*o);
    Owner next = *o;
    next.role = *op.changes.role;
    if (was && !owner(next) && !may_remove(*o, "demote")) return;
    if (!was && owner(next)) ++owners_;
    *o = next;
  }
  void leave(const std::string& id, AccountState to, std::string_view verb) {
    Owner* o = find(id);
    if (!o || (owner(*o) && !may_remove(*o, verb))) return;
    o->state = to;
  }
  void back(const std::string& id) {
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

  std::map<std::string, Owner, std::less<>> accounts_;
  std::int64_t owners_ = 0;
  std::vector<OwnerRefusal> refused_;
};

}  // namespace

std::vector<OwnerRefusal> last_owner_refusals(const ReconcileScope& scope, const Plan& plan) {
  return OwnerReplay(scope).run(plan);
}

}  // namespace rosterd
