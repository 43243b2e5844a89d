#include "core/reconcile_seats.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace rosterd {
namespace {

using Levels = std::map<std::string, std::int64_t, std::less<>>;

bool priority_before(const SeatNeed& a, const SeatNeed& b) {
  return std::tie(a.rule_index, a.since, a.first_seen, a.person, a.licence) <
         std::tie(b.rule_index, b.since, b.first_seen, b.person, b.licence);
}

class SeatAllocator {
 public:
  SeatAllocator(const ReconcileScope& scope, const std::map<std::string, std::int64_t>& freed,
                std::vector<SeatNeed> needs)
      : scope_(scope), owned_(std::move(needs)) {
    // Sorted by address: a need carries its whole operation, too heavy to move around.
    needs_.reserve(owned_.size());
    for (SeatNeed& n : owned_) needs_.push_back(&n);
    std::stable_sort(needs_.begin(), needs_.end(),
                     [](const SeatNeed* a, const SeatNeed* b) { return priority_before(*a, *b); });
    for (const Account* a : scope.accounts())
      if (holds_seat(a->state)) ++before_[a->licence];
    start_ = before_;
    for (const auto& [licence, count] : freed) start_[licence] -= count;
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
  bool fits(const Levels& level, const std::string& licence) const {
    const auto it = level.find(licence);
    return (it == level.end() ? 0 : it->second) + 1 <= scope_.total(licence);
  }

  // In priority order, each need that fits takes its seat. A change of licence type gives
  // a seat back: those already passed over for that type get a new look, first in
  // priority first, before anyone after them.
  std::vector<bool> grant(const std::vector<bool>& forbidden) const {
    std::vector<bool> granted(needs_.size(), false);
    std::map<std::string, std::set<std::size_t>, std::less<>> passed_over;
    Levels level = start_;
    for (std::size_t i = 0; i < needs_.size();) {
      const SeatNeed& n = *needs_[i];
      std::size_t next = i + 1;
      if (!granted[i] && !forbidden[i] && !fits(level, n.licence)) {
        passed_over[n.licence].insert(i);
      } else if (!granted[i] && !forbidden[i]) {
        granted[i] = true;
        passed_over[n.licence].erase(i);
        ++level[n.licence];
        if (!n.from_licence.empty()) {
          --level[n.from_licence];
          const auto& waiting = passed_over[n.from_licence];
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
      if (granted_[i] && !needs_[i]->from_licence.empty()) remaining.push_back(i);
    std::sort(remaining.begin(), remaining.end(), [this](std::size_t a, std::size_t b) {
      return std::make_tuple(std::string_view(needs_[a]->person),
                             operation_target(needs_[a]->granted.planned.op), a) <
             std::make_tuple(std::string_view(needs_[b]->person),
                             operation_target(needs_[b]->granted.planned.op), b);
    });
    Levels level = start_;
    for (int wave = 0; !remaining.empty(); ++wave) {
      std::vector<std::size_t> later;
      for (const std::size_t i : remaining) {
        if (!fits(level, needs_[i]->licence)) {
          later.push_back(i);
          continue;
        }
        waves[i] = wave;
        ++level[needs_[i]->licence];
        --level[needs_[i]->from_licence];
      }
      if (later.size() == remaining.size()) return later;
      remaining = std::move(later);
    }
    return {};
  }

  // Last step: moves the operations out of the needs.
  SeatAllocation result(const std::vector<int>& waves) {
    SeatAllocation out;
    out.drafts.reserve(needs_.size());
    Levels after = start_;
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      if (!granted_[i]) continue;
      ++after[needs_[i]->licence];
      if (!needs_[i]->from_licence.empty()) --after[needs_[i]->from_licence];
    }
    Levels position;
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      SeatNeed& n = *needs_[i];
      if (granted_[i]) {
        out.drafts.push_back(n.take_granted());
        out.drafts.back().wave = waves[i];
        continue;
      }
      if (n.fallback) out.drafts.push_back(std::move(*n.fallback));
      out.pending.push_back(PendingSeat{n.person, n.email, n.licence, n.rule, n.since,
                                        static_cast<std::size_t>(++position[n.licence]),
                                        "quota " + n.licence + " " +
                                            std::to_string(after[n.licence]) + "/" +
                                            std::to_string(scope_.total(n.licence))});
    }
    std::stable_sort(out.pending.begin(), out.pending.end(),
                     [](const PendingSeat& a, const PendingSeat& b) {
                       return std::tie(a.licence, a.position) < std::tie(b.licence, b.position);
                     });
    for (const auto& p : out.pending) out.queue.push_back(SeatClaim{p.person, p.licence, p.since});
    usage(out, after);
    return out;
  }

  void usage(SeatAllocation& out, const Levels& after) const {
    std::set<std::string> types;
    for (const auto& [licence, total] : scope_.policy().space.licences) types.insert(licence);
    for (const auto& [licence, used] : before_) types.insert(licence);
    std::set<std::pair<std::string, std::string>> queued;
    for (const auto& c : scope_.input().queue) queued.emplace(c.licence, c.person);
    for (const auto& t : types) {
      LicenceUsage b{scope_.space(), t, value(before_, t), scope_.total(t), 0};
      for (const auto& q : queued) b.pending += q.first == t ? 1 : 0;
      LicenceUsage a{scope_.space(), t, value(after, t), scope_.total(t), 0};
      for (const auto& p : out.pending) a.pending += p.licence == t ? 1 : 0;
      out.usage_before.push_back(b);
      out.usage_after.push_back(a);
    }
  }

  static std::int64_t value(const Levels& levels, const std::string& key) {
    const auto it = levels.find(key);
    return it == levels.end() ? 0 : it->second;
  }

  const ReconcileScope& scope_;
  std::vector<SeatNeed> owned_;
  std::vector<SeatNeed*> needs_;  // owned_ in priority order
  Levels before_, start_;
  std::vector<bool> granted_;
};

}  // namespace

SeatAllocation allocate_seats(const ReconcileScope& scope,
                              const std::map<std::string, std::int64_t>& freed,
                              std::vector<SeatNeed> needs) {
  return SeatAllocator(scope, freed, std::move(needs)).run();
}

}  // namespace rosterd
