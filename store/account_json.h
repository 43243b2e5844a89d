// The JSON form of an account, shared by the CLI's --json output and the platform's
// events so both say the same thing with the same snake_case keys.
#pragma once

#include <boost/json/object.hpp>

#include "core/account.h"

namespace rosterd {

boost::json::object account_json(const Account& a);

}  // namespace rosterd
