// The intermediate values reconcile()'s steps pass to each other: an operation before the
// plan is ordered, and a person waiting for a seat. Internal to reconcile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
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
// seat holder whose licence type changes.
struct SeatNeed {
  std::string person;
  std::string email;
  std::string rule;
  std::string licence;       // the seat it needs
  std::string from_licence;  // a seat holder changing type: the seat it gives back
  int rule_index = 0;
  Timestamp since{};
  Timestamp first_seen{};
  Draft granted;                  // the operation when the seat is there
  std::optional<Draft> fallback;  // what still goes in when it is not
  // A create is built only if its seat is granted (build_granted() replaces `granted`):
  // with a long queue most creates wait, and an operation is many strings to copy.
  std::function<Draft()> build;
  Draft take_granted() { return build ? build() : std::move(granted); }
};

// The first steps' results that the later ones read.
struct LeaverPlan {
  std::vector<Draft> drafts;
  std::set<std::string> leaving;            // account ids deactivated, suspended or deleted
  std::set<std::string> deleted;            // account ids deleted
  std::map<std::string, std::string> frees;  // account id -> the licence type of the seat it gives back
};

struct ChangePlan {
  std::vector<Draft> drafts;  // operations that need no seat
  std::vector<SeatNeed> needs;
};

}  // namespace rosterd
