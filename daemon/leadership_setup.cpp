#include "daemon/leadership_setup.h"

#include <unistd.h>

#include <climits>

#include "daemon/log.h"
#include "daemon/open_store.h"
#include "store/random_id.h"
#include "store/sql/leader_lease.h"

namespace rosterd {
namespace {

// sql::LeaderLease on a connection it owns.
class SqlLeaseBackend final : public LeaseBackend {
 public:
  explicit SqlLeaseBackend(std::unique_ptr<sql::SqlConnection> conn) : conn_(std::move(conn)), lease_(*conn_) {}

  Result<LeaseHold> try_hold(std::string_view holder, std::chrono::milliseconds ttl) override {
    auto state = lease_.try_hold(holder, ttl);
    if (!state) return tl::unexpected(state.error());
    return LeaseHold{state->held, std::move(state->holder), state->term};
  }
  Result<void> release(std::string_view holder) override { return lease_.release(holder); }

 private:
  std::unique_ptr<sql::SqlConnection> conn_;
  sql::LeaderLease lease_;
};

void log_leadership(std::string_view level, std::string_view event, std::int64_t term, std::string_view holder,
                    std::string_view error) {
  if (error.empty())
    log_event(level, event, {{"term", std::to_string(term)}, {"holder", std::string(holder)}});
  else
    log_event(level, event, {{"term", std::to_string(term)}, {"holder", std::string(holder)}, {"error", std::string(error)}});
}

}  // namespace

std::string leadership_holder_name() {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  const std::string id = make_random_id_generator()();
  // The last 12 hex digits of a version-7 id are random; its first ones are the time.
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid()) + ":" + id.substr(id.size() - 12);
}

Result<std::unique_ptr<Leadership>> start_leadership(const Config& config, LeadershipTiming timing) {
  auto conn = connect_store(config);
  if (!conn) return tl::unexpected(conn.error());
  // SQLite: a renewal that waits for another process's write transaction gives up before
  // the lease would run out, and tries again at the next period (the default busy
  // timeout, 30 s, is longer than the lease).
  if ((*conn)->dialect() == sql::Dialect::Sqlite)
    if (auto r = (*conn)->execute_script("PRAGMA busy_timeout = " + std::to_string(timing.renew_every.count() * 2));
        !r)
      return tl::unexpected(r.error());
  auto leadership = std::make_unique<Leadership>(std::make_unique<SqlLeaseBackend>(std::move(*conn)),
                                                 leadership_holder_name(), timing, log_leadership);
  leadership->start();
  return leadership;
}

}  // namespace rosterd
