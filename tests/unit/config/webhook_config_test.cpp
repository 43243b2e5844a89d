// spaces.*.webhook: https only unless allowed for a loopback host, the delivery limits and
// the retry policy, with located errors. The secret file is not read here (config loading
// has no side effects): `rosterd serve` and check-config read it (daemon/webhook_setup).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::yaml_lines;

std::string space_with(std::string_view webhook) {
  return yaml_lines({"spaces:", "  acme:", "    licences: {recruiter: 1}"}) + "    webhook: " +
         std::string(webhook) + "\n";
}

TEST(WebhookConfig, DefaultsAreHttpsOnlyWithProductionTimeoutsAndRetries) {
  const auto config = accepted(space_with("{url: https://h.example/x, secret_file: /etc/s}"));
  const WebhookConfig& w = *config.spaces[0].webhook;
  EXPECT_FALSE(w.allow_http_loopback);
  EXPECT_EQ(w.timeout, std::chrono::seconds(15));
  EXPECT_EQ(w.connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(w.retry_initial, std::chrono::seconds(1));
  EXPECT_EQ(w.retry_max, std::chrono::hours(1));
  EXPECT_EQ(w.max_attempts, 25);
}

TEST(WebhookConfig, ReadsLimitsAndRetryWithMillisecondDurations) {
  const auto config = accepted(space_with(
      "{url: http://127.0.0.1:9000/h, secret_file: /s, allow_http_loopback: true, ca_file: /ca.pem,"
      " timeout: 2s, connect_timeout: 500ms, retry: {initial: 100ms, max: 5m, attempts: 3}}"));
  const WebhookConfig& w = *config.spaces[0].webhook;
  EXPECT_TRUE(w.allow_http_loopback);
  EXPECT_EQ(w.ca_file, "/ca.pem");
  EXPECT_EQ(w.timeout, std::chrono::seconds(2));
  EXPECT_EQ(w.connect_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(w.retry_initial, std::chrono::milliseconds(100));
  EXPECT_EQ(w.retry_max, std::chrono::minutes(5));
  EXPECT_EQ(w.max_attempts, 3);
}

TEST(WebhookConfig, PlainHttpIsRefusedUnlessAllowedForALoopbackHost) {
  EXPECT_THAT(error_lines(space_with("{url: http://127.0.0.1/h, secret_file: /s}")),
              ElementsAre(::testing::HasSubstr("spaces.acme.webhook.url: http:// is refused")));
  EXPECT_THAT(error_lines(space_with("{url: http://platform.example/h, secret_file: /s, allow_http_loopback: true}")),
              ElementsAre(::testing::HasSubstr("only to 127.0.0.1, ::1 or localhost, not 'platform.example'")));
  // The user-info part cannot pass another host off as loopback.
  EXPECT_THAT(error_lines(space_with("{url: \"http://127.0.0.1@evil.example/h\", secret_file: /s, allow_http_loopback: true}")),
              ElementsAre(::testing::HasSubstr("not 'evil.example'")));
  EXPECT_THAT(error_lines(space_with("{url: \"http://127.0.0.1.evil.example/h\", secret_file: /s, allow_http_loopback: true}")),
              ElementsAre(::testing::HasSubstr("not '127.0.0.1.evil.example'")));
  for (const char* ok : {"http://localhost:8080/h", "http://[::1]:8080/h", "http://127.0.0.2/h"})
    EXPECT_TRUE(accepted(space_with(std::string("{url: \"") + ok + "\", secret_file: /s, allow_http_loopback: true}"))
                    .spaces[0].webhook->allow_http_loopback)
        << ok;
}

TEST(WebhookConfig, BadDurationsAttemptsAndKeysAreLocated) {
  EXPECT_THAT(
      error_lines(space_with("{url: https://h/x, timeout: soon, retry: {attempts: 0, initial: 0ms, backoff: 2}}")),
      ElementsAre(
          "rosterd.yaml:4:42: spaces.acme.webhook.timeout: expected a duration such as 500ms, 30s, 5m or 1h, got 'soon'",
          "rosterd.yaml:4:66: spaces.acme.webhook.retry.attempts: expected a whole number from 1 to 1000, got '0'",
          "rosterd.yaml:4:78: spaces.acme.webhook.retry.initial: expected a duration such as 500ms, 30s, 5m or 1h, got '0ms'",
          "rosterd.yaml:4:83: spaces.acme.webhook.retry.backoff: unknown key 'backoff' (expected one of: initial, max, attempts)"));
}

}  // namespace
}  // namespace rosterd
