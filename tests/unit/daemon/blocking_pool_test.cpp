// The pool that keeps blocking SCIM work (PostgreSQL) off the HTTP I/O threads: work runs
// on its threads, a full queue is refused at once (503 with Retry-After through on_pool),
// and stop() runs what was queued before it returns.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include "daemon/blocking_pool.h"

namespace rosterd {
namespace {

TEST(BlockingPool, RunsWorkOnAThreadOfItsOwn) {
  BlockingPool pool({2, 4});
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(pool.try_post([&] { ran_on.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(BlockingPool, RefusesWorkBeyondItsQueueAndRunsTheRestOnceFree) {
  BlockingPool pool({1, 1});
  std::promise<void> release, started;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> done{0};
  ASSERT_TRUE(pool.try_post([&] {
    started.set_value();
    gate.wait();
    ++done;
  }));
  started.get_future().wait();  // the only thread is busy: the next waits in the queue
  ASSERT_TRUE(pool.try_post([&] { ++done; }));
  EXPECT_FALSE(pool.try_post([&] { done += 100; }));  // the queue (1) is full
  release.set_value();
  pool.stop();
  EXPECT_EQ(done.load(), 2);
}

TEST(BlockingPool, StopRunsWhatIsQueuedThenRefuses) {
  BlockingPool pool({1, 8});
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.try_post([&] { ++done; }));
  pool.stop();
  EXPECT_EQ(done.load(), 5);
  EXPECT_FALSE(pool.try_post([&] { ++done; }));
  pool.stop();  // idempotent
}

std::optional<std::string> header(const scim::HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

TEST(OnPool, TheHandlerRunsOnThePoolAndAFullPoolAnswers503WithRetryAfter) {
  BlockingPool pool({1, 1});
  std::promise<void> release, started;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> first_started{false};
  http::Handler inner = [&](scim::HttpRequest&& request, http::Respond respond) {
    if (!first_started.exchange(true)) {
      started.set_value();
      gate.wait();
    }
    scim::HttpResponse r;
    r.body = request.target;
    respond(std::move(r));
  };
  const http::Handler handler = on_pool(pool, inner);
  std::promise<scim::HttpResponse> a, b, c;
  const auto call = [&](std::string target, std::promise<scim::HttpResponse>& into) {
    scim::HttpRequest request;
    request.target = std::move(target);
    handler(std::move(request), [&into](scim::HttpResponse r) { into.set_value(std::move(r)); });
  };
  call("/a", a);
  started.get_future().wait();
  call("/b", b);  // queued
  call("/c", c);  // refused at once, on this thread
  auto refused = c.get_future();
  ASSERT_EQ(refused.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  const scim::HttpResponse busy = refused.get();
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(header(busy, "Retry-After"), std::optional<std::string>("5"));
  release.set_value();
  EXPECT_EQ(a.get_future().get().body, "/a");
  EXPECT_EQ(b.get_future().get().body, "/b");
}

TEST(OnPool, AHandlerThatThrowsBeforeAnsweringIsAnswered500Once) {
  BlockingPool pool({1, 1});
  const http::Handler handler = on_pool(pool, [](scim::HttpRequest&&, http::Respond) {
    throw std::runtime_error("boom");
  });
  std::promise<scim::HttpResponse> answer;
  std::atomic<int> answers{0};
  handler(scim::HttpRequest{}, [&](scim::HttpResponse r) {
    if (answers++ == 0) answer.set_value(std::move(r));
  });
  EXPECT_EQ(answer.get_future().get().status, 500);
  pool.stop();
  EXPECT_EQ(answers.load(), 1);
}

}  // namespace
}  // namespace rosterd
