// Leadership (daemon/service/leadership.h): when an instance leads, with a lease and a
// steady clock driven by the test. The renewing thread is not started: each attempt()
// is one period of it, so every case is exact and none waits.
#include "daemon/service/leadership.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <future>
#include <thread>
#include <string>
#include <vector>

namespace rosterd {
namespace {

using namespace std::chrono_literals;
using Clock = Leadership::Clock;

// What the test's lease answers, and what it was asked.
struct Script {
  Clock::time_point now{};                   // the steady clock Leadership reads
  std::deque<Result<LeaseHold>> answers;     // one per try_hold; empty: an error
  std::chrono::milliseconds call_takes{0};   // try_hold moves the clock this much
  std::vector<std::string> asked;            // holders of try_hold, in order
  std::vector<std::chrono::milliseconds> ttls;
  std::vector<std::string> released;
  std::vector<std::string> log;              // "event term holder"
};

class ScriptedLease final : public LeaseBackend {
 public:
  explicit ScriptedLease(Script& script) : script_(script) {}
  Result<LeaseHold> try_hold(std::string_view holder, std::chrono::milliseconds ttl) override {
    script_.asked.emplace_back(holder);
    script_.ttls.push_back(ttl);
    script_.now += script_.call_takes;
    if (script_.answers.empty()) return fail(ErrorCode::Unavailable, "no answer scripted");
    auto answer = std::move(script_.answers.front());
    script_.answers.pop_front();
    return answer;
  }
  Result<void> release(std::string_view holder) override {
    script_.released.emplace_back(holder);
    return {};
  }

 private:
  Script& script_;
};

Result<LeaseHold> held(std::int64_t term) { return LeaseHold{true, "me", term}; }
Result<LeaseHold> taken_by(std::string holder, std::int64_t term) { return LeaseHold{false, std::move(holder), term}; }
Result<LeaseHold> unreachable() { return fail(ErrorCode::Unavailable, "connection refused"); }

class LeadershipTest : public ::testing::Test {
 protected:
  LeadershipTest()
      : leadership_(std::make_unique<ScriptedLease>(script_), "me", LeadershipTiming{10s, 2s, 3s},
                    [this](std::string_view, std::string_view event, std::int64_t term, std::string_view holder,
                           std::string_view) {
                      script_.log.push_back(std::string(event) + " " + std::to_string(term) + " " +
                                            std::string(holder));
                    },
                    [this] { return script_.now; }) {}

  bool leads_at(std::chrono::milliseconds since_start) {
    script_.now = start_ + since_start;
    return leadership_.is_leader();
  }

