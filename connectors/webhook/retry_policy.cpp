#include "connectors/webhook/retry_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace rosterd::webhook {
namespace {

using std::chrono::milliseconds;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int n = 0;
  for (const char c : s) n = n * 10 + (c - '0');
  return n;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 section 5.6.7, IMF-fixdate).
std::optional<Timestamp> parse_imf_fixdate(std::string_view v) {
  if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' ||
      v[16] != ' ' || v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(kMonths.begin(), kMonths.end(), v.substr(8, 3));
  const std::string_view day = v.substr(5, 2), year = v.substr(12, 4), hour = v.substr(17, 2),
                         minute = v.substr(20, 2), second = v.substr(23, 2);
  if (month == kMonths.end() || !all_digits(day) || !all_digits(year) || !all_digits(hour) ||
      !all_digits(minute) || !all_digits(second))
    return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year(number(year)),
      std::chrono::month(static_cast<unsigned>(month - kMonths.begin() + 1)),
      std::chrono::day(static_cast<unsigned>(number(day)))};
  if (!date.ok() || number(hour) > 23 || number(minute) > 59 || number(second) > 60) return std::nullopt;
  return std::chrono::time_point_cast<milliseconds>(
      std::chrono::sys_days(date) + std::chrono::hours(number(hour)) +
      std::chrono::minutes(number(minute)) + std::chrono::seconds(number(second)));
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Printable ASCII only and short: what a receiver says ends up in last_error and the log.
std::string excerpt(std::string_view body) {
  std::string out;
  for (const char c : body.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  return std::string(trimmed(out));
}

bool retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

milliseconds backoff_delay(const RetryPolicy& policy, int failed, double unit) {
  const double base = static_cast<double>(policy.initial.count()) *
                      std::pow(2.0, static_cast<double>(std::max(failed, 1) - 1));
  const double capped = std::min(base, static_cast<double>(policy.max.count()));
  const double factor = 0.5 + 0.5 * std::clamp(unit, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(capped * factor));
}

std::optional<milliseconds> parse_retry_after(std::string_view value, Timestamp now) {
  value = trimmed(value);
  if (all_digits(value)) {
    if (value.size() > 9) return milliseconds(std::chrono::hours(24 * 365));  // absurdly far: a year
    return std::chrono::duration_cast<milliseconds>(std::chrono::seconds(number(value)));
  }
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  return std::max(milliseconds(0), *date - now);
}

AttemptDecision decide_attempt(const HttpAttempt& attempt, int attempts_before,
                               const RetryPolicy& policy, Timestamp now, double unit) {
  AttemptDecision d;
  if (attempt.status >= 200 && attempt.status < 300) {
    d.result = AttemptResult::Delivered;
    return d;
  }
  if (attempt.status == 0) {
    d.error = attempt.transport_error.empty() ? "no answer" : attempt.transport_error;
  } else {
    d.error = "HTTP " + std::to_string(attempt.status);
    if (const std::string body = excerpt(attempt.body_excerpt); !body.empty()) d.error += ": " + body;
  }
  if (attempt.status != 0 && !retryable_status(attempt.status)) {
    d.result = AttemptResult::Dead;
    return d;
  }
  const int failed = attempts_before + 1;
  if (failed >= policy.max_attempts) {
    d.result = AttemptResult::Dead;
    d.error += " (gave up after " + std::to_string(failed) + " attempts)";
    return d;
  }
  d.result = AttemptResult::Retry;
  d.delay = backoff_delay(policy, failed, unit);
  if (attempt.status != 0 && attempt.retry_after)
    if (const auto wait = parse_retry_after(*attempt.retry_after, now))
      d.delay = std::min(*wait, std::max(policy.max, d.delay));
  return d;
}

}  // namespace rosterd::webhook
