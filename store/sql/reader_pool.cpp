#include "store/sql/reader_pool.h"

namespace rosterd::sql {

Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  // Opened outside the lock: opening a file or a socket must not hold up other readers.
  auto conn = connect_();
  if (!conn) return tl::unexpected(conn.error());
  return Lease(*this, std::move(*conn));
}

std::size_t ReaderPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

void ReaderPool::give_back(std::unique_ptr<SqlConnection> conn) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(conn));
}

}  // namespace rosterd::sql
