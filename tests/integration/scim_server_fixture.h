// `rosterd serve` as a test object: the real binary (ROSTERD_BINARY) with a configuration
// in a temporary directory and a store of its own (a SQLite file there by default, or a
// PostgreSQL schema: tests/integration/test_store.h), two SCIM sources in two spaces
// ("okta" → acme, "entra" → globex), listening on 127.0.0.1 and a port the daemon picked.
// The constructor returns once the daemon has logged its "listening" line (real readiness:
// the socket is bound and accepting); the destructor stops it with SIGTERM and checks that
// it exited 0 after logging "stopped". Requests are raw bytes over a fresh connection.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/test_store.h"
#include "tests/support/http_client.h"
#include "tests/support/sqlite_dump.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {

using Reply = HttpClient::Reply;

// Bearer tokens of the two sources, and their digests as the configuration holds them
// (printf %s TOKEN | sha256sum).
inline constexpr const char* kOktaToken = "okta-acme-token-7f3a";
inline constexpr const char* kEntraToken = "entra-globex-token-91c2";
inline constexpr const char* kOktaDigest =
    "sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e";
inline constexpr const char* kEntraDigest =
    "sha256:4e2c1c88fe077edb36c49408ac002288d9a158842777f857a42e3d41e1ed0033";

inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr const char* kListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

// The body as JSON; a test failure (and null) if it is not JSON.
inline boost::json::value json_of(const Reply& reply) {
  boost::system::error_code ec;
  auto value = boost::json::parse(reply.body, ec);
  if (ec) {
    ADD_FAILURE() << "not JSON (status " << reply.status << "): " << reply.body;
    return nullptr;
  }
  return value;
}

inline std::string str(const boost::json::value& v, std::string_view key) {
  if (!v.is_object()) return "<not an object>";
  const auto* found = v.as_object().if_contains(key);
  return found && found->is_string() ? std::string(found->as_string()) : "<missing " + std::string(key) + ">";
}

// The ids of a ListResponse's Resources, in order.
inline std::vector<std::string> ids_of(const boost::json::value& list) {
  std::vector<std::string> out;
  if (!list.is_object() || !list.as_object().contains("Resources")) return out;
  for (const auto& r : list.at("Resources").as_array()) out.push_back(str(r, "id"));
  return out;
}

// The member ids of a Group resource, sorted.
inline std::vector<std::string> member_ids(const boost::json::value& group) {
  std::vector<std::string> out;
  if (const auto* members = group.as_object().if_contains("members"))
    for (const auto& m : members->as_array()) out.push_back(str(m, "value"));
  std::sort(out.begin(), out.end());
  return out;
}

class ScimServer {
 public:
  ScimServer() {
    write_config();
    start();
  }
  // A configuration of the test's own: `body` follows the `store:` line. Starts only
  // when asked (start()), so a test can seed first.
  explicit ScimServer(const std::string& body, bool start_now = true) {
    write_config_body(body);
    if (start_now) start();
  }
  // On a store of this kind; if it is unavailable here, nothing starts (the test skips
  // with store().why_unavailable()).
  explicit ScimServer(StoreKind kind) : store_(kind, dir_) {
    write_config();
    if (store_.available()) start();
  }
  ScimServer(StoreKind kind, const std::string& body, bool start_now = true) : store_(kind, dir_) {
    write_config_body(body);
    if (start_now && store_.available()) start();
  }
  void write_config_body(const std::string& body) { std::ofstream(config()) << store_.yaml() << body; }
  ScimServer(const ScimServer&) = delete;
  ScimServer& operator=(const ScimServer&) = delete;
  ~ScimServer() {
    if (child_ && child_->running() && !stopped_) {
      EXPECT_EQ(stop(), 0) << log();
      EXPECT_NE(log().find(R"("event":"stopped")"), std::string::npos) << log();
    }
  }

  // (Re)writes the configuration; `extra_okta_digests` are added to the okta source.
  void write_config(const std::vector<std::string>& extra_okta_digests = {}) {
    std::ofstream out(config());
    out << store_.yaml() << R"(spaces:
  acme:
    licences: {recruiter: 5, manager: 5}
  globex:
    licences: {recruiter: 5}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: [")" << kOktaDigest << "\"";
    for (const auto& d : extra_okta_digests) out << ", \"" << d << "\"";
    out << R"(]
  - id: entra
    kind: scim
    space: globex
    tokens: [")" << kEntraDigest << R"("]
)";
  }

