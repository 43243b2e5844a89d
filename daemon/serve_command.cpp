// `rosterd serve`: the daemon. Opens the stores, serves SCIM on listen.scim (HTTPS when
// listen.tls is set) and stops cleanly on SIGTERM or SIGINT: no new connections, requests
// in flight answered, queued writes committed, then exit 0.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <ostream>

#include "config/host_port.h"
#include "daemon/command_context.h"
#include "daemon/commands.h"
#include "daemon/http/http_server.h"
#include "daemon/log.h"
#include "daemon/open_store.h"
#include "scim/scim_response.h"
#include "scim/scim_service.h"

namespace rosterd::cli {
namespace {

// Blocks SIGTERM and SIGINT in this thread (and so in every thread it starts) so that
// wait_for_stop_signal() receives them with sigwait rather than a handler.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

Result<HostPort> listen_address(const Config& config, const Args& args) {
  std::string text = config.listen.scim;
  if (auto v = args.value("listen")) text = *v;
  if (text.empty())
    return fail(ErrorCode::Config, config.file + ": listen.scim is not set: nothing to serve");
  // Port 0 (any free port, logged once bound) is for tests; the configuration refuses it.
  if (text.ends_with(":0")) {
    auto with_port = parse_host_port(text.substr(0, text.size() - 1) + "1");
    if (with_port) return HostPort{with_port->host, 0};
  }
  auto parsed = parse_host_port(text);
  if (!parsed) return fail(ErrorCode::Usage, "--listen: expected HOST:PORT, not '" + text + "'");
  return *parsed;
}

std::vector<scim::ScimSource> scim_sources(const Config& config) {
  std::vector<scim::ScimSource> out;
  for (const SourceConfig& s : config.sources)
    if (s.kind == "scim") out.push_back(scim::ScimSource{s.id, s.space, s.tokens});
  return out;
}

}  // namespace

OptionSpec serve_options() {
  OptionSpec spec;
  spec.with_value.insert({"listen"});
  return spec;
}

int run_serve(const Args& args, std::ostream& out, std::ostream& err) {
  const sigset_t stop_signals = block_stop_signals();
  auto ctx = open_context(args, out, err);
  if (!ctx) return report_error(ctx.error(), false, out, err);
  const Config& config = (*ctx)->config;
  auto address = listen_address(config, args);
  if (!address) return report_error(address.error(), false, out, err);
  auto identities = open_identity_store(config);
  if (!identities) return report_error(identities.error(), false, out, err);

  scim::ScimServiceOptions options;
  options.https = !config.listen.tls_cert.empty();
  auto service = scim::ScimService::create(**identities, scim_sources(config), options);
  if (!service) return report_error(service.error(), false, out, err);

  const scim::ScimService& scim = **service;
  http::Handler handler = [&scim](scim::HttpRequest&& request, http::Respond respond) {
    scim.handle(std::move(request), std::move(respond));
  };
  std::optional<http::TlsFiles> tls;
  if (options.https) tls = http::TlsFiles{config.listen.tls_cert, config.listen.tls_key};
  auto server = http::Server::bind(address->host, address->port, handler, http::ServerLimits{}, tls);
  if (!server) return report_error(server.error(), false, out, err);
  (*server)->start();
  const std::string host = address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
  log_event("info", "listening", {{"listener", "scim"},
                                  {"address", host + ":" + std::to_string((*server)->port())},
                                  {"tls", options.https ? "true" : "false"},
                                  {"sources", std::to_string(scim_sources(config).size())}});

  const int signal = wait_for_stop_signal(stop_signals);
  log_event("info", "stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // Order matters: the server first (no new requests; those in flight finish), then the
  // writer (queued writes committed and answered), then the server object.
  (*server)->stop(std::chrono::seconds(10));
  (*identities)->close();
  server->reset();
  log_event("info", "stopped");
  return 0;
}

}  // namespace rosterd::cli
