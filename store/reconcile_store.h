// What reconcile needs from the store besides accounts: the plans it stored (so that
// `rosterd apply PLAN_ID` applies exactly what was reviewed), the seat queue kept between
// plans, the state of each source, and the audit chain's verification. Implemented over
// store/sql next to the AccountStore, on the same database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/reconcile.h"
#include "core/timestamp.h"
#include "store/source_state.h"

namespace rosterd {

struct StoredPlan {
  std::string id;          // random, url-safe
  std::string space;
  Timestamp created_at{};
  std::string input_hash;  // "sha256:<hex>" of canonical_text() of the inputs
  // planned (safe, not applied yet) | blocked | applied | superseded (a newer plan of the
  // space was stored) | refused (its inputs had changed when someone tried to apply it)
  std::string state = "planned";
  std::string blocked_reason;  // the blocks' messages, one per line
  std::string body;            // the plan as JSON (daemon/plan_json), what apply executes
  std::optional<Timestamp> applied_at;
  std::string applied_by;      // actor label, e.g. "operator:root"
};

// A space whose identities changed since its last reconcile (the identity writer's
// record() asks for one; the oldest request of a space is kept).
struct ReconcileRequest {
  std::string space;
  Timestamp requested_at{};
};

struct AuditVerification {
  std::size_t rows = 0;  // rows checked
  bool ok = true;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // "row 17 was modified", "row 18 is missing (deleted)"
};

class ReconcileStore {
 public:
  virtual ~ReconcileStore() = default;

  // Stores a new plan; any older planned/blocked plan of the same space becomes superseded.
  // ErrorCode::Uniqueness if the id is taken.
  virtual Result<void> save_plan(const StoredPlan& plan) = 0;
  virtual Result<std::optional<StoredPlan>> plan(std::string_view id) = 0;
  // The newest plans first (by created_at, then the order they were stored in); of one
  // space when given; limit 0 = all.
  virtual Result<std::vector<StoredPlan>> plans(std::optional<std::string_view> space,
                                                std::size_t limit) = 0;
  // Marks a plan applied/refused/blocked. An audit row ("plan.applied", "plan.blocked",
  // "plan.refused", with the plan id and the reason) is written in the same transaction.
  // applied: applied_at = now, applied_by = actor; blocked: blocked_reason = note.
  // ErrorCode::InvalidValue for another state, NotFound for an unknown id,
  // PreconditionFailed for a plan already applied (an applied plan is history).
  virtual Result<void> set_plan_state(std::string_view id, std::string_view state,
                                      std::string_view actor, std::string_view note) = 0;

  // In the order after_apply() was given it.
  virtual Result<std::vector<SeatClaim>> seat_queue(std::string_view space) = 0;
  // Replaces the space's queue (after a plan was applied), and records each source's
  // identity count (current_count) as the count "at the last applied plan", in one
  // transaction.
  virtual Result<void> after_apply(std::string_view space, const std::vector<SeatClaim>& queue,
                                   const std::vector<SourceStatus>& sources) = 0;

  // Ordered by source.
  virtual Result<std::vector<SourceState>> source_states() = 0;
  // Upserts one source's row (pollers; SCIM sources are ok by nature). identity_count is
  // only written when the row is new: after_apply() owns it, so a poller that fills a
  // fresh SourceState does not reset it.
  virtual Result<void> set_source_state(const SourceState& state) = 0;

  // Oldest first.
  virtual Result<std::vector<ReconcileRequest>> reconcile_requests() = 0;
  // Removes the space's request if it is still the one read (requested_at equal); false
  // when there was none or it was another.
  virtual Result<bool> clear_reconcile_request(std::string_view space, Timestamp requested_at) = 0;

  // Walks the audit log's hash chain from the first row (store/sql/audit_chain.h). A
  // tampered log is ok = false, not an error; an error is a store that cannot be read.
  virtual Result<AuditVerification> verify_audit() = 0;
};

}  // namespace rosterd
