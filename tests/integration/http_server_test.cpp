// The HTTP(S) transport over real loopback sockets, in-process: an echo handler behind
// http::Server, and a client made of plain POSIX sockets (no Beast here, so this file
// compiles quickly). HTTPS goes through the curl and openssl programs.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "daemon/http/http_server.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::http {
namespace {

using namespace std::chrono_literals;

// "GET /x\n" followed by the body: what the test handler answers to everything.
scim::HttpResponse echo(scim::HttpRequest&& request) {
  scim::HttpResponse response;
  response.headers.emplace_back("Content-Type", "text/plain");
  response.headers.emplace_back("X-Echo-Header", request.header("x-test"));
  response.body = request.method + " " + request.target + "\n" + request.body;
  return response;
}

// A started server on 127.0.0.1 and a free port; stopped by its destructor.
class TestServer {
 public:
  explicit TestServer(ServerLimits limits = {}, SyncHandler handler = echo, std::optional<TlsFiles> tls = {}) {
    auto bound = Server::bind("127.0.0.1", 0, std::move(handler), limits, std::move(tls));
    if (!bound) {
      ADD_FAILURE() << "bind: " << bound.error().message;
      return;
    }
    server_ = std::move(*bound);
    server_->start();
  }
  Server& operator*() { return *server_; }
  Server* operator->() { return server_.get(); }

 private:
  std::unique_ptr<Server> server_;
};

using Client = testing::HttpClient;

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

std::string post(const std::string& target, const std::string& body, const std::string& extra = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra + "\r\n" + body;
}

TEST(HttpServer, ServesTwoRequestsOnOneKeepAliveConnectionThenHonoursConnectionClose) {
  TestServer server;
  Client client(server->port());
  ASSERT_TRUE(client.connected());

  client.send(post("/scim/v2/Users?x=1", R"({"userName":"a"})", "X-Test: first\r\n"));
  const auto first = client.read_reply();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "POST /scim/v2/Users?x=1\n{\"userName\":\"a\"}");
  EXPECT_EQ(first->header("server"), "rosterd");
  EXPECT_EQ(first->header("content-type"), "text/plain");
  EXPECT_EQ(first->header("x-echo-header"), "first");
  EXPECT_EQ(first->header("content-length"), std::to_string(first->body.size()));
  EXPECT_NE(first->header("connection"), "close");

  client.send(get("/second", "Connection: close\r\n"));
  const auto second = client.read_reply();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "GET /second\n");
  EXPECT_EQ(second->header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(HttpServer, AnswersExpectContinueBeforeReadingTheBody) {
  TestServer server;
  Client client(server->port());
  client.send("PUT /u HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = client.read_reply();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  client.send("hello");
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body, "PUT /u\nhello");
}

TEST(HttpServer, AnswersHeadWithoutABodySoTheConnectionStaysUsable) {
  TestServer server;
  Client client(server->port());
  client.send("HEAD /h HTTP/1.1\r\nHost: test\r\n\r\n");
  const auto head = client.read_reply(true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("content-length"), "8");  // that of "HEAD /h\n"
  client.send(get("/after"));
  const auto next = client.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "GET /after\n");
}

