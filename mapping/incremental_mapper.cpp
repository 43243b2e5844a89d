#include "mapping/incremental_mapper.h"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mapping/compiled_space.h"
#include "mapping/desired_edits.h"
#include "mapping/group_changes.h"
#include "mapping/identity_hash.h"
#include "mapping/space_evaluation.h"
#include "mapping/space_ref.h"

namespace rosterd {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;
constexpr std::size_t kNowhere = DesiredEdits::kNowhere;

// One identity of the space as last seen: what is needed to tell whether it changed and
// to find its person, not the identity itself.
struct Slot {
  std::string id;
  std::string key;            // correlation key, lower case; empty: none
  std::uint64_t hash = 0;     // hash_identity
  std::uint64_t email = 0;    // hash_primary_email
  std::uint64_t manager = 0;  // the ref_hash it is registered under in `dependents`, if registered
  std::uint32_t index = 0;    // in the Directory of the last update
  std::uint32_t seen = 0;     // the generation of the last update that saw it
  int rank = -1;              // source precedence; -1: a free slot
  bool registered = false;
};

// The indexes below are keyed by 64-bit hashes and hold every slot with that hash: a
// lookup checks the slot itself, so two names with one hash cost a comparison, never a
// wrong answer (and in `dependents`, at worst a person evaluated for nothing).
using SlotIndex = std::unordered_multimap<std::uint64_t, std::uint32_t>;

std::uint64_t ref_hash(int rank, std::string_view id) {
  return hash_bytes(id, 0x7265660000000000ULL + static_cast<std::uint64_t>(rank));
}
std::uint64_t key_hash(std::string_view key) { return hash_bytes(key, 0x6b6579); }

void erase_pair(SlotIndex& index, std::uint64_t hash, std::uint32_t slot) {
  const auto [begin, end] = index.equal_range(hash);
  for (auto it = begin; it != end; ++it)
    if (it->second == slot) {
      index.erase(it);
      return;
    }
}

// A person without a correlation key: one identity, named by (rank, id).
struct Keyless {
  int rank = 0;
  std::string id;
  auto operator<=>(const Keyless&) const = default;
};

struct Change {
  std::uint32_t slot;
  bool fresh;  // not in the previous Directory
};

}  // namespace

struct IncrementalMapper::Impl {
  explicit Impl(const CompiledSpace& s) : space(s) {}

  const CompiledSpace& space;
  DesiredState state;
  Stats stats;
  bool built = false, taken = false;
  std::uint32_t generation = 0;

  std::vector<Slot> slots;
  std::vector<std::uint32_t> free_slots;
  std::size_t live = 0;
  SlotIndex by_ref;      // ref_hash(rank, id) -> the slot
  SlotIndex by_key;      // key_hash(key) -> the slots of the person with that key
  SlotIndex dependents;  // ref_hash of a manager reference -> the first slots of the people naming it
  std::vector<std::uint32_t> order, next_order;  // per Directory index: its slot, or kNone
  GroupChanges groups;
  RefSet affected_groups;

  std::vector<std::string> dirty_keys;
  std::vector<Keyless> dirty_keyless;
  std::string ref;
  std::vector<std::uint32_t> members;

  const DesiredState& update(const Directory& d);
  std::uint32_t find_slot(int rank, std::string_view id) const;
  void find_members(const std::string& key);
  void reset();
  bool scan(const Directory& d, std::vector<Change>& changed, std::size_t& matched);
  std::uint32_t new_slot(int rank, std::string_view id);
  void mark(const Slot& s);
  void mark_dependents(std::uint32_t slot);
  void unregister(std::uint32_t slot);
  void on_changed(const Change& c, SpaceEvaluation& run, const Directory& d);
  void on_gone(std::uint32_t slot);
  void mark_group_members(const Directory& d);
  void evaluate_dirty(SpaceEvaluation& run, const Directory& d);
  void evaluate(SpaceEvaluation& run, std::span<const SpaceIdentity> person,
                std::span<const std::uint32_t> member_slots, std::size_t account, std::size_t excluded,
                DesiredEdits& edits);
};

void IncrementalMapper::Impl::reset() {
  state = DesiredState{};
  state.space = space.space;
  slots.clear();
  free_slots.clear();
  live = 0;
  by_ref.clear();
  by_key.clear();
  dependents.clear();
  order.clear();
  groups.clear();
  built = taken = false;
}

