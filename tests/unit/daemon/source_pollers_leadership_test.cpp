// The directory pollers of an instance that does not lead read nothing; once it leads,
// they read at once (daemon/sources/source_pollers.h). The directory is an address where
// nothing listens: a read is seen by its (failed) outcome, which is all this needs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "daemon/sources/source_pollers.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using namespace std::chrono_literals;

// Polls `condition` (every 5 ms, up to 30 s): the condition is the signal.
bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (!condition() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(5ms);
  return condition();
}

TEST(SourcePollersLeadership, AStandbyReadsNothingAndReadsAtOnceWhenItLeads) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  auto accounts = open_sqlite_store(path, StoreOptions{});  // migrates
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  auto identities = open_sqlite_identity_store(path, StoreOptions{});
  ASSERT_TRUE(identities.has_value()) << identities.error().message;

  LdapSourceSettings source;
  source.id = "corp";
  source.space = "acme";
  source.directory.urls = {"ldap://127.0.0.1:1"};
  source.directory.network_timeout = 1s;
  source.interval = std::chrono::hours(1);

  std::atomic<int> asked{0}, reads{0};
  std::atomic<bool> leading{false};
  PollerTiming timing;
  timing.standby_check = 10ms;
  SourcePollers pollers(**identities, timing, [&reads](const std::string&, bool, Timestamp) { ++reads; },
                        [&] {
                          ++asked;
                          return leading.load();
                        });
  pollers.start({source});
  // The standby has looked several times whether it leads, and read nothing.
  ASSERT_TRUE(eventually([&] { return asked.load() >= 5; }));
  EXPECT_EQ(reads.load(), 0);
  leading = true;
  EXPECT_TRUE(eventually([&] { return reads.load() >= 1; }));
  pollers.stop();
  (*identities)->close();
}

}  // namespace
}  // namespace rosterd
