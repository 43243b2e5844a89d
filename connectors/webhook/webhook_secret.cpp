#include "connectors/webhook/webhook_secret.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace rosterd::webhook {

Result<WebhookSecret> read_webhook_secret(const std::string& path) {
  if (path.empty()) return fail(ErrorCode::Config, "no secret_file: a webhook must be signed");
  return read_secret_file(path, "the webhook secret_file");
}

Result<WebhookSecret> read_secret_file(const std::string& path, const std::string& what) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::Config, "cannot read " + what + " " + path + ": " +
                                       (errno != 0 ? std::strerror(errno) : "unreadable"));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  WebhookSecret secret(line);
  std::fill(line.begin(), line.end(), '\0');
  if (in.bad()) return fail(ErrorCode::Config, "cannot read " + what + " " + path);
  if (secret.empty()) return fail(ErrorCode::Config, what + " " + path + " is empty");
  return secret;
}

}  // namespace rosterd::webhook
