// A private Samba Active Directory domain controller for one test binary: a domain
// EXAMPLE.TEST (DC=example,DC=test) provisioned by `samba-tool domain provision` into a
// temporary directory, with no DNS backend, on the loopback interface only, and only its
// LDAP service running (smb, nbt, kdc, kpasswd, rpc and the rest are not started). Every
// path Samba writes to (databases, pid, lock, state, cache, sockets, log) is under that
// directory; nothing here touches a system Samba or its configuration.
//
// Samba's LDAP server always listens on 389 (and 636, 3268, 3269): no option moves it.
// So the DC needs root and those ports free, and there can be one per machine at a time.
// SambaDc::unavailable_reason() says why it cannot run here; tests skip with that message.
//
// The constructor provisions and starts it and waits (a bounded poll, never a fixed sleep)
// until a simple bind as Administrator works; the destructor stops it (SIGTERM, then
// SIGKILL to its process group), waits until port 389 is closed and removes the directory.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {

inline constexpr const char* kSamba = "/usr/sbin/samba";
inline constexpr const char* kSambaTool = "/usr/bin/samba-tool";
// From samba-ad-provision, which samba-tool domain provision reads.
inline constexpr const char* kSambaSchemaDir = "/usr/share/samba/setup/ad-schema";
inline constexpr const char* kSambaLdapAdd = "/usr/bin/ldapadd";
inline constexpr const char* kSambaLdapModify = "/usr/bin/ldapmodify";
inline constexpr const char* kSambaLdapSearch = "/usr/bin/ldapsearch";
inline constexpr const char* kSambaDomainDn = "DC=example,DC=test";
inline constexpr const char* kSambaAdminDn = "CN=Administrator,CN=Users,DC=example,DC=test";
// Meets AD's default password complexity rules, which provision enforces.
inline constexpr const char* kSambaAdminPassword = "Rosterd-Test-Admin-1!";

class SambaDc {
 public:
  // "" when a DC can run here; else why not, for GTEST_SKIP().
  static std::string unavailable_reason() {
    for (const char* program : {kSamba, kSambaTool, kSambaLdapAdd, kSambaLdapModify, kSambaLdapSearch})
      if (::access(program, X_OK) != 0)
        return std::string(program) +
               " is not installed (scripts/deps.sh installs samba, samba-ad-dc, samba-ad-provision and ldap-utils)";
    if (!std::filesystem::is_directory(kSambaSchemaDir))
      return std::string(kSambaSchemaDir) + " is missing (scripts/deps.sh installs samba-ad-provision)";
    if (::geteuid() != 0)
      return "a Samba AD DC needs root: its LDAP server always listens on port 389";
    for (const int port : kLdapPorts)
      if (port_taken(port))
        return "port " + std::to_string(port) +
               " on 127.0.0.1 is in use, and Samba's LDAP server always listens on 389, 636, 3268 and 3269";
    return "";
  }

  SambaDc() {
    const std::string d = dir_.path().string();
    for (const char* sub : {"run", "log"}) std::filesystem::create_directories(dir_.path() / sub);
    const RunResult provision =
        run({kSambaTool, "domain", "provision", "--server-role=dc", "--use-rfc2307", "--dns-backend=NONE",
             "--realm=EXAMPLE.TEST", "--domain=EXAMPLE", "--host-ip=127.0.0.1", "--targetdir=" + d + "/dc",
             std::string("--adminpass=") + kSambaAdminPassword, "--option=interfaces=lo",
             "--option=bind interfaces only=yes"});
    if (provision.exit_code != 0) {
      error_ = "samba-tool domain provision failed: " + tail(provision.out + provision.err);
      return;
    }
    if (!configure()) {
      error_ = "cannot rewrite " + config();
      return;
    }
    start();
  }
  SambaDc(const SambaDc&) = delete;
  SambaDc& operator=(const SambaDc&) = delete;
  ~SambaDc() { stop(); }

  // "" when the DC is up; else what went wrong (with its output or log).
  const std::string& error() const { return error_; }

