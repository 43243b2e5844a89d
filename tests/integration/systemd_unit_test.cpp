// The systemd files as `cmake --install` puts them: installed into a prefix of the test's
// own (so ExecStart= names a binary that exists), the unit passes `systemd-analyze verify`,
// its exposure by `systemd-analyze security` is 2.0 or lower, sysusers.d creates the
// account, and a reinstall keeps an administrator's configuration. Skipped, saying why,
// only where systemd-analyze is not installed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool have(const char* program) { return ::access(program, X_OK) == 0; }

class SystemdUnit : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto r = install();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  RunResult install() const {
    return run({ROSTERD_CMAKE, "--install", ROSTERD_BINARY_DIR, "--prefix", prefix().string()});
  }
  fs::path prefix() const { return dir_.path() / "prefix"; }
  fs::path unit() const { return prefix() / "lib/systemd/system/rosterd.service"; }

  TempDir dir_;
};

TEST_F(SystemdUnit, InstallPutsTheBinaryUnitSysusersTmpfilesAndExampleConfigInPlace) {
  EXPECT_TRUE(fs::exists(prefix() / "bin/rosterd"));
  ASSERT_TRUE(fs::exists(unit()));
  EXPECT_TRUE(fs::exists(prefix() / "lib/sysusers.d/rosterd.conf"));
  EXPECT_TRUE(fs::exists(prefix() / "lib/tmpfiles.d/rosterd.conf"));
  // A prefix other than /usr or /usr/local keeps the configuration inside it.
  const fs::path config = prefix() / "etc/rosterd/rosterd.yaml";
  ASSERT_TRUE(fs::exists(config));
  EXPECT_EQ(read_file(config), read_file(fs::path(ROSTERD_SOURCE_DIR) / "examples/rosterd.yaml"));
  EXPECT_TRUE(fs::exists(prefix() / "etc/rosterd/rosterd.yaml.example"));
  // ExecStart= names the installed binary and configuration.
  const std::string text = read_file(unit());
  EXPECT_NE(text.find("\nExecStart=" + (prefix() / "bin/rosterd").string() + " serve --config " + config.string() + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nType=notify\n"), std::string::npos);
  EXPECT_NE(text.find("\nWatchdogSec="), std::string::npos);
}

TEST_F(SystemdUnit, TheInstalledUnitPassesSystemdAnalyzeVerify) {
  if (!have("/usr/bin/systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed";
  const auto r = run({"/usr/bin/systemd-analyze", "verify", "--man=no", unit().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "") << "verify printed warnings";

  // The check has teeth: a unit whose binary is missing fails it.
  fs::remove(prefix() / "bin/rosterd");
  const auto broken = run({"/usr/bin/systemd-analyze", "verify", "--man=no", unit().string()});
  EXPECT_NE(broken.exit_code, 0) << broken.err;
}

TEST_F(SystemdUnit, ExposureIsTwoOrLower) {
  if (!have("/usr/bin/systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed";
  const auto r = run({"/usr/bin/systemd-analyze", "security", "--offline=yes", "--no-pager", unit().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::smatch m;
  const std::regex overall("Overall exposure level for rosterd.service: ([0-9]+\\.[0-9]+)");
  ASSERT_TRUE(std::regex_search(r.out, m, overall)) << r.out;
  EXPECT_LE(std::stod(m[1].str()), 2.0) << r.out;
}

TEST_F(SystemdUnit, SysusersCreatesTheServiceAccount) {
  if (!have("/usr/bin/systemd-sysusers")) GTEST_SKIP() << "systemd-sysusers is not installed";
  if (::geteuid() != 0) GTEST_SKIP() << "systemd-tmpfiles needs root to give files to the rosterd account";
  const fs::path root = dir_.path() / "root";
  fs::create_directories(root / "etc");
  const auto r = run({"/usr/bin/systemd-sysusers", "--root=" + root.string(),
                      (prefix() / "lib/sysusers.d/rosterd.conf").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string passwd = "\n" + read_file(root / "etc/passwd");
  EXPECT_NE(passwd.find("\nrosterd:"), std::string::npos) << passwd;
  EXPECT_NE(read_file(root / "etc/group").find("rosterd:"), std::string::npos);

  // Then tmpfiles.d makes the state and configuration directories, closed to others, and
  // gives the configuration file to the rosterd group.
  if (!have("/usr/bin/systemd-tmpfiles")) return;
  fs::create_directories(root / "etc/rosterd");
  std::ofstream(root / "etc/rosterd/rosterd.yaml") << "store: sqlite:/var/lib/rosterd/rosterd.db\n";
  const auto t = run({"/usr/bin/systemd-tmpfiles", "--create", "--root=" + root.string(),
                      (prefix() / "lib/tmpfiles.d/rosterd.conf").string()});
  ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
  for (const char* d : {"var/lib/rosterd", "etc/rosterd"}) {
    ASSERT_TRUE(fs::is_directory(root / d)) << d;
    EXPECT_EQ(fs::status(root / d).permissions() & fs::perms::others_all, fs::perms::none) << d;
  }
  const std::string group = "\n" + read_file(root / "etc/group");
  const auto at = group.find("\nrosterd:x:");
  ASSERT_NE(at, std::string::npos) << group;
  const unsigned gid = static_cast<unsigned>(std::stoul(group.substr(at + 11)));
  struct stat config {};
  ASSERT_EQ(::stat((root / "etc/rosterd/rosterd.yaml").c_str(), &config), 0);
  EXPECT_EQ(config.st_gid, gid);
  EXPECT_EQ(config.st_mode & 0777, 0640u);
}

TEST_F(SystemdUnit, AReinstallKeepsTheAdministratorsConfiguration) {
  const fs::path config = prefix() / "etc/rosterd/rosterd.yaml";
  std::ofstream(config) << "store: sqlite:/var/lib/rosterd/mine.db\n";
  const auto r = install();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(read_file(config), "store: sqlite:/var/lib/rosterd/mine.db\n");
  EXPECT_EQ(read_file(prefix() / "etc/rosterd/rosterd.yaml.example"),
            read_file(fs::path(ROSTERD_SOURCE_DIR) / "examples/rosterd.yaml"));
}

}  // namespace
}  // namespace rosterd::testing
