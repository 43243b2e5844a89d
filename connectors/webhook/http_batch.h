// POSTs several requests at once over libcurl's multi interface, with every limit
// explicit: a connect timeout, a total timeout per request (a receiver that never answers
// costs at most that), and a bound on the answer read (a receiver that sends a huge body
// is cut off; its status line still counts). Redirects are not followed. Keeps its
// connections between batches (HTTP keep-alive).
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "connectors/webhook/retry_policy.h"

namespace rosterd::webhook {

struct HttpLimits {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(15)};
  std::size_t max_answer_bytes = 64 * 1024;  // read of the answer's body, then cut off
  bool allow_http = false;                   // plain http:// (loopback only, config checks)
  std::string ca_file;                       // extra CA bundle ("" = the system's)
};

struct HttpPost {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  HttpLimits limits;
};

class HttpBatch {
 public:
  // At most `parallel` requests on the wire at once.
  explicit HttpBatch(std::size_t parallel);
  ~HttpBatch();
  HttpBatch(const HttpBatch&) = delete;
  HttpBatch& operator=(const HttpBatch&) = delete;

  // One HttpAttempt per request, in the same order. Returns when every request has been
  // answered, failed or timed out.
  std::vector<HttpAttempt> post_all(std::span<const HttpPost> requests);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd::webhook
