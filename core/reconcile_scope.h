// The input of reconcile() put in a deterministic order and indexed, for the steps of
// reconcile.cpp: each step reads the scope, never the caller's lists, so a plan does not
// depend on the order in which the store or the rules engine listed things. Internal to
// reconcile.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/desired.h"
#include "core/reconcile.h"
#include "core/role_catalogue.h"

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
  // The account whose id or email (case-insensitive) is `ref`.
  const Account* account_by_ref(std::string_view ref) const;
  // The source's status; nullptr when it is not a source of the space.
  const SourceStatus* source(std::string_view id) const;
  // Every source of the space by id (of two statuses for one id, the less healthy).
  const std::map<std::string, const SourceStatus*, std::less<>>& sources() const {
    return sources_;
  }
  // When `person` started waiting for a seat of `licence`; nullopt if they were not queued.
  std::optional<Timestamp> queued_since(std::string_view person, std::string_view licence) const;

  // The rank of a role, 0 for a role the catalogue no longer has.
  int rank(std::string_view role) const;
  std::int64_t total(std::string_view licence) const;

 private:
  const ReconcileInput& input_;
  std::optional<RoleCatalogue> built_in_;
  const RoleCatalogue* roles_ = nullptr;
  std::vector<const DesiredAccount*> desired_;
  std::vector<const ExcludedPerson*> excluded_;
  std::vector<const Account*> accounts_;
  std::map<std::string, const Account*, std::less<>> by_id_;
  std::map<std::string, const Account*, std::less<>> by_email_;
  std::map<std::string, const SourceStatus*, std::less<>> sources_;
  std::map<std::pair<std::string, std::string>, Timestamp> queue_;
};

}  // namespace rosterd
