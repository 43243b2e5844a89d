#include "connectors/webhook/http_batch.h"

#include <cstring>

#include "connectors/webhook/curl_handles.h"

namespace rosterd::webhook {
namespace {

// One request on the wire: what libcurl borrows (headers, error buffer) and what the
// answer fills in. Pinned in memory (libcurl keeps pointers into it).
struct Transfer {
  std::size_t index = 0;
  CurlSlist headers;
  std::string answer;
  std::size_t limit = 0;
  bool cut = false;  // the answer was longer than the limit
  char error[CURL_ERROR_SIZE] = {};
};

std::size_t on_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = t->limit > t->answer.size() ? t->limit - t->answer.size() : 0;
  if (bytes > room) {
    t->answer.append(data, room);
    t->cut = true;
    return 0;  // libcurl stops the transfer (CURLE_WRITE_ERROR)
  }
  t->answer.append(data, bytes);
  return bytes;
}

// The options of one request; false if libcurl refused one (out of memory).
bool prepare(CURL* easy, const HttpPost& post, Transfer& t) {
  curl_easy_reset(easy);  // keeps the connection cache: the next request reuses it
  t.limit = post.limits.max_answer_bytes;
  for (const std::string& h : post.headers)
    if (!append_header(t.headers, h.c_str())) return false;
  // No "Expect: 100-continue" round trip for larger bodies.
  if (!append_header(t.headers, "Expect:")) return false;
  bool ok = curl_easy_setopt(easy, CURLOPT_URL, post.url.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_PRIVATE, &t) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_POST, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_POSTFIELDS, post.body.data()) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                              static_cast<curl_off_t>(post.body.size())) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers.get()) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                              static_cast<long>(post.limits.connect_timeout.count())) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                              static_cast<long>(post.limits.total_timeout.count())) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR,
                              post.limits.allow_http ? "http,https" : "https") == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_answer) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy, CURLOPT_USERAGENT, "rosterd") == CURLE_OK;
  if (ok && !post.limits.ca_file.empty())
    ok = curl_easy_setopt(easy, CURLOPT_CAINFO, post.limits.ca_file.c_str()) == CURLE_OK;
  return ok;
}

// What a finished transfer came to. Once a status line has arrived it decides, even if
// the answer was then cut off or timed out: the receiver has said what it did.
HttpAttempt finished(CURL* easy, CURLcode code, const Transfer& t) {
  HttpAttempt a;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200) {
    a.status = status;
    a.body_excerpt = t.answer.substr(0, 512);
    curl_header* h = nullptr;
    if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h != nullptr)
      a.retry_after = h->value;
    return a;
  }
  a.transport_error = curl_easy_strerror(code);
  if (t.error[0] != '\0') a.transport_error += std::string(": ") + t.error;
  return a;
}

}  // namespace

struct HttpBatch::Impl {
  CurlMulti multi{curl_multi_init()};
  std::vector<CurlEasy> easies;
};

HttpBatch::HttpBatch(std::size_t parallel) : impl_(std::make_unique<Impl>()) {
  for (std::size_t i = 0; i < std::max<std::size_t>(parallel, 1); ++i)
    impl_->easies.emplace_back(curl_easy_init());
}

HttpBatch::~HttpBatch() = default;

std::vector<HttpAttempt> HttpBatch::post_all(std::span<const HttpPost> requests) {
  std::vector<HttpAttempt> results(requests.size());
  std::vector<std::unique_ptr<Transfer>> transfers;
  std::vector<CURL*> idle;
  for (const auto& e : impl_->easies)
    if (e) idle.push_back(e.get());
  if (!impl_->multi || idle.empty()) {
    for (auto& r : results) r.transport_error = "libcurl could not be initialised";
    return results;
  }
  CURLM* multi = impl_->multi.get();
  std::size_t next = 0, done = 0;
  while (done < requests.size()) {
    while (next < requests.size() && !idle.empty()) {
      auto t = std::make_unique<Transfer>();
      t->index = next;
      CURL* easy = idle.back();
      if (!prepare(easy, requests[next], *t) || curl_multi_add_handle(multi, easy) != CURLM_OK) {
        results[next++].transport_error = "libcurl refused the request (out of memory?)";
        ++done;
        continue;
      }
      idle.pop_back();
      transfers.push_back(std::move(t));
      ++next;
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      Transfer* t = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      if (t != nullptr) results[t->index] = finished(easy, code, *t);
      curl_multi_remove_handle(multi, easy);
      idle.push_back(easy);
      ++done;
    }
    if (done < requests.size() && running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  return results;
}

}  // namespace rosterd::webhook
