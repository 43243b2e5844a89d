// SqlConnection over one sqlite3 handle: WAL journal, synchronous=FULL (a commit is on
// disk before it returns), a busy timeout so several processes share one file, and
// every statement prepared once and kept (up to a bound: searches add statements of
// their own, see kMaxCachedStatements).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "store/sql/sql_connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rosterd::sql {

class SqliteConnection final : public SqlConnection {
 public:
  // `cache_kib`: the page cache of this connection. Writers want a large one (random
  // inserts into the indexes of 100,000 rows); readers a small one each, as the
  // operating system's page cache is shared by all of them and not counted per process.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                        int cache_kib = kWriterCacheKib);
  static constexpr int kWriterCacheKib = 16 * 1024;
  static constexpr int kReaderCacheKib = 16 * 1024;
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::Sqlite; }
  Result<void> execute_script(std::string_view sql) override;
  Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params) override;
  Result<SqlRows> query(std::string_view sql, std::span<const SqlValue> params) override;
  Result<void> query_each(std::string_view sql, std::span<const SqlValue> params,
                          const SqlRowSink& sink) override;
  Result<void> begin_write() override;
  using SqlConnection::execute;
  using SqlConnection::query;
  using SqlConnection::query_each;

 private:
  struct StatementDeleter { void operator()(sqlite3_stmt* s) const; };
  using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;
  struct HandleDeleter { void operator()(sqlite3* db) const; };

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> prepared(std::string_view sql, std::span<const SqlValue> params);
  Error error(std::string_view what) const;
  // Reads the current result row of `stmt` into `row`, reusing its strings' buffers.
  static void read_row(sqlite3_stmt* stmt, int columns, SqlRow& row);

  std::unique_ptr<sqlite3, HandleDeleter> db_;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Statement, TextHash, std::equal_to<>> statements_;
};

}  // namespace rosterd::sql
