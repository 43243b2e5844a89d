// Where a PostgreSQL store lives and how to log in: the libpq connection URL as the
// configuration gives it (TLS options such as sslmode=verify-full and sslrootcert are
// passed through to libpq untouched), and the password read from `password_file` by the
// caller. Without a password here libpq's own PGPASSWORD / PGPASSFILE apply.
#pragma once

#include <optional>
#include <string>

namespace rosterd {

struct PostgresTarget {
  std::string url;                      // postgresql://user@host:port/database?sslmode=...
  std::optional<std::string> password;  // never logged, never part of an error message
  std::string application_name = "rosterd";
};

}  // namespace rosterd
