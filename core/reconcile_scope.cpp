#include "core/reconcile_scope.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <tuple>

namespace rosterd {
namespace {

// Total orders over every field, so that equal keys (which a correct caller never
// sends) still sort the same way whatever order they came in.
bool desired_before(const DesiredAccount* a, const DesiredAccount* b) {
  return std::tie(a->person, a->source, a->anchor, a->email, a->rule, a->role, a->licence) <
         std::tie(b->person, b->source, b->anchor, b->email, b->rule, b->role, b->licence);
}

bool excluded_before(const ExcludedPerson* a, const ExcludedPerson* b) {
  return std::tie(a->person, a->source, a->anchor, a->email, a->reason, a->manager_email,
                  a->rule_handover) < std::tie(b->person, b->source, b->anchor, b->email,
                                               b->reason, b->manager_email, b->rule_handover);
}

// The rules engine and the store already list things in order: checking is linear, a
// sort is not.
template <typename T, typename Less>
void stable_sort_unless_sorted(std::vector<const T*>& values, Less less) {
  if (!std::is_sorted(values.begin(), values.end(), less))
    std::stable_sort(values.begin(), values.end(), less);
}

// A stable sort by id that mostly compares integers: the ids' first eight bytes, big-endian
// (the order of their bytes), read once; whole ids only when those are equal.
void sort_by_id(std::vector<const Account*>& accounts) {
  auto less = [](const Account* a, const Account* b) { return a->id < b->id; };
  if (std::is_sorted(accounts.begin(), accounts.end(), less)) return;
  struct Key {
    std::uint64_t prefix;
    const Account* account;
  };
  std::vector<Key> keys;
  keys.reserve(accounts.size());
  for (const Account* a : accounts) {
    unsigned char bytes[8] = {};
    std::memcpy(bytes, a->id.data(), std::min<std::size_t>(8, a->id.size()));
    std::uint64_t prefix = 0;
    for (const unsigned char b : bytes) prefix = prefix << 8 | b;
    keys.push_back({prefix, a});
  }
  std::stable_sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
    return x.prefix != y.prefix ? x.prefix < y.prefix : less(x.account, y.account);
  });
  for (std::size_t i = 0; i < keys.size(); ++i) accounts[i] = keys[i].account;
}

template <typename T, typename Less>
std::vector<const T*> sorted_pointers(const std::vector<T>& values, Less less) {
  std::vector<const T*> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(&v);
  stable_sort_unless_sorted(out, less);
  return out;
}

}  // namespace

ReconcileScope::ReconcileScope(const ReconcileInput& input, std::vector<std::string>& notes)
    : input_(input) {
  if (input.roles) {
    roles_ = input.roles;
  } else {
    built_in_ = RoleCatalogue::built_in();
    roles_ = &*built_in_;
  }
  for (const auto* d : sorted_pointers(input.desired.accounts, desired_before)) {
    if (!desired_.empty() && desired_.back()->person == d->person) {
      notes.push_back("person " + d->person + " is desired twice (sources " +
                      desired_.back()->source + " and " + d->source + "); the second is ignored");
      continue;
    }
    desired_.push_back(d);
  }
  excluded_ = sorted_pointers(input.desired.excluded, excluded_before);
  index_sources();
  index_accounts();
  queue_.reserve(input.queue.size());
  for (const auto& c : input.queue) {
    const auto [claim, fresh] = queue_.emplace(Claim{&c, c.since});
    if (!fresh) claim->since = std::min(claim->since, c.since);
  }
}

void ReconcileScope::index_sources() {
  for (const auto& s : input_.sources) {
    const auto [it, fresh] = sources_.emplace(s.id, &s);
    // Two statuses for one source: the less healthy one, so nothing is removed by mistake.
    auto key = [](const SourceStatus* x) {
      return std::make_tuple(x->state == "ok", x->state, x->problem, x->previous_count,
                             x->current_count);
    };
    if (!fresh && key(&s) < key(it->second)) it->second = &s;
  }
}

void ReconcileScope::count_account(const Account& first_with_id, const Account& a) {
  if (first_with_id.role == kOwnerRole && is_enabled(first_with_id.state)) ++enabled_owners_;
  if (a.state != AccountState::Deactivated) ++not_deactivated_;
  if (!holds_seat(a.state)) return;
  const auto held = std::find_if(seats_held_.begin(), seats_held_.end(),
                                 [&](const auto& entry) { return entry.first == a.licence; });
  if (held != seats_held_.end()) ++held->second;
  else seats_held_.emplace_back(a.licence, 1);
}

void ReconcileScope::index_accounts() {
  accounts_.reserve(input_.current.size());
  for (const auto& a : input_.current)
    if (a.state != AccountState::Deleted && a.space == space()) accounts_.push_back(&a);
  sort_by_id(accounts_);
  facts_.assign(input_.current.size(), Facts{});
  std::vector<EmailEntry> emails;
  emails.reserve(accounts_.size());
  std::vector<const Account*> anchored;
  anchored.reserve(accounts_.size());
  const Account* first = nullptr;  // of those with a's id: equal ids are adjacent
  for (const Account* a : accounts_) {
    if (!first || first->id != a->id) {
      first = a;
      ++id_count_;
    }
    Facts& f = facts(*a);
    f.id_index = id_count_ - 1;
    f.first_with_email = true;
    f.managed_by_source = !a->is_manual() && source(a->managed_by) != nullptr;
    count_account(*first, *a);
    emails.push_back(EmailEntry{a, 1});
    if (f.managed_by_source && !a->source_anchor.empty()) anchored.push_back(a);
  }
  // Of equal keys, the first by id is kept, as everywhere else.
  by_id_.insert_all(accounts_, [](const Account*, const Account*) {});
  by_email_.insert_all(emails, [this](EmailEntry& kept, const EmailEntry& other) {
    ++kept.count;
    facts(*other.first).first_with_email = false;
  });
  by_anchor_.insert_all(anchored, [](const Account*, const Account*) {});
}

const Account* ReconcileScope::account(std::string_view id) const {
  const auto* found = by_id_.find(id);
  return found ? *found : nullptr;
}

const Account* ReconcileScope::account_by_email(std::string_view email) const {
  const auto* found = by_email_.find(email);
  return found ? found->first : nullptr;
}

std::size_t ReconcileScope::accounts_with_email(std::string_view email) const {
  const auto* found = by_email_.find(email);
  return found ? found->count : 0;
}

const Account* ReconcileScope::account_by_ref(std::string_view ref) const {
  if (ref.empty()) return nullptr;
  if (const Account* a = account(ref)) return a;
  return account_by_email(ref);
}

const Account* ReconcileScope::account_by_anchor(std::string_view source,
                                                 std::string_view anchor) const {
  const auto* found = by_anchor_.find(ViewPair(source, anchor));
  return found ? *found : nullptr;
}

const SourceStatus* ReconcileScope::source(std::string_view id) const {
  const auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : it->second;
}

std::optional<Timestamp> ReconcileScope::queued_since(std::string_view person,
                                                      std::string_view licence) const {
  const auto* claim = queue_.find(ViewPair(person, licence));
  if (!claim) return std::nullopt;
  return claim->since;
}

int ReconcileScope::rank(std::string_view role) const {
  const Role* r = roles_->find(role);
  return r ? r->rank : 0;
}

std::int64_t ReconcileScope::total(std::string_view licence) const {
  const auto& pools = input_.policy.space.licences;
  const auto it = pools.find(licence);
  return it == pools.end() ? 0 : it->second;
}

}  // namespace rosterd
