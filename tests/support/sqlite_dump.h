// Every row of some tables of a SQLite file, as text, for "the store is unchanged"
// assertions: equal dumps, nothing written. Read-only; a table that cannot be read
// shows its error in the dump rather than failing silently.
#pragma once

#include <sqlite3.h>

#include <initializer_list>
#include <string>

namespace rosterd::testing {

// `order_by`: the ORDER BY list of every table ("1", "1, 2, 3"), for a stable order.
inline std::string dump_tables(const std::string& db, std::initializer_list<const char*> tables,
                               const std::string& order_by = "1") {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return "open failed";
  }
  std::string out;
  for (const char* table : tables) {
    sqlite3_stmt* s = nullptr;
    const std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY " + order_by;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      out += std::string("## ") + table + ": " + sqlite3_errmsg(h) + "\n";
      continue;
    }
    out += std::string("## ") + table + "\n";
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* text = sqlite3_column_text(s, c);
        out += text ? reinterpret_cast<const char*>(text) : "NULL";
        out += "|";
      }
      out += "\n";
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  return out;
}

}  // namespace rosterd::testing
