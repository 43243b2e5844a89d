// A few threads for work that blocks on the network (SCIM requests on a PostgreSQL store:
// a read is a round trip to the database, and a database that went away holds it up to
// the connection's timeout), so that it never stalls the HTTP I/O threads, which must keep
// accepting, reading and answering everyone else. Like Icinga's throttle for blocking
// calls, it is bounded: when `max_queued` requests are already waiting, the next is
// refused at once (the caller answers 503 with Retry-After) rather than queued without
// end while the database is slow.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/http/http_server.h"

namespace rosterd {

struct BlockingPoolSize {
  std::size_t threads = 8;       // at most this many requests wait on the database at once
  std::size_t max_queued = 256;  // waiting for a thread; beyond, refused
};

class BlockingPool {
 public:
  explicit BlockingPool(BlockingPoolSize size = {});
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  ~BlockingPool();  // stop()

  // Queues `work` for a thread of the pool; false (and `work` is not run) when the queue
  // is full or the pool is stopping. `work` must not throw.
  bool try_post(std::function<void()> work);

  // Runs what is queued, then joins the threads; try_post() refuses from the start of the
  // call. Idempotent.
  void stop();

 private:
  void run();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// `inner` run on `pool` instead of the I/O thread; a request the pool refuses is answered
// 503 with Retry-After (a SCIM error body) at once. The pool must outlive the server's
// last response: stop the server, then the pool, then destroy the server.
http::Handler on_pool(BlockingPool& pool, http::Handler inner);

}  // namespace rosterd
