// A search read whole, page by page (RFC 2696 simple paged results), with each entry
// handed to a callback as it arrives. The outcome says whether every entry the request
// matches was seen: a size, time or administrative limit, a dropped connection or an
// error on a later page leaves it Incomplete or Failed with the reason, never Complete.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/entry.h"
#include "connectors/ldap/search_request.h"

namespace rosterd::ldap {

enum class ReadStatus {
  Complete,    // the server said the last page was sent
  Incomplete,  // the server stopped early at a limit (size, time, administrative)
  Failed,      // no usable answer: connection lost, timeout, an error result
  Stopped,     // the callback asked to stop
};

struct PagedOutcome {
  ReadStatus status = ReadStatus::Complete;
  std::string reason;  // why it is not Complete: URL, purpose, base and the server's words
  std::size_t entries = 0;
  std::size_t references_skipped = 0;  // continuation references, never chased here
  int pages = 0;                       // search requests sent
  int page_size = 0;                   // the page size in use at the end

  bool complete() const { return status == ReadStatus::Complete; }
};

// `page_size` <= 0 means 1000. `request.controls` are sent with every page, next to the
// paging control. A server that refuses the first page's size as too large (slapd's
// `limits ... size.pr=N` answers adminLimitExceeded) is asked again with half the size
// until it accepts: nothing was read yet, so nothing is read twice.
PagedOutcome paged_search(Connection& connection, const SearchRequest& request, int page_size,
                          const std::function<bool(const Entry&)>& on_entry);

}  // namespace rosterd::ldap
