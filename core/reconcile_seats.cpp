#include "core/reconcile_seats.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace rosterd {
namespace {

// Licence types by number, so that seat levels are vectors and each need's type is looked
// up once. A space has a handful of types: a linear search is the fastest look-up.
class LicenceTypes {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  std::size_t id(std::string_view name) {
    if (const std::size_t found = find(name); found != kNone) return found;
    names_.push_back(name);
    return names_.size() - 1;
  }
  std::size_t find(std::string_view name) const {
    const auto it = std::find(names_.begin(), names_.end(), name);
    return it == names_.end() ? kNone : static_cast<std::size_t>(it - names_.begin());
  }
  std::size_t size() const { return names_.size(); }
  std::string_view name(std::size_t id) const { return names_[id]; }

  // Every id, in the order of the types' names.
  std::vector<std::size_t> by_name() const {
    std::vector<std::size_t> out(names_.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
    std::sort(out.begin(), out.end(),
              [this](std::size_t a, std::size_t b) { return names_[a] < names_[b]; });
    return out;
  }

 private:
  std::vector<std::string_view> names_;  // views into the input and `freed`, which outlive it
};

using Levels = std::vector<std::int64_t>;  // seats in use, by licence type id

// The needs in priority order. The keys are copied out of the needs so that the sort
// reads one array (people are compared only when everything before them ties); the
// index ends every tie, which makes the order that of a stable sort.
std::vector<SeatNeed*> by_priority(std::vector<SeatNeed>& needs) {
  struct Key {
    int rule_index;
    Timestamp since, first_seen;
    const DesiredAccount* desired;
    std::size_t index;
  };
  std::vector<Key> keys;
  keys.reserve(needs.size());
  for (std::size_t i = 0; i < needs.size(); ++i) {
    const DesiredAccount& d = *needs[i].desired;
    keys.push_back({d.rule_index, needs[i].since, d.first_seen, &d, i});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.rule_index != b.rule_index) return a.rule_index < b.rule_index;
    if (a.since != b.since) return a.since < b.since;
    if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
    return std::tie(a.desired->person, a.desired->licence, a.index) <
           std::tie(b.desired->person, b.desired->licence, b.index);
  });
  std::vector<SeatNeed*> out;
  out.reserve(keys.size());
  for (const Key& k : keys) out.push_back(&needs[k.index]);
  return out;
}

class SeatAllocator {
 public:
  SeatAllocator(const ReconcileScope& scope, const std::map<std::string, std::int64_t>& freed,
                std::vector<SeatNeed>& needs)
      : scope_(scope), needs_(by_priority(needs)) {
    // Every type a level may count, before the levels are sized.
    for (const auto& entry : scope.policy().space.licences) types_.id(entry.first);
    std::vector<std::pair<std::size_t, std::int64_t>> held;
    for (const auto& [licence, count] : scope.seats_held())
      held.emplace_back(types_.id(licence), count);
    licence_.reserve(needs_.size());
    from_.reserve(needs_.size());
    for (const SeatNeed* n : needs_) {
      licence_.push_back(types_.id(n->desired->licence));
      from_.push_back(n->from_licence.empty() ? LicenceTypes::kNone : types_.id(n->from_licence));
    }
    std::vector<std::size_t> freed_ids;
    for (const auto& entry : freed) freed_ids.push_back(types_.id(entry.first));

    before_.assign(types_.size(), 0);
    for (const auto& [t, count] : held) before_[t] += count;
    start_ = before_;
    std::size_t k = 0;
    for (const auto& entry : freed) start_[freed_ids[k++]] -= entry.second;
    for (std::size_t t = 0; t < types_.size(); ++t) totals_.push_back(scope.total(types_.name(t)));
  }

  SeatAllocation run() {
    std::vector<bool> forbidden(needs_.size(), false);
    std::vector<int> waves;
    for (;;) {
      granted_ = grant(forbidden);
      const auto stuck = schedule(waves);
      if (stuck.empty()) break;
      // Changes of licence type that can only swap seats among full pools: the one of
      // lowest priority waits, and the allocation starts again without it.
      forbidden[*std::max_element(stuck.begin(), stuck.end())] = true;
    }
    return result(waves);
  }

 private:
  bool fits(const Levels& level, std::size_t licence) const {
    return level[licence] + 1 <= totals_[licence];
  }

  // In priority order, each need that fits takes its seat. A change of licence type gives
  // a seat back: those already passed over for that type get a new look, first in
  // priority first, before anyone after them.
  std::vector<bool> grant(const std::vector<bool>& forbidden) const {
    std::vector<bool> granted(needs_.size(), false);
    std::vector<std::set<std::size_t>> passed_over(types_.size());
    Levels level = start_;
    for (std::size_t i = 0; i < needs_.size();) {
      std::size_t next = i + 1;
      if (!granted[i] && !forbidden[i] && !fits(level, licence_[i])) {
        passed_over[licence_[i]].insert(i);
      } else if (!granted[i] && !forbidden[i]) {
        granted[i] = true;
        passed_over[licence_[i]].erase(i);
        ++level[licence_[i]];
        if (from_[i] != LicenceTypes::kNone) {
          --level[from_[i]];
          const auto& waiting = passed_over[from_[i]];
          if (!waiting.empty() && *waiting.begin() < i) next = *waiting.begin();
        }
      }
      i = next;
    }
    return granted;
  }

