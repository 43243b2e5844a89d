#include "store/sql/audit_chain.h"

#include <openssl/evp.h>

#include <array>
#include <optional>

#include "core/try.h"
#include "store/sql/statements.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

std::string hex(const unsigned char* bytes, unsigned size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

// The columns of stmt::kAuditChain from `at` on (index 3).
AuditRow row_fields(const SqlRow& r) {
  return AuditRow{r.text(3), r.text(4), r.text(5), r.text(6),  r.text(7),
                  r.text(8), r.text(9), r.text(10), r.text(11), r.text(12)};
}

std::string range(std::int64_t from, std::int64_t to) {
  return from == to ? "row " + std::to_string(from) + " is"
                    : "rows " + std::to_string(from) + " to " + std::to_string(to) + " are";
}

struct Head {
  std::int64_t seq = 0;
  std::string hash;
};

// The state of the walk over the chain: the last row that checked out and the first
// problem.
class ChainWalk {
 public:
  explicit ChainWalk(std::optional<Head> head) : head_(std::move(head)) {}

  bool check(const SqlRow& r) {
    const std::int64_t seq = r.integer(0);
    const std::string& prev_hash = r.text(1);
    const std::string& hash = r.text(2);
    ++out_.rows;
    const std::string n = std::to_string(seq);
    if (audit_row_hash(prev_hash, row_fields(r)) != hash)
      return bad(seq, "row " + n + " was modified: its hash does not match its content");
    if (prev_hash != last_hash_) {
      if (seq > last_seq_ + 1)
        return bad(last_seq_ + 1, range(last_seq_ + 1, seq - 1) + " missing (deleted): row " + n +
                                      " does not chain onto " +
                                      (last_seq_ == 0 ? std::string("the start of the log")
                                                      : "row " + std::to_string(last_seq_)));
      if (last_seq_ == 0) return bad(seq, "row " + n + " was modified: it does not start the chain");
      return bad(last_seq_, "row " + std::to_string(last_seq_) + " was modified: row " + n +
                                " chains onto a different hash");
    }
    if (head_ && seq > head_->seq)
      return bad(seq, "row " + n + " was not written by rosterd: the last row it wrote is row " +
                          std::to_string(head_->seq));
    if (head_ && seq == head_->seq && hash != head_->hash)
      return bad(seq, "row " + n + " was modified: its hash is not the one recorded when it was written");
    last_seq_ = seq;
    last_hash_ = hash;
    return true;
  }

  AuditVerification finish() {
    if (!out_.ok) return out_;
    if (!head_) {
      bad(last_seq_ == 0 ? 1 : last_seq_,
          "the audit head (table audit_head) is missing: the end of the log cannot be checked");
    } else if (head_->seq > last_seq_) {
      bad(last_seq_ + 1, range(last_seq_ + 1, head_->seq) + " missing (deleted): the log ends at " +
                             (last_seq_ == 0 ? std::string("its start")
                                             : "row " + std::to_string(last_seq_)) +
                             " but the last row written was row " + std::to_string(head_->seq));
    }
    return out_;
  }

 private:
  bool bad(std::int64_t seq, std::string problem) {
    out_.ok = false;
    out_.first_bad_seq = seq;
    out_.problem = std::move(problem);
    return false;
  }

  std::optional<Head> head_;
  std::int64_t last_seq_ = 0;
  std::string last_hash_;
  AuditVerification out_;
};

}  // namespace

std::string audit_row_hash(std::string_view prev_hash, const AuditRow& row) {
  std::string text;
  text.reserve(128 + row.details.size() + row.reason.size());
  for (const std::string_view field :
       {prev_hash, row.at, row.actor, row.operation, row.event, row.event_id, row.space,
        row.account_id, row.email, row.reason, row.details})
    append_field(text, field);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return hex(digest.data(), size);
}

