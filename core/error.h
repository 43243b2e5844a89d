// Errors a user or a remote system can cause travel as values (Result<T>), never as
// exceptions. Each ErrorCode has one row in the table of error_code.cpp that fixes its
// CLI exit code, its HTTP status and its SCIM scimType, so every interface agrees.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace rosterd {

enum class ErrorCode {
  InvalidValue,       // a value that is not acceptable (bad email, unknown role)
  InvalidSyntax,      // a request or document that cannot be parsed
  InvalidFilter,
  InvalidPath,
  NoTarget,
  Mutability,
  TooMany,
  InvalidVersion,
  Usage,              // CLI misuse
  Config,             // a configuration file that is wrong
  NotFound,
  Uniqueness,         // would duplicate a unique value (email within a space)
  Invariant,          // refused by a domain invariant (last owner, quota, ...)
  PreconditionFailed, // stale version / ETag
  Unauthorized,
  Forbidden,
  PayloadTooLarge,
  Unavailable,        // a dependency is down; try again later
  Storage,            // the store failed
  Internal,
};

struct ErrorTraits {
  int exit_code;             // CLI: 1 refused, 2 usage or configuration, 3 runtime failure
  int http_status;
  std::string_view scim_type;  // empty where SCIM defines none
  std::string_view name;       // stable name used in JSON output and logs
};

const ErrorTraits& traits(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  // For ErrorCode::Invariant: the stable name of the invariant that refused
  // ("last-owner", "licence-quota", ...). Empty otherwise.
  std::string invariant;

  int exit_code() const { return traits(code).exit_code; }
  int http_status() const { return traits(code).http_status; }
  std::string_view scim_type() const { return traits(code).scim_type; }
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message), {}});
}

inline tl::unexpected<Error> refuse(std::string invariant, std::string message) {
  return tl::unexpected<Error>(Error{ErrorCode::Invariant, std::move(message), std::move(invariant)});
}

}  // namespace rosterd
