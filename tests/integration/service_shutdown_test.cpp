// SIGTERM while the reconciler applies a plan: the daemon finishes the plan (every
// operation of it applied, none half done), then exits 0. (A request in flight at SIGTERM
// is covered by scim_shutdown_token_test.)
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

constexpr int kPeople = 1000;  // one Bulk request (the server's limit), one plan of creates

// Rows in the accounts table, read as another process would (WAL: never blocks the daemon).
int account_count(const std::string& database) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
      count = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

std::string people_bulk() {
  std::string operations;
  for (int i = 0; i < kPeople; ++i) {
    const std::string name = "p" + std::to_string(i) + "@acme.example";
    operations += std::string(operations.empty() ? "" : ",") + R"({"method":"POST","path":"/Users","bulkId":"b)" +
                  std::to_string(i) + R"(","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)" +
                  R"("userName":")" + name + R"(","title":"Sales Manager","name":{"givenName":"P","familyName":"Q"},)" +
                  R"("emails":[{"value":")" + name + R"(","primary":true}],"active":true}})";
  }
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)" + operations + "]}";
}

TEST(ShutdownDuringApply, SigtermWhileAPlanIsAppliedFinishesThePlanThenExitsZero) {
  ScimServer server(R"(spaces:
  acme:
    licences: {manager: 5000}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: [")" + std::string(kOktaDigest) + R"("]
rules:
  - name: managers
    space: acme
    when: {attribute: {title: {matches: "Manager$"}}}
    grant: {role: hiring_manager, licence: manager}
)");
  const auto reply = server.call("POST", "/Bulk", people_bulk());
  ASSERT_EQ(reply.status, 200) << reply.body.substr(0, 500);

  // The first accounts appear: the plan is being applied. SIGTERM at once.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int seen = 0;
  while ((seen = account_count(server.database())) <= 0 && std::chrono::steady_clock::now() < give_up) {
  }
  ASSERT_GT(seen, 0) << "no account was ever created\n" << server.log();
  server.child().signal(SIGTERM);
  EXPECT_EQ(server.child().wait(), 0) << server.log();

  const std::string log = server.log();
  const auto stopping = log.find(R"("event":"stopping")");
  const auto applied = log.find(R"("event":"plan_applied")");
  ASSERT_NE(stopping, std::string::npos) << log;
  ASSERT_NE(applied, std::string::npos) << "the plan in progress was not finished\n" << log;
  // Every plan started was finished whole: the accounts stored are exactly those the
  // applied plans created. (Usually one plan of every person; on a loaded machine the
  // bulk may outlast the reconciler's debounce, and a first plan covers only the people
  // written by then: SIGTERM then finishes that plan and leaves the rest for the next start.)
  int created = 0;
  std::size_t last_applied = applied;
  const std::string kApplied = R"("applied":")";
  for (auto at = applied; at != std::string::npos; at = log.find(R"("event":"plan_applied")", at + 1)) {
    last_applied = at;
    const auto count = log.find(kApplied, at);
    ASSERT_NE(count, std::string::npos) << log;
    created += std::stoi(log.substr(count + kApplied.size()));
  }
  EXPECT_GE(created, seen) << log;
  EXPECT_EQ(account_count(server.database()), created);
  // Whether SIGTERM really came mid-plan (it did if fewer accounts were seen than the plans
  // created): then the last plan finished after "stopping", with every operation.
  if (seen < created) {
    EXPECT_LT(stopping, last_applied) << log;
  }
  EXPECT_NE(log.find(R"("event":"stopped")"), std::string::npos) << log;
  std::cout << "accounts seen at SIGTERM: " << seen << " of " << kPeople << "\n";
}

}  // namespace
}  // namespace rosterd::testing
