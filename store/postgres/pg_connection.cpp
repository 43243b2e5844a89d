#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <libpq-fe.h>

namespace rosterd::sql {
namespace {

// The one statement begin_write() adds to BEGIN (see begin_write for why). It also
// returns the transaction's id, by which a COMMIT whose answer was lost is resolved
// (commit_outcome): no extra round trip.
const std::string& take_write_lock() {
  static const std::string sql = "SELECT pg_advisory_xact_lock(" +
                                 std::to_string(PgConnection::kWriteLockKey) +
                                 "), txid_current()::text";
  return sql;
}

// Every session runs in UTC. (plan_cache_mode stays auto: for the statements with an
// optional value, `CAST($1 AS TEXT) IS NULL OR column = $1`, PostgreSQL keeps custom plans
// since a generic one would cost more; forcing custom plans everywhere measured 3,700
// against 8,900 GET /Users/{id} a second.)
constexpr const char* kSessionSettings =
    "SET TIME ZONE 'UTC'";

constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// The rows an INSERT, UPDATE or DELETE changed (0 for any other statement).
std::int64_t rows_changed(pg_result* result) {
  const std::string_view count = PQcmdTuples(result);
  std::int64_t changed = 0;
  std::from_chars(count.data(), count.data() + count.size(), changed);
  return changed;
}

// Replaces every occurrence of `secret` in `text`.
std::string without(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "***");
  return text;
}

// libpq's messages end in a newline and may span several lines (one per host tried).
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The URL as it may be shown: a password given inside it (user:password@ or
// ?password=...) replaced by ***.
std::string shown_url(std::string url) {
  const auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto at = url.find('@', start);
    const auto slash = url.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = url.find(':', start);
      if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (auto pos = url.find("password="); pos != std::string::npos; pos = url.find("password=", pos + 1)) {
    const auto end = url.find('&', pos);
    url.replace(pos + 9, (end == std::string::npos ? url.size() : end) - pos - 9, "***");
  }
  return url;
}

// A refused login, an unknown database or a TLS check that failed will not get better by
// trying again, unlike a server that is down. libpq gives no SQLSTATE for a connection
// that failed, so its message is all there is to tell them apart.
ErrorCode connect_failure_code(pg_conn* conn, std::string_view message) {
  if (PQconnectionNeedsPassword(conn)) return ErrorCode::Storage;
  for (std::string_view refused : {"authentication failed", "pg_hba.conf", "does not exist",
                                   "certificate", "SSL", "password"})
    if (message.find(refused) != std::string_view::npos) return ErrorCode::Storage;
  return ErrorCode::Unavailable;
}

ErrorCode code_of(std::string_view state) {
  if (state == "23505") return ErrorCode::Uniqueness;
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300" || state == "40001" || state == "40P01")
    return ErrorCode::Unavailable;
  return ErrorCode::Storage;
}

// Notices (such as "there is no transaction in progress") would go to stderr, which
// carries the daemon's JSON log lines only.
void ignore_notice(void*, const char*) {}

}  // namespace

void PgConnection::ConnDeleter::operator()(pg_conn* c) const { PQfinish(c); }
void PgConnection::ResultDeleter::operator()(pg_result* r) const { PQclear(r); }

PgConnection::PgConnection(Handle conn, std::string password)
    : conn_(std::move(conn)), password_(std::move(password)) {}

PgConnection::~PgConnection() = default;

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const PostgresTarget& target) {
  // Processed in order, a later keyword winning: the defaults come before the URL (which
  // may override them), the password and encoding after it.
  std::vector<const char*> keys = {"connect_timeout", "keepalives", "keepalives_idle",
                                   "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                   "application_name", "dbname", "client_encoding"};
  std::vector<const char*> values = {"10", "1", "5", "2", "3", "15000", target.application_name.c_str(),
                                     target.url.c_str(), "UTF8"};
  if (target.password) {
    keys.push_back("password");
    values.push_back(target.password->c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  Handle conn(PQconnectdbParams(keys.data(), values.data(), 1));
  const std::string password = target.password.value_or("");
  if (!conn) return fail(ErrorCode::Storage, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    const std::string message = without(one_line(PQerrorMessage(conn.get())), password);
    return fail(connect_failure_code(conn.get(), message),
                "cannot connect to PostgreSQL at " + shown_url(target.url) + ": " + message);
  }
  std::unique_ptr<PgConnection> out(new PgConnection(std::move(conn), password));
  PQsetNoticeProcessor(out->conn_.get(), ignore_notice, nullptr);
  if (auto r = out->apply_session_settings(); !r) return tl::unexpected(r.error());
  return out;
}

int PgConnection::backend_pid() const { return PQbackendPID(conn_.get()); }

bool PgConnection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

// A transaction that lost its connection (and is gone with it) counts as failed too.
bool PgConnection::transaction_failed() const {
  return transaction_lost_ || PQstatus(conn_.get()) != CONNECTION_OK ||
         PQtransactionStatus(conn_.get()) == PQTRANS_INERROR;
}

Error PgConnection::error(std::string_view what, const pg_result* result) {
  std::string message(what);
  ErrorCode code = ErrorCode::Storage;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state) {
    code = code_of(state);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    message += std::string(": ") + (primary ? primary : "") + " (SQLSTATE " + state + ")";
  } else {
    message += ": " + one_line(PQerrorMessage(conn_.get()));
  }
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    code = ErrorCode::Unavailable;
    message += " (the connection to PostgreSQL was lost)";
    transaction_lost_ = transaction_lost_ || tx_open_;
    tx_open_ = false;
  }
  return Error{code, without(std::move(message), password_), {}};
}

Result<void> PgConnection::reconnect() {
  PQreset(conn_.get());  // also leaves pipeline mode
  statements_.clear();  // prepared statements belonged to the old session
  tx_open_ = false;
  read_end_in_flight_ = false;
  reconnect_failed_ = PQstatus(conn_.get()) != CONNECTION_OK;
  if (reconnect_failed_)
    return fail(ErrorCode::Unavailable,
                without("cannot reconnect to PostgreSQL: " + one_line(PQerrorMessage(conn_.get())),
                        password_));
  return apply_session_settings();
}

// Directly, not through execute_script(): a BEGIN waiting in deferred_ must not be sent
// first, or the settings would belong to that transaction (and go with its ROLLBACK).
Result<void> PgConnection::apply_session_settings() {
  ResultPtr result(PQexec(conn_.get(), kSessionSettings));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    return tl::unexpected(error("cannot set up the PostgreSQL session", result.get()));
  return {};
}

// A server that closed an idle session (a restart, an administrator's
// pg_terminate_backend) has said so already: read what is waiting on the socket, without
// blocking, so that a dead session is replaced before a statement is sent into it.
void PgConnection::notice_closed_session() {
  for (int i = 0; i < 3 && PQstatus(conn_.get()) == CONNECTION_OK; ++i) {
    pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
    if (fd.fd < 0 || poll(&fd, 1, 0) <= 0) return;
    if (!PQconsumeInput(conn_.get())) return;
  }
}

Result<bool> PgConnection::ready(std::string_view sql) {
  collect_read_end();
  if (!tx_open_ && !transaction_lost_) notice_closed_session();
  const bool alive = PQstatus(conn_.get()) == CONNECTION_OK;
  if (!alive && tx_open_) {
    transaction_lost_ = true;
    tx_open_ = false;
  }
  if (transaction_lost_) {
    if (sql == "ROLLBACK") {
      transaction_lost_ = false;
      return false;  // the server rolled it back already
    }
    if (sql == "COMMIT") transaction_lost_ = false;
    return fail(ErrorCode::Unavailable,
                "the connection to PostgreSQL was lost during a transaction: it was rolled back");
  }
  if (alive) return true;
  if (sql == "ROLLBACK") return false;  // nothing to roll back in a session that is gone
  if (auto r = reconnect(); !r) return tl::unexpected(r.error());
  return true;
}

Result<std::string> PgConnection::prepared_name(std::string_view sql) {
  const std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements &&
      PQtransactionStatus(conn_.get()) != PQTRANS_INERROR) {
    // Any statement may go: none is running between calls.
    const auto victim = statements_.begin();
    ResultPtr dropped(PQexec(conn_.get(), ("DEALLOCATE " + victim->second).c_str()));
    statements_.erase(victim);
  }
  std::string name = "rosterd_" + std::to_string(++next_statement_);
  ResultPtr result(PQprepare(conn_.get(), name.c_str(), key.c_str(), 0, nullptr));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    return tl::unexpected(error("cannot prepare statement", result.get()));
  statements_.emplace(key, name);
  return name;
}

