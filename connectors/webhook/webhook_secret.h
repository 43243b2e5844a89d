// A space's webhook signing key, from its secret_file. Its only way out is reveal(): it
// cannot be streamed or formatted by accident, so it never reaches a log line or an error.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "core/error.h"

namespace rosterd::webhook {

class WebhookSecret {
 public:
  WebhookSecret() = default;
  explicit WebhookSecret(std::string value) : value_(std::move(value)) {}
  WebhookSecret(const WebhookSecret&) = default;
  WebhookSecret& operator=(const WebhookSecret&) = default;
  ~WebhookSecret() {
    volatile char* p = value_.data();
    for (std::size_t i = 0; i < value_.size(); ++i) p[i] = 0;
  }

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// Reads the key: the file's first line, without its line ending. An unreadable or empty
// file is ErrorCode::Config, naming the file (and never its content).
Result<WebhookSecret> read_webhook_secret(const std::string& path);

// The same for another secret file (an SMTP password_file): `what` names it in the error
// ("the SMTP password_file").
Result<WebhookSecret> read_secret_file(const std::string& path, const std::string& what);

}  // namespace rosterd::webhook
