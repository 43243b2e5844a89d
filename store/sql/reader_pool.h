// Read connections kept for reuse: a caller borrows one for the length of a read job and
// gives it back; when all are busy another is opened, so readers never wait for each
// other (SQLite in WAL mode and PostgreSQL both serve concurrent readers). Thread-safe.
// With a limit (PostgreSQL: each connection is a server process, and several instances
// share the server's max_connections), a caller beyond it waits for a connection to be
// given back: the callers are the store's blocking threads, never the HTTP I/O threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class ReaderPool {
 public:
  using Connect = std::function<Result<std::unique_ptr<SqlConnection>>()>;

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<SqlConnection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    SqlConnection& operator*() const { return *conn_; }
    SqlConnection* operator->() const { return conn_.get(); }
    // Closes the connection instead of returning it (its state is unknown after an error
    // in transaction control).
    void discard() {
      if (conn_) pool_->forget(std::move(conn_));
    }

   private:
    ReaderPool* pool_;
    std::unique_ptr<SqlConnection> conn_;
  };

  // `max_open`: how many connections may be open at once (lent and idle); 0: no limit.
  explicit ReaderPool(Connect connect, std::size_t max_open = 0)
      : connect_(std::move(connect)), max_open_(max_open) {}
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // An idle connection, or a new one. The pool must outlive the lease.
  Result<Lease> acquire();
  std::size_t idle() const;

 private:
  void give_back(std::unique_ptr<SqlConnection> conn);
  void forget(std::unique_ptr<SqlConnection> conn);

  Connect connect_;
  const std::size_t max_open_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::size_t open_ = 0;  // lent, idle, or being opened
  std::vector<std::unique_ptr<SqlConnection>> idle_;
};

}  // namespace rosterd::sql
