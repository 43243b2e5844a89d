// UserReadCombiner: look-ups that wait while a read runs are answered together by the
// next one, each with its own answer; a failed or throwing read fails exactly the
// look-ups it carried; no more reads run at once than allowed.
#include "store/sql/user_read_combiner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rosterd::sql {
namespace {

using Answers = UserReadCombiner::Answers;

// A read that answers each look-up with a user whose id is the key (by name: "name:" and
// the key), except keys starting with "none"; it can be held until released, so that
// look-ups queue behind it.
class FakeDatabase {
 public:
  Result<Answers> read(std::span<const UserLookup> lookups) {
    {
      std::unique_lock lock(mutex_);
      batches_.push_back(lookups.size());
      ++running_;
      most_running_ = std::max(most_running_, running_);
      changed_.notify_all();
      changed_.wait(lock, [&] { return !held_; });
      --running_;
    }
    for (const auto& l : lookups) {
      if (l.key == "fail") return fail(ErrorCode::Unavailable, "the database went away");
      if (l.key == "throw") throw std::runtime_error("driver bug");
    }
    Answers out;
    for (const auto& l : lookups) {
      if (l.key.rfind("none", 0) == 0) {
        out.emplace_back();
        continue;
      }
      UserWithRelated u;
      u.record.source = l.source;
      u.record.id = (l.by_name ? "name:" : "") + l.key;
      out.emplace_back(std::move(u));
    }
    return out;
  }
  void hold() { const std::lock_guard lock(mutex_); held_ = true; }
  void release() {
    const std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  // Waits until `n` reads have started in all.
  void wait_for_reads(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return batches_.size() >= n; });
  }
  std::vector<std::size_t> batches() { const std::lock_guard lock(mutex_); return batches_; }
  int most_running() { const std::lock_guard lock(mutex_); return most_running_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int running_ = 0;
  int most_running_ = 0;
  std::vector<std::size_t> batches_;
};

// Waits until `n` look-ups are queued behind the held read.
void wait_until_queued(UserReadCombiner& combiner, std::size_t n) {
  while (combiner.waiting() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

using Answer = Result<std::optional<UserWithRelated>>;

// A look-up of "u0" whose read the database holds: what the next look-ups queue behind.
// Its answer is there once the database is released and join() returned.
class HeldFirstRead {
 public:
  HeldFirstRead(FakeDatabase& db, UserReadCombiner& combiner) {
    db.hold();
    thread_ = std::thread([this, &combiner] { answer = combiner.find(UserLookup{"s", "u0", false}); });
    db.wait_for_reads(1);
  }
  void join() { thread_.join(); }

  std::optional<Answer> answer;

 private:
  std::thread thread_;
};

TEST(UserReadCombiner, LookUpsQueuedBehindARunningReadShareTheNextOne) {
  FakeDatabase db;
  UserReadCombiner combiner([&](std::span<const UserLookup> l) { return db.read(l); }, 1);
  HeldFirstRead held(db, combiner);
  std::vector<std::thread> waiting;
  std::vector<std::optional<Result<std::optional<UserWithRelated>>>> answers(6);
  for (int i = 0; i < 6; ++i)
    waiting.emplace_back([&, i] {
      answers[i] = combiner.find(UserLookup{i % 2 ? "t" : "s", i == 5 ? "none5" : "u" + std::to_string(i), i == 3});
    });
  wait_until_queued(combiner, 6);
  db.release();
  held.join();
  for (auto& t : waiting) t.join();

  const auto& first = held.answer;
  ASSERT_TRUE(first && first->has_value() && (*first)->has_value());
  EXPECT_EQ((**first)->record.id, "u0");
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(answers[i] && answers[i]->has_value()) << i;
    if (i == 5) {
      EXPECT_FALSE((*answers[i])->has_value());
      continue;
    }
    ASSERT_TRUE((*answers[i])->has_value()) << i;
    EXPECT_EQ((**answers[i])->record.id, std::string(i == 3 ? "name:" : "") + "u" + std::to_string(i));
    EXPECT_EQ((**answers[i])->record.source, i % 2 ? "t" : "s");
  }
  const auto batches = db.batches();
  EXPECT_EQ(batches, (std::vector<std::size_t>{1, 6}));  // the six queued ones together
  EXPECT_EQ(db.most_running(), 1);
}

TEST(UserReadCombiner, AFailedReadFailsTheLookUpsItCarriedAndNoOthers) {
  FakeDatabase db;
  UserReadCombiner combiner([&](std::span<const UserLookup> l) { return db.read(l); }, 1);
  HeldFirstRead held(db, combiner);
  std::optional<Result<std::optional<UserWithRelated>>> failing, thrown;
  std::thread a([&] { failing = combiner.find(UserLookup{"s", "fail", false}); });
  wait_until_queued(combiner, 1);
  db.release();
  held.join();
  a.join();
  const auto& first = held.answer;
  ASSERT_TRUE(first && first->has_value());  // its read ran before the failing look-up came
  ASSERT_TRUE(failing && !failing->has_value());
  EXPECT_EQ(failing->error().code, ErrorCode::Unavailable);

  std::thread b([&] { thrown = combiner.find(UserLookup{"s", "throw", true}); });
  b.join();
  ASSERT_TRUE(thrown && !thrown->has_value());
  EXPECT_EQ(thrown->error().code, ErrorCode::Internal);
  EXPECT_NE(thrown->error().message.find("driver bug"), std::string::npos);

  // The combiner is still usable after both.
  const auto after = combiner.find(UserLookup{"s", "u9", false});
  ASSERT_TRUE(after.has_value() && after->has_value());
  EXPECT_EQ((*after)->record.id, "u9");
}

TEST(UserReadCombiner, ReadsRunAtOnceUpToTheLimitAndEveryLookUpIsAnswered) {
  FakeDatabase db;
  UserReadCombiner combiner([&](std::span<const UserLookup> l) { return db.read(l); }, 2, 3);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
        const auto found = combiner.find(UserLookup{"s", key, false});
        if (!found || !found->has_value() || (*found)->record.id != key) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(db.most_running(), 2);
  for (const auto n : db.batches()) EXPECT_LE(n, 3u);
}

TEST(UserReadCombiner, AReadWithTheWrongNumberOfAnswersIsAnError) {
  UserReadCombiner combiner([](std::span<const UserLookup>) -> Result<Answers> { return Answers{}; });
  const auto found = combiner.find(UserLookup{"s", "u1", false});
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace rosterd::sql
