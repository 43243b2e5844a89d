// Identities and external groups to and from the SQL layer's text cells.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/identity_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

// Reads the columns of stmt::kUserColumns or stmt::kGroupColumns, in that order.
Result<ResourceRecord> record_from_row(ResourceType type, const SqlRow& row);

std::string_view type_name(ResourceType type);  // "User" | "Group", as group_members stores it
ResourceType type_from_name(std::string_view name);

// A JSON array of strings: how a list of ids or of email values is bound as one parameter.
std::string string_array_json(std::span<const std::string> values);
Result<std::vector<std::string>> string_array_from_json(const std::string& json);

// A list of ids or keys bound as one parameter to a statement's "is one of $2"
// (identity_statements.h): a JSON array on SQLite, an array literal ({"a","b"}) on
// PostgreSQL, which binds as text[].
std::string id_list(std::span<const std::string> values, Dialect dialect);
// The rows of stmt::kExisting as existing() answers them: in the order of `ids`, unknown
// ones left out, a user and a group sharing an id answered as the user (as find does).
std::vector<MemberRef> existing_in_order(std::span<const std::string> ids, const SqlRows& rows);

}  // namespace rosterd::sql
