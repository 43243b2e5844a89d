// When a directory poller reads next: the interval after a good read, a doubling backoff
// after failed ones that never exceeds the interval, and jitter that only shortens.
#include <gtest/gtest.h>

#include "daemon/sources/source_pollers.h"

namespace rosterd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(PollDelay, AGoodReadWaitsTheInterval) {
  EXPECT_EQ(next_poll_delay(seconds(300), 0, 0.0), seconds(300));
}

TEST(PollDelay, FailuresBackOffFromFiveSecondsDoublingUpToTheInterval) {
  EXPECT_EQ(next_poll_delay(seconds(300), 1, 0.0), seconds(5));
  EXPECT_EQ(next_poll_delay(seconds(300), 2, 0.0), seconds(10));
  EXPECT_EQ(next_poll_delay(seconds(300), 3, 0.0), seconds(20));
  EXPECT_EQ(next_poll_delay(seconds(300), 7, 0.0), seconds(300));    // 320 s would pass it
  EXPECT_EQ(next_poll_delay(seconds(300), 1000, 0.0), seconds(300));  // no overflow
  EXPECT_EQ(next_poll_delay(seconds(3), 1, 0.0), seconds(3));         // a short interval caps it
}

TEST(PollDelay, JitterTakesOffAtMostATenth) {
  EXPECT_EQ(next_poll_delay(seconds(300), 0, 0.5), seconds(285));
  const auto most = next_poll_delay(seconds(300), 0, 0.999);
  EXPECT_GT(most, seconds(270));
  EXPECT_LT(most, seconds(271));
  EXPECT_EQ(next_poll_delay(seconds(300), 2, 0.5), milliseconds(9500));
}

}  // namespace
}  // namespace rosterd
