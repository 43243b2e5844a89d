// A private OpenLDAP server for one test suite: slapd from Debian's package with a
// generated slapd.conf (mdb with dbnosync, the memberof, syncprov and ppolicy overlays),
// its data, certificates and log in a temporary directory, listening on 127.0.0.1 and a
// port found by binding port 0. The constructor starts it and waits until it accepts
// connections (a bounded poll, never a fixed sleep); the destructor kills it and removes
// the directory. Never touches a system slapd: nothing here uses a default path.
//
// The database holds, from the start: the suffix entry, and cn=reader (password
// kReaderPassword), a plain account to bind as. Server limits apply to it, not to the
// rootdn (cn=admin): tests of limits bind as reader or as an account of their own named in
// SlapdOptions::limits.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {

inline constexpr const char* kSlapd = "/usr/sbin/slapd";
inline constexpr const char* kSlapadd = "/usr/sbin/slapadd";
inline constexpr const char* kLdapAdd = "/usr/bin/ldapadd";
inline constexpr const char* kLdapModify = "/usr/bin/ldapmodify";
inline constexpr const char* kLdapSearch = "/usr/bin/ldapsearch";
inline constexpr const char* kOpenssl = "/usr/bin/openssl";
inline constexpr const char* kAdminPassword = "admin-secret";
inline constexpr const char* kReaderPassword = "reader-secret";

struct SlapdOptions {
  std::string suffix = "dc=example,dc=test";
  // The database's `limits` lines, first match wins. The default lifts slapd's 500-entry
  // size limit for everyone; a test adds lines before it to give one account a small page
  // (size.pr=50) or a size limit (size=20).
  std::vector<std::string> limits = {"limits * size=unlimited size.prtotal=unlimited"};
  // A test CA and a certificate for 127.0.0.1 / localhost, so StartTLS can be tested;
  // slapd then also listens for ldaps:// on a second port (ldaps_url()).
  bool tls = false;
  // syncprov's session log (entries): with one, an RFC 4533 read from a recent cookie gets
  // the deletions listed (a delete phase); without, or after a restart, a present phase.
  int sessionlog = 0;
  // Without the syncprov overlay, as many servers are: no content synchronisation.
  bool syncprov = true;
};

class Slapd {
 public:
  // Whether the slapd and ldap-utils packages are installed; tests skip (saying so) if not.
  static bool available() {
    return ::access(kSlapd, X_OK) == 0 && ::access(kSlapadd, X_OK) == 0 && ::access(kLdapAdd, X_OK) == 0;
  }

  explicit Slapd(SlapdOptions options = {}) : options_(std::move(options)) {
    port_ = free_port();
    if (options_.tls) ldaps_port_ = free_port();
    std::filesystem::create_directories(dir_.path() / "db");
    if (options_.tls && !make_certificates()) {
      error_ = "could not create the test certificates";
      return;
    }
    write_config();
    const RunResult base = slapadd(base_ldif());
    if (base.exit_code != 0) {
      error_ = "slapadd of the base entries failed: " + base.err;
      return;
    }
    // The port was free when free_port() looked; another test process may have taken it
    // since (ctest -j). Then slapd cannot bind: try another.
    for (int attempt = 0; attempt < 5 && !start(); ++attempt) {
      port_ = free_port();
      if (options_.tls) ldaps_port_ = free_port();
    }
  }
  Slapd(const Slapd&) = delete;
  Slapd& operator=(const Slapd&) = delete;
  ~Slapd() { kill(); }

  // "" when the server is up; else what went wrong (with the log's tail).
  const std::string& error() const { return error_; }
  bool running() const { return server_ != nullptr; }