void PgConnection::bind(std::span<const SqlValue> params) {
  param_text_.resize(params.size());
  param_values_.resize(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
      std::array<char, 24> digits{};
      const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), *n).ptr;
      param_text_[i].assign(digits.data(), end);
      param_values_[i] = param_text_[i].c_str();
    } else if (const auto* s = std::get_if<std::string_view>(&params[i])) {
      param_text_[i].assign(*s);
      param_values_[i] = param_text_[i].c_str();
    } else {
      param_values_[i] = nullptr;
    }
  }
}

// A pipeline that does not end with its sync leaves the connection in a state nothing
// queued on it can be trusted from: the connection is replaced and an open transaction
// counts as lost.
void PgConnection::end_pipeline(std::optional<Error>& failed) {
  pg_conn* conn = conn_.get();
  if (PQstatus(conn) != CONNECTION_OK) return;
  ResultPtr sync{PQgetResult(conn)};
  if (sync && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC && PQexitPipelineMode(conn)) return;
  if (!failed) failed = error("the pipeline ended unexpectedly", sync.get());
  if (PQstatus(conn) == CONNECTION_OK) {
    transaction_lost_ = transaction_lost_ || in_transaction();
    (void)reconnect();
  }
}

Result<PgConnection::ResultPtr> PgConnection::run(std::string_view sql, std::span<const SqlValue> params) {
  const bool ends = sql == "COMMIT" || sql == "ROLLBACK";
  if (ends && begin_pending()) {  // nothing of the transaction reached the server
    deferred_.clear();
    read_only_ = false;
    return ResultPtr();
  }
  if (ends && read_only_ && !transaction_lost_) {
    end_read_only();
    return ResultPtr();
  }
  read_only_ = read_only_ && !ends;
  if (sql == "ROLLBACK") deferred_.clear();  // savepoints of the transaction going away
  if (sql.starts_with("ROLLBACK TO SAVEPOINT")) drop_writes_since_savepoint();
  if (sql == "COMMIT" && !deferred_.empty())
    if (auto flushed = flush_deferred(); !flushed) return tl::unexpected(flushed.error());
  if (!deferred_.empty()) {
    const SqlStatement one{sql, params};
    auto results = pipeline(std::span<const SqlStatement>(&one, 1));
    if (!results) return tl::unexpected(results.error());
    return std::move(results->front());
  }
  auto go = ready(sql);
  if (!go) return tl::unexpected(go.error());
  if (!*go) return ResultPtr();
  auto name = prepared_name(sql);
  if (!name) return tl::unexpected(name.error());
  bind(params);
  ResultPtr result(PQexecPrepared(conn_.get(), name->c_str(), static_cast<int>(params.size()),
                                  param_values_.data(), nullptr, nullptr, 0));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = error("statement failed", result.get());
    // A COMMIT or ROLLBACK that failed for want of a connection ended the transaction:
    // no later ROLLBACK is coming to clear the state.
    if (sql == "COMMIT" || sql == "ROLLBACK") transaction_lost_ = false;
    std::string xid;
    xid.swap(write_xid_);
    if (sql == "COMMIT" && !xid.empty() && PQstatus(conn_.get()) != CONNECTION_OK) {
      if (auto outcome = commit_outcome(xid, e); !outcome) return tl::unexpected(outcome.error());
      return ResultPtr();  // it committed
    }
    return tl::unexpected(std::move(e));
  }
  if (sql == "COMMIT" || sql == "ROLLBACK") write_xid_.clear();
  tx_open_ = in_transaction();
  // COMMIT of a transaction a failed statement aborted reports ROLLBACK, not an error.
  if (sql == "COMMIT" && std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
    return fail(ErrorCode::Storage, "COMMIT failed: an earlier statement of the transaction had failed");
  return result;
}