  // Plans list changes of licence type by person; decide() applies them one by one and
  // each must find its seat free. A change that needs the seat another gives back goes
  // in a later wave. Returns the granted changes that no order can apply.
  std::vector<std::size_t> schedule(std::vector<int>& waves) const {
    waves.assign(needs_.size(), 0);
    std::vector<std::size_t> remaining;
    for (std::size_t i = 0; i < needs_.size(); ++i)
      if (granted_[i] && from_[i] != LicenceTypes::kNone) remaining.push_back(i);
    std::sort(remaining.begin(), remaining.end(), [this](std::size_t a, std::size_t b) {
      return std::make_tuple(std::string_view(needs_[a]->desired->person),
                             operation_target(needs_[a]->granted->planned.op), a) <
             std::make_tuple(std::string_view(needs_[b]->desired->person),
                             operation_target(needs_[b]->granted->planned.op), b);
    });
    Levels level = start_;
    for (int wave = 0; !remaining.empty(); ++wave) {
      std::vector<std::size_t> later;
      for (const std::size_t i : remaining) {
        if (!fits(level, licence_[i])) {
          later.push_back(i);
          continue;
        }
        waves[i] = wave;
        ++level[licence_[i]];
        --level[from_[i]];
      }
      if (later.size() == remaining.size()) return later;
      remaining = std::move(later);
    }
    return {};
  }

  SeatAllocation result(const std::vector<int>& waves) const {
    SeatAllocation out;
    out.outcomes.reserve(needs_.size());
    Levels after = start_;
    std::vector<std::vector<std::size_t>> waiting(types_.size());  // by type, in priority order
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      out.outcomes.push_back({needs_[i], granted_[i], granted_[i] ? waves[i] : 0});
      if (!granted_[i]) {
        waiting[licence_[i]].push_back(i);
        continue;
      }
      ++after[licence_[i]];
      if (from_[i] != LicenceTypes::kNone) --after[from_[i]];
    }
    pending(out, waiting, after);
    usage(out, after, waiting);
    return out;
  }

  // The waiting by licence type (by name), each type's in priority order: their place in
  // its queue. Only they get a PendingSeat (and its strings).
  void pending(SeatAllocation& out, const std::vector<std::vector<std::size_t>>& waiting,
               const Levels& after) const {
    std::size_t count = 0;
    for (const auto& w : waiting) count += w.size();
    out.pending.reserve(count);
    out.queue.reserve(count);
    for (const std::size_t t : types_.by_name()) {
      if (waiting[t].empty()) continue;
      const std::string reason = "quota " + std::string(types_.name(t)) + " " +
                                 std::to_string(after[t]) + "/" + std::to_string(totals_[t]);
      std::size_t position = 0;
      for (const std::size_t i : waiting[t]) {
        const SeatNeed& n = *needs_[i];
        const DesiredAccount& d = *n.desired;
        out.pending.push_back(
            PendingSeat{d.person, d.email, d.licence, d.rule, n.since, ++position, reason});
        out.queue.push_back(SeatClaim{d.person, d.licence, n.since});
      }
    }
  }

  // By type, in name order: the policy's types and those some account holds.
  void usage(SeatAllocation& out, const Levels& after,
             const std::vector<std::vector<std::size_t>>& waiting) const {
    std::set<std::string_view> types;
    for (const auto& entry : scope_.policy().space.licences) types.insert(entry.first);
    for (std::size_t t = 0; t < types_.size(); ++t)
      if (before_[t] > 0) types.insert(types_.name(t));
    // (licence, person) of the queue the plan starts from, each pair once.
    std::vector<ViewPair> queued;
    queued.reserve(scope_.input().queue.size());
    for (const auto& c : scope_.input().queue) queued.emplace_back(c.licence, c.person);
    std::sort(queued.begin(), queued.end());
    queued.erase(std::unique(queued.begin(), queued.end()), queued.end());
    for (const std::string_view t : types) {
      const auto [first, last] = std::equal_range(
          queued.begin(), queued.end(), ViewPair(t, {}),
          [](const ViewPair& a, const ViewPair& b) { return a.first < b.first; });
      const std::size_t id = types_.find(t);  // every type in `types` has one
      const std::int64_t total = scope_.total(t);
      out.usage_before.push_back(
          LicenceUsage{scope_.space(), std::string(t), before_[id], total, last - first});
      out.usage_after.push_back(LicenceUsage{scope_.space(), std::string(t), after[id], total,
                                             static_cast<std::int64_t>(waiting[id].size())});
    }
  }

  const ReconcileScope& scope_;
  std::vector<SeatNeed*> needs_;  // in priority order
  LicenceTypes types_;
  std::vector<std::size_t> licence_, from_;  // by need: the type it needs, the type it gives back
  Levels before_, start_;
  std::vector<std::int64_t> totals_;  // by type
  std::vector<bool> granted_;
};

}  // namespace

SeatAllocation allocate_seats(const ReconcileScope& scope,
                              const std::map<std::string, std::int64_t>& freed,
                              std::vector<SeatNeed>& needs) {
  return SeatAllocator(scope, freed, needs).run();
}

}  // namespace rosterd
