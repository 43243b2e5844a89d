#include "daemon/blocking_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <utility>

#include "scim/scim_response.h"

namespace rosterd {

BlockingPool::BlockingPool(BlockingPoolSize size) : max_queued_(size.max_queued) {
  const std::size_t n = std::max<std::size_t>(size.threads, 1);
  threads_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
}

BlockingPool::~BlockingPool() { stop(); }

bool BlockingPool::try_post(std::function<void()> work) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(work));
  }
  wake_.notify_one();
  return true;
}

void BlockingPool::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
}

void BlockingPool::run() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work();
  }
}

http::Handler on_pool(BlockingPool& pool, http::Handler inner) {
  auto shared = std::make_shared<const http::Handler>(std::move(inner));
  return [&pool, shared](scim::HttpRequest&& request, http::Respond respond) {
    // The request and the responder travel to the pool's thread; if the pool refuses,
    // the responder is still here to answer (try_post does not run or keep `work`).
    auto parcel =
        std::make_shared<std::pair<scim::HttpRequest, http::Respond>>(std::move(request), std::move(respond));
    const bool queued = pool.try_post([shared, parcel] {
      // Answered once: an exception after the handler responded must not answer again.
      auto answered = std::make_shared<std::atomic<bool>>(false);
      http::Respond once = [answered, respond = parcel->second](scim::HttpResponse r) {
        if (!answered->exchange(true)) respond(std::move(r));
      };
      try {
        (*shared)(std::move(parcel->first), once);
      } catch (const std::exception& e) {
        // As the server does for an exception on its I/O threads (http_server.h).
        once(scim::error_response(500, std::string("internal error: ") + e.what()));
      }
    });
    if (!queued)
      parcel->second(
          scim::error_response(503, "rosterd has too many requests waiting for the database: try again shortly"));
  };
}

}  // namespace rosterd
