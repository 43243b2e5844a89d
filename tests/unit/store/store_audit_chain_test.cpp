// The audit log's hash chain (store/sql/audit_chain.h): every row chains onto the one
// before it, a database of schema version 2 is chained when it is upgraded, and
// verify_audit() names the first row that was changed, removed or added behind rosterd's
// back.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "store/reconcile_store.h"
#include "store/sql/audit_chain.h"
#include "store/sql/migrations.h"
#include "tests/unit/store/store_backends.h"

namespace rosterd::store_test {
namespace {

struct ChainRow {
  std::int64_t seq = 0;
  std::string prev_hash, hash;
};

class AuditChainTest : public AccountStoreTest {
 protected:
  // Five audit rows, one per operation: seq 1 to 5.
  void write_five_rows() {
    const std::string owner = create_owner();  // create + activate: rows 1 and 2
    const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
    clock_.advance(std::chrono::seconds(1));
    must_apply(SuspendOp{ada});
    must_apply(ResumeOp{ada});
    ASSERT_EQ(audit().size(), 5u);
    ASSERT_FALSE(owner.empty());
  }
  AuditVerification verify() {
    auto v = store_->reconcile().verify_audit();
    EXPECT_TRUE(v.has_value()) << (v ? "" : v.error().message);
    return v ? *v : AuditVerification{};
  }
  void tamper(const std::string& sql) {
    auto conn = connect();
    ASSERT_NE(conn, nullptr);
    auto r = conn->execute(sql, {});
    ASSERT_TRUE(r.has_value()) << sql << ": " << r.error().message;
  }
  std::vector<ChainRow> chain() {
    auto conn = connect();
    std::vector<ChainRow> out;
    if (!conn) return out;
    auto rows = conn->query("SELECT seq, prev_hash, hash FROM audit ORDER BY seq", {});
    EXPECT_TRUE(rows.has_value());
    if (rows)
      for (const auto& r : *rows) out.push_back({r.integer(0), r.text(1), r.text(2)});
    return out;
  }
};

#define EXPECT_BAD(v, seq, words)                                          \
  do {                                                                     \
    EXPECT_FALSE((v).ok);                                                  \
    EXPECT_EQ((v).first_bad_seq, (seq)) << (v).problem;                    \
    EXPECT_NE((v).problem.find(words), std::string::npos) << (v).problem; \
  } while (0)

// The encoding is part of the log's format: a verifier written in another language must
// get the same digest (this one was computed with Python's hashlib).
TEST(AuditRowHash, IsSha256OfTheLengthPrefixedFieldsInOrder) {
  const sql::AuditRow row{"2026-11-23T09:00:00.000Z", "operator:root", "create", "account.created",
                          "e1", "acme", "a1", "ada@acme.example", "test", R"({"role":"recruiter"})"};
  EXPECT_EQ(sql::audit_row_hash("", row),
            "c36f182cc25596453064f7d40abdc04a190e0bd1eb1a1dbc88a27c16414710db");
  sql::AuditRow other = row;
  other.reason = "r\xc3\xa9sum\xc3\xa9:1:2";  // lengths count bytes; ':' inside a value is safe
  std::string prev;
  for (int i = 0; i < 32; ++i) prev += "ab";
  EXPECT_EQ(sql::audit_row_hash(prev, other),
            "42516f30b743ea7fc206a315bbe3333bfaee293aa298495693b1ac1e7b7ff564");
}

TEST(AuditRowHash, MovingTextBetweenFieldsChangesTheHash) {
  sql::AuditRow a{"t", "ab", "c", "e", "i", "s", "x", "m", "r", "{}"};
  sql::AuditRow b = a;
  b.actor = "a";
  b.operation = "bc";
  EXPECT_NE(sql::audit_row_hash("", a), sql::audit_row_hash("", b));
  EXPECT_NE(sql::audit_row_hash("", a), sql::audit_row_hash("p", a));
}

TEST_P(AuditChainTest, AnEmptyLogVerifies) {
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 0u);
  EXPECT_EQ(v.first_bad_seq, 0);
}

TEST_P(AuditChainTest, EveryRowChainsOntoTheRowBeforeIt) {
  write_five_rows();
  const auto rows = chain();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].prev_hash, "");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].hash.size(), 64u) << "row " << rows[i].seq;
    if (i > 0) {
      EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash) << "row " << rows[i].seq;
    }
  }
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 5u);
}

