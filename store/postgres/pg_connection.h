// SqlConnection over one libpq connection (PGconn).
//
// - Connects with PQconnectdbParams: the URL of PostgresTarget is expanded by libpq (so
//   sslmode, sslrootcert and the like pass through untouched), the password comes from
//   PostgresTarget (else PGPASSWORD / PGPASSFILE apply). Defaults the URL may override:
//   connect_timeout=10 and TCP keepalives after 5 s idle, every 2 s, 3 probes (and
//   tcp_user_timeout=15 s for data sent but never acknowledged), so a dead network fails a
//   call within seconds instead of hanging until the kernel gives up (some 15 minutes).
//   Every session runs in UTC with UTF8 client encoding.
// - Statements are prepared once per connection under generated names and kept, up to
//   kMaxCachedStatements; parameters travel as text (integers in decimal), results come
//   back as text.
// - query_each() streams with PQsetSingleRowMode: one row in memory at a time.
// - begin_write() is BEGIN then pg_advisory_xact_lock(kWriteLockKey): one write
//   transaction at a time on the database, across every connection and instance, as
//   SQLite's BEGIN IMMEDIATE gives the shared layer (why: pg_connection.cpp). begin_read()
//   is a REPEATABLE READ READ ONLY snapshot.
// - Round trips, not statements, are what a request costs (each is a wake-up of this
//   thread and of the server process, on the same cores). So libpq's pipeline mode sends
//   together what need not wait: BEGIN goes with the transaction's first statement,
//   execute_deferred() statements (savepoints) and execute_later() writes with the next
//   one, query_all()'s queries
//   all at once, query_snapshot() with its BEGIN and its ROLLBACK; and the end of a
//   read-only transaction is sent without waiting for its answer, which is read at the
//   connection's next use (a read-only transaction has nothing to lose: it ends when the
//   session does, should the answer never come).
// - A write transaction that fills tables (an LDAP source's first load: 100,000 identities
//   in one transaction) would otherwise run on plans made for empty tables: PostgreSQL's
//   generic plan for `source = $1 AND user_name_key = $2` on a table never analysed picks
//   an index on `source` alone and filters, so each lookup reads every row written so far
//   and the load grows with the square of its size. When a write transaction has written
//   kFirstAnalyzeAfter rows, then 4 times as many, and so on, the tables it wrote are
//   analysed inside it (ANALYZE sees the transaction's own rows; the new statistics
//   invalidate the cached plans). Its failure is ignored (a savepoint keeps the
//   transaction alive): it only costs speed.
// - Errors by SQLSTATE: 23505 -> Uniqueness; a lost connection, class 08, 57P01-57P03
//   (shutdown), 53300 (too many connections), 40001 (serialization) and 40P01 (deadlock)
//   -> Unavailable; the rest -> Storage. A connection that cannot be made is Unavailable
//   when the server cannot be reached (try again later) and Storage when it refused
//   (wrong password, no such database, a TLS check failed): that will not get better.
//   No message ever holds the password (neither PostgresTarget's nor one in the URL).
//
// A lost connection (the server restarted, the network went away):
// - outside a transaction, the next call reconnects first (a fresh session, the statement
//   cache emptied, since prepared statements die with the session). A connection the
//   server closed while idle is noticed before anything is sent, so that call runs; one
//   lost in the middle of a call fails that call with Unavailable (whether an autocommit
//   write took effect is unknown), and the call after it reconnects. A BEGIN is retried
//   once on a fresh connection, as nothing has happened yet.
// - inside a transaction, every call fails with Unavailable until the caller ends the
//   transaction (its work is gone: the server rolled it back). ROLLBACK then succeeds
//   and COMMIT fails with Unavailable; the next call outside the transaction reconnects.
// - a COMMIT of a write transaction whose answer was lost (the server went away while
//   committing) may have committed or not. begin_write() noted the transaction's id, so
//   the connection reconnects (for up to kCommitOutcomeWait) and asks the server with
//   txid_status(): committed is a success, rolled back is Unavailable, and only if the
//   server stays away that long is the outcome unknown (Unavailable, saying so). A SCIM
//   client is then never told 503 about a write that was stored, short of that.
//
// Not thread-safe: one connection per thread at a time, like SqliteConnection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/postgres/postgres_target.h"
#include "store/sql/sql_connection.h"

struct pg_conn;
struct pg_result;

namespace rosterd::sql {

class PgConnection final : public SqlConnection {
 public:
  static Result<std::unique_ptr<PgConnection>> connect(const PostgresTarget& target);
  ~PgConnection() override;

  // The key of the transaction-scoped advisory lock begin_write() takes: any fixed value
  // no other application on the database uses ("rosterd" in ASCII).
  static constexpr std::int64_t kWriteLockKey = 0x726f7374657264;
  static constexpr std::size_t kMaxCachedStatements = 512;
  static constexpr std::chrono::seconds kCommitOutcomeWait{15};
  // Above what a group commit of SCIM writes reaches (256 jobs of a few rows each), so that
  // only loads pay for an ANALYZE.
  static constexpr std::int64_t kFirstAnalyzeAfter = 5000;

