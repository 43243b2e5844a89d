// Discovery documents, routing (404, 405 with Allow), and what writes leave for the rest
// of rosterd: audit rows and the reconcile queue.
#include <set>
#include <string>
#include <vector>

#include "store/account_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

using DiscoveryTest = ScimServiceTest;
using RoutingTest = ScimServiceTest;

const json::object& member(const Reply& r, std::string_view key) { return r.object().at(key).as_object(); }

TEST_F(DiscoveryTest, ServiceProviderConfigAdvertisesWhatTheServiceDoesAndItsLimits) {
  const Reply r = get("/ServiceProviderConfig");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object().at("schemas").as_array()[0], "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
  EXPECT_EQ(member(r, "patch").at("supported"), true);
  EXPECT_EQ(member(r, "bulk").at("supported"), true);
  EXPECT_EQ(member(r, "bulk").at("maxOperations"), 5);
  EXPECT_EQ(member(r, "bulk").at("maxPayloadSize"), 64 * 1024);
  EXPECT_EQ(member(r, "filter").at("supported"), true);
  EXPECT_EQ(member(r, "filter").at("maxResults"), 1000);
  EXPECT_EQ(member(r, "sort").at("supported"), true);
  EXPECT_EQ(member(r, "etag").at("supported"), true);

  auto o = options();
  o.limits.max_bulk_operations = 17;
  o.limits.max_bulk_payload_bytes = 12345;
  o.limits.list.max_count = 42;
  restart_service(o);
  const Reply other = get("/ServiceProviderConfig");
  EXPECT_EQ(member(other, "bulk").at("maxOperations"), 17);
  EXPECT_EQ(member(other, "bulk").at("maxPayloadSize"), 12345);
  EXPECT_EQ(member(other, "filter").at("maxResults"), 42);
}

TEST_F(DiscoveryTest, SchemasListsEverySchemaAndServesEachByUrn) {
  const Reply all = get("/Schemas");
  ASSERT_EQ(all.status, 200) << all.body;
  const std::set<std::string> expected{std::string(kUserSchema), std::string(kEnterpriseSchema),
                                       "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User",
                                       std::string(kGroupSchema)};
  const std::vector<std::string> ids = ids_of(all);
  EXPECT_EQ(all.total(), static_cast<std::int64_t>(ids.size()));
  EXPECT_EQ(ids.size(), 4u);
  for (const std::string& id : ids) {
    SCOPED_TRACE(id);
    const Reply one = get("/Schemas/" + id);
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.text("id"), id);
    EXPECT_TRUE(one.object().at("attributes").is_array());
  }
  EXPECT_TRUE(std::set<std::string>(ids.begin(), ids.end()).count(std::string(kUserSchema)));
  EXPECT_TRUE(std::set<std::string>(ids.begin(), ids.end()).count(std::string(kGroupSchema)));
  EXPECT_TRUE(std::set<std::string>(ids.begin(), ids.end()).count(std::string(kEnterpriseSchema)));
  const Reply user = get("/Schemas/" + std::string(kUserSchema));
  bool has_user_name = false;
  for (const auto& a : user.object().at("attributes").as_array())
    has_user_name = has_user_name || text_of(a, "name") == "userName";
  EXPECT_TRUE(has_user_name);
  expect_error(get("/Schemas/urn:example:no-such-schema"), 404);
}

TEST_F(DiscoveryTest, ResourceTypesListsUsersAndGroups) {
  const Reply all = get("/ResourceTypes");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.total(), 2);
  const Reply user = get("/ResourceTypes/User");
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(user.text("endpoint"), "/Users");
  EXPECT_EQ(user.text("schema"), kUserSchema);
  const Reply group = get("/ResourceTypes/Group");
  EXPECT_EQ(group.text("endpoint"), "/Groups");
  expect_error(get("/ResourceTypes/Widget"), 404);
}

TEST_F(RoutingTest, UnknownEndpointsAre404WithAnErrorBody) {
  for (const std::string path : {"/scim/v2/Widgets", "/scim/v2", "/scim/v2/", "/scim/v2/Users/a/b",
                                 "/scim/v2/Schemas/a/b", "/other/Users", "/scim/v2Users"}) {
    SCOPED_TRACE(path);
    expect_error(call("GET", path), 404);
  }
}

