#include "connectors/ldap/paged_search.h"

#include "connectors/ldap/ldap_handles.h"
#include "connectors/ldap/search.h"

namespace rosterd::ldap {
namespace {

constexpr int kDefaultPageSize = 1000;  // Active Directory's default MaxPageSize

// Results that mean "the server stopped before the end": the read is valid as far as it
// went, and must not be taken for the whole directory.
bool is_limit(int code) {
  return code == LDAP_SIZELIMIT_EXCEEDED || code == LDAP_TIMELIMIT_EXCEEDED ||
         code == LDAP_ADMINLIMIT_EXCEEDED;
}

// Not critical: a server without paging then answers in one piece (or at its size
// limit, which is reported as Incomplete) instead of refusing the search.
Result<Control> page_control(LDAP* ld, int page_size, const std::string& cookie) {
  berval cookie_value{cookie.size(), const_cast<char*>(cookie.data())};
  LDAPControl* raw = nullptr;
  const int rc = ldap_create_page_control(ld, page_size, &cookie_value, 0, &raw);
  const ControlHandle control(raw);
  if (rc != LDAP_SUCCESS || !control)
    return fail(ErrorCode::Internal, std::string("cannot encode the paging control: ") + ldap_err2string(rc));
  Control out{control->ldctl_oid, to_string(control->ldctl_value), false};
  return out;
}

// The cookie of the server's paging response; "" on the last page.
Result<std::string> next_cookie(LDAP* ld, const Control& response) {
  LDAPControl c{};
  c.ldctl_oid = const_cast<char*>(response.oid.c_str());
  if (response.value) c.ldctl_value = berval{response.value->size(), const_cast<char*>(response.value->data())};
  ber_int_t estimate = 0;
  berval cookie{0, nullptr};
  const int rc = ldap_parse_pageresponse_control(ld, &c, &estimate, &cookie);
  std::string out = to_string(cookie);
  ber_memfree(cookie.bv_val);
  if (rc != LDAP_SUCCESS)
    return fail(ErrorCode::Unavailable, std::string("unreadable paging response: ") + ldap_err2string(rc));
  return out;
}

// The first page refused for its size alone, with room to ask for less.
bool page_too_large(const SearchDone& done, const std::string& cookie, const PagedOutcome& outcome) {
  return done.code == LDAP_ADMINLIMIT_EXCEEDED && cookie.empty() && outcome.entries == 0 &&
         done.entries == 0 && outcome.page_size > 1;
}

std::string entries_so_far(const PagedOutcome& outcome) {
  return " (after " + std::to_string(outcome.entries) + " entries in " +
         std::to_string(outcome.pages) + (outcome.pages == 1 ? " page)" : " pages)");
}

// What one finished page means for the whole read: nullopt to go on with `cookie`.
std::optional<ReadStatus> judge(Connection& connection, const SearchRequest& request,
                                const SearchDone& done, std::string& cookie, PagedOutcome& outcome) {
  const std::string what = describe_search(connection, request);
  if (done.stopped) {
    outcome.reason = what + ": stopped by the caller" + entries_so_far(outcome);
    return ReadStatus::Stopped;
  }
  if (done.code != LDAP_SUCCESS) {
    std::string reason = what + ": " + done.message + entries_so_far(outcome);
    if (done.code == LDAP_REFERRAL && !done.referrals.empty())
      reason += "; referred to " + done.referrals.front() + ", not followed";
    outcome.reason = std::move(reason);
    return is_limit(done.code) ? ReadStatus::Incomplete : ReadStatus::Failed;
  }
  const Control* response = find_control(done.controls, LDAP_CONTROL_PAGEDRESULTS);
  if (response == nullptr) return ReadStatus::Complete;  // a server that does not page
  auto next = next_cookie(connection.native(), *response);
  if (!next) {
    outcome.reason = what + ": " + next.error().message + entries_so_far(outcome);
    return ReadStatus::Failed;
  }
  if (next->empty()) return ReadStatus::Complete;
  cookie = std::move(*next);
  return std::nullopt;
}

}  // namespace

PagedOutcome paged_search(Connection& connection, const SearchRequest& request, int page_size,
                          const std::function<bool(const Entry&)>& on_entry) {
  PagedOutcome outcome;
  SearchHandlers handlers;
  // Counted here rather than from SearchDone so a page cut short still counts.
  handlers.on_entry = [&outcome, &on_entry](const Entry& entry) {
    ++outcome.entries;
    return on_entry(entry);
  };
  handlers.on_reference = [&outcome](const std::vector<std::string>&) { ++outcome.references_skipped; };
  SearchRequest page = request;
  page.controls.emplace_back();
  std::string cookie;
  outcome.page_size = page_size > 0 ? page_size : kDefaultPageSize;
  for (;;) {
    auto control = page_control(connection.native(), outcome.page_size, cookie);
    if (!control) {
      outcome.status = ReadStatus::Failed;
      outcome.reason = describe_search(connection, request) + ": " + control.error().message;
      return outcome;
    }
    page.controls.back() = std::move(*control);
    auto done = search(connection, page, handlers);
    ++outcome.pages;
    if (!done) {
      outcome.status = ReadStatus::Failed;
      outcome.reason = done.error().message + entries_so_far(outcome);
      return outcome;
    }
    if (page_too_large(*done, cookie, outcome)) {
      outcome.page_size /= 2;
      continue;
    }
    if (const auto status = judge(connection, request, *done, cookie, outcome)) {
      outcome.status = *status;
      return outcome;
    }
  }
}

}  // namespace rosterd::ldap
