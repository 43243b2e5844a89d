#include "store/sql/identity_rows.h"

#include <unordered_map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/timestamp.h"
#include "core/try.h"

namespace rosterd::sql {
namespace {

Result<Timestamp> time_cell(const SqlRow& row, std::size_t i) {
  auto t = parse_timestamp(row.text(i));
  if (!t) return fail(ErrorCode::Storage, "corrupt timestamp in the identity store: '" + row.text(i) + "'");
  return *t;
}

}  // namespace

Result<ResourceRecord> record_from_row(ResourceType type, const SqlRow& row) {
  ResourceRecord r;
  r.type = type;
  r.id = row.text(0);
  if (!row.is_null(1)) r.external_id = row.text(1);
  r.user_name = row.text(2);
  r.display_name = row.text(3);
  ROSTERD_ASSIGN(r.emails, string_array_from_json(row.text(4)));
  r.active = row.integer(5) != 0;
  r.attributes = row.text(6);
  r.version = row.integer(7);
  ROSTERD_ASSIGN(r.created, time_cell(row, 8));
  ROSTERD_ASSIGN(r.updated, time_cell(row, 9));
  r.source = row.text(10);
  return r;
}

std::string_view type_name(ResourceType type) { return type == ResourceType::User ? "User" : "Group"; }

ResourceType type_from_name(std::string_view name) {
  return name == "Group" ? ResourceType::Group : ResourceType::User;
}

std::string string_array_json(std::span<const std::string> values) {
  boost::json::array a;
  a.reserve(values.size());
  for (const auto& v : values) a.emplace_back(v);
  return boost::json::serialize(a);
}

// Every element quoted, with `"` and `\` escaped by a backslash: PostgreSQL's array input
// then takes the characters between the quotes as they are (NULL, braces, commas and
// spaces included).
std::string id_list(std::span<const std::string> values, Dialect dialect) {
  if (dialect == Dialect::Sqlite) return string_array_json(values);
  std::string out = "{";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::vector<MemberRef> existing_in_order(std::span<const std::string> ids, const SqlRows& rows) {
  std::unordered_map<std::string_view, ResourceType> found;
  for (const SqlRow& row : rows) found.try_emplace(row.text(0), type_from_name(row.text(1)));
  std::vector<MemberRef> out;
  for (const std::string& id : ids)
    if (const auto it = found.find(id); it != found.end()) out.push_back(MemberRef{id, it->second, {}});
  return out;
}

Result<std::vector<std::string>> string_array_from_json(const std::string& json) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return fail(ErrorCode::Storage, "corrupt list in the identity store: " + json);
  std::vector<std::string> out;
  out.reserve(v.as_array().size());
  for (const auto& s : v.as_array())
    if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace rosterd::sql
