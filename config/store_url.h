// What rosterd reads from a store URL ("sqlite:PATH" or postgresql://...) before handing it
// to the database: shared by the configuration and `rosterd store migrate`, whose URLs come
// from the command line.
#pragma once

#include <string_view>

namespace rosterd {

// postgresql:// or postgres:// (libpq accepts both).
bool is_postgres_url(std::string_view url);

// A password in a postgresql:// URL: in the user information ("user:secret@host") or as a
// "password" query parameter (percent-encoded or not); libpq would read either. rosterd
// refuses both, so that a URL can be shown in messages and logs.
bool store_url_has_password(std::string_view url);

}  // namespace rosterd
