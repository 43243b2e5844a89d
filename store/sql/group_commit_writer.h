// The one writer of an identity store: a thread with a connection of its own and a queue.
// Each turn it takes every queued job (up to a cap), runs them in one transaction, each
// in a savepoint of its own, and commits once, so N concurrent SCIM requests cost one
// sync to disk instead of N (group commit). A job that fails is rolled back to its
// savepoint and gets its error; the others of the batch are unaffected. `done` is called
// after the commit, on the writer thread, so it must be short and must not throw (a SCIM
// handler posts its completion to its own executor).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/identity_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class GroupCommitWriter {
 public:
  static constexpr std::size_t kDefaultMaxBatch = 256;

  // Starts the thread. `new_id` names audit events (called on the writer thread only).
  GroupCommitWriter(std::unique_ptr<SqlConnection> conn, std::function<std::string()> new_id,
                    std::size_t max_batch = kDefaultMaxBatch);
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  ~GroupCommitWriter();

  // Queues a job. Once closed, `done` is called at once, in the caller's thread, with
  // ErrorCode::Unavailable.
  void submit(IdentityStore::WriteJob job, IdentityStore::WriteDone done);

  // Runs the jobs already queued, then stops the thread. Idempotent and thread-safe;
  // called from a `done` (the writer's own thread) it only stops taking new jobs.
  void close();

 private:
  struct Pending {
    IdentityStore::WriteJob job;
    IdentityStore::WriteDone done;
  };

  void run();
  void run_batch(std::vector<Pending>& batch);
  // Runs every job of the batch inside the open transaction; false (and every result set
  // to the error) when the transaction itself was lost.
  bool run_jobs(std::vector<Pending>& batch, std::vector<Result<void>>& results);

  std::unique_ptr<SqlConnection> conn_;
  std::function<std::string()> new_id_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool closing_ = false;

  std::atomic<std::thread::id> writer_id_{};  // set by the thread itself, read by close()
  std::mutex join_mutex_;  // one close() joins; the others wait for it
  std::thread thread_;     // last: starts once everything above is ready
};

}  // namespace rosterd::sql
