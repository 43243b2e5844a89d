// HTTP as the protocol code sees it: a request value in, a response value out. The one
// adapter that converts to and from Boost.Beast lives in daemon/; nothing in scim/ knows
// about sockets, so most SCIM tests need none.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rosterd::scim {

inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received: "/scim/v2/Users?filter=userName%20eq%20%22a%22"
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;
  std::string remote;  // peer address, for logs

  // The first header with this name (case-insensitive), or "" if absent.
  const std::string& header(std::string_view name) const {
    static const std::string kEmpty;
    for (const auto& [k, v] : headers) {
      if (k.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < k.size() && same; ++i) same = lower(k[i]) == lower(name[i]);
      if (same) return v;
    }
    return kEmpty;
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type, Location, ETag, ...
  std::string body;
};

}  // namespace rosterd::scim
