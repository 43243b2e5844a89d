// What an operation does to the store, decided by the core and written by a store in one
// transaction: the account rows after the change, the seats taken or freed, and the
// events that become audit rows and outbox rows for the platform.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/account.h"

namespace rosterd {

struct SeatChange {
  std::string space;
  std::string licence;
  std::int64_t delta = 0;  // +1 taken, -1 freed
};

struct Event {
  std::string id;          // unique; doubles as the idempotency key for the platform
  std::string type;        // "account.created", "account.handover", "licence.changed", ...
  std::string space;
  std::string account_id;
  std::vector<std::pair<std::string, std::string>> details;  // ordered key/value facts
};

struct Transition {
  std::string operation;   // operation_name()
  std::vector<Account> accounts;  // complete rows after the change (inserted or replaced)
  std::vector<SeatChange> seats;
  std::vector<Event> events;
  bool changed() const { return !accounts.empty(); }
};

}  // namespace rosterd