  Dialect dialect() const override { return Dialect::Postgres; }
  Result<void> execute_script(std::string_view sql) override;
  Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params) override;
  Result<SqlRows> query(std::string_view sql, std::span<const SqlValue> params) override;
  Result<void> query_each(std::string_view sql, std::span<const SqlValue> params,
                          const SqlRowSink& sink) override;
  Result<std::vector<SqlRows>> query_all(std::span<const SqlStatement> statements) override;
  Result<std::vector<SqlRows>> query_snapshot(std::span<const SqlStatement> statements) override;
  Result<void> execute_deferred(std::string_view sql) override;
  Result<void> execute_later(std::string_view sql, std::span<const SqlValue> params) override;
  Result<void> settle_writes() override;
  bool holds_writes_back() const override { return true; }
  bool transaction_failed() const override;
  Result<void> begin_write() override;
  Result<void> begin_read() override;
  using SqlConnection::execute;
  using SqlConnection::query;
  using SqlConnection::query_each;
  using SqlConnection::execute_later;

  // The server's process id for this session (tests terminate it to cut the connection).
  int backend_pid() const;

 private:
  struct ConnDeleter { void operator()(pg_conn* c) const; };
  struct ResultDeleter { void operator()(pg_result* r) const; };
  using Handle = std::unique_ptr<pg_conn, ConnDeleter>;
  using ResultPtr = std::unique_ptr<pg_result, ResultDeleter>;

  PgConnection(Handle conn, std::string password);
  // Runs `sql` (prepared, with `params`) and returns its result, or the error.
  Result<ResultPtr> run(std::string_view sql, std::span<const SqlValue> params);
  // Makes the connection usable before running `sql`: reconnects if it was lost outside a
  // transaction, fails if it was lost inside one. False: nothing to run (a ROLLBACK of a
  // session that is gone).
  Result<bool> ready(std::string_view sql);
  void notice_closed_session();
  Result<void> reconnect();
  // Reads the sync that closes a pipeline and leaves pipeline mode; `failed`, if still
  // empty, says why when the pipeline did not end as it should.
  void end_pipeline(std::optional<Error>& failed);
  Result<void> apply_session_settings();
  // Whether the transaction's BEGIN is still waiting in deferred_ (nothing of it was sent).
  bool begin_pending() const;
  // Sends deferred_ and `statements` in one pipeline and returns the statements' results.
  // A pipeline that began the transaction and lost the connection is sent once more on a
  // fresh one, as nothing of the transaction happened.
  // `trailer`: a statement without parameters sent after them (query_snapshot's end).
  Result<std::vector<ResultPtr>> pipeline(std::span<const SqlStatement> statements,
                                          std::string_view trailer = {});
  // A statement waiting to go with the next one: transaction control (no parameters) or
  // an execute_later() write, its parameters as text (null: SQL NULL).
  struct Pending {
    std::string sql;
    std::vector<std::optional<std::string>> params;
    bool prepared = false;
  };
  Result<std::vector<ResultPtr>> send_pipeline(const std::vector<Pending>& deferred,
                                               std::span<const SqlStatement> statements,
                                               std::string_view trailer);
  static std::vector<SqlRows> rows_of(const std::vector<ResultPtr>& results);
  Result<void> flush_deferred();
  void drop_writes_since_savepoint();
  // Ends the read-only transaction without waiting for the answer (see the header comment).
  void end_read_only();
  // Reads the answer of the end of a read-only transaction sent earlier, if any.
  void collect_read_end();
  // Counts the rows a write transaction's statement `sql` changed; analyses the tables
  // written when the count passes the next threshold (see the header comment).
  void note_written(std::string_view sql, std::int64_t rows);
  Result<std::string> prepared_name(std::string_view sql);
  void bind(std::span<const SqlValue> params);
  // The error of a failed call. If the connection is gone and a transaction was open,
  // that transaction is lost (see the header comment).
  Error error(std::string_view what, const pg_result* result);
  bool in_transaction() const;
  // After a COMMIT of write transaction `xid` failed with the connection: whether it
  // committed, asked of the server once it can be reached again (see the header comment).
  Result<void> commit_outcome(const std::string& xid, const Error& commit_error);

  Handle conn_;
  std::string password_;  // only to keep it out of messages
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared name
  std::uint64_t next_statement_ = 0;
  bool tx_open_ = false;           // a transaction was open after the last call
  bool transaction_lost_ = false;  // ...and the connection went away inside it
  bool reconnect_failed_ = false;  // the last attempt to reconnect failed
  std::string write_xid_;          // the open write transaction's id (txid_current())
  // Statements to send ahead of the next one, in the same round trip: a BEGIN, savepoints.
  std::vector<Pending> deferred_;
  // The rows each execute_later() write of the last pipeline changed (index in it, rows).
  std::vector<std::pair<std::size_t, std::int64_t>> written_later_;
  bool read_only_ = false;         // the transaction (begun or pending) is begin_read()'s
  bool read_end_in_flight_ = false;  // its ROLLBACK was sent, the answer not yet read
  // The write transaction's rows written, the count at which its tables are next analysed,
  // and those tables.
  std::int64_t rows_written_ = 0;
  std::int64_t analyze_at_ = kFirstAnalyzeAfter;
  std::vector<std::string> tables_written_;
  // The text of the parameters of the call under way (libpq wants NUL-terminated text).
  std::vector<std::string> param_text_;
  std::vector<const char*> param_values_;
};

}  // namespace rosterd::sql
