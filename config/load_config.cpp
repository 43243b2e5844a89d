#include "config/load_config.h"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/node/parse.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "config/closest_name.h"
#include "config/config_sections.h"

namespace rosterd {
namespace {

using namespace std::string_view_literals;
using config_detail::Field;
using config_detail::MapView;
using config_detail::Problems;
using config_detail::ReadContext;

constexpr std::array kTopKeys{"store"sv,   "listen"sv, "admin_token_file"sv, "spaces"sv, "roles"sv,
                              "sources"sv, "rules"sv};

void read_top_level(const Field& root, ReadContext& ctx) {
  const MapView top(root, ctx.problems);
  top.allow_only(kTopKeys, ctx.problems);
  if (const auto f = top.get("store")) config_detail::read_store(*f, ctx);
  if (const auto f = top.get("listen")) config_detail::read_listen(*f, ctx);
  if (const auto f = top.get("admin_token_file"))
    ctx.config.admin_token_file = config_detail::read_string(*f, ctx.problems).value_or("");
  // Order matters: see config_sections.h.
  if (const auto f = top.get("spaces")) config_detail::read_spaces(*f, ctx);
  if (const auto f = top.get("roles")) config_detail::read_roles(*f, ctx);
  if (const auto f = top.get("sources")) config_detail::read_sources(*f, ctx);
  config_detail::check_source_precedence(ctx);
  if (const auto f = top.get("rules")) config_detail::read_rules(*f, ctx);
}

// Checks the document's outline; true if there is a top-level map to read.
bool check_documents(const std::vector<YAML::Node>& documents, Problems& problems) {
  if (documents.empty() || documents.front().IsNull()) {
    problems.add({}, "",
                 "the file is empty: expected a map of settings (" +
                     config_detail::join_names(kTopKeys) + ")");
    return false;
  }
  if (documents.size() > 1)
    problems.add(config_detail::mark_of(documents[1].Mark()), "",
                 "a configuration file holds one YAML document; remove this second one");
  const Field root = config_detail::root_field(documents.front());
  if (!root.node.IsMap()) {
    problems.add(root.at, "",
                 "expected a map of settings at the top level (" +
                     config_detail::join_names(kTopKeys) + "), got " +
                     config_detail::describe(root.node));
    return false;
  }
  return true;
}

Result<Config> parse_with_base(std::string_view yaml_text, const std::string& file,
                               const std::filesystem::path& base_dir) {
  Problems problems(file);
  Config config;
  config.file = file;
  config.store_location.file = file;
  ReadContext ctx{problems, config, base_dir, {}, {}};
  // yaml-cpp reports syntax errors (and, defensively, misuse) as exceptions: this is the one
  // place they are turned into errors.
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml_text));
    if (check_documents(documents, problems))
      read_top_level(config_detail::root_field(documents.front()), ctx);
  } catch (const YAML::ParserException& e) {
    problems.add(config_detail::mark_of(e.mark), "", "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    problems.add(config_detail::mark_of(e.mark), "", "cannot read this YAML: " + e.msg);
  }
  if (!problems.empty()) return tl::unexpected(problems.to_error());
  return config;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml_text, const std::string& file_name_for_messages) {
  const auto base_dir = std::filesystem::path(file_name_for_messages).parent_path();
  return parse_with_base(yaml_text, file_name_for_messages, base_dir);
}

Result<Config> load_config(const std::string& path) {
  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  const auto cannot_read = [&path] {
    return fail(ErrorCode::Config, "cannot read configuration file '" + path +
                                       "': " + std::generic_category().message(errno));
  };
  errno = 0;
  const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
  if (!file) return cannot_read();
  std::string text;
  std::array<char, 8192> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
    text.append(buffer.data(), n);
  if (std::ferror(file.get())) return cannot_read();

  // An absolute base, so that the resolved store does not depend on the working directory.
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  const auto base_dir = ec ? std::filesystem::path(path).parent_path() : absolute.parent_path();
  return parse_with_base(text, path, base_dir.lexically_normal());
}

}  // namespace rosterd