TEST_P(AuditChainTest, ARefusedOperationLeavesTheChainWhole) {
  write_five_rows();
  Plan plan;
  plan.operations.push_back(planned(create_op("acme", "bob@acme.example", "recruiter", "recruiter"), "ok"));
  plan.operations.push_back(planned(create_op("acme", "BOB@acme.example", "recruiter", "recruiter"), "dup"));
  plan.operations.push_back(planned(create_op("acme", "cy@acme.example", "assessor", "manager"), "ok"));
  const auto outcome = store_->apply_plan(plan, root_, 100);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->refused.size(), 1u);
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.rows, 7u);
}

TEST_P(AuditChainTest, ChangingAnyColumnOfAMiddleRowIsFoundAtThatRow) {
  write_five_rows();
  for (const std::string column : {"at", "actor", "operation", "event", "event_id", "space",
                                   "account_id", "email", "reason", "details", "prev_hash", "hash"}) {
    SCOPED_TRACE(column);
    tamper("UPDATE audit SET " + column + " = " + column + " || 'x' WHERE seq = 3");
    EXPECT_BAD(verify(), 3, "row 3 was modified");
    tamper("UPDATE audit SET " + column + " = substr(" + column + ", 1, length(" + column +
           ") - 1) WHERE seq = 3");
    EXPECT_TRUE(verify().ok) << "restoring " << column << " did not restore the chain";
  }
}

TEST_P(AuditChainTest, ARowRewrittenWithAFreshHashIsFoundByTheNextRow) {
  write_five_rows();
  const auto rows = chain();
  auto conn = connect();
  ASSERT_NE(conn, nullptr);
  auto r = conn->query("SELECT at, actor, operation, event, event_id, space, account_id, email,"
                       " details FROM audit WHERE seq = 3", {});
  ASSERT_TRUE(r.has_value() && r->size() == 1);
  const auto& c = r->front();
  const sql::AuditRow forged{c.text(0), c.text(1), c.text(2), c.text(3), c.text(4),
                             c.text(5), c.text(6), c.text(7), "a better reason", c.text(8)};
  const std::string hash = sql::audit_row_hash(rows[1].hash, forged);
  ASSERT_TRUE(conn->execute("UPDATE audit SET reason = 'a better reason', hash = $1 WHERE seq = 3",
                            {std::string_view(hash)}).has_value());
  EXPECT_BAD(verify(), 3, "row 3 was modified");
}

TEST_P(AuditChainTest, DeletingAMiddleRowIsFoundAtThatRow) {
  write_five_rows();
  tamper("DELETE FROM audit WHERE seq = 3");
  const auto v = verify();
  EXPECT_BAD(v, 3, "row 3 is missing (deleted)");
  EXPECT_NE(v.problem.find("row 4 does not chain onto row 2"), std::string::npos) << v.problem;
}

TEST_P(AuditChainTest, DeletingSeveralRowsNamesTheFirst) {
  write_five_rows();
  tamper("DELETE FROM audit WHERE seq IN (2, 3)");
  EXPECT_BAD(verify(), 2, "rows 2 to 3 are missing (deleted)");
}

TEST_P(AuditChainTest, DeletingTheFirstRowIsFound) {
  write_five_rows();
  tamper("DELETE FROM audit WHERE seq = 1");
  EXPECT_BAD(verify(), 1, "row 1 is missing (deleted)");
}

TEST_P(AuditChainTest, DeletingTheLastRowIsFoundThroughTheHead) {
  write_five_rows();
  tamper("DELETE FROM audit WHERE seq = 5");
  EXPECT_BAD(verify(), 5, "row 5 is missing (deleted)");
}

TEST_P(AuditChainTest, DeletingEveryRowIsFound) {
  write_five_rows();
  tamper("DELETE FROM audit");
  EXPECT_BAD(verify(), 1, "rows 1 to 5 are missing (deleted)");
}

