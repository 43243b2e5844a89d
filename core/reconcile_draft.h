// The intermediate values reconcile()'s steps pass to each other: an operation before the
// plan is ordered, and a person waiting for a seat. Internal to reconcile.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/desired.h"
#include "core/operation.h"
#include "core/timestamp.h"

namespace rosterd {

// Plan groups, in the order a plan lists and applies them: promotions first so that a
// new owner exists before an old one goes; everything that frees a seat before anything
// that takes one.
namespace plan_group {
inline constexpr const char* kPromote = "promote";
inline constexpr const char* kDeactivate = "deactivate";
inline constexpr const char* kSuspend = "suspend";
inline constexpr const char* kDelete = "delete";
inline constexpr const char* kDemote = "demote";
inline constexpr const char* kChangeLicence = "change-licence";
inline constexpr const char* kUpdate = "update";
inline constexpr const char* kResume = "resume";
inline constexpr const char* kReactivate = "reactivate";
inline constexpr const char* kCreate = "create";
}  // namespace plan_group

struct Draft {
  PlannedOperation planned;
  // Within change-licence: an operation that takes a seat another change gives back comes
  // in a later wave, so every operation finds its seat free when it is applied.
  int wave = 0;
};

// Someone who needs a seat this plan may or may not have: a create, a reactivation, or a
// seat holder whose licence type changes. Lean, because a long queue means a need for
// everyone waiting: what the desired person says is read through `desired`.
struct SeatNeed {
  const DesiredAccount* desired = nullptr;  // person, email, rule, licence (the seat it needs)
  std::string_view from_licence;  // a seat holder changing type: the seat it gives back
  Timestamp since{};
  const Account* template_account = nullptr;  // a create from a template
  // The operation when the seat is there. A create has none until its seat is granted
  // (build_create()): with a long queue most creates wait, and an operation is many strings.
  std::unique_ptr<Draft> granted;
  std::unique_ptr<Draft> fallback;  // what still goes in when the seat is not there
  bool is_create() const { return !granted; }
};

// The first steps' results that the later ones read.
struct LeaverPlan {
  std::vector<Draft> drafts;
  std::vector<bool> leaving;  // by ReconcileScope::id_index(): deactivated, suspended or deleted
  std::vector<bool> deleted;  // by id_index(): deleted
  // The accounts whose seat the plan gives back (one per id), each of its licence type.
  std::vector<const Account*> frees;
  // The earliest delete_after_days deadline still to come (ReconcileResult::next_deadline).
  std::optional<Timestamp> next_deadline;
};

struct ChangePlan {
  std::vector<Draft> drafts;  // operations that need no seat
  std::vector<SeatNeed> needs;
};

}  // namespace rosterd
