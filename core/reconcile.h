// reconcile(): the desired state against the accounts that exist -> the plan that makes
// them agree, within licence quotas and the safety rules (DESIGN.md section 2). Pure and
// deterministic: the same input gives a byte-identical plan (canonical_text()), and
// applying a plan then reconciling again gives a plan without operations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/account.h"
#include "core/desired.h"
#include "core/operation.h"
#include "core/role_catalogue.h"
#include "core/space.h"
#include "core/timestamp.h"

namespace rosterd {

enum class LeaveAction { Deactivate, Suspend, Delete };

struct SpacePolicy {
  Space space;  // id, licence totals, default owner (email)
  LeaveAction on_leave = LeaveAction::Deactivate;
  int delete_after_days = 0;  // 0: never delete automatically
  std::int64_t max_destructive_count = 50;
  int max_destructive_percent = 10;
};

// What rosterd knows about a source of the space when it plans.
struct SourceStatus {
  std::string id;
  // ok | failed | incomplete | never (an LDAP source not read yet). A SCIM source is ok.
  std::string state = "ok";
  std::string problem;               // the last read's error, for messages
  std::int64_t previous_count = 0;   // identities at the last applied plan
  std::int64_t current_count = 0;    // identities now
};

// A person waiting for a seat, persisted between plans so the queue keeps its order.
struct SeatClaim {
  std::string person;
  std::string licence;
  Timestamp since{};  // when they first qualified for a seat they could not get
  bool operator==(const SeatClaim&) const = default;
};

struct ReconcileInput {
  SpacePolicy policy;
  const RoleCatalogue* roles = nullptr;
  DesiredState desired;
  std::vector<Account> current;      // the space's accounts, deleted ones excluded, manual ones included
  std::vector<SeatClaim> queue;      // from the previous plans
  std::vector<SourceStatus> sources; // every source of the space
  Timestamp now{};
};

struct PendingSeat {
  std::string person;
  std::string email;
  std::string licence;
  std::string rule;
  Timestamp since{};
  std::size_t position = 0;  // 1-based place in the queue of its licence type
  std::string reason;        // "quota recruiter 25/25"
};

// Why a plan must not be applied without an administrator's review.
struct PlanBlock {
  std::string kind;     // destructive-threshold | source-unhealthy | source-empty | last-owner
  std::string message;  // complete sentence for people
};

struct ReconcileResult {
  Plan plan;  // operations in a stable order (see reconcile.cpp), each with a reason
  std::vector<PendingSeat> pending;
  std::vector<SeatClaim> queue;  // the queue to persist when the plan is applied
  std::vector<LicenceUsage> usage_before, usage_after;  // ordered by licence type
  std::vector<PlanBlock> blocks;  // empty: safe to apply
  std::size_t destructive = 0;    // deactivate, suspend, delete, demotion, licence removal
  // What reconcile left alone and an administrator should know, one sentence each: a
  // person whose email belongs to a manual account, a template account that does not
  // exist, a leaver's account whose source is unknown or unhealthy, a delete without any
  // possible successor.
  std::vector<std::string> notes;
  // When time alone would change the plan of these inputs, or of what applying this plan
  // leaves: the earliest moment a leaver's account, waiting in the on_leave state, reaches
  // delete_after_days (for one this plan deactivates or suspends: now + days, as it starts
  // waiting when applied). Nothing else reconcile() decides depends on the clock, so a plan
  // made before then is the same plan (`serve` plans the space again at that moment,
  // daemon/reconcile/reconciler.h).
  std::optional<Timestamp> next_deadline;
};

ReconcileResult reconcile(const ReconcileInput& input);

// Deterministic text of everything reconcile() reads, for the input hash a stored plan
// carries: `rosterd apply PLAN_ID` recomputes it and refuses when the store moved on.
std::string canonical_text(const ReconcileInput& input);
// The same text in pieces, for hashing it without holding it: at 100,000 people the
// whole text is some 100 MB.
void write_canonical_text(const ReconcileInput& input,
                          const std::function<void(std::string_view)>& sink);

}  // namespace rosterd