Result<void> PgConnection::execute_script(std::string_view sql) {
  if (auto flushed = flush_deferred(); !flushed) return flushed;
  auto go = ready(sql);
  if (!go) return tl::unexpected(go.error());
  const std::string text(sql);
  ResultPtr result(PQexec(conn_.get(), text.c_str()));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    return tl::unexpected(error("SQL failed", result.get()));
  tx_open_ = in_transaction();
  return {};
}

Result<std::int64_t> PgConnection::execute(std::string_view sql, std::span<const SqlValue> params) {
  auto result = run(sql, params);
  if (!result) return tl::unexpected(result.error());
  if (!*result) return 0;
  const std::int64_t changed = rows_changed(result->get());
  if (changed > 0 && tx_open_ && !read_only_) note_written(sql, changed);
  return changed;
}

namespace {

// The table an INSERT, UPDATE or DELETE of ours writes ("" for any other statement).
std::string_view written_table(std::string_view sql) {
  for (std::string_view verb : {"INSERT INTO ", "UPDATE ", "DELETE FROM "}) {
    if (!sql.starts_with(verb)) continue;
    sql.remove_prefix(verb.size());
    const auto end = sql.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789");
    return sql.substr(0, end);
  }
  return {};
}

}  // namespace

void PgConnection::note_written(std::string_view sql, std::int64_t rows) {
  const std::string_view table = written_table(sql);
  if (!table.empty() && std::find(tables_written_.begin(), tables_written_.end(), table) == tables_written_.end())
    tables_written_.emplace_back(table);
  rows_written_ += rows;
  if (rows_written_ < analyze_at_ || tables_written_.empty()) return;
  analyze_at_ = rows_written_ * 4;
  std::string analyze = "ANALYZE ";
  for (std::size_t i = 0; i < tables_written_.size(); ++i) analyze += (i ? ", " : "") + tables_written_[i];
  if (!execute_script("SAVEPOINT rosterd_analyze")) return;
  if (execute_script(analyze)) (void)execute_script("RELEASE SAVEPOINT rosterd_analyze");
  else (void)execute_script("ROLLBACK TO SAVEPOINT rosterd_analyze; RELEASE SAVEPOINT rosterd_analyze");
}

