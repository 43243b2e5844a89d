#include "store/sql/reader_pool.h"

namespace rosterd::sql {

Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || max_open_ == 0 || open_ < max_open_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // counted now, so that no other caller opens past the limit meanwhile
  }
  // Opened outside the lock: opening a file or a socket must not hold up other readers.
  auto conn = connect_();
  if (!conn) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    returned_.notify_one();
    return tl::unexpected(conn.error());
  }
  return Lease(*this, std::move(*conn));
}

std::size_t ReaderPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

void ReaderPool::give_back(std::unique_ptr<SqlConnection> conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }
  returned_.notify_one();
}

void ReaderPool::forget(std::unique_ptr<SqlConnection> conn) {
  conn.reset();  // closed outside the lock
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  returned_.notify_one();
}

}  // namespace rosterd::sql
