// ServiceNotifier: the sd_notify datagram protocol, against sockets the test binds.
#include "daemon/service/service_notifier.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <string>

#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

// A datagram socket bound to `name` (a path, or "@name" for an abstract one).
class Receiver {
 public:
  explicit Receiver(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    socklen_t length = sizeof address;
    if (name[0] == '@') {
      address.sun_path[0] = '\0';
      length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    }
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length), 0) << std::strerror(errno);
    const timeval limit{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  ~Receiver() { ::close(fd_); }
  std::string next() {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? "<nothing>" : std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
};

TEST(ServiceNotifier, SendsEachMessageAsOneDatagramToASocketPath) {
  testing::TempDir dir;
  Receiver receiver(dir.file("notify"));
  const ServiceNotifier notifier(dir.file("notify"), std::nullopt);
  ASSERT_TRUE(notifier.enabled());
  EXPECT_TRUE(notifier.ready("serving; 2 sources"));
  EXPECT_TRUE(notifier.watchdog());
  EXPECT_TRUE(notifier.stopping("stopping"));
  EXPECT_EQ(receiver.next(), "READY=1\nSTATUS=serving; 2 sources");
  EXPECT_EQ(receiver.next(), "WATCHDOG=1");
  EXPECT_EQ(receiver.next(), "STOPPING=1\nSTATUS=stopping");
}

TEST(ServiceNotifier, ReachesAnAbstractSocketNamedWithAnAt) {
  const std::string name = "@rosterd-unit-" + std::to_string(::getpid());
  Receiver receiver(name);
  const ServiceNotifier notifier(name, std::nullopt);
  EXPECT_TRUE(notifier.status("hello"));
  EXPECT_EQ(receiver.next(), "STATUS=hello");
}

TEST(ServiceNotifier, ReloadingCarriesTheMonotonicTimeSystemdMatchesItWith) {
  testing::TempDir dir;
  Receiver receiver(dir.file("notify"));
  const ServiceNotifier notifier(dir.file("notify"), std::nullopt);
  EXPECT_TRUE(notifier.reloading("reloading"));
  const std::string message = receiver.next();
  EXPECT_EQ(message.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << message;
  EXPECT_NE(message.find("\nSTATUS=reloading"), std::string::npos) << message;
}

TEST(ServiceNotifier, AStatusWithANewlineStaysOneLine) {
  EXPECT_EQ(status_line("a\nREADY=1\r\nb"), "a READY=1  b");
  testing::TempDir dir;
  Receiver receiver(dir.file("notify"));
  const ServiceNotifier notifier(dir.file("notify"), std::nullopt);
  notifier.status("failed\nREADY=1");
  EXPECT_EQ(receiver.next(), "STATUS=failed READY=1");
}

TEST(ServiceNotifier, WithoutASocketEverythingIsANoOp) {
  const ServiceNotifier none("", std::nullopt);
  EXPECT_FALSE(none.enabled());
  EXPECT_TRUE(none.ready("x"));
  EXPECT_FALSE(none.watchdog_interval());
  // Not a path sd_notify would use either.
  EXPECT_FALSE(ServiceNotifier("relative/path", std::nullopt).enabled());
  EXPECT_FALSE(ServiceNotifier("/" + std::string(200, 'x'), std::nullopt).enabled());
}

TEST(ServiceNotifier, AnUnreachableSocketIsAFailureNotACrash) {
  testing::TempDir dir;
  const ServiceNotifier notifier(dir.file("nobody-listens"), std::nullopt);
  EXPECT_FALSE(notifier.ready("x"));
}

TEST(ServiceNotifier, TheWatchdogIntervalIsHalfOfWatchdogUsec) {
  const ServiceNotifier notifier("", std::chrono::microseconds(30'000'000));
  ASSERT_TRUE(notifier.watchdog_interval());
  EXPECT_EQ(*notifier.watchdog_interval(), std::chrono::microseconds(15'000'000));
}

class ServiceNotifierEnvironment : public ::testing::Test {
 protected:
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
};

TEST_F(ServiceNotifierEnvironment, TakesTheWatchdogWhenItsPidIsOursOrUnset) {
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  EXPECT_EQ(ServiceNotifier::from_environment().watchdog_interval(), std::chrono::microseconds(2'000'000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(ServiceNotifier::from_environment().watchdog_interval(), std::chrono::microseconds(2'000'000));
}

TEST_F(ServiceNotifierEnvironment, IgnoresAWatchdogMeantForAnotherProcessOrMalformed) {
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  EXPECT_FALSE(ServiceNotifier::from_environment().watchdog_interval());
  ::unsetenv("WATCHDOG_PID");
  for (const char* bad : {"", "0", "-5", "12abc"}) {
    ::setenv("WATCHDOG_USEC", bad, 1);
    EXPECT_FALSE(ServiceNotifier::from_environment().watchdog_interval()) << bad;
  }
}

TEST_F(ServiceNotifierEnvironment, ReadsNotifySocket) {
  testing::TempDir dir;
  Receiver receiver(dir.file("notify"));
  ::setenv("NOTIFY_SOCKET", dir.file("notify").c_str(), 1);
  const ServiceNotifier notifier = ServiceNotifier::from_environment();
  EXPECT_TRUE(notifier.enabled());
  notifier.ready("ok");
  EXPECT_EQ(receiver.next(), "READY=1\nSTATUS=ok");
}

}  // namespace
}  // namespace rosterd
