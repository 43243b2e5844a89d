// The SCIM service without a socket: requests as values into ScimService::handle_now(),
// responses as values out, over a real SQLite identity store in a fresh temporary
// directory per test. Two sources: "okta" (space acme) and "entra" (space globex).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/timestamp.h"
#include "scim/bearer_auth.h"
#include "scim/http_message.h"
#include "scim/scim_service.h"
#include "store/identity_store.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/store_options.h"
#include "tests/support/fixed_clock.h"
#include "tests/support/sequential_ids.h"
#include "tests/support/temp_dir.h"

namespace rosterd::scim_service_test {

namespace json = boost::json;
using scim::HttpRequest;
using scim::HttpResponse;

inline constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr std::string_view kListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr std::string_view kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr std::string_view kSearchSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
inline constexpr std::string_view kBulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
inline constexpr std::string_view kEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

inline const std::string kOktaToken = "okta-secret-token";
inline const std::string kEntraToken = "entra-secret-token";
inline const Timestamp kT0 = parse_timestamp("2026-11-23T09:00:00.000Z").value();

inline std::string digest_of(const std::string& token) { return "sha256:" + scim::to_hex(scim::sha256(token)); }

// A response, with its body parsed when there is one.
struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  json::value json;  // null when the body is empty or not JSON

  // The first header with this name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return scim::lower(a) == scim::lower(b);
          }))
        return v;
    return std::nullopt;
  }
  const json::object& object() const {
    static const json::object kEmpty;
    return json.is_object() ? json.get_object() : kEmpty;
  }
  // A string member of the body ("" when absent or not a string).
  std::string text(std::string_view key) const {
    const json::value* v = object().if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  }
  const json::array& resources() const {
    static const json::array kEmpty;
    const json::value* v = object().if_contains("Resources");
    return v && v->is_array() ? v->get_array() : kEmpty;
  }
  std::int64_t total() const {
    const json::value* v = object().if_contains("totalResults");
    return v && v->is_int64() ? v->get_int64() : (v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : -1);
  }
};

inline std::string text_of(const json::value& resource, std::string_view key) {
  const json::value* v = resource.is_object() ? resource.get_object().if_contains(key) : nullptr;
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The ids of a list response's Resources, in order.
inline std::vector<std::string> ids_of(const Reply& r) {
  std::vector<std::string> out;
  for (const auto& e : r.resources()) out.push_back(text_of(e, "id"));
  return out;
}
// One attribute of each resource of a list response, in order.
inline std::vector<std::string> values_of(const Reply& r, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& e : r.resources()) out.push_back(text_of(e, key));
  return out;
}

// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
inline std::string url_encode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

// A User body: userName and any more members given as JSON text ("\"active\":false").
inline std::string user_body(std::string_view user_name, std::string_view more = {}) {
  std::string body = R"({"schemas":[")" + std::string(kUserSchema) + R"("],"userName":)" +
                     json::serialize(json::value(json::string(user_name)));
  if (!more.empty()) body += "," + std::string(more);
  return body + "}";
}
inline std::string group_body(std::string_view display_name, std::string_view more = {}) {
  std::string body = R"({"schemas":[")" + std::string(kGroupSchema) + R"("],"displayName":)" +
                     json::serialize(json::value(json::string(display_name)));
  if (!more.empty()) body += "," + std::string(more);
  return body + "}";
}
// A PatchOp body around operations written as JSON text.
inline std::string patch_body(std::string_view operations) {
  return R"({"schemas":[")" + std::string(kPatchSchema) + R"("],"Operations":[)" + std::string(operations) + "]}";
}

// The Error message of RFC 7644 section 3.12: the schema, status as a string, the
// scimType (none when `scim_type` is empty) and a detail.
inline void expect_error(const Reply& r, int status, std::string_view scim_type = {}) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << "status " << r.status << " without an Error body: '" << r.body << "'";
  const json::object& o = r.object();
  const json::value* schemas = o.if_contains("schemas");
  ASSERT_TRUE(schemas && schemas->is_array() && schemas->get_array().size() == 1) << r.body;
  EXPECT_EQ(schemas->get_array()[0], json::value(json::string(kErrorSchema))) << r.body;
  const json::value* s = o.if_contains("status");
  ASSERT_TRUE(s && s->is_string()) << "status must be a JSON string: " << r.body;
  EXPECT_EQ(std::string(s->get_string()), std::to_string(status));
  const json::value* type = o.if_contains("scimType");
  if (scim_type.empty()) {
    EXPECT_EQ(type, nullptr) << r.body;
  } else {
    ASSERT_TRUE(type && type->is_string()) << "scimType missing: " << r.body;
    EXPECT_EQ(std::string(type->get_string()), scim_type);
  }
  const json::value* detail = o.if_contains("detail");
  ASSERT_TRUE(detail && detail->is_string()) << r.body;
  EXPECT_FALSE(detail->get_string().empty());
}
inline std::string detail(const Reply& r) { return r.text("detail"); }

