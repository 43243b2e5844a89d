#include "connectors/webhook/smtp_client.h"

#include <algorithm>
#include <cstring>

#include "connectors/webhook/curl_handles.h"

namespace rosterd::webhook {
namespace {

struct Upload {
  std::string_view rest;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto* upload = static_cast<Upload*>(data);
  const std::size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

}  // namespace

SmtpAttempt send_mail(const SmtpServer& server, std::string_view from, std::string_view to,
                      std::string_view message) {
  SmtpAttempt out;
  CurlEasy easy(curl_easy_init());
  if (!easy) {
    out.error = "libcurl could not make a handle";
    return out;
  }
  CurlSlist recipients;
  const std::string from_text(from), to_text(to);
  if (!append_header(recipients, to_text.c_str())) {
    out.error = "out of memory";
    return out;
  }
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = easy.get();
  bool ok = curl_easy_setopt(h, CURLOPT_URL, server.url.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps") == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_text.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get()) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_READDATA, &upload) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size())) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_USE_SSL, server.starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                                  : static_cast<long>(CURLUSESSL_NONE)) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(server.connect_timeout.count())) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(server.total_timeout.count())) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error) == CURLE_OK;
  if (ok && !server.username.empty()) {
    ok = curl_easy_setopt(h, CURLOPT_USERNAME, server.username.c_str()) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_PASSWORD, server.password.reveal().c_str()) == CURLE_OK;
  }
  if (!ok) {
    out.error = "libcurl refused an SMTP option";
    return out;
  }
  const CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.reply);
  out.accepted = code == CURLE_OK;
  if (!out.accepted) out.error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
  return out;
}

AttemptDecision decide_smtp_attempt(const SmtpAttempt& attempt, int attempts_before,
                                    const RetryPolicy& policy, double unit) {
  AttemptDecision d;
  if (attempt.accepted) {
    d.result = AttemptResult::Delivered;
    return d;
  }
  d.error = attempt.reply != 0 ? "SMTP " + std::to_string(attempt.reply) + ": " + attempt.error : attempt.error;
  const int failed = attempts_before + 1;
  if (attempt.reply >= 500 && attempt.reply < 600) {
    d.result = AttemptResult::Dead;
  } else if (failed >= policy.max_attempts) {
    d.result = AttemptResult::Dead;
    d.error += " (gave up after " + std::to_string(failed) + " attempts)";
  } else {
    d.result = AttemptResult::Retry;
    d.delay = backoff_delay(policy, failed, unit);
  }
  return d;
}

}  // namespace rosterd::webhook
