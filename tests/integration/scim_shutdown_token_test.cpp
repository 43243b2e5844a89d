// Stopping and credentials: SIGTERM in the middle of a stream of creates exits 0 and loses
// no acknowledged write (every 201 is still there after a restart on the same database);
// `rosterd token create` prints a token whose digest, once in the configuration,
// authenticates as that source; an unknown source is a usage error (exit 2).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

using Shutdown = ScimTest;

TEST_F(Shutdown, SigtermDuringCreatesExitsZeroAndKeepsEveryAcknowledgedUser) {
  std::mutex mutex;
  std::condition_variable progress;
  std::vector<std::string> acknowledged;
  std::vector<int> other_statuses;
  std::atomic<bool> stop{false};
  int writers_done = 0;
  auto writer = [&](int n) {
    for (int i = 0; !stop; ++i) {
      // Not server_.call(): a refused connection is expected here, not a test failure.
      HttpClient client(server_.port());
      if (!client.connected()) break;  // the daemon no longer accepts connections
      client.send(server_.request("POST", "/Users",
                                  R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"w)" +
                                      std::to_string(n) + "-" + std::to_string(i) + R"(@acme.example"})"));
      const auto reply = client.read_reply();
      std::lock_guard lock(mutex);
      if (!reply) break;  // closed without an answer: the daemon is stopping
      const Reply& r = *reply;
      if (r.status == 201) acknowledged.push_back(str(json_of(r), "id"));
      else other_statuses.push_back(r.status);
      progress.notify_all();
    }
    std::lock_guard lock(mutex);
    ++writers_done;  // so that a daemon that dies early fails the test instead of hanging it
    progress.notify_all();
  };
  std::thread first(writer, 1), second(writer, 2);
  {
    std::unique_lock lock(mutex);
    progress.wait(lock, [&] { return acknowledged.size() >= 20 || !other_statuses.empty() || writers_done == 2; });
  }
  server_.child().signal(SIGTERM);
  const int exit_code = server_.child().wait();
  stop = true;
  first.join();
  second.join();
  EXPECT_EQ(exit_code, 0) << server_.log();
  EXPECT_NE(server_.log().find(R"("event":"stopping")"), std::string::npos);
  EXPECT_NE(server_.log().find(R"("event":"stopped")"), std::string::npos);
  for (const int status : other_statuses) EXPECT_EQ(status, 503) << "only 201 or 'unavailable' while stopping";

  server_.start();
  const auto all = json_of(call("GET", "/Users?count=1000"));
  const auto stored = ids_of(all);
  ASSERT_GE(acknowledged.size(), 20u);
  for (const auto& id : acknowledged)
    EXPECT_NE(std::find(stored.begin(), stored.end(), id), stored.end()) << "acknowledged user " << id << " was lost";
  EXPECT_GE(stored.size(), acknowledged.size());
}

TEST_F(Shutdown, ARequestWhoseBodyIsStillArrivingAtSigtermIsAnsweredAndKept) {
  HttpClient client(server_.port());
  ASSERT_TRUE(client.connected());
  const std::string body = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"inflight@acme.example"})";
  // Expect: 100-continue (what .NET clients such as Entra's send by default): the interim
  // answer proves the daemon has read the headers, so the request is in flight.
  client.send(server_.request("POST", "/Users", "", kOktaToken,
                              "Content-Length: " + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n"));
  const auto interim = client.read_reply();
  ASSERT_TRUE(interim);
  ASSERT_EQ(interim->status, 100);
  server_.child().signal(SIGTERM);
  // The body once the daemon has logged that it is stopping.
  while (server_.log().find(R"("event":"stopping")") == std::string::npos && !server_.child().try_wait())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  client.send(body);
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply) << "the request in flight got no answer\n" << server_.log();
  EXPECT_EQ(reply->status, 201) << reply->body;
  const std::string id = str(json_of(*reply), "id");
  EXPECT_EQ(server_.child().wait(), 0) << server_.log();
  server_.start();
  EXPECT_EQ(call("GET", "/Users/" + id).status, 200);
}

TEST_F(Shutdown, SigintStopsCleanlyToo) {
  const std::string id = create_user("kept@acme.example");
  server_.child().signal(SIGINT);
  EXPECT_EQ(server_.child().wait(), 0);
  EXPECT_NE(server_.log().find(R"("signal":"SIGINT")"), std::string::npos) << server_.log();
  server_.start();
  EXPECT_EQ(call("GET", "/Users/" + id).status, 200);
}

class Tokens : public ScimTest {};

TEST_F(Tokens, ACreatedTokenAuthenticatesAsItsSourceOnceItsDigestIsConfigured) {
  const auto made = run({ROSTERD_BINARY, "token", "create", "--source", "okta", "--config", server_.config(), "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto printed = boost::json::parse(made.out);
  const std::string token(printed.at("token").as_string());
  const std::string digest(printed.at("digest").as_string());
  EXPECT_EQ(str(printed, "source"), "okta");
  ASSERT_EQ(digest.size(), 7u + 64u);
  EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
  EXPECT_EQ(call("GET", "/Users", "", token).status, 401);  // not configured yet

  ASSERT_EQ(server_.stop(), 0);
  server_.write_config({digest});
  server_.start();
  const std::string id = create_user("via.new.token@acme.example", token);
  // The new token is the okta source: the old okta token sees the user, entra does not.
  EXPECT_EQ(call("GET", "/Users/" + id, "", kOktaToken).status, 200);
  EXPECT_EQ(call("GET", "/Users/" + id, "", kEntraToken).status, 404);
  EXPECT_EQ(call("GET", "/Users", "", token + "0").status, 401);

  // The text form prints a different token and the digest line for the configuration.
  const auto text = run({ROSTERD_BINARY, "token", "create", "--source", "entra", "--config", server_.config()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\"sha256:"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find(token), std::string::npos);
}

TEST_F(Tokens, AnUnknownSourceIsAUsageError) {
  const auto r = run({ROSTERD_BINARY, "token", "create", "--source", "nobody", "--config", server_.config()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nobody"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  const auto missing = run({ROSTERD_BINARY, "token", "create", "--config", server_.config()});
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace rosterd::testing
