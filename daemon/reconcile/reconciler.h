// The reconcile loop of `rosterd serve`. Every SCIM write (and, later, every poll) marks
// its space in the store's reconcile queue, in the same transaction as the change. This
// thread looks at the queue every `poll` and reconciles a space once its oldest request
// is `debounce` old: a burst of writes from an identity provider gives one plan, not
// hundreds, and no space waits more than about debounce + poll. Each run plans, stores,
// and applies unless blocked (a blocked plan waits for an administrator: `rosterd apply
// --allow-destructive ID`). Because the queue lives in the store, a request survives a
// restart, and the first pass after start reconciles every space.
//
// Several instances on one database: only the leader (daemon/service/leadership.h) runs
// plans. A standby leaves the queue alone, so the requests its own SCIM writes queue are
// found by the leader's next look at the queue, like its own. The leader checks that it
// still leads before each space and between the transactions of a plan's apply; a run
// cut short leaves the rest of the plan to whoever leads next. Gaining the leadership is
// like a start: the first pass reconciles every space (the previous leader may have
// taken a request off the queue and died before its run ended).
//
// Time alone can change a plan: a leaver's account waiting in the on_leave state is
// deleted once delete_after_days have passed (ReconcileResult::next_deadline). Each run
// notes its space's next deadline, and the space is planned again when it comes, with no
// write to queue it. A run that fails (the database went away, say) is tried again after
// `retry_after_failure`, doubled after each failure up to `retry_at_most`: the request
// that queued it was taken off the queue before the run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "daemon/reconcile/plan_runner.h"

namespace rosterd {

struct ReconcilerOptions {
  std::chrono::milliseconds poll{500};
  std::chrono::milliseconds debounce{1000};
  std::chrono::milliseconds retry_after_failure{5000};
  std::chrono::milliseconds retry_at_most{300000};
  // Told of each run that planned something (stored, then applied or blocked), on the
  // reconciler's thread: serve's metrics count the plan operations.
  std::function<void(const SpaceRun&)> on_run;
  // Whether this instance leads (Leadership::is_leader); empty: always (a lone instance).
  std::function<bool()> is_leader;
  // Held through each run, and by the directory pollers' full reads: a plan and a full
  // read each hold a whole space in memory (at 100,000 people some 300 MB), and at start,
  // when every space is planned while every directory is read, the two at once reached
  // 650 MB. Empty: not shared.
  std::mutex* large_work = nullptr;
};

class Reconciler {
 public:
  // `accounts` is the reconciler's own connection (a store is used by one thread).
  Reconciler(std::shared_ptr<const Planner> planner, std::unique_ptr<AccountStore> accounts,
             IdentityStore& identities, ReconcilerOptions options = {});
  ~Reconciler();  // stop()

  void start();
  // Finishes the run in progress (a plan being applied is applied completely), then stops.
  void stop();
  // A reload: the next run uses these rules and reconciles every space. The run in
  // progress keeps the old ones.
  void replace_planner(std::shared_ptr<const Planner> planner);

 private:
  void loop();
  bool leads() const { return !options_.is_leader || options_.is_leader(); }
  // false: the queue could not be read, and nothing was run.
  bool run_due(bool everything);
  void run_one(const std::shared_ptr<const Planner>& planner, const std::string& space);
  void plan_again_at(const std::string& space, std::optional<Timestamp> at, const char* why);
  IncrementalMapper* mapper_for(const std::shared_ptr<const Planner>& planner, const std::string& space);

  std::shared_ptr<const Planner> planner_;
  std::unique_ptr<AccountStore> accounts_;
  IdentityStore& identities_;
  ReconcilerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool everything_ = false;  // reconcile every space on the next pass (after a reload)
  std::thread thread_;
  // One mapper per space, kept between runs so that a run after a few SCIM writes maps
  // only the people they touched; built on the rules of `mappers_planner_` (replaced with
  // it). Used by the reconciler's thread only.
  std::shared_ptr<const Planner> mappers_planner_;
  std::map<std::string, IncrementalMapper, std::less<>> mappers_;
  // When each space is to be planned again though nothing queued it (a deadline, or a
  // retry). Used by the reconciler's thread only; lost on restart, when every space is
  // planned anyway.
  std::map<std::string, Timestamp, std::less<>> again_at_;
  std::map<std::string, std::chrono::milliseconds, std::less<>> retry_delay_;  // after the last failure
};

}  // namespace rosterd
