#include "daemon/admin/admin_handlers.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>

namespace rosterd::admin {

http::Handler with_metrics(http::Handler inner, metrics::DaemonMetrics& metrics) {
  return [inner = std::move(inner), &metrics](scim::HttpRequest&& request, http::Respond respond) {
    const auto started = std::chrono::steady_clock::now();
    std::string route = metrics::route_template(request.target);
    auto counted = [&metrics, started, route = std::move(route), method = request.method,
                    target = request.target, respond = std::move(respond)](scim::HttpResponse response) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      metrics.http_request(route, method, response.status, took.count());
      metrics.scim_request(method, target, response.status);
      respond(std::move(response));
    };
    inner(std::move(request), std::move(counted));
  };
}

http::Handler admin_only(AdminRoutes& admin) {
  return [&admin](scim::HttpRequest&& request, http::Respond respond) { respond(admin.handle(request)); };
}

http::Handler admin_then(AdminRoutes& admin, http::Handler next) {
  return [&admin, next = std::move(next)](scim::HttpRequest&& request, http::Respond respond) {
    if (AdminRoutes::is_admin_path(request.target)) {
      respond(admin.handle(request));
      return;
    }
    next(std::move(request), std::move(respond));
  };
}

}  // namespace rosterd::admin
