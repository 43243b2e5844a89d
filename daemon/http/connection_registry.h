// The server's open connections, so that stop() can reach them from its own thread:
// drain the idle ones, force-close the rest after the grace period, and wait for none.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace rosterd::http {

// One connection as stop() sees it. Both calls are safe from any thread.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void drain() = 0;        // close now if waiting for a request, else after the response
  virtual void force_close() = 0;  // close now
};

class ConnectionRegistry {
 public:
  // The new connection's id, or nullopt when `limit` connections are already open.
  std::optional<std::uint64_t> add(std::weak_ptr<Connection> connection, std::size_t limit) {
    const std::lock_guard lock(mutex_);
    if (connections_.size() >= limit) return std::nullopt;
    const std::uint64_t id = next_id_++;
    connections_.emplace(id, std::move(connection));
    return id;
  }

  void remove(std::uint64_t id) {
    {
      const std::lock_guard lock(mutex_);
      connections_.erase(id);
    }
    changed_.notify_all();
  }

  std::vector<std::shared_ptr<Connection>> snapshot() const {
    std::vector<std::shared_ptr<Connection>> alive;
    const std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : connections_)
      if (auto connection = weak.lock()) alive.push_back(std::move(connection));
    return alive;
  }

  // True if every connection was removed before `deadline`.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [this] { return connections_.empty(); });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 0;
};

}  // namespace rosterd::http
