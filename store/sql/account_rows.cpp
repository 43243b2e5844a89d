#include "store/sql/account_rows.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/email.h"
#include "store/account_json.h"
#include "store/sql/statements.h"

namespace rosterd::sql {
namespace {

std::string folders_json(const std::vector<std::string>& folders) {
  boost::json::array a;
  for (const auto& f : folders) a.emplace_back(f);
  return boost::json::serialize(a);
}

Result<std::vector<std::string>> folders_from_json(const std::string& text) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return fail(ErrorCode::Storage, "corrupt folders column: " + text);
  std::vector<std::string> out;
  for (const auto& f : v.as_array())
    if (f.is_string()) out.emplace_back(f.as_string());
  return out;
}

Result<Timestamp> time_cell(const SqlRow& row, std::size_t i) {
  auto t = parse_timestamp(row.text(i));
  if (!t) return fail(ErrorCode::Storage, "corrupt timestamp in the store: '" + row.text(i) + "'");
  return *t;
}

}  // namespace

Result<Account> account_from_row(const SqlRow& row) {
  Account a;
  a.id = row.text(0);
  a.space = row.text(1);
  a.email = row.text(2);
  a.given_name = row.text(3);
  a.family_name = row.text(4);
  a.title = row.text(5);
  a.phone = row.text(6);
  a.team = row.text(7);
  a.country = row.text(8);
  a.language = row.text(9);
  a.role = row.text(10);
  a.licence = row.text(11);
  const auto state = parse_account_state(row.text(12));
  if (!state) return fail(ErrorCode::Storage, "corrupt account state '" + row.text(12) + "'");
  a.state = *state;
  a.managed_by = row.text(13);
  a.source_anchor = row.text(14);
  a.successor = row.text(15);
  auto folders = folders_from_json(row.text(16));
  if (!folders) return tl::unexpected(folders.error());
  a.folders = std::move(*folders);
  auto created = time_cell(row, 17);
  auto updated = time_cell(row, 18);
  if (!created || !updated) return tl::unexpected(created ? updated.error() : created.error());
  a.created_at = *created;
  a.updated_at = *updated;
  if (!row.is_null(19)) {
    auto activated = time_cell(row, 19);
    if (!activated) return tl::unexpected(activated.error());
    a.activated_at = *activated;
  }
  a.version = row.integer(20);
  return a;
}

Result<void> upsert_account(SqlConnection& conn, const Account& a) {
  const std::string folders = folders_json(a.folders);
  const std::string created = format_timestamp(a.created_at);
  const std::string updated = format_timestamp(a.updated_at);
  const std::string activated = a.activated_at ? format_timestamp(*a.activated_at) : std::string();
  const std::string key = email_key(a.email);
  const SqlValue activated_value = a.activated_at ? SqlValue{std::string_view(activated)} : SqlValue{nullptr};
  auto r = conn.execute(
      stmt::kUpsertAccount,
      {a.id, a.space, a.email, a.given_name, a.family_name, a.title, a.phone, a.team, a.country,
       a.language, a.role, a.licence, to_string(a.state), a.managed_by, a.source_anchor,
       a.successor, folders, created, updated, activated_value, a.version, key});
  if (!r) return tl::unexpected(r.error());
  return {};
}

std::string details_json(const std::vector<std::pair<std::string, std::string>>& details) {
  boost::json::object o;
  for (const auto& [k, v] : details) o[k] = v;
  return boost::json::serialize(o);
}

std::vector<std::pair<std::string, std::string>> details_from_json(const std::string& json) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  const auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.as_object())
    out.emplace_back(std::string(k), val.is_string() ? std::string(val.as_string())
                                                     : boost::json::serialize(val));
  return out;
}

std::string event_payload(const Event& e, const Account* account, const std::string& reason,
                          const std::string& occurred_at) {
  boost::json::object o;
  o["id"] = e.id;
  o["type"] = e.type;
  o["occurred_at"] = occurred_at;
  o["space"] = e.space;
  o["reason"] = reason;
  if (account) o["account"] = account_json(*account);
  else o["account"] = boost::json::object{{"id", e.account_id}};
  boost::json::object details;
  for (const auto& [k, v] : e.details) details[k] = v;
  o["details"] = std::move(details);
  return boost::json::serialize(o);
}

}  // namespace rosterd::sql
