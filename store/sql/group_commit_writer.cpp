#include "store/sql/group_commit_writer.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "store/sql/identity_statements.h"
#include "store/sql/sql_identity_writer.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

// A job is code of the SCIM layer running inside the store's transaction: an exception
// escaping it must fail that job, not end the writer thread (and the daemon with it).
Result<void> run_guarded(const IdentityStore::WriteJob& job, IdentityWriter& writer) {
  try {
    return job(writer);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Internal, std::string("a write job failed: ") + e.what());
  }
}

}  // namespace

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqlConnection> conn,
                                     std::function<std::string()> new_id, std::size_t max_batch)
    : conn_(std::move(conn)),
      new_id_(std::move(new_id)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { close(); }

void GroupCommitWriter::submit(IdentityStore::WriteJob job, IdentityStore::WriteDone done,
                               IdentityStore::Rerun rerun) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(Pending{std::move(job), std::move(done), rerun});
      wake_.notify_one();
      return;
    }
  }
  done(fail(ErrorCode::Unavailable, "the identity store is closed"));
}

void GroupCommitWriter::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (std::this_thread::get_id() == writer_id_.load()) return;  // the thread ends by itself
  std::lock_guard join_lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void GroupCommitWriter::run() {
  writer_id_.store(std::this_thread::get_id());
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) {  // closing, and nothing left to run
        // The connection goes with the thread: its page cache (tens of MB after a large
        // write) is not held by a store that can no longer write.
        conn_.reset();
        return;
      }
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void GroupCommitWriter::run_batch(std::vector<Pending>& batch) {
  std::vector<Result<void>> results(batch.size());
  const bool may_ride = conn_->holds_writes_back() && batch.size() > 1 &&
                        std::all_of(batch.begin(), batch.end(), [](const Pending& p) {
                          return p.rerun == IdentityStore::Rerun::Allowed;
                        });
  if (!may_ride || !run_riding(batch, results)) run_settling_each(batch, results);
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(std::move(results[i]));
}

bool GroupCommitWriter::run_riding(std::vector<Pending>& batch, std::vector<Result<void>>& results) {
  auto tx = Transaction::begin(*conn_);
  if (!tx) return false;  // the careful run tries again, and reports
  SqlIdentityWriter writer(*conn_, new_id_);
  bool wrote = false;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto sp = Savepoint::begin(*conn_);
    if (!sp) return false;
    results[i] = run_guarded(batch[i].job, writer);
    // Checked before any rollback to the savepoint, which would clear the failure: the
    // statement that failed may have carried an earlier job's write.
    if (conn_->transaction_failed()) return false;
    auto closed = results[i] ? sp->release() : sp->rollback();
    if (!closed || conn_->transaction_failed()) return false;
    wrote = wrote || static_cast<bool>(results[i]);
  }
  if (auto settled = conn_->settle_writes(); !settled) return false;
  // From here on the batch is settled: a failure is the whole batch's, as in the careful run.
  commit_batch(*tx, wrote, results);
  return true;
}

void GroupCommitWriter::run_settling_each(std::vector<Pending>& batch, std::vector<Result<void>>& results) {
  auto tx = Transaction::begin(*conn_);
  if (!tx) {
    for (auto& r : results) r = tl::unexpected(tx.error());
    return;
  }
  bool wrote = false;
  if (run_jobs(batch, results, wrote)) commit_batch(*tx, wrote, results);
}

// Identities changed: the list caches of every process on the database learn it from the
// counter, moved on in this same transaction (list_order_cache.h). Held back: it travels
// with the audit head and COMMIT's flush, and should it fail, so does COMMIT.
void GroupCommitWriter::commit_batch(Transaction& tx, bool wrote, std::vector<Result<void>>& results) {
  Result<void> done = wrote ? conn_->execute_later(stmt::kNextIdentityGeneration, {}) : Result<void>{};
  if (done) done = tx.commit();
  if (!done)
    for (auto& r : results)
      if (r) r = tl::unexpected(done.error());  // nothing of the batch is on disk
}

bool GroupCommitWriter::run_jobs(std::vector<Pending>& batch, std::vector<Result<void>>& results, bool& wrote) {
  SqlIdentityWriter writer(*conn_, new_id_);
  const auto lose_all = [&](const Error& e) {
    for (auto& r : results) r = tl::unexpected(e);
    return false;
  };
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto sp = Savepoint::begin(*conn_);
    if (!sp) return lose_all(sp.error());
    results[i] = run_guarded(batch[i].job, writer);
    // The job's writes held back for the next round trip (execute_later) are sent now, so
    // that one that fails fails this job, inside its savepoint.
    if (results[i])
      if (auto settled = conn_->settle_writes(); !settled) results[i] = tl::unexpected(settled.error());
    // A savepoint that cannot be released or rolled back means the transaction is gone
    // (SQLite ends it on a full disk or an I/O error): the earlier jobs' work with it.
    auto closed = results[i] ? sp->release() : sp->rollback();
    if (!closed) return lose_all(closed.error());
    wrote = wrote || static_cast<bool>(results[i]);
  }
  return true;
}

}  // namespace rosterd::sql
