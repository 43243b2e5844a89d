#include "daemon/reconcile/reconciler.h"

#include <algorithm>
#include <utility>

#include "core/timestamp.h"
#include "daemon/log.h"
#include "daemon/reconcile/plan_report.h"
#include "store/store_options.h"

namespace rosterd {

Reconciler::Reconciler(std::shared_ptr<const Planner> planner, std::unique_ptr<AccountStore> accounts,
                       IdentityStore& identities, ReconcilerOptions options)
    : planner_(std::move(planner)), accounts_(std::move(accounts)), identities_(identities), options_(options) {}

Reconciler::~Reconciler() { stop(); }

void Reconciler::start() { thread_ = std::thread([this] { loop(); }); }

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Reconciler::replace_planner(std::shared_ptr<const Planner> planner) {
  {
    std::lock_guard lock(mutex_);
    planner_ = std::move(planner);
    everything_ = true;  // new rules: every space may have another desired state
  }
  wake_.notify_all();
}

void Reconciler::loop() {
  bool everything = false;  // every space on this pass: a reload, a start, gaining the leadership
  bool leading = false;     // at the previous pass: a start is like gaining the leadership
  while (true) {
    const bool leads_now = leads();
    everything = everything || (leads_now && !leading);
    // A pass that could not read the queue is made again, every space included if it was to.
    if (leads_now && run_due(everything)) everything = false;
    leading = leads_now;
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.poll, [this] { return stopping_ || everything_; }) && stopping_)
      return;
    everything = std::exchange(everything_, false) || everything;
  }
}

bool Reconciler::run_due(bool everything) {
  std::shared_ptr<const Planner> planner;
  {
    std::lock_guard lock(mutex_);
    planner = planner_;
  }
  auto requests = accounts_->reconcile().reconcile_requests();
  if (!requests) {
    log_event("error", "reconcile_queue_unreadable", {{"error", requests.error().message}});
    return false;
  }
  const Timestamp now = system_now();
  std::map<std::string, const ReconcileRequest*, std::less<>> request_of;
  std::vector<std::string> spaces;
  for (const ReconcileRequest& r : *requests) {
    if (!planner->config().find_space(r.space)) continue;  // a space no longer configured
    request_of.emplace(r.space, &r);
    if (everything || now - r.requested_at >= options_.debounce) spaces.push_back(r.space);
  }
  const auto listed = [&spaces](const std::string& id) {
    return std::find(spaces.begin(), spaces.end(), id) != spaces.end();
  };
  for (const SpaceConfig& s : planner->config().spaces) {
    const auto again = again_at_.find(s.space.id);
    const bool time_has_come = again != again_at_.end() && again->second <= now;
    if ((everything || time_has_come) && !listed(s.space.id)) spaces.push_back(s.space.id);
  }
  for (const std::string& space : spaces) {
    // A space not run stays queued for whoever leads next (who starts with every space).
    if (!leads()) return true;
    // Cleared before the run, even a request still within its debounce (this run reads
    // what it asks for): a write that lands during the run marks the space again.
    if (const auto r = request_of.find(space); r != request_of.end())
      if (auto cleared = accounts_->reconcile().clear_reconcile_request(space, r->second->requested_at); !cleared)
        log_event("error", "reconcile_queue_unwritable", {{"space", space}, {"error", cleared.error().message}});
    run_one(planner, space);
  }
  return true;
}

IncrementalMapper* Reconciler::mapper_for(const std::shared_ptr<const Planner>& planner,
                                          const std::string& space) {
  if (mappers_planner_ != planner) {  // new rules: the mappers of the old ones go with them
    mappers_.clear();
    mappers_planner_ = planner;
  }
  const RuleSet* rules = planner->rules(space);
  if (!rules) return nullptr;
  auto it = mappers_.find(space);
  if (it == mappers_.end()) it = mappers_.emplace(space, IncrementalMapper(*rules)).first;
  return &it->second;
}

void Reconciler::run_one(const std::shared_ptr<const Planner>& planner, const std::string& space) {
  PlanRunOptions options;
  options.actor = Actor::operator_named("reconciler");
  options.apply = true;
  options.keep_applying = options_.is_leader;
  const auto started = std::chrono::steady_clock::now();
  IncrementalMapper* mapper = mapper_for(planner, space);
  std::unique_lock<std::mutex> one_large_job;
  if (options_.large_work) one_large_job = std::unique_lock<std::mutex>(*options_.large_work);
  auto run = run_space(*planner, space, *accounts_, identities_, options, system_now(), mapper);
  // The plan borrowed the mapper's desired state; a failed run loses it (the next run then
  // maps everyone again).
  if (run && mapper) mapper->give_back(std::move(run->plan.input.desired));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!run) {
    if (leads()) {
      log_event("error", "reconcile_failed", {{"space", space}, {"error", run.error().message}});
      const auto last = retry_delay_.find(space);
      const auto delay = last == retry_delay_.end() ? options_.retry_after_failure
                                                    : std::min(last->second * 2, options_.retry_at_most);
      retry_delay_.insert_or_assign(space, delay);
      plan_again_at(space, system_now() + delay, "retry");
    } else {  // the leadership went during the run: whoever leads next plans the rest
      log_event("warning", "reconcile_interrupted", {{"space", space}, {"error", run.error().message}});
    }
    return;
  }
  retry_delay_.erase(space);
  plan_again_at(space, run->plan.result.next_deadline, "delete_after_days");
  if (options_.on_run && run->stored) options_.on_run(*run);
  const std::string plan_id = run->stored ? run->stored->id : std::string();
  if (run->blocked && !run->outcome) {
    std::string reasons;
    for (const PlanBlock& b : run->plan.result.blocks) reasons += (reasons.empty() ? "" : " | ") + b.message;
    log_event("warning", "plan_blocked", {{"space", space}, {"plan", plan_id}, {"reason", reasons},
                                          {"operations", std::to_string(run->plan.result.plan.operations.size())}});
    return;
  }
  if (!run->outcome) return;  // nothing to do
  log_event("info", "plan_applied", {{"space", space},
                                     {"plan", plan_id},
                                     {"applied", std::to_string(run->outcome->applied)},
                                     {"unchanged", std::to_string(run->outcome->unchanged)},
                                     {"refused", std::to_string(run->outcome->refused.size())},
                                     {"pending", std::to_string(run->plan.result.pending.size())},
                                     {"ms", std::to_string(ms.count())}});
  for (const auto& [index, error] : run->outcome->refused)
    log_event("warning", "operation_refused",
              {{"space", space}, {"plan", plan_id},
               {"operation", describe_operation(run->plan.result.plan.operations[index], run->plan)},
               {"error", error.message}});
}

void Reconciler::plan_again_at(const std::string& space, std::optional<Timestamp> at, const char* why) {
  const auto it = again_at_.find(space);
  if (!at) {
    if (it != again_at_.end()) again_at_.erase(it);
    return;
  }
  if (it != again_at_.end() && it->second == *at) return;  // told already
  again_at_.insert_or_assign(space, *at);
  log_event("info", "reconcile_scheduled", {{"space", space}, {"at", format_timestamp(*at)}, {"why", why}});
}

}  // namespace rosterd
