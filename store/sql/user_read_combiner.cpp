#include "store/sql/user_read_combiner.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace rosterd::sql {

UserReadCombiner::UserReadCombiner(Read read, std::size_t max_reads, std::size_t max_batch)
    : read_(std::move(read)), max_reads_(std::max<std::size_t>(max_reads, 1)),
      max_batch_(std::max<std::size_t>(max_batch, 1)) {}

std::vector<UserReadCombiner::Waiter*> UserReadCombiner::take_batch(Waiter& me) {
  std::vector<Waiter*> batch{&me};
  queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  for (Waiter* w : batch) w->taken = true;
  return batch;
}

// As for read jobs: an exception fails the look-ups, never the waiting callers' threads.
Result<UserReadCombiner::Answers> UserReadCombiner::read_guarded(std::span<const UserLookup> lookups) {
  try {
    auto answers = read_(lookups);
    if (answers && answers->size() != lookups.size())
      return fail(ErrorCode::Internal, "a combined user read gave " + std::to_string(answers->size()) +
                                           " answers to " + std::to_string(lookups.size()) + " look-ups");
    return answers;
  } catch (const std::exception& e) {
    return fail(ErrorCode::Internal, std::string("a combined user read failed: ") + e.what());
  }
}

std::size_t UserReadCombiner::waiting() {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

Result<std::optional<UserWithRelated>> UserReadCombiner::find(UserLookup lookup) {
  Waiter me;
  me.lookup = std::move(lookup);
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  // Woken either with an answer, or (first in the queue) to lead the next read. A
  // look-up another leader took while this one was waking waits for that read instead.
  me.wake.wait(lock, [&] { return me.answer.has_value() || (!me.taken && running_ < max_reads_); });
  if (me.answer) return std::move(*me.answer);

  ++running_;
  const std::vector<Waiter*> batch = take_batch(me);
  lock.unlock();
  std::vector<UserLookup> lookups;
  lookups.reserve(batch.size());
  for (const Waiter* w : batch) lookups.push_back(w->lookup);
  Result<Answers> answers = read_guarded(lookups);
  lock.lock();
  --running_;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (answers) batch[i]->answer = std::move((*answers)[i]);
    else batch[i]->answer = tl::unexpected(answers.error());
    // Under the lock: a waiter returns (and its Waiter goes) only after taking the lock.
    if (batch[i] != &me) batch[i]->wake.notify_one();
  }
  // Those who queued while the read ran: the first of them leads the next one.
  if (!queue_.empty()) queue_.front()->wake.notify_one();
  return std::move(*me.answer);
}

}  // namespace rosterd::sql
