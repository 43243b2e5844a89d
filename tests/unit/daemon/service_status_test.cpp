// ServiceStatus: the STATUS= line systemctl status shows.
#include "daemon/service/service_status.h"

#include <gtest/gtest.h>

namespace rosterd {
namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

TEST(ServiceStatus, WithoutPolledSourcesSaysHowManySourcesItServes) {
  ServiceStatus status;
  status.configure(2, 0);
  EXPECT_EQ(status.line(), "serving; 2 sources");
  status.configure(1, 0);
  EXPECT_EQ(status.line(), "serving; 1 source");
}

TEST(ServiceStatus, NamesTheLatestReadAndEverySourceWhoseLatestReadFailed) {
  ServiceStatus status;
  status.configure(3, 2);
  EXPECT_EQ(status.line(), "serving; 3 sources; first directory read in progress");
  status.source_read("corp", true, at("2026-11-24T14:02:30Z"));
  EXPECT_EQ(status.line(), "serving; 3 sources; last sync 14:02 UTC ok");
  status.source_read("emea", false, at("2026-11-24T13:58:00Z"));
  EXPECT_EQ(status.line(), "serving; 3 sources; last sync 14:02 UTC failed: emea");
  status.source_read("emea", true, at("2026-11-24T14:05:00Z"));
  EXPECT_EQ(status.line(), "serving; 3 sources; last sync 14:05 UTC ok");
}

TEST(ServiceStatus, AReloadForgetsReadsOfTheOldSources) {
  ServiceStatus status;
  status.configure(2, 1);
  status.source_read("old", false, at("2026-11-24T14:02:00Z"));
  status.configure(2, 1);
  EXPECT_EQ(status.line(), "serving; 2 sources; first directory read in progress");
}

TEST(ServiceStatus, ARefusedReloadShowsUntilAReloadSucceeds) {
  ServiceStatus status;
  status.configure(2, 0);
  status.reload_refused(at("2026-11-24T14:07:59Z"));
  EXPECT_EQ(status.line(), "serving; 2 sources; reload refused at 14:07 UTC, see the log");
  status.configure(1, 0);
  EXPECT_EQ(status.line(), "serving; 1 source");
}

TEST(ServiceStatus, WithALeaderCheckSaysLeaderOrStandbyAndAStandbyClaimsNoDirectoryRead) {
  ServiceStatus status;
  status.configure(3, 2);
  bool leading = true;
  status.set_leader_check([&leading] { return leading; });
  EXPECT_EQ(status.line(), "serving as leader; 3 sources; first directory read in progress");
  status.source_read("corp", true, at("2026-11-24T14:02:30Z"));
  EXPECT_EQ(status.line(), "serving as leader; 3 sources; last sync 14:02 UTC ok");
  leading = false;
  EXPECT_EQ(status.line(), "serving as standby; 3 sources");
  status.reload_refused(at("2026-11-24T14:07:00Z"));
  EXPECT_EQ(status.line(), "serving as standby; 3 sources; reload refused at 14:07 UTC, see the log");
}

}  // namespace
}  // namespace rosterd