// A new row chains onto the head, not onto what is left of the table: the gap stays.
TEST_P(AuditChainTest, DeletingTheLastRowStaysVisibleAfterTheNextWrite) {
  write_five_rows();
  tamper("DELETE FROM audit WHERE seq = 5");
  create("acme", "bob@acme.example", "recruiter", "recruiter");
  EXPECT_BAD(verify(), 5, "row 5 is missing (deleted)");
}

TEST_P(AuditChainTest, ARowAppendedBehindRosterdsBackIsFound) {
  write_five_rows();
  const auto rows = chain();
  const sql::AuditRow row{"2026-11-23T10:00:00.000Z", "operator:root", "create", "account.created",
                          "forged", "acme", "a9", "eve@acme.example", "test", "{}"};
  const std::string hash = sql::audit_row_hash(rows.back().hash, row);
  auto conn = connect();
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->execute("INSERT INTO audit (at, actor, operation, event, event_id, space,"
                            " account_id, email, reason, details, prev_hash, hash) VALUES"
                            " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                            {row.at, row.actor, row.operation, row.event, row.event_id, row.space,
                             row.account_id, row.email, row.reason, row.details,
                             std::string_view(rows.back().hash), std::string_view(hash)})
                  .has_value());
  EXPECT_BAD(verify(), 6, "row 6 was not written by rosterd");
}

TEST_P(AuditChainTest, ADatabaseOfVersionTwoIsChainedWhenUpgraded) {
  testing::TempDir old;
  {
    auto conn = GetParam().connect(old.path());
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    ASSERT_TRUE(sql::migrate_to(**conn, 2).has_value());
    for (int i = 1; i <= 3; ++i) {
      const std::string n = std::to_string(i);
      ASSERT_TRUE((*conn)->execute_script(
          "INSERT INTO audit (at, actor, operation, event, event_id, space, account_id, email,"
          " reason, details) VALUES ('2026-01-0" + n + "T00:00:00.000Z', 'operator:root', 'create',"
          " 'account.created', 'e" + n + "', 'acme', 'a" + n + "', 'p" + n + "@acme.example',"
          " 'imported', '{\"n\":\"" + n + "\"}')").has_value());
    }
  }
  auto store = GetParam().open(old.path(), options());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto v = (*store)->reconcile().verify_audit();
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->rows, 3u);

  // The old rows are really chained (not skipped): changing one is found.
  auto conn = GetParam().connect(old.path());
  ASSERT_TRUE(conn.has_value());
  auto hashes = (*conn)->query("SELECT prev_hash, hash FROM audit ORDER BY seq", {});
  ASSERT_TRUE(hashes.has_value());
  ASSERT_EQ(hashes->size(), 3u);
  EXPECT_EQ(hashes->at(0).text(0), "");
  EXPECT_EQ(hashes->at(1).text(0), hashes->at(0).text(1));
  EXPECT_EQ(hashes->at(2).text(0), hashes->at(1).text(1));
  EXPECT_EQ(hashes->at(0).text(1),
            sql::audit_row_hash("", sql::AuditRow{"2026-01-01T00:00:00.000Z", "operator:root",
                                                  "create", "account.created", "e1", "acme", "a1",
                                                  "p1@acme.example", "imported", R"({"n":"1"})"}));

  // New rows go on from the last old one.
  const std::vector<Space> spaces{Space{"acme", {{"recruiter", 1}}, ""}};
  ASSERT_TRUE((*store)->configure_spaces(spaces).has_value());
  ASSERT_TRUE((*store)->apply(create_op("acme", "ada@acme.example", "recruiter", "recruiter"), root_,
                              "after the upgrade").has_value());
  v = (*store)->reconcile().verify_audit();
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->rows, 4u);

  ASSERT_TRUE((*conn)->execute("UPDATE audit SET reason = 'edited' WHERE seq = 2", {}).has_value());
  v = (*store)->reconcile().verify_audit();
  ASSERT_TRUE(v.has_value());
  EXPECT_BAD(*v, 2, "row 2 was modified");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace rosterd::store_test
