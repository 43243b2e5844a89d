// What a delivery attempt's answer means for the event (pure: the clock and the jitter
// are passed in, so the tests can pin them).
//
//   2xx                              delivered
//   no answer (connect error, reset, timeout), 408, 429, 5xx
//                                    retried after an exponential backoff with jitter, or
//                                    after Retry-After when the receiver sent one; dead
//                                    once max_attempts attempts have failed
//   anything else (4xx, 3xx: redirects are not followed, a signed request is not sent
//   to another place than the configured one)
//                                    dead after this first attempt
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"
#include "store/outbox_store.h"

namespace rosterd::webhook {

struct RetryPolicy {
  std::chrono::milliseconds initial{std::chrono::seconds(1)};  // after the first failure
  std::chrono::milliseconds max{std::chrono::hours(1)};        // no wait longer than this
  int max_attempts = 25;  // with the defaults: retried for about 20 hours
};

// The wait after `failed` failed attempts (1 for the first): initial * 2^(failed-1),
// capped at max, then scaled by a jitter factor in [0.5, 1] taken from `unit` (in [0, 1))
// so that many events failing together do not come back together.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed, double unit);

// A Retry-After header value: delay-seconds ("120") or an HTTP-date in the IMF-fixdate
// form ("Sun, 06 Nov 1994 08:49:37 GMT"; a date in the past is 0). nullopt if it is
// neither, in which case the backoff applies.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, Timestamp now);

// One attempt as the transport saw it.
struct HttpAttempt {
  long status = 0;              // 0: no HTTP answer (transport_error says why)
  std::string transport_error;  // connect failure, timeout, reset...
  std::optional<std::string> retry_after;
  std::string body_excerpt;     // the first bytes of the answer, for last_error
};

struct AttemptDecision {
  AttemptResult result = AttemptResult::Retry;
  std::chrono::milliseconds delay{0};  // Retry: wait this long
  std::string error;                   // Retry and Dead: for last_error and the log
};

// `attempts_before`: attempts already made before this one.
AttemptDecision decide_attempt(const HttpAttempt& attempt, int attempts_before,
                               const RetryPolicy& policy, Timestamp now, double unit);

}  // namespace rosterd::webhook
