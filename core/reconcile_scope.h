// The input of reconcile() put in a deterministic order and indexed, for the steps of
// reconcile.cpp: each step reads the scope, never the caller's lists, so a plan does not
// depend on the order in which the store or the rules engine listed things. Internal to
// reconcile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/account.h"
#include "core/desired.h"
#include "core/reconcile.h"
#include "core/role_catalogue.h"
#include "core/view_map.h"

namespace rosterd {

class ReconcileScope {
 public:
  // Borrows `input`, which must outlive the scope. Duplicate desired persons (a rules
  // engine bug) keep the first in the sorted order and are reported in `notes`.
  ReconcileScope(const ReconcileInput& input, std::vector<std::string>& notes);
  ReconcileScope(const ReconcileScope&) = delete;
  ReconcileScope& operator=(const ReconcileScope&) = delete;

  const ReconcileInput& input() const { return input_; }
  const SpacePolicy& policy() const { return input_.policy; }
  const std::string& space() const { return input_.policy.space.id; }
  Timestamp now() const { return input_.now; }
  const RoleCatalogue& roles() const { return *roles_; }

  // Sorted by person (desired, excluded), by id (accounts), by licence then person (queue).
  const std::vector<const DesiredAccount*>& desired() const { return desired_; }
  const std::vector<const ExcludedPerson*>& excluded() const { return excluded_; }
  // The space's accounts that are not deleted, manual ones included.
  const std::vector<const Account*>& accounts() const { return accounts_; }

  const Account* account(std::string_view id) const;
  const Account* account_by_email(std::string_view email) const;  // case-insensitive
  // How many of accounts() have this email, case-insensitively (more than one: a store
  // that broke its own uniqueness; the first by id is account_by_email()).
  std::size_t accounts_with_email(std::string_view email) const;
  // The account whose id or email (case-insensitive) is `ref`.
  const Account* account_by_ref(std::string_view ref) const;
  // Of the accounts a source of the space manages, the first by id with this source and
  // anchor.
  const Account* account_by_anchor(std::string_view source, std::string_view anchor) const;
  // The source's status; nullptr when it is not a source of the space.
  const SourceStatus* source(std::string_view id) const;
  // Every source of the space by id (of two statuses for one id, the less healthy).
  const std::map<std::string, const SourceStatus*, std::less<>>& sources() const {
    return sources_;
  }
  // A number per account id, dense in [0, id_count()), for per-account flags in vectors.
  // Accounts that share an id (which a correct store never lists) share it: every step
  // treats them as one, the first by id.
  std::size_t id_index(const Account& a) const { return facts(a).id_index; }
  std::size_t id_count() const { return id_count_; }

  // Whether `a` is the account account_by_email(a.email) finds: a look-up saved.
  bool first_with_its_email(const Account& a) const { return facts(a).first_with_email; }
  // Not manual, and its manager is a source of the space: a sync may act on it.
  bool managed_by_a_source(const Account& a) const { return facts(a).managed_by_source; }

  // Counts over accounts(), taken in the one pass that indexes them (each later pass over
  // 100,000 accounts is a pass through main memory).
  // Enabled owners, each account counted as the first with its id (what decide() reads).
  std::int64_t enabled_owners() const { return enabled_owners_; }
  // Accounts whose state holds a seat, by licence type, in no particular order.
  const std::vector<std::pair<std::string_view, std::int64_t>>& seats_held() const {
    return seats_held_;
  }
  std::int64_t not_deactivated() const { return not_deactivated_; }

  // When `person` started waiting for a seat of `licence`; nullopt if they were not queued.
  std::optional<Timestamp> queued_since(std::string_view person, std::string_view licence) const;

  // The rank of a role, 0 for a role the catalogue no longer has.
  int rank(std::string_view role) const;
  std::int64_t total(std::string_view licence) const;

 private:
  // What the steps ask of every account, by position in input.current (set for those of
  // accounts() only).
  struct Facts {
    std::size_t id_index = 0;
    bool first_with_email = false;
    bool managed_by_source = false;
  };
  const Facts& facts(const Account& a) const {
    return facts_[static_cast<std::size_t>(&a - input_.current.data())];
  }
  Facts& facts(const Account& a) {
    return facts_[static_cast<std::size_t>(&a - input_.current.data())];
  }
  void index_sources();
  void index_accounts();
  void count_account(const Account& first_with_id, const Account& a);

  const ReconcileInput& input_;
  std::optional<RoleCatalogue> built_in_;
  const RoleCatalogue* roles_ = nullptr;
  std::vector<const DesiredAccount*> desired_;
  std::vector<const ExcludedPerson*> excluded_;
  std::vector<const Account*> accounts_;
  struct ById {
    std::string_view operator()(const Account* a) const { return a->id; }
  };
  IdMap<const Account*, ById> by_id_;
  struct EmailEntry {
    const Account* first = nullptr;  // by id
    std::size_t count = 0;
  };
  struct ByEmail {
    std::string_view operator()(const EmailEntry& e) const { return e.first->email; }
  };
  EmailMap<EmailEntry, ByEmail> by_email_;
  struct ByAnchor {
    ViewPair operator()(const Account* a) const { return {a->managed_by, a->source_anchor}; }
  };
  ViewPairMap<const Account*, ByAnchor> by_anchor_;
  std::vector<Facts> facts_;
  std::size_t id_count_ = 0;
  std::int64_t enabled_owners_ = 0;
  std::vector<std::pair<std::string_view, std::int64_t>> seats_held_;
  std::int64_t not_deactivated_ = 0;
  std::map<std::string, const SourceStatus*, std::less<>> sources_;
  struct Claim {
    const SeatClaim* first = nullptr;
    Timestamp since{};  // the earliest of the claims of that person and licence
  };
  struct ByPersonLicence {
    ViewPair operator()(const Claim& c) const { return {c.first->person, c.first->licence}; }
  };
  ViewPairMap<Claim, ByPersonLicence> queue_;
};

}  // namespace rosterd
