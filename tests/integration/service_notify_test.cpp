// `rosterd serve` as a Type=notify service, checked through a NOTIFY_SOCKET the test
// listens on: READY=1 only once the listener accepts connections, STATUS= lines, WATCHDOG=1
// at the interval systemd asks for, STOPPING=1 on SIGTERM, RELOADING=1 … READY=1 around
// SIGHUP.
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "tests/integration/service_fixture.h"

namespace rosterd::testing {
namespace {

// A loopback port nothing listens on (bound, then closed): connections are refused.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(ServiceNotify, ReadyComesOnlyOnceTheListenerAcceptsConnections) {
  ServiceProcess service;
  service.start();
  const auto ready = service.notify().until("READY=1");
  ASSERT_TRUE(ready) << service.log();
  // At READY=1 the port is known and a request is answered: the listener is bound and
  // the store open. Nothing before READY=1 said READY.
  const std::uint16_t port = service.logged_port();
  ASSERT_NE(port, 0) << "READY=1 before the listener was bound:\n" << service.log();
  EXPECT_EQ(service.get_status(port, "/Users", kOktaToken), 200);
  const auto& received = service.notify().received();
  for (std::size_t i = 0; i + 1 < received.size(); ++i)
    EXPECT_FALSE(NotifyListener::has_line(received[i], "READY=1")) << service.notify().received_text();
  // The first message says the daemon is starting, before the store is even open.
  ASSERT_GE(received.size(), 2u) << service.notify().received_text();
  EXPECT_EQ(NotifyListener::value(received.front(), "STATUS").rfind("starting", 0), 0u) << received.front();
  EXPECT_EQ(NotifyListener::value(*ready, "STATUS"), "serving as leader; 2 sources") << *ready;
}

TEST(ServiceNotify, NoReadyWhenTheStoreCannotBeOpened) {
  ServiceProcess service;
  // A file that is not an SQLite database: the store cannot be opened.
  std::ofstream(service.dir().file("garbage.db")) << std::string(8192, 'x');
  service.write_raw_config("store: sqlite:" + service.dir().file("garbage.db") + "\n");
  service.start();
  const int code = service.child().wait();
  EXPECT_NE(code, 0) << service.log();
  while (service.notify().next(std::chrono::milliseconds(0))) {
  }
  for (const auto& m : service.notify().received()) EXPECT_FALSE(NotifyListener::has_line(m, "READY=1")) << m;
}

TEST(ServiceNotify, StatusReportsTheLastDirectoryReadAndItsFailure) {
  ServiceProcess service(R"y(  - id: corp
    kind: ldap
    space: acme
    dialect: openldap
    urls: ["ldap://127.0.0.1:)y" + std::to_string(closed_port()) + R"y("]
    users: {base: "ou=people,dc=example,dc=test", filter: "(objectClass=inetOrgPerson)"}
    groups: {base: "ou=groups,dc=example,dc=test"}
    attributes: {userName: uid, email: mail, givenName: givenName, familyName: sn}
    interval: 1h
)y");
  service.start();
  ASSERT_TRUE(service.wait_ready()) << service.log();
  // The first read fails (connection refused); the next status line says so.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string status;
  while (std::chrono::steady_clock::now() < give_up && status.find("last sync") == std::string::npos) {
    const auto m = service.notify().next(std::chrono::seconds(30));
    if (!m) break;
    if (const auto s = NotifyListener::value(*m, "STATUS"); !s.empty()) status = s;
  }
  EXPECT_EQ(status.rfind("serving as leader; 3 sources; last sync ", 0), 0u) << service.notify().received_text();
  EXPECT_NE(status.find(" UTC failed: corp"), std::string::npos) << status;
  EXPECT_NE(service.log().find(R"("event":"source_read_failed")"), std::string::npos) << service.log();
}

TEST(ServiceNotify, WatchdogPingsComeWhenSystemdSetsWatchdogUsec) {
  ServiceProcess service;
  service.start({{"WATCHDOG_USEC", "200000"}});  // pings every 100 ms
  ASSERT_TRUE(service.wait_ready()) << service.log();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(service.notify().until("WATCHDOG=1")) << "ping " << i;
}

TEST(ServiceNotify, NoWatchdogPingsForAWatchdogMeantForAnotherProcess) {
  ServiceProcess service;
  // WATCHDOG_PID names another process (PID 1): not for rosterd. A reload and a stop,
  // each acknowledged, give the daemon time to send what it would.
  service.start({{"WATCHDOG_USEC", "20000"}, {"WATCHDOG_PID", "1"}});
  ASSERT_TRUE(service.wait_ready()) << service.log();
  service.child().signal(SIGHUP);
  ASSERT_TRUE(service.notify().until("RELOADING=1"));
  ASSERT_TRUE(service.notify().until("READY=1"));
  service.child().signal(SIGTERM);
  ASSERT_TRUE(service.notify().until("STOPPING=1"));
  EXPECT_EQ(service.child().wait(), 0);
  while (service.notify().next(std::chrono::milliseconds(0))) {
  }
  for (const auto& m : service.notify().received()) EXPECT_FALSE(NotifyListener::has_line(m, "WATCHDOG=1")) << m;
}

TEST(ServiceNotify, SigtermSendsStoppingThenExitsZero) {
  ServiceProcess service;
  service.start();
  ASSERT_TRUE(service.wait_ready()) << service.log();
  service.child().signal(SIGTERM);
  const auto stopping = service.notify().until("STOPPING=1");
  ASSERT_TRUE(stopping) << service.log();
  EXPECT_NE(NotifyListener::value(*stopping, "STATUS").find("stopping"), std::string::npos) << *stopping;
  EXPECT_EQ(service.child().wait(), 0) << service.log();
  EXPECT_NE(service.log().find(R"("event":"stopped")"), std::string::npos) << service.log();
}

TEST(ServiceNotify, AbstractNotifySocketNamesWork) {
  // NOTIFY_SOCKET=@name: an abstract socket (what systemd uses inside some containers).
  const std::string name = "rosterd-test-" + std::to_string(::getpid());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), length), 0) << std::strerror(errno);
  const timeval limit{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);

  ServiceProcess service;
  service.start({{"NOTIFY_SOCKET", "@" + name}});
  bool ready = false;
  char buffer[4096];
  for (ssize_t n; !ready && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    ready = NotifyListener::has_line(std::string(buffer, static_cast<std::size_t>(n)), "READY=1");
  ::close(fd);
  EXPECT_TRUE(ready) << service.log();
}

}  // namespace
}  // namespace rosterd::testing