TEST(HttpServer, TurnsAnExceptionFromTheHandlerInto500) {
  TestServer server({}, [](scim::HttpRequest&&) -> scim::HttpResponse { throw std::runtime_error("bug"); });
  Client client(server->port());
  client.send(get("/boom"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->header("content-type"), "application/scim+json");
}

TEST(HttpServer, RefusesABodyOverTheLimitWith413ScimErrorAndCloses) {
  TestServer server;  // the default limit: 1 MiB
  Client client(server->port());
  client.send("POST /scim/v2/Users HTTP/1.1\r\nHost: test\r\nContent-Type: application/scim+json\r\n"
              "Content-Length: 1048577\r\n\r\n" + std::string(64 * 1024, 'x'));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->header("content-type"), "application/scim+json");
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_EQ(reply->body,
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"413",)"
            R"("detail":"request body larger than 1048576 bytes"})");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(HttpServer, RefusesAChunkedBodyThatGrowsOverTheLimit) {
  ServerLimits limits;
  limits.max_body_bytes = 1000;
  TestServer server(limits);
  Client client(server->port());
  client.send("POST /u HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
              "3e8\r\n" + std::string(1000, 'a') + "\r\n1\r\nb\r\n0\r\n\r\n");
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_NE(reply->body.find("request body larger than 1000 bytes"), std::string::npos);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(HttpServer, AnswersAMalformedRequestLineWith400AndCloses) {
  TestServer server;
  Client client(server->port());
  client.send("this is not http\r\n\r\n");
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(reply->header("content-type"), "application/scim+json");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(HttpServer, AnswersAHeaderOverTheLimitWith431AndCloses) {
  ServerLimits limits;
  limits.max_header_bytes = 1024;
  TestServer server(limits);
  Client client(server->port());
  client.send(get("/", "X-Big: " + std::string(4096, 'h') + "\r\n"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(HttpServer, DisconnectsAClientThatStallsInTheMiddleOfARequest) {
  ServerLimits limits;
  limits.header_timeout = 1s;
  limits.read_timeout = 1s;
  TestServer server(limits);
  Client header_staller(server->port());
  header_staller.send("GET / HTTP/1.1\r\nHost: te");
  Client body_staller(server->port());
  body_staller.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(header_staller.closed_by_peer());
  EXPECT_TRUE(body_staller.closed_by_peer());
}

TEST(HttpServer, ClosesConnectionsBeyondMaxConnections) {
  ServerLimits limits;
  limits.max_connections = 1;
  TestServer server(limits);
  Client first(server->port());
  first.send(get("/one"));
  ASSERT_TRUE(first.read_reply());  // the first connection is open and counted
  Client second(server->port());
  second.send(get("/two"));
  EXPECT_TRUE(second.closed_by_peer());
  first.send(get("/three"));
  const auto reply = first.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body, "GET /three\n");
}

TEST(HttpServer, StopFinishesTheRequestInFlightClosesIdleConnectionsAndRefusesNewOnes) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  SyncHandler slow = [&entered, released](scim::HttpRequest&& request) {
    if (request.target == "/slow") {
      entered.set_value();
      released.wait();
    }
    return echo(std::move(request));
  };
  TestServer server({}, slow);
  const std::uint16_t port = server->port();

  Client idle(port);
  idle.send(get("/fast"));
  ASSERT_TRUE(idle.read_reply());  // now an idle keep-alive connection
  Client busy(port);
  busy.send(get("/slow"));
  ASSERT_EQ(entered.get_future().wait_for(30s), std::future_status::ready);

  std::thread stopper([&] { server->stop(60s); });
  EXPECT_TRUE(idle.closed_by_peer());  // once stop() has closed the acceptor
  Client late(port);
  EXPECT_FALSE(late.connected());
  EXPECT_EQ(late.connect_error(), ECONNREFUSED);

  release.set_value();
  const auto reply = busy.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "GET /slow\n");
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_TRUE(busy.closed_by_peer());
  stopper.join();
}

// A handler that answers later from another thread (as a write does once it is durable)
// does not hold the I/O thread: with one thread, another connection is served meanwhile,
// and stop() waits for the late answer.
TEST(HttpServer, ServesOtherConnectionsWhileAnAsyncHandlerHasNotAnsweredYet) {
  std::mutex mutex;
  std::vector<std::pair<scim::HttpRequest, Respond>> parked;
  Handler handler = [&](scim::HttpRequest&& request, Respond respond) {
    if (request.target == "/later") {
      std::lock_guard lock(mutex);
      parked.emplace_back(std::move(request), std::move(respond));
      return;
    }
    respond(echo(std::move(request)));
  };
  ServerLimits limits;
  limits.threads = 1;
  auto bound = Server::bind("127.0.0.1", 0, handler, limits);
  ASSERT_TRUE(bound) << bound.error().message;
  Server& server = **bound;
  server.start();

  Client waiting(server.port());
  waiting.send(get("/later"));
  for (int i = 0; i < 3000; ++i) {
    {
      std::lock_guard lock(mutex);
      if (!parked.empty()) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  Client other(server.port());
  other.send(get("/now"));
  const auto now = other.read_reply();
  ASSERT_TRUE(now);
  EXPECT_EQ(now->body, "GET /now\n");

  std::thread stopper([&] { server.stop(60s); });
  std::thread answerer([&] {
    std::lock_guard lock(mutex);
    ASSERT_EQ(parked.size(), 1U);
    auto& [request, respond] = parked.front();
    respond(echo(std::move(request)));
    respond(scim::HttpResponse{500, {}, "a second answer is ignored"});
  });
  const auto later = waiting.read_reply();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
  EXPECT_EQ(later->body, "GET /later\n");
  answerer.join();
  stopper.join();
}

TEST(HttpServer, ReportsAnAddressInUseFromBind) {
  TestServer first;
  const auto second = Server::bind("127.0.0.1", first->port(), echo);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::Unavailable);
  EXPECT_NE(second.error().message.find("127.0.0.1:" + std::to_string(first->port())), std::string::npos);
}

std::string find_program(const std::string& name) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');)
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return name;
}

TEST(HttpServer, ServesHttpsWithACertificateFromFiles) {
  testing::TempDir dir;
  const auto made = testing::run({find_program("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                  "-subj", "/CN=localhost", "-days", "1", "-keyout", dir.file("k"), "-out",
                                  dir.file("c")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  TestServer server({}, echo, TlsFiles{dir.file("c"), dir.file("k")});
  const std::string base = "https://127.0.0.1:" + std::to_string(server->port());

  const auto got = testing::run({find_program("curl"), "-sSk", "--max-time", "30", base + "/x"});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out, "GET /x\n");
  const auto posted = testing::run({find_program("curl"), "-sSk", "--max-time", "30", "--data-binary", "hello",
                                    base + "/y", base + "/z"});
  EXPECT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_EQ(posted.out, "POST /y\nhelloPOST /z\nhello");
}

TEST(HttpServer, ReportsAnUnreadableCertificateFromBind) {
  testing::TempDir dir;
  const auto bound = Server::bind("127.0.0.1", 0, echo, {}, TlsFiles{dir.file("missing.pem"), dir.file("k")});
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code, ErrorCode::Config);
  EXPECT_NE(bound.error().message.find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace rosterd::http