namespace {

void read_row(const pg_result* result, int index, SqlRow& row) {
  const int columns = PQnfields(result);
  row.cells.resize(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    auto& cell = row.cells[static_cast<std::size_t>(c)];
    if (PQgetisnull(result, index, c)) {
      cell.reset();
      continue;
    }
    const char* text = PQgetvalue(result, index, c);
    const auto size = static_cast<std::size_t>(PQgetlength(result, index, c));
    if (cell) cell->assign(text, size);
    else cell.emplace(text, size);
  }
}

}  // namespace

Result<SqlRows> PgConnection::query(std::string_view sql, std::span<const SqlValue> params) {
  auto result = run(sql, params);
  if (!result) return tl::unexpected(result.error());
  SqlRows rows;
  if (!*result) return rows;
  const int count = PQntuples(result->get());
  rows.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) read_row(result->get(), i, rows[static_cast<std::size_t>(i)]);
  return rows;
}

// One row at a time (PQsetSingleRowMode). libpq cannot drop the rest of a result: when
// the sink stops early or fails, the remaining rows are still read and thrown away (a
// cancel would abort the caller's transaction).
Result<void> PgConnection::query_each(std::string_view sql, std::span<const SqlValue> params,
                                      const SqlRowSink& sink) {
  if (auto flushed = flush_deferred(); !flushed) return flushed;
  auto go = ready(sql);
  if (!go) return tl::unexpected(go.error());
  if (!*go) return {};
  auto name = prepared_name(sql);
  if (!name) return tl::unexpected(name.error());
  bind(params);
  // In a pipeline of its own: libpq clears single-row mode when it moves on to the next
  // query of a pipeline, but a query sent outside one leaves the mode set, and the first
  // query of the next pipeline then came back a row at a time (the pipeline reader kept
  // only the last, empty result: a page of users read as no users).
  pg_conn* conn = conn_.get();
  if (PQenterPipelineMode(conn) != 1 ||
      PQsendQueryPrepared(conn, name->c_str(), static_cast<int>(params.size()), param_values_.data(), nullptr,
                          nullptr, 0) != 1 ||
      PQsetSingleRowMode(conn) != 1 || PQpipelineSync(conn) != 1) {
    Error e = error("statement failed", nullptr);
    if (PQstatus(conn) == CONNECTION_OK) {  // what was queued cannot be taken back
      transaction_lost_ = transaction_lost_ || tx_open_;
      (void)reconnect();
    }
    return tl::unexpected(std::move(e));
  }
  std::optional<Error> failed;
  bool stopped = false;
  SqlRow row;
  while (ResultPtr result{PQgetResult(conn)}) {
    const auto status = PQresultStatus(result.get());
    if (status == PGRES_SINGLE_TUPLE) {
      if (stopped || failed) continue;
      read_row(result.get(), 0, row);
      auto more = sink(row);
      if (!more) failed = more.error();
      else if (!*more) stopped = true;
    } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && !failed) {
      failed = error("query failed", result.get());
    }
  }
  end_pipeline(failed);
  if (PQstatus(conn) != CONNECTION_OK && !failed) failed = error("query failed", nullptr);
  if (!failed) tx_open_ = in_transaction();
  if (failed) return tl::unexpected(std::move(*failed));
  return {};
}

