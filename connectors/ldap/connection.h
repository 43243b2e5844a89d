// A bound LDAPv3 connection to one server of a directory source. connect() tries the
// source's URLs in order and returns the first that connects (TLS as configured) and
// accepts the bind; when none does, the error names every URL and why it failed. The
// password is used for the bind and never appears in an error.
//
// libldap writes to its socket with write(): a process using it must ignore SIGPIPE, or
// a server that drops the connection while a request is sent ends the process. One
// connection is used by one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "connectors/ldap/bind_password.h"
#include "connectors/ldap/directory_settings.h"
#include "core/error.h"

struct ldap;  // libldap's LDAP handle; <ldap.h> stays out of this header

namespace rosterd::ldap {

class Connection {
 public:
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection() = default;

  // The URL this connection reached, for messages ("... at ldap://dc1.corp.example").
  const std::string& url() const { return url_; }
  // For the search primitives of this library (search.h); the connection keeps ownership.
  ::ldap* native() const { return handle_.get(); }
  std::chrono::milliseconds search_timeout() const { return search_timeout_; }
  bool follow_referrals() const { return follow_referrals_; }

 private:
  struct Unbind {
    void operator()(::ldap* handle) const;
  };
  friend class ConnectionFactory;
  Connection(std::unique_ptr<::ldap, Unbind> handle, std::string url,
             std::chrono::milliseconds search_timeout, bool follow_referrals)
      : handle_(std::move(handle)), url_(std::move(url)), search_timeout_(search_timeout),
        follow_referrals_(follow_referrals) {}

  std::unique_ptr<::ldap, Unbind> handle_;
  std::string url_;
  std::chrono::milliseconds search_timeout_;
  bool follow_referrals_;
};

// ErrorCode::Unauthorized when every URL refused the bind, ErrorCode::Config for settings
// that cannot work (no URL, a bind DN without a password, StartTLS on ldaps://),
// ErrorCode::Unavailable otherwise (unreachable, TLS failure, timeout).
Result<Connection> connect(const DirectorySettings& settings, const BindPassword& password);

}  // namespace rosterd::ldap
