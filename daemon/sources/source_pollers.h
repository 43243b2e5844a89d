// The directory pollers of `rosterd serve`: one thread per LDAP source, so a slow or
// unreachable directory never delays another and one source is never read twice at
// once. Each read writes its changes with the source's state (directory_poll.h); the
// identity events it records queue a reconcile of the space, which the reconciler runs.
//
// Timing: the first read at start; then every `interval`, with up to 10% of random
// jitter so that instances and sources started together drift apart. A read that failed
// or was incomplete is retried sooner: after 5 s, then 10 s, 20 s, ... never later than
// the interval, also jittered.
//
// Several instances on one database: only the leader reads (daemon/service/leadership.h).
// A standby's pollers look every `standby_check` whether it leads now, and read at once
// when it does (the previous leader's schedule is not known here; a read too many is
// harmless, the source's cursor makes it an incremental one).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/sources/ldap_source_settings.h"
#include "store/identity_store.h"

namespace rosterd {

struct PollerTiming {
  std::chrono::milliseconds first_retry{std::chrono::seconds(5)};
  std::chrono::milliseconds standby_check{std::chrono::seconds(1)};
};

// The wait before the next read: `interval` after a good one, the backoff after
// `failures` bad ones in a row, each with `jitter` in [0, 1) taking off up to 10%.
std::chrono::milliseconds next_poll_delay(std::chrono::milliseconds interval, int failures, double jitter,
                                          const PollerTiming& timing = {});

class SourcePollers {
 public:
  // Told after each read, from the poller's thread: the source, whether the read was
  // good, and when it started (the service status and health use it).
  using ReadObserver = std::function<void(const std::string& source, bool ok, Timestamp started)>;

  // `is_leader`: whether this instance leads, asked before each read (Leadership::
  // is_leader); empty: always.
  // `large_work`: held by each full read (poll_directory), shared with the reconciler.
  explicit SourcePollers(IdentityStore& identities, PollerTiming timing = {}, ReadObserver on_read = {},
                         std::function<bool()> is_leader = {}, std::mutex* large_work = nullptr);
  ~SourcePollers();  // stop()

  // Starts one poller per source; the ones running are stopped first (a reload). A read
  // in progress is finished before its poller stops.
  void start(std::vector<LdapSourceSettings> sources);
  void stop();

 private:
  struct Poller;
  IdentityStore& identities_;
  PollerTiming timing_;
  ReadObserver on_read_;
  std::function<bool()> is_leader_;
  std::mutex* large_work_;
  std::vector<std::unique_ptr<Poller>> pollers_;
};

}  // namespace rosterd
