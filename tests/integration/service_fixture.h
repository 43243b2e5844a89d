// `rosterd serve` under a stand-in for systemd: the real binary started with NOTIFY_SOCKET
// naming a datagram socket the test listens on (NotifyListener), so Type=notify behaviour
// (READY=1, STATUS=, WATCHDOG=1, RELOADING=1, STOPPING=1) is checked without systemd.
// The configuration is the SCIM fixture's two sources ("okta" → acme, "entra" → globex)
// plus whatever a test appends; the daemon listens on 127.0.0.1 and a port it picks.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {

// A datagram socket bound to a path, as systemd's notification socket is.
class NotifyListener {
 public:
  explicit NotifyListener(std::string path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path_.data(), path_.size());
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
      ADD_FAILURE() << "cannot bind the notification socket " << path_ << ": " << std::strerror(errno);
  }
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;
  ~NotifyListener() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

  // The next datagram, or nullopt if none came within `limit`.
  std::optional<std::string> next(std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    limit = std::max(limit, std::chrono::milliseconds(1));  // a zero timeout would wait forever
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(limit);
    const timeval timeout{static_cast<time_t>(seconds.count()),
                          static_cast<suseconds_t>(std::chrono::microseconds(limit - seconds).count())};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return std::nullopt;
    std::string message(buffer, static_cast<std::size_t>(n));
    received_.push_back(message);
    return message;
  }

  // Reads messages until one has the line `line` ("READY=1"); returns it, or nullopt (a
  // test failure) if none came within `limit`. Every message read is kept in received().
  std::optional<std::string> until(const std::string& line, std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < give_up) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
      auto message = next(std::max(left, std::chrono::milliseconds(1)));
      if (!message) break;
      if (has_line(*message, line)) return message;
    }
    ADD_FAILURE() << "no notification with " << line << " within " << limit.count() << " s; got:\n" << received_text();
    return std::nullopt;
  }

  static bool has_line(const std::string& message, const std::string& line) {
    return ("\n" + message + "\n").find("\n" + line + "\n") != std::string::npos;
  }
  // The value of KEY= in `message` ("" if absent).
  static std::string value(const std::string& message, const std::string& key) {
    const std::string text = "\n" + message + "\n";
    const auto at = text.find("\n" + key + "=");
    if (at == std::string::npos) return "";
    const auto from = at + key.size() + 2;
    return text.substr(from, text.find('\n', from) - from);
  }

  const std::vector<std::string>& received() const { return received_; }
  std::string received_text() const {
    std::string out;
    for (const auto& m : received_) out += "[" + m + "]\n";
    return out;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> received_;
};

class ServiceProcess {
 public:
  // `extra` is appended to the configuration (more sources, rules).
  explicit ServiceProcess(const std::string& extra = "") : notify_(dir_.file("notify")) { write_config({}, extra); }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;
  ~ServiceProcess() {
    if (child_ && child_->running()) {
      child_->signal(SIGTERM);
      EXPECT_EQ(child_->wait(), 0) << log();
    }
  }

  // The SCIM fixture's configuration; `okta_digests` replace okta's token digests (its
  // usual one if empty); without `with_entra`, the entra source is left out.
  void write_config(const std::vector<std::string>& okta_digests, const std::string& extra = "",
                    bool with_entra = true) {
    std::string digests;
    for (const auto& d : okta_digests.empty() ? std::vector<std::string>{kOktaDigest} : okta_digests)
      digests += (digests.empty() ? "\"" : ", \"") + d + "\"";
    std::ofstream out(config());
    out << "store: sqlite:" << dir_.file("store.db") << R"(
spaces:
  acme:
    licences: {recruiter: 5, manager: 5}
  globex:
    licences: {recruiter: 5}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: [)" << digests << "]\n";
    if (with_entra) out << "  - id: entra\n    kind: scim\n    space: globex\n    tokens: [\"" << kEntraDigest << "\"]\n";
    out << extra;
  }
  void write_raw_config(const std::string& text) { std::ofstream(config()) << text; }

  // Starts the daemon with NOTIFY_SOCKET set (and `env`, `args` added) and returns at once.
  void start(std::vector<std::pair<std::string, std::string>> env = {}, std::vector<std::string> args = {}) {
    // A test may name a socket of its own (an abstract one).
    if (std::none_of(env.begin(), env.end(), [](const auto& e) { return e.first == "NOTIFY_SOCKET"; }))
      env.emplace_back("NOTIFY_SOCKET", notify_.path());
    std::vector<std::string> argv{ROSTERD_BINARY, "serve", "--config", config(), "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    child_.emplace(argv, env, log_path());
  }

  // Waits for READY=1; true if it came.
  bool wait_ready() { return notify_.until("READY=1").has_value(); }

  // The port from the "listening" log line; 0 if the daemon has not logged it.
  std::uint16_t logged_port() const {
    std::istringstream lines(log());
    for (std::string line; std::getline(lines, line);) {
      if (line.find(R"("event":"listening")") == std::string::npos) continue;
      const std::string address(boost::json::parse(line).at("address").as_string());
      return static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    }
    return 0;
  }

  // A request under /scim/v2 that keeps the connection open.
  static std::string keep_alive_request(const std::string& path, const std::string& token) {
    return "GET /scim/v2" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/scim+json\r\n"
           "Authorization: Bearer " + token + "\r\n\r\n";
  }
  // GET on a new connection: the status, 0 if no answer.
  int get_status(std::uint16_t port, const std::string& path, const std::string& token) const {
    HttpClient client(port);
    if (!client.connected()) return 0;
    client.send(keep_alive_request(path, token));
    const auto reply = client.read_reply();
    return reply ? reply->status : 0;
  }

  NotifyListener& notify() { return notify_; }
  Child& child() { return *child_; }
  const TempDir& dir() const { return dir_; }
  std::string config() const { return dir_.file("rosterd.yaml"); }
  std::string log_path() const { return dir_.file("rosterd.log"); }
  std::string log() const {
    std::ifstream in(log_path());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  // Waits (a generous deadline) until the log has a line with `needle`.
  bool wait_for_log(const std::string& needle, std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < give_up) {
      if (log().find(needle) != std::string::npos) return true;
      if (child_->try_wait()) return log().find(needle) != std::string::npos;
      // Paces the checks of the log file; the line itself is the signal.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  TempDir dir_;
  NotifyListener notify_;
  std::optional<Child> child_;
};

// A token and its digest, made by `rosterd token create` (as an administrator would).
inline std::pair<std::string, std::string> new_token(const std::string& config, const std::string& source) {
  const auto made = run({ROSTERD_BINARY, "token", "create", "--source", source, "--config", config, "--json"});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  const auto printed = boost::json::parse(made.out);
  return {std::string(printed.at("token").as_string()), std::string(printed.at("digest").as_string())};
}

}  // namespace rosterd::testing
