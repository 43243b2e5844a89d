// What an attempt's answer does to an event: delivered, retried after a bounded backoff
// or Retry-After, or dead.
#include <gtest/gtest.h>

#include "connectors/webhook/retry_policy.h"

namespace rosterd::webhook {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Timestamp at(std::string_view text) { return parse_timestamp(text).value(); }

TEST(RetryAfter, DelaySecondsAreHonoured) {
  const Timestamp now = at("2026-11-24T10:00:00Z");
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1", now), milliseconds(1000));
}

TEST(RetryAfter, AnHttpDateIsTheTimeLeftUntilThen) {
  const Timestamp now = at("1994-11-06T08:49:07Z");
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(30000));
  // Already past: at once.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:48:00 GMT", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Tue, 24 Nov 2026 10:00:05 GMT", at("2026-11-24T10:00:00Z")),
            milliseconds(5000));
}

TEST(RetryAfter, AnythingElseIsIgnored) {
  const Timestamp now = at("2026-11-24T10:00:00Z");
  for (const char* bad : {"", "-5", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "12abc"})
    EXPECT_EQ(parse_retry_after(bad, now), std::nullopt) << bad;
}

TEST(Backoff, DoublesFromTheInitialDelayWithinJitterBoundsAndStopsAtTheMax) {
  const RetryPolicy p{seconds(1), seconds(60), 25};
  for (int failed = 1; failed <= 30; ++failed) {
    const auto cap = std::min<std::int64_t>(1000LL << std::min(failed - 1, 20), 60000);
    for (const double unit : {0.0, 0.25, 0.5, 0.999999}) {
      const auto d = backoff_delay(p, failed, unit).count();
      EXPECT_GE(d, cap / 2) << failed << " " << unit;
      EXPECT_LE(d, cap) << failed << " " << unit;
    }
  }
  EXPECT_EQ(backoff_delay(p, 1, 0.0), milliseconds(500));
  EXPECT_EQ(backoff_delay(p, 3, 0.0), milliseconds(2000));
  EXPECT_EQ(backoff_delay(p, 100, 0.999999).count() <= 60000, true);
}

AttemptDecision decide(long status, int before = 0, std::optional<std::string> retry_after = {},
                       const RetryPolicy& p = RetryPolicy{seconds(1), seconds(60), 5}) {
  HttpAttempt a;
  a.status = status;
  if (status == 0) a.transport_error = "Connection refused";
  a.retry_after = std::move(retry_after);
  return decide_attempt(a, before, p, at("2026-11-24T10:00:00Z"), 0.5);
}

TEST(Transitions, TwoHundredsAreDelivered) {
  for (long s : {200L, 201L, 202L, 204L}) EXPECT_EQ(decide(s).result, AttemptResult::Delivered) << s;
}

TEST(Transitions, NetworkErrors408429And5xxAreRetried) {
  for (long s : {0L, 408L, 429L, 500L, 502L, 503L, 504L}) {
    const auto d = decide(s);
    EXPECT_EQ(d.result, AttemptResult::Retry) << s;
    EXPECT_GT(d.delay.count(), 0) << s;
    EXPECT_FALSE(d.error.empty()) << s;
  }
  EXPECT_EQ(decide(0).error, "Connection refused");
}

TEST(Transitions, OtherClientErrorsAndRedirectsAreDeadAtOnce) {
  for (long s : {400L, 401L, 403L, 404L, 410L, 422L, 301L, 302L}) {
    const auto d = decide(s);
    EXPECT_EQ(d.result, AttemptResult::Dead) << s;
    EXPECT_EQ(d.error.rfind("HTTP " + std::to_string(s), 0), 0u) << d.error;
  }
}

TEST(Transitions, RetryAfterSetsTheDelayUpToTheMax) {
  EXPECT_EQ(decide(429, 0, "7").delay, milliseconds(7000));
  EXPECT_EQ(decide(503, 0, "0").delay, milliseconds(0));
  EXPECT_EQ(decide(429, 0, "86400").delay, milliseconds(60000));
  // Not a value it understands: the backoff (1 s * jitter 0.75 for the first failure).
  EXPECT_EQ(decide(429, 0, "later").delay, milliseconds(750));
}

TEST(Transitions, TheLastAllowedAttemptMakesTheEventDead) {
  EXPECT_EQ(decide(500, 3).result, AttemptResult::Retry);
  const auto last = decide(500, 4);
  EXPECT_EQ(last.result, AttemptResult::Dead);
  EXPECT_NE(last.error.find("gave up after 5 attempts"), std::string::npos) << last.error;
}

TEST(Transitions, TheReceiversAnswerIsShortAndPrintableInTheError) {
  HttpAttempt a;
  a.status = 400;
  a.body_excerpt = "bad\x01request\n" + std::string(1000, 'x');
  const auto d = decide_attempt(a, 0, RetryPolicy{}, Timestamp{}, 0.0);
  EXPECT_EQ(d.error.rfind("HTTP 400: bad request xxx", 0), 0u) << d.error;
  EXPECT_LE(d.error.size(), 220u);
}

}  // namespace
}  // namespace rosterd::webhook