  // Starts on the same port with the same data; true once it accepts connections.
  bool start() {
    if (server_) return true;
    server_ = std::make_unique<Child>(
        std::vector<std::string>{kSlapd, "-f", dir_.file("slapd.conf"), "-h",
                                 options_.tls ? url() + " " + ldaps_url() : url(), "-d", "0"},
        std::vector<std::pair<std::string, std::string>>{}, dir_.file("slapd.log"));
    if (!wait_until_listening()) {
      error_ = "slapd did not start: " + log_tail();
      server_.reset();
      return false;
    }
    error_.clear();
    return true;
  }
  // SIGTERM: slapd closes its database cleanly (needed before slapadd).
  void stop() {
    if (!server_) return;
    server_->signal(SIGTERM);
    server_->wait();
    server_.reset();
  }
  // SIGKILL: the server vanishes mid-conversation, as a crashed or unplugged one does.
  void kill() {
    if (!server_) return;
    server_->kill_now();
    server_.reset();
  }
  bool restart() {
    stop();
    return start();
  }
  // SIGSTOP / SIGCONT: a server that accepts connections (the kernel does) but answers
  // nothing, as a hung one does.
  void freeze() {
    if (!server_) return;
    server_->signal(SIGSTOP);
    // kill() returns before the process has stopped: a request sent at once could still be
    // answered. Wait (bounded) until the kernel reports it stopped ("T" in /proc/PID/stat).
    const std::string stat = "/proc/" + std::to_string(server_->pid()) + "/stat";
    for (int attempt = 0; attempt < 2000; ++attempt) {
      std::ifstream in(stat);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto close = text.rfind(')');  // the command name may contain spaces
      if (close != std::string::npos && close + 2 < text.size() &&
          (text[close + 2] == 'T' || text[close + 2] == 't'))
        return;
      ::poll(nullptr, 0, 1);
    }
  }
  void thaw() {
    if (server_) server_->signal(SIGCONT);
  }

  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string ldaps_url() const { return "ldaps://127.0.0.1:" + std::to_string(ldaps_port_) + "/"; }
  int port() const { return port_; }
  const std::string& suffix() const { return options_.suffix; }
  std::string admin_dn() const { return "cn=admin," + options_.suffix; }
  std::string reader_dn() const { return "cn=reader," + options_.suffix; }
  // TLS only: the CA that signed the server's certificate, and one that did not.
  std::string ca_file() const { return dir_.file("ca.pem"); }
  std::string other_ca_file() const { return dir_.file("other-ca.pem"); }
  // TLS only: a client certificate the CA signed, subject "CN=rosterd,O=test", for SASL
  // EXTERNAL (slapd maps it to the authorization identity "cn=rosterd,o=test").
  std::string client_cert_file() const { return dir_.file("client.pem"); }
  std::string client_key_file() const { return dir_.file("client.key"); }
  std::string log_tail() const {
    std::ifstream in(dir_.file("slapd.log"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  }

  // ldapadd / ldapmodify as the rootdn, while running: overlays (memberof) apply.
  // `options`: more ldapadd/ldapmodify options, e.g. {"-M"} (ManageDsaIT) to add a referral.
  RunResult add(const std::string& ldif, const std::vector<std::string>& options = {}) {
    return ldap_tool(kLdapAdd, ldif, options);
  }
  RunResult modify(const std::string& ldif, const std::vector<std::string>& options = {}) {
    return ldap_tool(kLdapModify, ldif, options);
  }
  // ldapsearch as the rootdn, LDIF output without comments or wrapping.
  RunResult search(const std::string& base, const std::string& filter, const std::vector<std::string>& attributes) {
    std::vector<std::string> argv{kLdapSearch, "-x", "-LLL", "-o", "ldif-wrap=no", "-H", url(), "-D", admin_dn(),
                                  "-w", kAdminPassword, "-b", base, filter};
    argv.insert(argv.end(), attributes.begin(), attributes.end());
    return run(argv);
  }
  // slapadd -q while stopped: fast bulk loading, but overlays do not run (an entry's
  // memberOf must be in the LDIF).
  RunResult slapadd(const std::string& ldif) {
    if (server_) return RunResult{-1, "", "slapadd needs the server stopped"};
    const std::string file = write_file("slapadd.ldif", ldif);
    return run({kSlapadd, "-q", "-f", dir_.file("slapd.conf"), "-l", file});
  }

  // A port nothing listens on now: bound to 0 by the kernel's choice, then released.
  // Also what a test uses for "a server that is not there".
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      port = ntohs(address.sin_port);
    ::close(fd);
    return port;
  }

 private:

  bool accepts_connections() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }

