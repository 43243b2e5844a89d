// A clock that only moves when a test moves it, for StoreOptions::clock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "core/timestamp.h"

namespace rosterd::testing {

class FixedClock {
 public:
  explicit FixedClock(Timestamp start) : now_(std::make_shared<Timestamp>(start)) {}

  // The function a store calls; it keeps following this clock after copies.
  std::function<Timestamp()> function() const {
    return [now = now_] { return *now; };
  }
  Timestamp now() const { return *now_; }
  void set(Timestamp t) { *now_ = t; }
  void advance(std::chrono::milliseconds by) { *now_ += by; }

 private:
  std::shared_ptr<Timestamp> now_;
};

}  // namespace rosterd::testing