// PostgreSQL has no BEGIN IMMEDIATE: two READ COMMITTED transactions may both read, then
// both write. The shared SQL layer was written for SQLite's single writer and relies on it
// (the audit hash chain reads its head then appends; uniqueness checks, If-Match version
// checks and quota counts read then write). A transaction-scoped advisory lock taken at
// BEGIN gives exactly that across every connection and every rosterd instance on the
// database: one write transaction at a time, released by COMMIT or ROLLBACK (or the
// session's end, should the instance die). Readers are not blocked.
Result<void> PgConnection::begin_write() {
  write_xid_.clear();
  rows_written_ = 0;
  analyze_at_ = kFirstAnalyzeAfter;
  tables_written_.clear();
  read_only_ = false;
  deferred_.assign(1, Pending{"BEGIN", {}, false});  // sent with the lock: one round trip
  auto locked = query(take_write_lock(), {});
  if (!locked) {
    (void)execute("ROLLBACK", {});  // no Transaction object exists yet to do it
    return tl::unexpected(locked.error());
  }
  if (!locked->empty()) write_xid_ = locked->front().text(1);
  return {};
}

Result<void> PgConnection::begin_read() {
  deferred_.assign(1, Pending{std::string(kBeginRead), {}, false});
  read_only_ = true;
  return {};
}

bool PgConnection::begin_pending() const {
  return !deferred_.empty() && deferred_.front().sql.starts_with("BEGIN");
}

Result<void> PgConnection::execute_deferred(std::string_view sql) {
  deferred_.push_back(Pending{std::string(sql), {}, false});
  return {};
}

// Outside a transaction there is no next statement to carry it: at once.
Result<void> PgConnection::execute_later(std::string_view sql, std::span<const SqlValue> params) {
  if (!tx_open_ && !begin_pending()) return SqlConnection::execute_later(sql, params);
  Pending later{std::string(sql), {}, true};
  later.params.reserve(params.size());
  bind(params);
  for (std::size_t i = 0; i < params.size(); ++i)
    if (param_values_[i]) later.params.emplace_back(std::move(param_text_[i]));
    else later.params.emplace_back();
  deferred_.push_back(std::move(later));
  return {};
}

// Writes held back after the savepoint are undone by rolling back to it: not sent at all,
// so that one that would fail cannot abort the rollback (and with it the transaction).
// Held-back writes all come after the last savepoint: one still waiting to be sent is in
// deferred_, and one already sent took everything queued before it along.
void PgConnection::drop_writes_since_savepoint() {
  auto from = deferred_.begin();
  for (auto it = deferred_.begin(); it != deferred_.end(); ++it)
    if (!it->prepared && it->sql.starts_with("SAVEPOINT")) from = std::next(it);
  deferred_.erase(std::remove_if(from, deferred_.end(), [](const Pending& p) { return p.prepared; }), deferred_.end());
}

Result<void> PgConnection::settle_writes() {
  const bool writes = std::any_of(deferred_.begin(), deferred_.end(), [](const Pending& p) { return p.prepared; });
  return writes ? flush_deferred() : Result<void>{};
}

Result<void> PgConnection::flush_deferred() {
  if (deferred_.empty()) return {};
  auto sent = pipeline({});
  if (!sent) return tl::unexpected(sent.error());
  return {};
}

Result<std::vector<PgConnection::ResultPtr>> PgConnection::pipeline(std::span<const SqlStatement> statements,
                                                                    std::string_view trailer) {
  const std::vector<Pending> deferred = std::exchange(deferred_, {});
  const bool begins = !deferred.empty() && deferred.front().sql.starts_with("BEGIN");
  reconnect_failed_ = false;
  for (int attempt = 0;; ++attempt) {
    auto go = ready(statements.empty() ? std::string_view(deferred.front().sql) : statements.front().sql);
    if (!go) return tl::unexpected(go.error());
    auto sent = send_pipeline(deferred, statements, trailer);
    // Counted once the pipeline is over (counting may send an ANALYZE).
    if (sent && tx_open_ && !read_only_)
      for (const auto& [index, rows] : std::exchange(written_later_, {})) note_written(deferred[index].sql, rows);
    // Nothing has happened in a transaction that lost its connection as it began: one
    // more try on a fresh one (unless a fresh one could not be had just now).
    if (!sent && begins && attempt == 0 && !reconnect_failed_ &&
        sent.error().code == ErrorCode::Unavailable && PQstatus(conn_.get()) != CONNECTION_OK) {
      transaction_lost_ = false;
      continue;
    }
    return sent;
  }
}

