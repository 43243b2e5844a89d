#include "core/reconcile_scope.h"

#include <algorithm>
#include <tuple>

#include "core/email.h"

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

template <typename T, typename Less>
std::vector<const T*> sorted_pointers(const std::vector<T>& values, Less less) {
  std::vector<const T*> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(&v);
  std::stable_sort(out.begin(), out.end(), less);
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
  for (const auto& a : input.current)
    if (a.state != AccountState::Deleted && a.space == space()) accounts_.push_back(&a);
  std::stable_sort(accounts_.begin(), accounts_.end(),
                   [](const Account* a, const Account* b) { return a->id < b->id; });
  for (const Account* a : accounts_) {
    by_id_.emplace(a->id, a);
    by_email_.emplace(email_key(a->email), a);  // first by id wins, as everywhere else
  }
  for (const auto& s : input.sources) {
    const auto [it, fresh] = sources_.emplace(s.id, &s);
    // Two statuses for one source: the less healthy one, so nothing is removed by mistake.
    auto key = [](const SourceStatus* x) {
      return std::make_tuple(x->state == "ok", x->state, x->problem, x->previous_count,
                             x->current_count);
    };
    if (!fresh && key(&s) < key(it->second)) it->second = &s;
  }
  for (const auto& c : input.queue) {
    const auto key = std::make_pair(c.person, c.licence);
    const auto [it, fresh] = queue_.emplace(key, c.since);
    if (!fresh) it->second = std::min(it->second, c.since);
  }
}

const Account* ReconcileScope::account(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

const Account* ReconcileScope::account_by_email(std::string_view email) const {
  const auto it = by_email_.find(email_key(email));
  return it == by_email_.end() ? nullptr : it->second;
}

const Account* ReconcileScope::account_by_ref(std::string_view ref) const {
  if (ref.empty()) return nullptr;
  if (const Account* a = account(ref)) return a;
  return account_by_email(ref);
}

const SourceStatus* ReconcileScope::source(std::string_view id) const {
  const auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : it->second;
}

std::optional<Timestamp> ReconcileScope::queued_since(std::string_view person,
                                                      std::string_view licence) const {
  const auto it = queue_.find(std::make_pair(std::string(person), std::string(licence)));
  if (it == queue_.end()) return std::nullopt;
  return it->second;
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
