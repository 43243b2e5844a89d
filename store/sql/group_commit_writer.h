// The one writer of an identity store: a thread with a connection of its own and a queue.
// Each turn it takes every queued job (up to a cap), runs them in one transaction, each
// in a savepoint of its own, and commits once, so N concurrent SCIM requests cost one
// sync to disk instead of N (group commit). A job that fails is rolled back to its
// savepoint and gets its error; the others of the batch are unaffected. `done` is called
// after the commit, on the writer thread, so it must be short and must not throw (a SCIM
// handler posts its completion to its own executor).
//
// On PostgreSQL a job's writes are held back (SqlConnection::execute_later) and settled
// at the end of the job, so that one that fails fails its own job: a round trip per job.
// A batch of jobs that may run again (IdentityStore::Rerun::Allowed) skips it: each job's
// writes ride with the next job's first statement. Should any statement of such a batch
// fail, nobody can say whose write it was: the batch is rolled back and run again the
// careful way, each job settled in its own savepoint, which gives each job its own outcome.
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

class Transaction;

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
  void submit(IdentityStore::WriteJob job, IdentityStore::WriteDone done,
              IdentityStore::Rerun rerun = IdentityStore::Rerun::No);

  // Runs the jobs already queued, then stops the thread. Idempotent and thread-safe;
  // called from a `done` (the writer's own thread) it only stops taking new jobs.
  void close();

 private:
  struct Pending {
    IdentityStore::WriteJob job;
    IdentityStore::WriteDone done;
    IdentityStore::Rerun rerun = IdentityStore::Rerun::No;
  };

  void run();
  void run_batch(std::vector<Pending>& batch);
  // Every job in a savepoint of its own, settled before the next: the way that gives each
  // job its own outcome whatever fails.
  void run_settling_each(std::vector<Pending>& batch, std::vector<Result<void>>& results);
  // Runs every job of the batch inside the open transaction; false (and every result set
  // to the error) when the transaction itself was lost. `wrote`: whether a job succeeded.
  bool run_jobs(std::vector<Pending>& batch, std::vector<Result<void>>& results, bool& wrote);
  // The batch with its jobs' writes riding with the next job's statements. true: done
  // (committed, or failed as a whole at COMMIT); false: a statement failed and nothing of
  // the batch was kept, so run_settling_each() runs it again.
  bool run_riding(std::vector<Pending>& batch, std::vector<Result<void>>& results);
  // Commits the batch's transaction; should that fail, every job that succeeded gets the
  // error.
  void commit_batch(Transaction& tx, bool wrote, std::vector<Result<void>>& results);

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