Result<std::vector<PgConnection::ResultPtr>> PgConnection::send_pipeline(
    const std::vector<Pending>& deferred, std::span<const SqlStatement> statements,
    std::string_view trailer) {
  const std::string trailer_text(trailer);
  // Prepared first: PQprepare waits for its answer, which pipeline mode does not allow.
  std::vector<std::string> deferred_names(deferred.size());
  for (std::size_t i = 0; i < deferred.size(); ++i) {
    if (!deferred[i].prepared) continue;
    auto name = prepared_name(deferred[i].sql);
    if (!name) return tl::unexpected(name.error());
    deferred_names[i] = std::move(*name);
  }
  std::vector<std::string> names;
  names.reserve(statements.size());
  for (const SqlStatement& s : statements) {
    auto name = prepared_name(s.sql);
    if (!name) return tl::unexpected(name.error());
    names.push_back(std::move(*name));
  }
  pg_conn* conn = conn_.get();
  bool sent = PQenterPipelineMode(conn) == 1;
  std::vector<const char*> values;
  for (std::size_t i = 0; i < deferred.size() && sent; ++i) {
    const Pending& d = deferred[i];
    if (!d.prepared) {
      sent = PQsendQueryParams(conn, d.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      continue;
    }
    values.clear();
    for (const auto& v : d.params) values.push_back(v ? v->c_str() : nullptr);
    sent = PQsendQueryPrepared(conn, deferred_names[i].c_str(), static_cast<int>(values.size()), values.data(),
                               nullptr, nullptr, 0) == 1;
  }
  for (std::size_t i = 0; i < statements.size() && sent; ++i) {
    bind(statements[i].params);
    sent = PQsendQueryPrepared(conn, names[i].c_str(), static_cast<int>(statements[i].params.size()),
                               param_values_.data(), nullptr, nullptr, 0) == 1;
  }
  if (!trailer.empty())
    sent = sent && PQsendQueryParams(conn, trailer_text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  sent = sent && PQpipelineSync(conn) == 1;
  if (!sent) {
    Error e = error("cannot send statements", nullptr);
    // What was queued cannot be taken back: only a new session is in a known state.
    if (PQstatus(conn) == CONNECTION_OK) {
      transaction_lost_ = transaction_lost_ || tx_open_;
      (void)reconnect();
    }
    return tl::unexpected(std::move(e));
  }
  // Each statement's results end with a null; the pipeline's with PGRES_PIPELINE_SYNC.
  // After an error the statements that follow report PGRES_PIPELINE_ABORTED: the first
  // error is the one that counts.
  std::optional<Error> failed;
  const auto take = [&](ResultPtr& last) {
    while (ResultPtr r{PQgetResult(conn)}) last = std::move(r);
    const auto status = last ? PQresultStatus(last.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_PIPELINE_ABORTED && !failed)
      failed = error("statement failed", last.get());
  };
  written_later_.clear();
  for (std::size_t i = 0; i < deferred.size() && PQstatus(conn) == CONNECTION_OK; ++i) {
    ResultPtr result;
    take(result);
    if (deferred[i].prepared && result && PQresultStatus(result.get()) == PGRES_COMMAND_OK)
      if (const std::int64_t changed = rows_changed(result.get()); changed > 0)
        written_later_.emplace_back(i, changed);
  }
  std::vector<ResultPtr> results(statements.size());
  for (std::size_t i = 0; i < statements.size() && PQstatus(conn) == CONNECTION_OK; ++i) take(results[i]);
  if (!trailer.empty() && PQstatus(conn) == CONNECTION_OK) {
    ResultPtr result;
    take(result);
  }
  end_pipeline(failed);
  if (PQstatus(conn) != CONNECTION_OK && !failed) failed = error("statement failed", nullptr);
  if (failed) {
    if (PQstatus(conn) == CONNECTION_OK) tx_open_ = in_transaction();
    return tl::unexpected(std::move(*failed));
  }
  tx_open_ = in_transaction();
  return results;
}

void PgConnection::end_read_only() {
  deferred_.clear();
  read_only_ = false;
  tx_open_ = false;
  pg_conn* conn = conn_.get();
  if (PQstatus(conn) != CONNECTION_OK) return;  // the session, and the transaction, are gone
  read_end_in_flight_ = PQenterPipelineMode(conn) == 1 &&
                        PQsendQueryParams(conn, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
                        PQpipelineSync(conn) == 1;
  // Not sent: a new session is the way back to a known state (at the next call).
  if (!read_end_in_flight_ && PQstatus(conn) == CONNECTION_OK) (void)reconnect();
}

void PgConnection::collect_read_end() {
  if (!read_end_in_flight_) return;
  read_end_in_flight_ = false;
  pg_conn* conn = conn_.get();
  while (ResultPtr r{PQgetResult(conn)}) {
  }
  if (PQstatus(conn) != CONNECTION_OK) return;  // ready() reconnects
  ResultPtr sync{PQgetResult(conn)};
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || !PQexitPipelineMode(conn) ||
      PQtransactionStatus(conn) != PQTRANS_IDLE)
    (void)reconnect();
}

std::vector<SqlRows> PgConnection::rows_of(const std::vector<ResultPtr>& results) {
  std::vector<SqlRows> out(results.size());
  for (std::size_t s = 0; s < results.size(); ++s) {
    const pg_result* result = results[s].get();
    const int count = PQntuples(result);
    out[s].resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) read_row(result, i, out[s][static_cast<std::size_t>(i)]);
  }
  return out;
}

Result<std::vector<SqlRows>> PgConnection::query_all(std::span<const SqlStatement> statements) {
  if (statements.empty()) return std::vector<SqlRows>{};
  auto results = pipeline(statements);
  if (!results) return tl::unexpected(results.error());
  // A write among them (INSERT ... RETURNING) counts towards the transaction's ANALYZE.
  if (tx_open_ && !read_only_)
    for (std::size_t s = 0; s < statements.size() && s < results->size(); ++s)
      if (!written_table(statements[s].sql).empty())
        if (const std::int64_t changed = rows_changed((*results)[s].get()); changed > 0)
          note_written(statements[s].sql, changed);
  return rows_of(*results);
}

// BEGIN, the queries and ROLLBACK in one pipeline. Should a query fail, the ROLLBACK is
// skipped with the rest of the pipeline and the failed transaction is still open: ended
// here, so the connection goes back to its pool as it came.
Result<std::vector<SqlRows>> PgConnection::query_snapshot(std::span<const SqlStatement> statements) {
  if (tx_open_ || !deferred_.empty())
    return fail(ErrorCode::Internal, "query_snapshot() inside a transaction: it reads in a snapshot of its own");
  deferred_.assign(1, Pending{std::string(kBeginRead), {}, false});
  auto results = pipeline(statements, "ROLLBACK");
  if (!results) {
    if (tx_open_) (void)execute("ROLLBACK", {});
    deferred_.clear();
    return tl::unexpected(results.error());
  }
  return rows_of(*results);
}

Result<void> PgConnection::commit_outcome(const std::string& xid, const Error& commit_error) {
  const auto give_up = std::chrono::steady_clock::now() + kCommitOutcomeWait;
  auto pause = std::chrono::milliseconds(100);
  for (;;) {
    if (reconnect()) {
      auto status = query("SELECT txid_status(CAST($1 AS BIGINT))", {SqlValue{std::string_view(xid)}});
      if (status && !status->empty()) {
        const std::string& outcome = status->front().text(0);
        if (outcome == "committed") return {};
        if (outcome == "aborted")
          return fail(ErrorCode::Unavailable, "the connection to PostgreSQL was lost while "
                                              "committing; the transaction was rolled back");
        // "in progress": the old session is still finishing its commit; ask again.
      }
    }
    if (std::chrono::steady_clock::now() + pause > give_up) break;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
  return fail(ErrorCode::Unavailable,
              commit_error.message + "; whether the transaction committed is unknown: PostgreSQL "
              "could not be asked within " + std::to_string(kCommitOutcomeWait.count()) + " s");
}

}  // namespace rosterd::sql