  // slapd listens once its database is open (on every URL at once): poll for that, 10 ms
  // apart, 10 s at most, and give up at once if the process has exited.
  bool wait_until_listening() {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (server_->try_wait()) return false;
      if (accepts_connections()) return true;
      ::poll(nullptr, 0, 10);
    }
    return false;
  }

  std::string write_file(const std::string& name, const std::string& text) const {
    const std::string path = dir_.file(name);
    std::ofstream(path) << text;
    return path;
  }

  RunResult ldap_tool(const char* tool, const std::string& ldif, const std::vector<std::string>& options) {
    const std::string file = write_file("change.ldif", ldif);
    std::vector<std::string> argv{tool, "-x", "-H", url(), "-D", admin_dn(), "-w", kAdminPassword, "-f", file};
    argv.insert(argv.end(), options.begin(), options.end());
    return run(argv);
  }

  void write_config() {
    const std::string d = dir_.path().string();
    std::string conf =
        "include /etc/ldap/schema/core.schema\n"
        "include /etc/ldap/schema/cosine.schema\n"
        "include /etc/ldap/schema/inetorgperson.schema\n"
        "include /etc/ldap/schema/nis.schema\n"
        "modulepath /usr/lib/ldap\n"
        "moduleload back_mdb\nmoduleload memberof\nmoduleload syncprov\nmoduleload ppolicy\n"
        "pidfile " + d + "/slapd.pid\n"
        "argsfile " + d + "/slapd.args\n";
    // TLSVerifyClient try: a client certificate is checked when offered (SASL EXTERNAL),
    // not required (simple binds over StartTLS).
    if (options_.tls)
      conf += "TLSCACertificateFile " + d + "/ca.pem\nTLSCertificateFile " + d +
              "/server.pem\nTLSCertificateKeyFile " + d + "/server.key\nTLSVerifyClient try\n";
    conf += "database mdb\nmaxsize 1073741824\n"
            "suffix \"" + options_.suffix + "\"\n"
            "rootdn \"" + admin_dn() + "\"\nrootpw " + kAdminPassword + "\n"
            "directory " + d + "/db\ndbnosync\n"
            "index objectClass eq\nindex entryUUID eq\nindex entryCSN eq\nindex uid eq\n";
    for (const std::string& line : options_.limits) conf += line + "\n";
    conf += "overlay memberof\n";
    if (options_.syncprov) conf += "overlay syncprov\n";
    if (options_.syncprov && options_.sessionlog > 0) conf += "syncprov-sessionlog " + std::to_string(options_.sessionlog) + "\n";
    conf += "overlay ppolicy\n";
    write_file("slapd.conf", conf);
  }

  std::string base_ldif() const {
    const std::string first = options_.suffix.substr(3, options_.suffix.find(',') - 3);
    return "dn: " + options_.suffix + "\nobjectClass: dcObject\nobjectClass: organization\no: " + first +
           "\ndc: " + first + "\n\n"
           "dn: " + reader_dn() + "\nobjectClass: simpleSecurityObject\nobjectClass: organizationalRole\n"
           "cn: reader\nuserPassword: " + kReaderPassword + "\n\n";
  }

  // A CA, a server certificate it signs for 127.0.0.1 and localhost, a client certificate
  // it signs, and an unrelated CA.
  bool make_certificates() {
    const std::string d = dir_.path().string() + "/";
    const auto ok = [](const RunResult& r) { return r.exit_code == 0; };
    const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
    const auto ca = [&](const std::string& name) {
      std::vector<std::string> argv{kOpenssl, "req", "-x509"};
      argv.insert(argv.end(), ec_key.begin(), ec_key.end());
      argv.insert(argv.end(), {"-keyout", d + name + ".key", "-out", d + name + ".pem", "-days", "2", "-subj",
                               "/CN=rosterd test " + name, "-addext", "basicConstraints=critical,CA:TRUE",
                               "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
      return run(argv);
    };
    if (!ok(ca("ca")) || !ok(ca("other-ca"))) return false;
    std::vector<std::string> request{kOpenssl, "req"};
    request.insert(request.end(), ec_key.begin(), ec_key.end());
    request.insert(request.end(), {"-keyout", d + "server.key", "-out", d + "server.csr", "-subj", "/CN=localhost"});
    write_file("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                             "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
    std::vector<std::string> client{kOpenssl, "req"};
    client.insert(client.end(), ec_key.begin(), ec_key.end());
    client.insert(client.end(), {"-keyout", d + "client.key", "-out", d + "client.csr", "-subj", "/O=test/CN=rosterd"});
    write_file("client.ext", "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
    const auto sign = [&](const std::string& name) {
      return run({kOpenssl, "x509", "-req", "-in", d + name + ".csr", "-CA", d + "ca.pem", "-CAkey", d + "ca.key",
                  "-CAcreateserial", "-out", d + name + ".pem", "-days", "2", "-extfile", d + name + ".ext"});
    };
    return ok(run(request)) && ok(sign("server")) && ok(run(client)) && ok(sign("client"));
  }

  SlapdOptions options_;
  TempDir dir_;
  int port_ = 0;
  int ldaps_port_ = 0;
  std::unique_ptr<Child> server_;
  std::string error_;
};

}  // namespace rosterd::testing
