// RAII for libcurl's handles (internal to connectors/webhook): each is owned from the line
// that creates it. curl_global_init is done once per process by CurlGlobal, which the
// sender holds for as long as it lives.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace rosterd::webhook {

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// curl_global_init is not thread-safe before libcurl 7.84 and must come before any other
// call: the daemon's main thread makes one of these before starting the sender thread.
class CurlGlobal {
 public:
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// Appends a header line to a list that may be empty; false when out of memory.
inline bool append_header(CurlSlist& list, const char* line) {
  curl_slist* next = curl_slist_append(list.get(), line);
  if (next == nullptr) return false;
  list.release();
  list.reset(next);
  return true;
}

}  // namespace rosterd::webhook
