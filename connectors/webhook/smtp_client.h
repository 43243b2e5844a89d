// One email handed to an SMTP server through libcurl (synchronous, bounded by the
// timeouts), and what the server's answer means for the invitation (pure, like
// retry_policy.h):
//
//   accepted (250 after the message)           sent
//   4xx reply, no reply (connect error, reset, timeout)
//                                              retried after the backoff of retry_policy.h;
//                                              dead once max_attempts attempts have failed
//   5xx reply (bad recipient, refused sender, authentication failed)
//                                              dead after this attempt
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "connectors/webhook/retry_policy.h"
#include "connectors/webhook/webhook_secret.h"

namespace rosterd::webhook {

struct SmtpServer {
  std::string url;   // smtp://host:port or smtps://host:port
  bool starttls = true;  // smtp://: STARTTLS required (CURLUSESSL_ALL)
  std::string username;  // "" = no authentication
  WebhookSecret password;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};
};

struct SmtpAttempt {
  bool accepted = false;
  long reply = 0;     // the server's last reply code, 0 when none came
  std::string error;  // libcurl's message when not accepted
};

// `from` and `to` are bare addresses (checked by the caller, smtp_message.h); `message`
// is the whole RFC 5322 text with CRLF line ends.
SmtpAttempt send_mail(const SmtpServer& server, std::string_view from, std::string_view to,
                      std::string_view message);

AttemptDecision decide_smtp_attempt(const SmtpAttempt& attempt, int attempts_before,
                                    const RetryPolicy& policy, double unit);

}  // namespace rosterd::webhook
