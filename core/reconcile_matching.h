// Which current account is whose: a desired person's account by their source's anchor,
// else by email among the accounts the space's sources manage (correlation). Manual
// accounts and accounts of sources that are not the space's are never matched: a desired
// person whose email belongs to one gets no operation and a note. Internal to reconcile.
#pragma once

#include <string>
#include <vector>

#include "core/reconcile_scope.h"

namespace rosterd {

struct Pairing {
  const DesiredAccount* desired = nullptr;
  const Account* account = nullptr;  // the person's current account; nullptr: none yet
  // The account already is what the person should have — every field plan_changes()
  // compares is equal and its state needs no resume or reactivation — so the changes
  // step skips the pair without reading it again. Found here, while both are in cache:
  // in a steady state that is nearly every pair.
  bool unchanged = false;
};

struct Matching {
  // The desired persons reconcile acts on, in person order (those it must leave alone
  // are in the notes instead).
  std::vector<Pairing> pairs;
  // Accounts managed by a source of the space that no desired person claims, by id.
  std::vector<const Account*> leavers;
};

Matching match_accounts(const ReconcileScope& scope, std::vector<std::string>& notes);

}  // namespace rosterd
