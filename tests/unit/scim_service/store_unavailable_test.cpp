// The store going away (PostgreSQL restarting, the network cut): a request whose store
// call fails with ErrorCode::Unavailable is answered 503 with Retry-After, so that the
// identity provider retries it, and nothing of it is stored. A closed store fails every
// write with Unavailable, as a lost database connection does.
#include "scim/scim_response.h"
#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

class StoreUnavailable : public ScimServiceTest {
 protected:
  // Opens the same file again, as a restarted daemon would.
  std::unique_ptr<IdentityStore> reopen() {
    auto store = open_sqlite_identity_store(db_path(), StoreOptions{});
    EXPECT_TRUE(store.has_value()) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
};

TEST_F(StoreUnavailable, AWriteIsAnswered503WithRetryAfterAndNothingIsStored) {
  const std::string ada = create_user("ada@acme.example");
  store_->close();
  const Reply created = post("/Users", user_body("carol@acme.example"));
  EXPECT_EQ(created.status, 503) << created.body;
  EXPECT_EQ(created.header("Retry-After"), std::optional<std::string>("5"));
  EXPECT_EQ(created.text("status"), "503");
  EXPECT_EQ(created.text("scimType"), "");
  const Reply patched =
      patch("/Users/" + ada, patch_body(R"({"op":"replace","path":"displayName","value":"Changed"})"));
  EXPECT_EQ(patched.status, 503) << patched.body;
  EXPECT_EQ(patched.header("Retry-After"), std::optional<std::string>("5"));
  const Reply deleted = del("/Users/" + ada);
  EXPECT_EQ(deleted.status, 503) << deleted.body;

  service_.reset();
  auto again = reopen();
  ASSERT_TRUE(again);
  store_ = std::move(again);
  restart_service(options());
  const Reply list = get("/Users");
  EXPECT_EQ(values_of(list, "userName"), std::vector<std::string>{"ada@acme.example"});
  EXPECT_EQ(get("/Users/" + ada).text("displayName"), "");
}

TEST(ScimErrorResponse, OnlyA503CarriesRetryAfter) {
  const scim::HttpResponse unavailable =
      scim::error_response(Error{ErrorCode::Unavailable, "the database is unreachable", {}});
  EXPECT_EQ(unavailable.status, 503);
  bool retry_after = false;
  for (const auto& [name, value] : unavailable.headers) retry_after = retry_after || (name == "Retry-After" && value == "5");
  EXPECT_TRUE(retry_after);
  for (const ErrorCode code : {ErrorCode::Storage, ErrorCode::Internal, ErrorCode::PreconditionFailed}) {
    const scim::HttpResponse r = scim::error_response(Error{code, "x", {}});
    EXPECT_NE(r.status, 503);
    for (const auto& [name, value] : r.headers) EXPECT_NE(name, "Retry-After");
  }
}

}  // namespace
}  // namespace rosterd::scim_service_test
