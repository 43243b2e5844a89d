#include "daemon/open_store.h"

#include <filesystem>
#include <system_error>

#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_store.h"

namespace rosterd {

namespace {

// The SQLite file the configuration names, its folder created if needed.
Result<std::string> sqlite_path(const Config& config) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (config.store.rfind(kSqlite, 0) != 0)
    return fail(ErrorCode::Config, "store '" + config.store +
                                       "': only sqlite: stores are supported by this build");
  const std::filesystem::path path = config.store.substr(kSqlite.size());
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return fail(ErrorCode::Storage, "cannot create the store's folder " +
                                          path.parent_path().string() + ": " + ec.message());
  }
  return path.string();
}

}  // namespace

std::optional<std::string> existing_sqlite_file(const Config& config) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (config.store.rfind(kSqlite, 0) != 0) return std::nullopt;
  std::string path = config.store.substr(kSqlite.size());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

Result<std::unique_ptr<AccountStore>> open_store(const Config& config, bool configure) {
  auto path = sqlite_path(config);
  if (!path) return tl::unexpected(path.error());
  StoreOptions options;
  options.roles = config.roles;
  auto store = open_sqlite_store(*path, std::move(options));
  if (!store || !configure) return store;
  std::vector<Space> spaces;
  for (const auto& s : config.spaces) spaces.push_back(s.space);
  if (auto r = (*store)->configure_spaces(spaces); !r) return tl::unexpected(r.error());
  return store;
}

}  // namespace rosterd

namespace rosterd {

Result<std::unique_ptr<IdentityStore>> open_identity_store(const Config& config) {
  auto path = sqlite_path(config);
  if (!path) return tl::unexpected(path.error());
  StoreOptions options;
  options.roles = config.roles;
  return open_sqlite_identity_store(*path, std::move(options));
}

}  // namespace rosterd
