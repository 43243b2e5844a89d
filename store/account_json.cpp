#include "store/account_json.h"

#include <boost/json/array.hpp>

namespace rosterd {

boost::json::object account_json(const Account& a) {
  boost::json::object o;
  o.reserve(24);
  o["id"] = a.id;
  o["space"] = a.space;
  o["email"] = a.email;
  o["given_name"] = a.given_name;
  o["family_name"] = a.family_name;
  o["title"] = a.title;
  o["phone"] = a.phone;
  o["team"] = a.team;
  o["country"] = a.country;
  o["language"] = a.language;
  o["role"] = a.role;
  o["licence"] = a.licence;
  o["state"] = to_string(a.state);
  o["managed_by"] = a.managed_by;
  o["source_anchor"] = a.source_anchor;
  o["successor"] = a.successor.empty() ? boost::json::value(nullptr) : boost::json::value(a.successor);
  boost::json::array folders;
  for (const auto& f : a.folders) folders.emplace_back(f);
  o["folders"] = std::move(folders);
  o["created_at"] = format_timestamp(a.created_at);
  o["updated_at"] = format_timestamp(a.updated_at);
  o["activated_at"] =
      a.activated_at ? boost::json::value(format_timestamp(*a.activated_at)) : boost::json::value(nullptr);
  o["version"] = a.version;
  return o;
}

}  // namespace rosterd