  Script script_;
  const Clock::time_point start_ = Clock::time_point{} + 1000s;
  Leadership leadership_;
};

TEST_F(LeadershipTest, LeadsFromATakenLeaseUntilTtlMinusMarginAfterTheAttemptStarted) {
  script_.now = start_;
  script_.answers.push_back(held(1));
  EXPECT_TRUE(leadership_.attempt());
  EXPECT_EQ(script_.asked, std::vector<std::string>{"me"});
  EXPECT_EQ(script_.ttls, std::vector<std::chrono::milliseconds>{10s});
  EXPECT_EQ(leadership_.term(), 1);
  EXPECT_TRUE(leads_at(6999ms));
  EXPECT_FALSE(leads_at(7000ms)) << "ttl 10 s - margin 3 s, with no renewal since";
}

TEST_F(LeadershipTest, TheDeadlineCountsFromWhenASlowRenewalStartedNotWhenItAnswered) {
  script_.now = start_;
  script_.call_takes = 5s;
  script_.answers.push_back(held(1));
  EXPECT_TRUE(leadership_.attempt());
  EXPECT_TRUE(leads_at(6999ms));
  EXPECT_FALSE(leads_at(7000ms));
}

TEST_F(LeadershipTest, ARenewalAnsweredAfterTheDeadlineDoesNotMakeALeader) {
  script_.now = start_;
  script_.call_takes = 8s;
  script_.answers.push_back(held(1));
  EXPECT_FALSE(leadership_.attempt());
  EXPECT_FALSE(leadership_.is_leader());
}

TEST_F(LeadershipTest, FailedRenewalsKeepTheLeadershipOnlyUntilTheLastGoodOnesDeadline) {
  script_.now = start_;
  script_.answers.push_back(held(4));
  ASSERT_TRUE(leadership_.attempt());
  script_.now = start_ + 2s;
  script_.answers.push_back(held(4));
  ASSERT_TRUE(leadership_.attempt());  // deadline now start + 9 s
  script_.now = start_ + 4s;
  script_.answers.push_back(unreachable());
  EXPECT_TRUE(leadership_.attempt()) << "the database away for a moment is not yet a loss";
  script_.now = start_ + 6s;
  // No attempt after this one: the renewing thread may be stuck in a call that never
  // returns. is_leader() still turns false at the deadline, by the clock alone.
  script_.answers.push_back(unreachable());
  EXPECT_TRUE(leadership_.attempt());
  EXPECT_TRUE(leads_at(8999ms));
  EXPECT_FALSE(leads_at(9000ms));
}

TEST_F(LeadershipTest, ALeaseHeldBySomeoneElseEndsTheLeadershipAtOnce) {
  script_.now = start_;
  script_.answers.push_back(held(1));
  ASSERT_TRUE(leadership_.attempt());
  script_.now = start_ + 2s;
  script_.answers.push_back(taken_by("other", 2));
  EXPECT_FALSE(leadership_.attempt());
  EXPECT_FALSE(leads_at(2001ms)) << "before the old deadline too";
}

TEST_F(LeadershipTest, AStandbyTakesTheLeaseWhenItIsGivenAndThenLeads) {
  script_.now = start_;
  script_.answers.push_back(taken_by("other", 3));
  EXPECT_FALSE(leadership_.attempt());
  script_.now = start_ + 2s;
  script_.answers.push_back(held(4));
  EXPECT_TRUE(leadership_.attempt());
  EXPECT_EQ(leadership_.term(), 4);
  EXPECT_TRUE(leads_at(8999ms));
  EXPECT_FALSE(leads_at(9000ms));
}

TEST_F(LeadershipTest, EachChangeOfStateIsLoggedOnceWithItsTerm) {
  const std::vector<Result<LeaseHold>> answers{taken_by("other", 1), taken_by("other", 1), held(2), held(2),
                                               unreachable(), unreachable(), held(2), taken_by("third", 3),
                                               taken_by("third", 3)};
  for (std::size_t i = 0; i < answers.size(); ++i) {
    script_.now = start_ + std::chrono::seconds(2 * i);
    script_.answers.push_back(answers[i]);
    leadership_.attempt();
  }
  EXPECT_EQ(script_.log, (std::vector<std::string>{"leadership_standby 1 other", "leadership_gained 2 me",
                                                   "leader_lease_unavailable 2 me", "leader_lease_available 2 me",
                                                   "leadership_lost 2 me", "leadership_standby 3 third"}));
}

TEST_F(LeadershipTest, ALeadershipLostToTheDeadlineIsLoggedAtTheNextAttempt) {
  script_.now = start_;
  script_.answers.push_back(held(1));
  leadership_.attempt();
  script_.now = start_ + 8s;
  script_.answers.push_back(unreachable());
  leadership_.attempt();
  EXPECT_EQ(script_.log, (std::vector<std::string>{"leadership_gained 1 me", "leader_lease_unavailable 1 me",
                                                   "leadership_lost 1 me"}));
}

TEST_F(LeadershipTest, StopReleasesTheLeaseOfALeaderAndEndsItsLeadership) {
  script_.now = start_;
  script_.answers.push_back(held(1));
  ASSERT_TRUE(leadership_.attempt());
  leadership_.stop();
  EXPECT_EQ(script_.released, std::vector<std::string>{"me"});
  EXPECT_FALSE(leadership_.is_leader());
  leadership_.stop();  // the destructor's stop releases nothing more
  EXPECT_EQ(script_.released.size(), 1u);
}

TEST_F(LeadershipTest, StopReleasesNothingForAnInstanceThatNeverHeldTheLease) {
  script_.now = start_;
  script_.answers.push_back(taken_by("other", 1));
  leadership_.attempt();
  leadership_.stop();
  EXPECT_TRUE(script_.released.empty());
}

// A lease whose try_hold waits until the test opens it.
class GatedLease final : public LeaseBackend {
 public:
  Result<LeaseHold> try_hold(std::string_view, std::chrono::milliseconds) override {
    entered_.set_value();
    open_.get_future().wait();
    answered_ = true;
    return LeaseHold{true, "me", 1};
  }
  Result<void> release(std::string_view) override { return {}; }

  std::promise<void> entered_, open_;
  std::atomic<bool> answered_{false};
};

TEST(LeadershipRenewal, TheLeaderWorkWaitsForARenewalInFlightAndNotOtherwise) {
  auto owned = std::make_unique<GatedLease>();
  GatedLease& lease = *owned;
  auto entered = lease.entered_.get_future();
  Leadership leadership(std::move(owned), "me");
  leadership.let_renewal_through(std::chrono::hours(1));  // nothing in flight: returns at once

  std::thread renewing([&] { leadership.attempt(); });
  entered.wait();
  std::atomic<bool> saw_answer{false};
  std::thread worker([&] {
    leadership.let_renewal_through(std::chrono::hours(1));
    saw_answer = lease.answered_.load();
  });
  std::this_thread::sleep_for(50ms);  // gives a worker that would not wait the time to return
  lease.open_.set_value();
  worker.join();
  renewing.join();
  EXPECT_TRUE(saw_answer.load()) << "the worker went on while the renewal was still in flight";
  EXPECT_TRUE(leadership.is_leader());
}

}  // namespace
}  // namespace rosterd
