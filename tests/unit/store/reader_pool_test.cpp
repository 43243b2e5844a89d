// ReaderPool: connections are reused, and with a limit no more are ever open at once,
// however many threads ask; a caller beyond the limit gets one when it is given back.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/sql/reader_pool.h"

namespace rosterd::sql {
namespace {

// A connection that does nothing, counting how many exist.
class CountedConnection final : public SqlConnection {
 public:
  explicit CountedConnection(std::atomic<int>& alive) : alive_(alive) { ++alive_; }
  ~CountedConnection() override { --alive_; }
  Dialect dialect() const override { return Dialect::Sqlite; }
  Result<void> execute_script(std::string_view) override { return {}; }
  Result<std::int64_t> execute(std::string_view, std::span<const SqlValue>) override { return 0; }
  Result<SqlRows> query(std::string_view, std::span<const SqlValue>) override { return SqlRows{}; }
  Result<void> begin_write() override { return {}; }
  using SqlConnection::execute;
  using SqlConnection::query;

 private:
  std::atomic<int>& alive_;
};

struct Counts {
  std::atomic<int> alive{0};
  std::atomic<int> opened{0};
  ReaderPool::Connect connect() {
    return [this]() -> Result<std::unique_ptr<SqlConnection>> {
      ++opened;
      return std::unique_ptr<SqlConnection>(std::make_unique<CountedConnection>(alive));
    };
  }
};

TEST(ReaderPool, AGivenBackConnectionIsLentAgain) {
  Counts counts;
  ReaderPool pool(counts.connect());
  { auto lease = pool.acquire(); ASSERT_TRUE(lease.has_value()); }
  { auto lease = pool.acquire(); ASSERT_TRUE(lease.has_value()); }
  EXPECT_EQ(counts.opened, 1);
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(ReaderPool, WithALimitNoMoreAreEverOpenWhateverTheThreads) {
  Counts counts;
  ReaderPool pool(counts.connect(), 2);
  std::atomic<int> most{0}, lent{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto lease = pool.acquire();
        if (!lease) {
          ++failures;
          continue;
        }
        const int now = ++lent;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        for (int y = 0; y < 20; ++y) std::this_thread::yield();  // hold it a while
        --lent;  // before the lease goes back: then another thread may hold it
        if (i % 50 == 0) lease->discard();  // closed, not given back: another may be opened
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(most.load(), 2);
  EXPECT_LE(counts.alive.load(), 2);
  EXPECT_GT(counts.opened.load(), 2);  // the discarded ones were replaced
}

TEST(ReaderPool, AFailedOpenFreesItsPlace) {
  std::atomic<int> alive{0};
  bool fail_next = true;
  ReaderPool pool(
      [&]() -> Result<std::unique_ptr<SqlConnection>> {
        if (fail_next) {
          fail_next = false;
          return fail(ErrorCode::Unavailable, "down");
        }
        return std::unique_ptr<SqlConnection>(std::make_unique<CountedConnection>(alive));
      },
      1);
  EXPECT_FALSE(pool.acquire().has_value());
  auto lease = pool.acquire();  // would wait for ever if the failure had kept the place
  EXPECT_TRUE(lease.has_value());
}

}  // namespace
}  // namespace rosterd::sql
