// The one search primitive everything else is built on: send a request with its
// controls, hand each entry, reference and intermediate message to a callback as it
// arrives (nothing is accumulated), and return the final result with its controls.
// Paged reads (paged_search.h), AD range retrieval and, later, RFC 4533 content
// synchronisation and AD DirSync/uSNChanged reads are loops around it.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/entry.h"
#include "connectors/ldap/search_request.h"
#include "core/error.h"

namespace rosterd::ldap {

struct Intermediate {  // an IntermediateResponse (RFC 4511 4.13), e.g. RFC 4533 syncInfo
  std::string oid;
  std::optional<std::string> value;
  std::vector<Control> controls;
};

struct SearchHandlers {
  // Each entry; false stops the search (it is abandoned; SearchDone::stopped is set).
  std::function<bool(const Entry&)> on_entry;
  // Optional. Same contract as on_entry.
  std::function<bool(const Intermediate&)> on_intermediate;
  // Optional. The URLs of a search continuation reference; never chased here.
  std::function<void(const std::vector<std::string>&)> on_reference;
};

// How the server ended the search (its searchResultDone), or that a handler stopped it.
struct SearchDone {
  int code = 0;          // the LDAP result code (0 success, 4 size limit, ...)
  std::string message;   // the code's text and the server's diagnostic message
  std::string matched_dn;
  std::vector<std::string> referrals;
  std::vector<Control> controls;  // response controls: paging cookie, sync done, ...
  std::size_t entries = 0;
  std::size_t references = 0;
  bool stopped = false;

  bool success() const { return code == 0 && !stopped; }
};

// "search for users under 'ou=people,dc=example,dc=test' at ldap://127.0.0.1:389/": how
// messages about a search begin.
std::string describe_search(const Connection& connection, const SearchRequest& request);

// An error when no result came: the request could not be sent, the connection dropped,
// or no message arrived within the connection's search timeout (the search is then
// abandoned). The message names the connection's URL, request.purpose and request.base.
Result<SearchDone> search(Connection& connection, const SearchRequest& request,
                          const SearchHandlers& handlers);

}  // namespace rosterd::ldap