// SQLite: the caller's transaction began with BEGIN IMMEDIATE (Transaction::begin), so
// it holds the database's write lock from its first statement to its commit. The account
// store and the identity store's writer are two connections to one file (often two
// processes): the second writer waits at BEGIN until the first commits, and only then
// reads the head, so two rows can never chain onto the same previous row.
// PostgreSQL: the UPDATE of the head row takes that row's lock until commit; a second
// writer waits on it and, under READ COMMITTED, then sees the first one's new head.
// The head, not the last row of `audit`, is what a new row chains onto: a row deleted at
// the end then stays visible as a broken link.
Result<void> append_audit(SqlConnection& conn, const AuditRow& row, AuditInsert when) {
  auto& head = conn.audit_head_in_transaction();
  const bool sqlite = conn.dialect() == Dialect::Sqlite;
  if (!head) {
    // On SQLite the write transaction (BEGIN IMMEDIATE) holds the database's only write
    // lock already, so the head is read without the locking UPDATE ... RETURNING.
    ROSTERD_ASSIGN(const auto rows, conn.query(sqlite ? stmt::kAuditHeadHash : stmt::kLockAuditHead, {}));
    if (rows.empty())
      return fail(ErrorCode::Storage,
                  "the audit log's head (table audit_head) is missing: the audit table was changed "
                  "outside rosterd; no audit row can be chained until it is restored");
    head = SqlConnection::AuditHead{rows.front().text(0)};
  }
  std::string hash = audit_row_hash(head->hash, row);
  const std::array<SqlValue, 12> values{row.at, row.actor, row.operation, row.event, row.event_id, row.space,
                                        row.account_id, row.email, row.reason, row.details,
                                        std::string_view(head->hash), std::string_view(hash)};
  if (when == AuditInsert::WithNextStatement) ROSTERD_TRY(conn.execute_later(stmt::kInsertAudit, values));
  else ROSTERD_TRY(conn.execute(stmt::kInsertAudit, values));
  head = SqlConnection::AuditHead{std::move(hash)};
  return {};
}

Result<void> write_audit_head(SqlConnection& conn) {
  const auto& head = conn.audit_head_in_transaction();
  if (!head) return {};
  // Held back: on PostgreSQL it travels with the writes COMMIT flushes before it; should
  // it fail, the flush fails and the transaction is rolled back.
  ROSTERD_TRY(conn.execute_later(stmt::kSetAuditHeadToLastRow, {std::string_view(head->hash)}));
  return {};
}

// A page at a time: the rows are updated between reads, which a streamed query on the
// same connection would not allow.
Result<void> chain_existing_audit(SqlConnection& conn) {
  constexpr std::int64_t kPage = 1000;
  std::int64_t last_seq = 0;
  std::string last_hash;
  for (;;) {
    ROSTERD_ASSIGN(const auto rows, conn.query(stmt::kAuditChainPage, {last_seq, kPage}));
    for (const SqlRow& r : rows) {
      const std::int64_t seq = r.integer(0);
      std::string hash = audit_row_hash(last_hash, row_fields(r));
      ROSTERD_TRY(conn.execute(stmt::kChainAuditRow,
                               {seq, std::string_view(last_hash), std::string_view(hash)}));
      last_seq = seq;
      last_hash = std::move(hash);
    }
    if (static_cast<std::int64_t>(rows.size()) < kPage) break;
  }
  ROSTERD_TRY(conn.execute(stmt::kSetAuditHead, {last_seq, std::string_view(last_hash)}));
  return {};
}

Result<AuditVerification> verify_audit_chain(SqlConnection& conn) {
  ROSTERD_ASSIGN(auto tx, Transaction::begin_read(conn));
  ROSTERD_ASSIGN(const auto head_rows, conn.query(stmt::kAuditHead, {}));
  std::optional<Head> head;
  if (!head_rows.empty()) head = Head{head_rows.front().integer(0), head_rows.front().text(1)};
  ChainWalk walk(std::move(head));
  ROSTERD_TRY(conn.query_each(stmt::kAuditChain, {},
                              [&](const SqlRow& r) -> Result<bool> { return walk.check(r); }));
  return walk.finish();
}

}  // namespace rosterd::sql
