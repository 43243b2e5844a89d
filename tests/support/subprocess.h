// Running programs from tests: run() waits and captures stdout/stderr; Child runs in the
// background (stdout to /dev/null, stderr inherited or appended to a file) and is killed
// (SIGKILL) and reaped by its destructor if still running.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rosterd::testing {

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

namespace detail {

inline std::string read_all(int fd) {
  std::string data;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
  return data;
}

[[noreturn]] inline void exec_child(const std::vector<std::string>& argv,
                                    const std::vector<std::pair<std::string, std::string>>& env) {
  for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

}  // namespace detail

// Runs to completion. Reads stderr after stdout: fine for the small outputs tests use.
inline RunResult run(const std::vector<std::string>& argv,
                     const std::vector<std::pair<std::string, std::string>>& env = {}) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    detail::exec_child(argv, env);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  RunResult r;
  r.out = detail::read_all(out_pipe[0]);
  r.err = detail::read_all(err_pipe[0]);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Child {
 public:
  // `stderr_path` non-empty: the child's stderr is appended to that file (created if need be).
  explicit Child(const std::vector<std::string>& argv,
                 const std::vector<std::pair<std::string, std::string>>& env = {},
                 const std::string& stderr_path = {}) {
    pid_ = ::fork();
    if (pid_ == 0) {
      // A test binary that crashes leaves no server behind.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int devnull = ::open("/dev/null", O_RDWR);
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      if (!stderr_path.empty()) {
        const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (err < 0) ::_exit(127);
        ::dup2(err, 2);
      }
      detail::exec_child(argv, env);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  void signal(int number) {
    if (pid_ > 0) ::kill(pid_, number);
  }
  // Reaps the child if it has exited: its exit code (-1 if a signal ended it), or nullopt
  // while it is still running.
  std::optional<int> try_wait() {
    int status = 0;
    if (pid_ <= 0) return exit_code_;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  // Waits for the exit; returns the exit code, or -1 if a signal ended it.
  int wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  void kill_now() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    wait();
  }

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace rosterd::testing
