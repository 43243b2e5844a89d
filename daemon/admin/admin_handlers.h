// The admin endpoints and the request metrics as http::Handlers: what serve gives each
// listener. The SCIM listener serves the admin routes too when no admin listener is
// configured (listen.admin).
#pragma once

#include "daemon/admin/admin_routes.h"
#include "daemon/http/http_server.h"
#include "daemon/metrics/daemon_metrics.h"

namespace rosterd::admin {

// Counts each request by route template, method and status, and its latency (arrival to
// answer; a SCIM write answers once durable), and SCIM operations by type.
http::Handler with_metrics(http::Handler inner, metrics::DaemonMetrics& metrics);

// The admin routes; any other path 404.
http::Handler admin_only(AdminRoutes& admin);

// The admin routes first; every other request goes to `next`.
http::Handler admin_then(AdminRoutes& admin, http::Handler next);

}  // namespace rosterd::admin