const DesiredState& IncrementalMapper::Impl::update(const Directory& d) {
  stats = {};
  const bool scratch = !built || taken;
  if (scratch) {
    reset();
    slots.reserve(d.people.size());
    by_ref.reserve(d.people.size());
  }
  stats.from_scratch = scratch;
  ++generation;
  stats.groups_changed = groups.diff(d, space, affected_groups);

  std::vector<Change> changed;
  std::size_t matched = 0;
  const std::size_t live_before = live;
  if (!scan(d, changed, matched)) {
    // Two identities with one (source, id): not something to track; evaluate it all.
    reset();
    state = evaluate_everyone(space, d);
    stats.from_scratch = true;
    return state;
  }
  std::vector<std::uint32_t> gone;
  if (matched < live_before)
    for (std::uint32_t s = 0; s < slots.size(); ++s)
      if (slots[s].rank >= 0 && slots[s].seen != generation) gone.push_back(s);
  stats.identities_changed = changed.size() + gone.size();
  built = true;
  if (changed.empty() && gone.empty() && affected_groups.empty()) return state;

  SpaceEvaluation run(space, d, [this, &d](std::string_view source, std::string_view id) -> const DirectoryPerson* {
    const std::uint32_t s = find_slot(space.source_rank(source), id);
    return s == kNone ? nullptr : &d.people[slots[s].index];
  });
  dirty_keys.clear();
  dirty_keyless.clear();
  if (scratch) {
    dirty_keys.reserve(changed.size());
    by_key.reserve(changed.size());
  }
  for (const Change& c : changed) on_changed(c, run, d);
  for (const std::uint32_t s : gone) on_gone(s);
  if (!scratch && !affected_groups.empty()) mark_group_members(d);
  evaluate_dirty(run, d);
  if (scratch) {  // what evaluating everyone needed, not kept for updates of a few
    dirty_keys = {};
    dirty_keyless = {};
    affected_groups = {};
  }
  return state;
}

// Finds every identity of the space in `d` (at the same position as last time, else by
// ref) and records its position and whether its fingerprint changed. False if two
// identities share a ref.
bool IncrementalMapper::Impl::scan(const Directory& d, std::vector<Change>& changed, std::size_t& matched) {
  next_order.assign(d.people.size(), kNone);
  for (std::size_t i = 0; i < d.people.size(); ++i) {
    const DirectoryPerson& p = d.people[i];
    const int rank = space.source_rank(p.source);
    if (rank < 0) continue;
    std::uint32_t s = kNone;
    if (i < order.size() && order[i] != kNone) {
      const Slot& at = slots[order[i]];
      if (at.rank == rank && at.id == p.id) s = order[i];
    }
    if (s == kNone) s = find_slot(rank, p.id);
    const std::uint64_t hash = hash_identity(p);
    if (s == kNone) {
      s = new_slot(rank, p.id);
      changed.push_back({s, true});
    } else {
      if (slots[s].seen == generation) return false;
      ++matched;
      if (slots[s].hash != hash) changed.push_back({s, false});
    }
    Slot& slot = slots[s];
    slot.seen = generation;
    slot.index = static_cast<std::uint32_t>(i);
    slot.hash = hash;
    next_order[i] = s;
  }
  std::swap(order, next_order);
  return true;
}

std::uint32_t IncrementalMapper::Impl::new_slot(int rank, std::string_view id) {
  std::uint32_t s;
  if (!free_slots.empty()) {
    s = free_slots.back();
    free_slots.pop_back();
  } else {
    s = static_cast<std::uint32_t>(slots.size());
    slots.emplace_back();
  }
  Slot& slot = slots[s];
  slot.rank = rank;
  slot.id = id;
  by_ref.emplace(ref_hash(rank, id), s);
  ++live;
  return s;
}

std::uint32_t IncrementalMapper::Impl::find_slot(int rank, std::string_view id) const {
  if (rank < 0) return kNone;
  const auto [begin, end] = by_ref.equal_range(ref_hash(rank, id));
  for (auto it = begin; it != end; ++it)
    if (slots[it->second].rank == rank && slots[it->second].id == id) return it->second;
  return kNone;
}

// The slots of the person with `key` into `members`, by source precedence and id.
void IncrementalMapper::Impl::find_members(const std::string& key) {
  members.clear();
  const auto [begin, end] = by_key.equal_range(key_hash(key));
  for (auto it = begin; it != end; ++it)
    if (slots[it->second].key == key) members.push_back(it->second);
  std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
    return slots[a].rank != slots[b].rank ? slots[a].rank < slots[b].rank : slots[a].id < slots[b].id;
  });
}

// The person `s` belongs to is to be evaluated again.
void IncrementalMapper::Impl::mark(const Slot& s) {
  if (s.key.empty())
    dirty_keyless.push_back({s.rank, s.id});
  else
    dirty_keys.push_back(s.key);
}

void IncrementalMapper::Impl::mark_dependents(std::uint32_t slot) {
  const auto [begin, end] = dependents.equal_range(ref_hash(slots[slot].rank, slots[slot].id));
  for (auto it = begin; it != end; ++it) mark(slots[it->second]);
}

void IncrementalMapper::Impl::unregister(std::uint32_t slot) {
  Slot& s = slots[slot];
  if (!s.registered) return;
  erase_pair(dependents, s.manager, slot);
  s.registered = false;
}