TEST_F(RoutingTest, AWrongMethodIs405WithAllow) {
  struct Case {
    std::string method, path, allow;
  };
  const std::string id = create_user("ada");
  const std::vector<Case> cases{
      {"DELETE", "/Users", "GET, POST"},
      {"PUT", "/Groups", "GET, POST"},
      {"POST", "/Users/" + id, "GET, PUT, PATCH, DELETE"},
      {"OPTIONS", "/Users/" + id, "GET, PUT, PATCH, DELETE"},
      {"GET", "/Users/.search", "POST"},
      {"GET", "/.search", "POST"},
      {"GET", "/Bulk", "POST"},
      {"PUT", "/ServiceProviderConfig", "GET"},
      {"POST", "/Schemas", "GET"},
      {"DELETE", "/ResourceTypes/User", "GET"},
  };
  const std::string before = snapshot();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    const Reply r = call(c.method, "/scim/v2" + c.path, user_body("x"));
    expect_error(r, 405);
    EXPECT_EQ(r.header("Allow"), std::optional<std::string>(c.allow));
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(RoutingTest, LocationsFollowTheSchemeTheBasePathAndASaneHost) {
  auto o = options();
  o.https = true;
  o.base_path = "/api/scim/";
  restart_service(o);
  EXPECT_TRUE(service_->serves("/api/scim/Users"));
  EXPECT_TRUE(service_->serves("/api/scim?x"));
  EXPECT_FALSE(service_->serves("/api/scimUsers"));
  expect_error(call("GET", "/scim/v2/Users"), 404);
  const Reply r = call("POST", "/api/scim/Users", user_body("ada"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("Location"), std::optional<std::string>("https://scim.example:8443/api/scim/Users/" + r.text("id")));
  const Reply listed = call("GET", "/api/scim/Users");
  EXPECT_EQ(ids_of(listed), std::vector<std::string>{r.text("id")});
  // A Host header that is not host[:port] is not echoed into locations.
  const Reply odd = call("GET", "/api/scim/Users/" + r.text("id"), {}, {{"Host", "evil.example/\"x"}});
  EXPECT_EQ(odd.object().at("meta").as_object().at("location"),
            json::value(json::string("https://localhost/api/scim/Users/" + r.text("id"))));
}

class AuditTest : public ScimServiceTest {
 protected:
  std::vector<AuditEntry> audit() {
    auto accounts = open_sqlite_store(db_path(), StoreOptions{});
    EXPECT_TRUE(accounts.has_value()) << accounts.error().message;
    if (!accounts) return {};
    auto rows = (*accounts)->audit(AuditQuery{});
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    return rows ? *rows : std::vector<AuditEntry>{};
  }
  std::set<std::string> queued_spaces() {
    auto conn = sql::SqliteConnection::open(db_path());
    EXPECT_TRUE(conn.has_value());
    if (!conn) return {};
    auto rows = (*conn)->query("SELECT space FROM reconcile_queue", {});
    EXPECT_TRUE(rows.has_value());
    std::set<std::string> out;
    if (rows)
      for (const auto& row : *rows) out.insert(row.text(0));
    return out;
  }
  static std::string detail_of(const AuditEntry& e, std::string_view key) {
    for (const auto& [k, v] : e.details)
      if (k == key) return v;
    return {};
  }
};

TEST_F(AuditTest, EveryWriteLeavesAnAuditRowByTheSourceAndQueuesItsSpace) {
  EXPECT_TRUE(queued_spaces().empty());
  const std::string ada = create_user("ada@acme.example");
  const std::string g = create_group("admins");
  ASSERT_EQ(patch("/Groups/" + g, patch_body(R"({"op":"add","path":"members","value":[{"value":")" + ada + R"("}]})"))
                .status,
            204);
  ASSERT_EQ(del("/Users/" + ada).status, 204);
  EXPECT_EQ(queued_spaces(), std::set<std::string>{"acme"});
  create_user("eve@globex.example", {}, kEntraToken);

  const std::vector<AuditEntry> rows = audit();
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::pair<std::string, std::string>> expected{{"identity.created", ada},
                                                                  {"group.created", g},
                                                                  {"group.updated", g},
                                                                  {"identity.deleted", ada}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].event, expected[i].first);
    EXPECT_EQ(rows[i].actor, "source:okta");
    EXPECT_EQ(rows[i].space, "acme");
    EXPECT_EQ(detail_of(rows[i], "resource_id"), expected[i].second);
  }
  EXPECT_EQ(detail_of(rows[0], "label"), "ada@acme.example");
  EXPECT_EQ(rows[4].event, "identity.created");
  EXPECT_EQ(rows[4].actor, "source:entra");
  EXPECT_EQ(rows[4].space, "globex");
  EXPECT_EQ(queued_spaces(), (std::set<std::string>{"acme", "globex"}));
}

TEST_F(AuditTest, ARefusedWriteLeavesNoAuditRow) {
  const std::string ada = create_user("ada@acme.example");
  const std::size_t before = audit().size();
  expect_error(post("/Groups", group_body("ops", R"("members":[{"value":"no-such-id"}])")), 400, "invalidValue");
  expect_error(post("/Users", user_body("ADA@acme.example")), 409, "uniqueness");
  expect_error(patch("/Users/" + ada, patch_body(R"({"op":"remove","path":"userName"})")), 400, "mutability");
  EXPECT_EQ(audit().size(), before);
}

}  // namespace
}  // namespace rosterd::scim_service_test
