// store and listen: where rosterd keeps its data and where it listens.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_sections.h"
#include "config/host_port.h"
#include "config/store_url.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kSqlitePrefix = "sqlite:";

// A sqlite path that is relative is taken relative to the directory of the configuration
// file, never to the working directory of the daemon (systemd starts it in /): so
// "sqlite:../var/demo.db" in examples/demo.yaml is <repo>/var/demo.db wherever rosterd is
// started. ":memory:" and "file:" URIs are left as they are.
std::string resolve_sqlite(std::string_view path, const std::filesystem::path& base_dir) {
  if (path == ":memory:" || path.starts_with("file:"))
    return std::string(kSqlitePrefix) + std::string(path);
  const std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return std::string(kSqlitePrefix) + p.string();
  return std::string(kSqlitePrefix) + (base_dir / p).lexically_normal().string();
}

// "sqlite:<path>" or a postgresql:// URL, from `field` (the string form, or the map's url).
// Nothing of a refused value is echoed: a database URL may carry a password.
bool read_store_url(const Field& field, const std::string& text, ReadContext& ctx) {
  if (text.starts_with(kSqlitePrefix)) {
    const std::string_view path = std::string_view(text).substr(kSqlitePrefix.size());
    if (path.empty()) {
      ctx.problems.add(field.at, field.path, "expected a database file after 'sqlite:'");
      return false;
    }
    ctx.config.store = resolve_sqlite(path, ctx.base_dir);
    return true;
  }
  if (is_postgres_url(text)) {
    if (store_url_has_password(text)) {
      ctx.problems.add(field.at, field.path,
                       "the URL holds a password: secrets stay out of the configuration; put the "
                       "password in a file named by store.password_file (or use libpq's "
                       "PGPASSFILE / PGPASSWORD)");
      return false;
    }
    ctx.config.store = text;
    return true;
  }
  ctx.problems.add(field.at, field.path,
                   "expected 'sqlite:<path of the database file>' or "
                   "'postgresql://<user>@<host>/<database>'");
  return false;
}

// store: {url: postgresql://..., password_file: /etc/rosterd/db-password}
void read_store_map(const Field& field, ReadContext& ctx) {
  const MapView store(field, ctx.problems);
  constexpr std::array kKeys{"url"sv, "password_file"sv};
  store.allow_only(kKeys, ctx.problems);
  const auto url = store.require("url", ctx.problems);
  std::optional<std::string> text;
  if (url) text = read_string(*url, ctx.problems);
  const bool url_ok = text && read_store_url(*url, *text, ctx);
  const auto password_file = store.get("password_file");
  if (!password_file) return;
  const auto file = read_string(*password_file, ctx.problems);
  if (!file) return;
  if (url_ok && ctx.config.store.starts_with(kSqlitePrefix)) {
    ctx.problems.add(password_file->key_at, password_file->path,
                     "a sqlite: store has no password: password_file is for postgresql:// stores");
    return;
  }
  const std::filesystem::path p(*file);
  ctx.config.store_password_file =
      p.is_absolute() || ctx.base_dir.empty() ? p.string() : (ctx.base_dir / p).lexically_normal().string();
}

std::optional<std::string> read_host_port(const Field& field, Problems& problems) {
  auto text = read_string(field, problems);
  if (!text) return std::nullopt;
  if (!parse_host_port(*text)) {
    problems.add(field.at, field.path,
                 "expected host:port with a port from 1 to 65535 (e.g. 127.0.0.1:8080 or "
                 "[::1]:8080), got '" +
                     *text + "'");
    return std::nullopt;
  }
  return text;
}

void read_tls(const Field& field, ListenConfig& listen, Problems& problems) {
  const MapView tls(field, problems);
  constexpr std::array kKeys{"cert"sv, "key"sv};
  tls.allow_only(kKeys, problems);
  const auto cert = tls.get("cert");
  const auto key = tls.get("key");
  if (cert) listen.tls_cert = read_string(*cert, problems).value_or("");
  if (key) listen.tls_key = read_string(*key, problems).value_or("");
  if (tls.is_map() && (!cert || !key))
    problems.add(field.key_at, field.path,
                 std::string("'") + (cert ? "key" : "cert") +
                     "' is missing: 'cert' and 'key' are required together");
}

}  // namespace

void read_store(const Field& field, ReadContext& ctx) {
  ctx.config.store_location = ctx.problems.location(field.key_at);
  if (field.node.IsMap()) {
    read_store_map(field, ctx);
    return;
  }
  if (const auto text = read_string(field, ctx.problems)) read_store_url(field, *text, ctx);
}

void read_listen(const Field& field, ReadContext& ctx) {
  const MapView listen(field, ctx.problems);
  constexpr std::array kKeys{"scim"sv, "admin"sv, "tls"sv};
  listen.allow_only(kKeys, ctx.problems);
  ListenConfig& out = ctx.config.listen;
  if (const auto scim = listen.get("scim"))
    out.scim = read_host_port(*scim, ctx.problems).value_or("");
  if (const auto admin = listen.get("admin"))
    out.admin = read_host_port(*admin, ctx.problems).value_or("");
  if (const auto tls = listen.get("tls")) read_tls(*tls, out, ctx.problems);
  if (!out.scim.empty() && !out.admin.empty() && out.scim == out.admin)
    ctx.problems.add(listen.get("admin")->at, listen.get("admin")->path,
                     "the admin listener cannot share the address of the scim listener");
}

}  // namespace rosterd::config_detail