void IncrementalMapper::Impl::on_changed(const Change& c, SpaceEvaluation& run, const Directory& d) {
  Slot& s = slots[c.slot];
  const DirectoryPerson& p = d.people[s.index];
  if (!c.fresh) mark(s);  // the person it was part of
  std::string key = run.key_of(p);
  if (c.fresh || key != s.key) {
    if (!s.key.empty()) erase_pair(by_key, key_hash(s.key), c.slot);
    if (!key.empty()) by_key.emplace(key_hash(key), c.slot);
    s.key = std::move(key);
  }
  mark(s);  // the person it is part of now
  const std::uint64_t email = hash_primary_email(p);
  if (c.fresh || email != s.email) {
    s.email = email;
    mark_dependents(c.slot);
  }
}

void IncrementalMapper::Impl::on_gone(std::uint32_t slot) {
  Slot& s = slots[slot];
  mark(s);
  if (!s.key.empty()) erase_pair(by_key, key_hash(s.key), slot);
  mark_dependents(slot);
  unregister(slot);
  erase_pair(by_ref, ref_hash(s.rank, s.id), slot);
  s = Slot{};
  free_slots.push_back(slot);
  --live;
}

// People in a group whose closure may have changed (GroupChanges).
void IncrementalMapper::Impl::mark_group_members(const Directory& d) {
  for (std::size_t i = 0; i < d.people.size(); ++i) {
    if (order[i] == kNone) continue;
    const Slot& s = slots[order[i]];
    for (const auto& id : d.people[i].groups)
      if (affected_groups.contains(space_ref(ref, s.rank, id))) {
        mark(s);
        break;
      }
  }
}

void IncrementalMapper::Impl::evaluate_dirty(SpaceEvaluation& run, const Directory& d) {
  std::sort(dirty_keyless.begin(), dirty_keyless.end());
  dirty_keyless.erase(std::unique(dirty_keyless.begin(), dirty_keyless.end()), dirty_keyless.end());
  std::sort(dirty_keys.begin(), dirty_keys.end());
  dirty_keys.erase(std::unique(dirty_keys.begin(), dirty_keys.end()), dirty_keys.end());

  DesiredEdits edits(state, space);
  edits.reserve(dirty_keys.size());
  std::vector<SpaceIdentity> person;
  // People without a key come first in DesiredState, then people by key.
  for (const Keyless& k : dirty_keyless) {
    const std::size_t old = edits.excluded_without_key(k.rank, k.id);
    const std::uint32_t s = find_slot(k.rank, k.id);
    if (s != kNone && slots[s].key.empty()) {
      person.assign(1, SpaceIdentity{{}, k.rank, &d.people[slots[s].index]});
      evaluate(run, person, std::span(&s, 1), kNowhere, old, edits);
    } else {
      edits.remove(kNowhere, old);
    }
  }
  for (const std::string& key : dirty_keys) {
    const std::size_t account = edits.account_of(key), excluded = edits.excluded_of(key);
    find_members(key);
    if (members.empty()) {
      edits.remove(account, excluded);
      continue;
    }
    person.clear();
    for (const std::uint32_t s : members)
      person.push_back(SpaceIdentity{key, slots[s].rank, &d.people[slots[s].index]});
    evaluate(run, person, members, account, excluded, edits);
  }
  edits.apply();
}

// Evaluates one person, puts the outcome in place of the old one or among the additions,
// and registers the person under the manager reference of its first identity.
void IncrementalMapper::Impl::evaluate(SpaceEvaluation& run, std::span<const SpaceIdentity> person,
                                       std::span<const std::uint32_t> member_slots, std::size_t account,
                                       std::size_t excluded, DesiredEdits& edits) {
  run.evaluate(person);
  ++stats.people_evaluated;
  for (const std::uint32_t s : member_slots) unregister(s);
  if (const std::string_view manager = run.manager_id(); !manager.empty()) {
    const std::uint32_t first = member_slots.front();
    Slot& s = slots[first];
    s.manager = ref_hash(s.rank, manager);
    s.registered = true;
    dependents.emplace(s.manager, first);
  }
  if (run.decision().excluded.empty())
    edits.put(run.account(person), account, excluded);
  else
    edits.put(run.excluded(person), account, excluded);
}

// ---- IncrementalMapper ---------------------------------------------------------------------

IncrementalMapper::IncrementalMapper(const RuleSet& rules)
    : impl_(std::make_unique<Impl>(rules.compiled())) {
  impl_->state.space = impl_->space.space;
}
IncrementalMapper::IncrementalMapper(IncrementalMapper&&) noexcept = default;
IncrementalMapper& IncrementalMapper::operator=(IncrementalMapper&&) noexcept = default;
IncrementalMapper::~IncrementalMapper() = default;

const DesiredState& IncrementalMapper::update(const Directory& directory) { return impl_->update(directory); }
const DesiredState& IncrementalMapper::desired() const { return impl_->state; }
const IncrementalMapper::Stats& IncrementalMapper::stats() const { return impl_->stats; }

DesiredState IncrementalMapper::take() {
  impl_->taken = true;
  return std::move(impl_->state);
}

void IncrementalMapper::give_back(DesiredState&& state) {
  impl_->state = std::move(state);
  impl_->taken = false;
}

}  // namespace rosterd
