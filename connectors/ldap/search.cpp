#include "connectors/ldap/search.h"

#include "connectors/ldap/control_conversion.h"
#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_handles.h"

namespace rosterd::ldap {
namespace {

// With no limit configured the client still waits at most this long for one message,
// rather than forever on a server that accepted the request and went silent.
constexpr std::chrono::hours kLongestWait{24};

int to_scope(SearchScope scope) {
  switch (scope) {
    case SearchScope::Base: return LDAP_SCOPE_BASE;
    case SearchScope::One: return LDAP_SCOPE_ONELEVEL;
    case SearchScope::Sub: return LDAP_SCOPE_SUBTREE;
  }
  return LDAP_SCOPE_SUBTREE;
}

std::vector<std::string> to_strings(char** strings) {
  std::vector<std::string> out;
  for (char** s = strings; s != nullptr && *s != nullptr; ++s) out.emplace_back(*s);
  return out;
}

std::string seconds(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

// The error libldap recorded on the handle after a call that returned -1.
int handle_error(LDAP* ld) {
  int code = LDAP_OTHER;
  ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
  return code;
}

Result<SearchDone> parse_done(LDAP* ld, LDAPMessage* message, SearchDone done) {
  int code = LDAP_SUCCESS;
  char* matched = nullptr;
  char* diagnostic = nullptr;
  char** referrals = nullptr;
  LDAPControl** controls = nullptr;
  const int rc = ldap_parse_result(ld, message, &code, &matched, &diagnostic, &referrals,
                                   &controls, 0);
  const LdapText matched_owner(matched), diagnostic_owner(diagnostic);
  const LdapStrings referrals_owner(referrals);
  const ControlsHandle controls_owner(controls);
  if (rc != LDAP_SUCCESS) return fail(ErrorCode::Unavailable, describe_result(ld, rc));
  done.code = code;
  done.message = describe_result(code, diagnostic == nullptr ? "" : diagnostic);
  done.matched_dn = matched == nullptr ? "" : matched;
  done.referrals = to_strings(referrals);
  done.controls = to_controls(controls);
  return done;
}

// Hands one message to its handler; false when the handler asked to stop.
bool dispatch(LDAP* ld, LDAPMessage* message, const SearchHandlers& handlers, SearchDone& done) {
  switch (ldap_msgtype(message)) {
    case LDAP_RES_SEARCH_ENTRY:
      ++done.entries;
      return !handlers.on_entry || handlers.on_entry(Entry(ld, message));
    case LDAP_RES_SEARCH_REFERENCE: {
      ++done.references;
      char** urls = nullptr;
      ldap_parse_reference(ld, message, &urls, nullptr, 0);
      const LdapStrings owner(urls);
      if (handlers.on_reference) handlers.on_reference(to_strings(urls));
      return true;
    }
    case LDAP_RES_INTERMEDIATE: {
      char* oid = nullptr;
      berval* data = nullptr;
      LDAPControl** controls = nullptr;
      ldap_parse_intermediate(ld, message, &oid, &data, &controls, 0);
      const LdapText oid_owner(oid);
      const BervalHandle data_owner(data);
      const ControlsHandle controls_owner(controls);
      Intermediate intermediate{oid == nullptr ? "" : oid, std::nullopt, to_controls(controls)};
      if (data != nullptr) intermediate.value = to_string(*data);
      return !handlers.on_intermediate || handlers.on_intermediate(intermediate);
    }
    default:
      return true;  // nothing else belongs to a search; ignored
  }
}

}  // namespace

std::string describe_search(const Connection& connection, const SearchRequest& request) {
  return "search for " + request.purpose + " under '" + request.base + "' at " + connection.url();
}

Result<SearchDone> search(Connection& connection, const SearchRequest& request,
                          const SearchHandlers& handlers) {
  LDAP* ld = connection.native();
  std::vector<char*> attributes;
  for (const std::string& a : request.attributes) attributes.push_back(const_cast<char*>(a.c_str()));
  attributes.push_back(nullptr);
  BorrowedControls controls(request.controls);
  const auto limit = connection.search_timeout();
  timeval server_limit = to_timeval(limit);
  int id = 0;
  const int rc = ldap_search_ext(ld, request.base.c_str(), to_scope(request.scope), request.filter.c_str(),
                                 request.attributes.empty() ? nullptr : attributes.data(), 0,
                                 controls.get(), nullptr, limit.count() > 0 ? &server_limit : nullptr,
                                 request.size_limit, &id);
  if (rc != LDAP_SUCCESS)
    return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": cannot send the request: " +
                                            describe_result(ld, rc));
  const auto longest_wait =
      limit.count() > 0 ? limit : std::chrono::duration_cast<std::chrono::milliseconds>(kLongestWait);
  SearchDone done;
  for (;;) {
    timeval wait = to_timeval(longest_wait);
    LDAPMessage* raw = nullptr;
    const int type = ldap_result(ld, id, LDAP_MSG_ONE, &wait, &raw);
    const MessageHandle message(raw);
    if (type == 0) {
      ldap_abandon_ext(ld, id, nullptr, nullptr);
      return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": no answer within " +
                                              seconds(longest_wait));
    }
    if (type < 0)
      return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": " +
                                              describe_result(ld, handle_error(ld)));
    if (type == LDAP_RES_SEARCH_RESULT) {
      auto parsed = parse_done(ld, message.get(), std::move(done));
      if (!parsed)
        return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": unreadable result: " +
                                                parsed.error().message);
      return parsed;
    }
    if (!dispatch(ld, message.get(), handlers, done)) {
      ldap_abandon_ext(ld, id, nullptr, nullptr);
      done.stopped = true;
      return done;
    }
  }
}

}  // namespace rosterd::ldap