class ScimServiceTest : public ::testing::Test {
 protected:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  void SetUp() override {
    StoreOptions store_options;
    store_options.new_id = testing::sequential_ids("event-");
    auto store = open_sqlite_identity_store(db_path(), std::move(store_options));
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    restart_service(options());
  }

  // Replaces the service (same store), e.g. with other limits.
  void restart_service(scim::ScimServiceOptions o) {
    auto service = scim::ScimService::create(*store_, sources(), std::move(o));
    ASSERT_TRUE(service.has_value()) << service.error().message;
    service_ = std::move(*service);
  }

  void TearDown() override {
    service_.reset();
    if (store_) store_->close();
  }

  std::string db_path() const { return dir_.file("rosterd.db"); }

  static std::vector<scim::ScimSource> sources() {
    return {scim::ScimSource{"okta", "acme", {digest_of(kOktaToken)}},
            scim::ScimSource{"entra", "globex", {digest_of(kEntraToken)}}};
  }

  scim::ScimServiceOptions options() {
    scim::ScimServiceOptions o;
    o.clock = clock_.function();
    o.new_id = ids_;
    o.limits.list.default_count = 100;
    o.limits.list.max_count = 1000;
    o.limits.max_bulk_operations = 5;
    o.limits.max_bulk_payload_bytes = 64 * 1024;
    return o;
  }

  // One request, answered; checks the Content-Type of every response with a body.
  Reply call(std::string method, std::string target, std::string body = {}, Headers headers = {},
             const std::string& token = kOktaToken) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = std::move(headers);
    if (!has_header(request.headers, "Host")) request.headers.emplace_back("Host", "scim.example:8443");
    if (!token.empty() && !has_header(request.headers, "Authorization"))
      request.headers.emplace_back("Authorization", "Bearer " + token);
    HttpResponse response = service_->handle_now(std::move(request));
    Reply reply;
    reply.status = response.status;
    reply.headers = std::move(response.headers);
    reply.body = std::move(response.body);
    if (!reply.body.empty()) {
      EXPECT_EQ(reply.header("Content-Type"), std::optional<std::string>("application/scim+json"))
          << "status " << reply.status << ": " << reply.body;
      boost::system::error_code ec;
      reply.json = json::parse(reply.body, ec);
      EXPECT_FALSE(ec) << "the body is not JSON: " << reply.body;
    }
    return reply;
  }

  Reply get(const std::string& path, Headers headers = {}, const std::string& token = kOktaToken) {
    return call("GET", "/scim/v2" + path, {}, std::move(headers), token);
  }
  Reply post(const std::string& path, std::string body, Headers headers = {}, const std::string& token = kOktaToken) {
    return call("POST", "/scim/v2" + path, std::move(body), std::move(headers), token);
  }
  Reply put(const std::string& path, std::string body, Headers headers = {}, const std::string& token = kOktaToken) {
    return call("PUT", "/scim/v2" + path, std::move(body), std::move(headers), token);
  }
  Reply patch(const std::string& path, std::string body, Headers headers = {}, const std::string& token = kOktaToken) {
    return call("PATCH", "/scim/v2" + path, std::move(body), std::move(headers), token);
  }
  Reply del(const std::string& path, Headers headers = {}, const std::string& token = kOktaToken) {
    return call("DELETE", "/scim/v2" + path, {}, std::move(headers), token);
  }

  // Creates a User (or Group) and returns its id, failing the test unless it was 201.
  std::string create_user(std::string_view user_name, std::string_view more = {},
                          const std::string& token = kOktaToken) {
    Reply r = post("/Users", user_body(user_name, more), {}, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.text("id");
  }
  std::string create_group(std::string_view display_name, std::string_view more = {},
                           const std::string& token = kOktaToken) {
    Reply r = post("/Groups", group_body(display_name, more), {}, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.text("id");
  }

  // Everything both sources can see, as the service renders it (versions and
  // timestamps included), to compare before and after a refused request.
  std::string snapshot() {
    std::string out;
    for (const std::string& token : {kOktaToken, kEntraToken}) {
      for (const char* path : {"/Users?count=1000", "/Groups?count=1000"}) {
        Reply r = get(path, {}, token);
        EXPECT_EQ(r.status, 200) << r.body;
        out += r.body;
        out += '\n';
      }
    }
    return out;
  }

  static bool has_header(const Headers& headers, std::string_view name) {
    for (const auto& [k, v] : headers)
      if (k == name) return true;
    return false;
  }

  testing::TempDir dir_;
  testing::FixedClock clock_{kT0};
  std::function<std::string()> ids_ = testing::sequential_ids("id-");
  std::unique_ptr<IdentityStore> store_;
  std::unique_ptr<scim::ScimService> service_;
};

}  // namespace rosterd::scim_service_test