  // Starts the daemon on the current configuration and waits for its "listening" line.
  void start() {
    stopped_ = false;
    const auto from = log().size();
    child_.emplace(std::vector<std::string>{ROSTERD_BINARY, "serve", "--config", config(), "--listen", "127.0.0.1:0"},
                   std::vector<std::pair<std::string, std::string>>{}, log_path());
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string text = log().substr(from);
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        if (line.find(R"("event":"listening")") == std::string::npos) continue;
        const auto entry = boost::json::parse(line);
        const std::string address(entry.at("address").as_string());
        port_ = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
        return;
      }
      if (auto code = child_->try_wait()) {
        ADD_FAILURE() << "rosterd serve exited " << *code << " before listening:\n" << text;
        return;
      }
      // Polling the log file: the line is the readiness signal, this only paces the checks.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "rosterd serve did not log 'listening' within 30 s:\n" << log().substr(from);
  }

  // SIGTERM, then the exit code.
  int stop() {
    child_->signal(SIGTERM);
    stopped_ = true;
    return child_->wait();
  }
  Child& child() { return *child_; }

  std::uint16_t port() const { return port_; }
  std::string config() const { return dir_.file("rosterd.yaml"); }
  const TestStore& store() const { return store_; }
  // The SQLite file (SQLite stores only).
  std::string database() const { return dir_.file("store.db"); }
  std::string log_path() const { return dir_.file("rosterd.log"); }
  std::string log() const {
    std::ifstream in(log_path());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  // Sends `request` as given over a new connection; status 0 if no answer came.
  Reply raw(const std::string& request) const {
    HttpClient client(port_);
    if (!client.connected()) {
      ADD_FAILURE() << "cannot connect to port " << port_;
      return {};
    }
    client.send(request);
    auto reply = client.read_reply();
    return reply ? *reply : Reply{};
  }

  // A request under /scim/v2 with the source's bearer token (none if `token` is empty);
  // `headers`: more header lines, each ending in CRLF.
  std::string request(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& token = kOktaToken, const std::string& headers = "") const {
    std::string out = method + " /scim/v2" + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                      "\r\nAccept: application/scim+json\r\nConnection: close\r\n";
    if (!token.empty()) out += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      out += "Content-Type: application/scim+json; charset=utf-8\r\n";
      // `headers` may announce a body sent later (Expect: 100-continue).
      if (headers.find("Content-Length:") == std::string::npos)
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return out + headers + "\r\n" + body;
  }
  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = kOktaToken, const std::string& headers = "") const {
    return raw(request(method, path, body, token, headers));
  }

  // POSTs a group with these member ids and returns its id (a test failure unless 201).
  std::string create_group(const std::string& name, const std::vector<std::string>& member_ids,
                           const std::string& token = kOktaToken) const {
    std::string list;
    for (const auto& m : member_ids) list += (list.empty() ? "" : ",") + std::string(R"({"value":")") + m + "\"}";
    const auto r = call("POST", "/Groups",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" + name +
                            R"(","members":[)" + list + "]}",
                        token);
    EXPECT_EQ(r.status, 201) << r.body;
    return str(json_of(r), "id");
  }

  // Every row of the tables SCIM writes, in a stable order: equal dumps, unchanged store.
  std::string dump() const {
    // Not reconcile_queue: the reconciler empties it on its own schedule.
    return store_.dump({"identities", "identity_emails", "external_groups", "group_members",
                                             "audit", "accounts"},
                                "1, 2, 3");
  }

 private:
  TempDir dir_;
  TestStore store_{StoreKind::Sqlite, dir_};
  std::optional<Child> child_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

// One daemon per test, on a fresh database.
class ScimTest : public ::testing::Test {
 protected:
  ScimTest() = default;
  explicit ScimTest(StoreKind kind) : server_(kind) {}

  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = kOktaToken, const std::string& headers = "") const {
    return server_.call(method, path, body, token, headers);
  }

  // POSTs a user and returns its id (a test failure unless 201).
  std::string create_user(const std::string& user_name, const std::string& token = kOktaToken) {
    const auto r = call("POST", "/Users",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + user_name +
                            R"(","name":{"givenName":"G","familyName":"F"},"active":true})",
                        token);
    EXPECT_EQ(r.status, 201) << r.body;
    return str(json_of(r), "id");
  }

  ScimServer server_;
};

// ScimTest with the store as the parameter: TEST_P(Suite, ...) then
// INSTANTIATE_TEST_SUITE_P(Stores, Suite, kBothStores, store_test_name). A suite's own
// SetUp calls this one first and returns if the test IsSkipped().
class ScimStoreTest : public ScimTest, public ::testing::WithParamInterface<StoreKind> {
 protected:
  ScimStoreTest() : ScimTest(GetParam()) {}
  void SetUp() override {
    if (!server_.store().available()) GTEST_SKIP() << server_.store().why_unavailable();
  }
};

}  // namespace rosterd::testing