  std::string url() const { return "ldap://127.0.0.1:389/"; }
  std::string config() const { return dir_.file("dc/etc/smb.conf"); }
  std::string sam_ldb() const { return dir_.file("dc/private/sam.ldb"); }
  std::string log_tail() const {
    std::ifstream in(dir_.file("log/samba.log"));
    return tail(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }

  // ldapadd / ldapmodify / ldapsearch over LDAP as Administrator, with a simple bind.
  // `options`: more options for the tool (e.g. -c, or -E for a control).
  RunResult add(const std::string& ldif, const std::vector<std::string>& options = {}) const {
    return ldap_tool(kSambaLdapAdd, ldif, options);
  }
  RunResult modify(const std::string& ldif, const std::vector<std::string>& options = {}) const {
    return ldap_tool(kSambaLdapModify, ldif, options);
  }
  // LDIF output without comments or wrapping.
  RunResult search(const std::string& base, const std::string& filter, const std::vector<std::string>& attributes,
                   const std::vector<std::string>& options = {}) const {
    std::vector<std::string> argv{kSambaLdapSearch, "-x", "-LLL", "-o", "ldif-wrap=no", "-H", url(),
                                  "-D", kSambaAdminDn, "-w", kSambaAdminPassword, "-b", base};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(filter);
    argv.insert(argv.end(), attributes.begin(), attributes.end());
    return run(argv);
  }
  // samba-tool on this DC's database, e.g. {"user", "disable", "alice"}. It opens sam.ldb
  // directly (locking it as the server does): samba-tool over ldap:// would need Kerberos
  // or NTLM, which this DC does not run.
  RunResult tool(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), kSambaTool);
    arguments.insert(arguments.end(), {"-H", sam_ldb(), "-s", config()});
    return run(arguments);
  }

 private:
  static constexpr int kLdapPorts[] = {389, 636, 3268, 3269};

  static bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }

  // Something listens there, or holds the address (a wildcard listener, say).
  static bool port_taken(int port) {
    if (accepts_connections(port)) return true;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool taken = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno == EADDRINUSE;
    ::close(fd);
    return taken;
  }

  static std::string tail(const std::string& text) {
    return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
  }

  // Provision writes an smb.conf whose [global] runs every AD service and logs under
  // /var/log/samba. Keep only the LDAP server, allow simple binds without TLS (the
  // provision option for it is not persisted), and keep every path under the directory.
  bool configure() {
    std::ifstream in(config());
    if (!in) return false;
    const std::string d = dir_.path().string();
    std::string out;
    for (std::string line; std::getline(in, line);) {
      const auto key = line.find_first_not_of(" \t");
      const std::string trimmed = key == std::string::npos ? "" : line.substr(key);
      if (trimmed.rfind("server services", 0) == 0 || trimmed.rfind("log file", 0) == 0) continue;
      out += line + "\n";
      if (trimmed == "[global]")
        out += "\tserver services = ldap\n"
               "\tldap server require strong auth = no\n"
               // As Samba's own test suite does: no fsync per change (a test DC).
               "\tldb:nosync = true\n"
               "\tlog file = " + d + "/log/samba.log\n"
               "\tmax log size = 0\n"
               "\tpid directory = " + d + "/run\n"
               "\tncalrpc dir = " + d + "/run/ncalrpc\n"
               "\twinbindd socket directory = " + d + "/run/winbindd\n"
               "\tntp signd socket directory = " + d + "/run/ntp_signd\n";
    }
    in.close();
    std::ofstream(config()) << out;
    return true;
  }

  bool bind_works() const {
    return run({kSambaLdapSearch, "-x", "-H", url(), "-D", kSambaAdminDn, "-w", kSambaAdminPassword, "-b", "",
                "-s", "base", "(objectClass=*)", "highestCommittedUSN"})
               .exit_code == 0;
  }

  // Foreground (-F) so the process is ours to signal; it logs to the file in smb.conf.
  void start() {
    server_ = std::make_unique<Child>(std::vector<std::string>{kSamba, "-F", "-s", config()},
                                      std::vector<std::pair<std::string, std::string>>{}, dir_.file("log/stderr.log"));
    // Port 389 first (cheap), then a bind (the database is open and the LDAP server
    // answers): 20 ms apart, 30 s at most, and at once if the process has exited.
    for (int attempt = 0; attempt < 1500; ++attempt) {
      if (server_->try_wait()) break;
      if (accepts_connections(389) && bind_works()) return;
      ::poll(nullptr, 0, 20);
    }
    error_ = "samba did not start answering simple binds on " + url() + ": " + log_tail();
    stop();
  }

  // SIGTERM, which Samba handles by stopping its children; if it has not exited within
  // 10 s, SIGKILL to its process group. Then wait until port 389 is closed, so the next
  // DC (the next test binary) can listen there.
  void stop() {
    if (!server_) return;
    const pid_t pid = server_->pid();
    const bool own_group = ::getpgid(pid) == pid;  // samba makes one unless --no-process-group
    server_->signal(SIGTERM);
    bool exited = false;
    for (int attempt = 0; attempt < 1000 && !exited; ++attempt) {
      exited = server_->try_wait().has_value();
      if (!exited) ::poll(nullptr, 0, 10);
    }
    if (own_group) ::kill(-pid, SIGKILL);  // workers left behind, if any
    server_.reset();                        // SIGKILL and reap, if it is still there
    for (int attempt = 0; attempt < 1000 && accepts_connections(389); ++attempt) ::poll(nullptr, 0, 10);
  }

  RunResult ldap_tool(const char* tool, const std::string& ldif, const std::vector<std::string>& options) const {
    const std::string file = dir_.file("change.ldif");
    std::ofstream(file) << ldif;
    std::vector<std::string> argv{tool, "-x", "-H", url(), "-D", kSambaAdminDn, "-w", kSambaAdminPassword, "-f", file};
    argv.insert(argv.end(), options.begin(), options.end());
    return run(argv);
  }

  TempDir dir_;
  std::unique_ptr<Child> server_;
  std::string error_;
};

}  // namespace rosterd::testing
