#include "daemon/metrics/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "daemon/metrics/daemon_metrics.h"
#include "tests/support/prometheus_text.h"

namespace rosterd::metrics {
namespace {

using rosterd::testing::parse_prometheus_text;

TEST(MetricsRegistry, CountsEveryIncrementFromManyThreads) {
  Registry registry;
  CounterFamily& requests = registry.counter("rosterd_test_total", "test", {"route"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) requests.with({i % 2 ? "/a" : "/b"}).inc();
    });
  for (auto& t : threads) t.join();
  const auto parsed = parse_prometheus_text(registry.render());
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.value("rosterd_test_total", {{"route", "/a"}}), 20000.0);
  EXPECT_EQ(parsed.value("rosterd_test_total", {{"route", "/b"}}), 20000.0);
}

TEST(MetricsRegistry, SameLabelValuesGiveTheSameMetricAndClearForgetsThem) {
  Registry registry;
  GaugeFamily& gauge = registry.gauge("g", "gauge", {"source"});
  EXPECT_EQ(&gauge.with({"corp"}), &gauge.with({"corp"}));
  EXPECT_NE(&gauge.with({"corp"}), &gauge.with({"okta"}));
  gauge.with({"corp"}).set(7.5);
  EXPECT_EQ(parse_prometheus_text(registry.render()).value("g", {{"source", "corp"}}), 7.5);
  gauge.clear();
  gauge.with({"okta"}).set(1);
  const auto parsed = parse_prometheus_text(registry.render());
  EXPECT_FALSE(parsed.value("g", {{"source", "corp"}}).has_value());
  EXPECT_EQ(parsed.value("g", {{"source", "okta"}}), 1.0);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeWithInclusiveBoundsAndInfEqualsCount) {
  Registry registry;
  HistogramFamily& latency = registry.histogram("h_seconds", "latency", {"route"}, {0.1, 1, 10});
  for (const double v : {0.05, 0.1, 0.5, 1.0, 3.0, 100.0}) latency.with({"/x"}).observe(v);
  const auto parsed = parse_prometheus_text(registry.render());
  ASSERT_EQ(parsed.error, "") << registry.render();
  EXPECT_EQ(parsed.families.at("h_seconds").type, "histogram");
  EXPECT_EQ(parsed.value("h_seconds_bucket", {{"route", "/x"}, {"le", "0.1"}}), 2.0)
      << registry.render();  // 0.05 and 0.1 (le is inclusive)
  EXPECT_EQ(parsed.value("h_seconds_bucket", {{"route", "/x"}, {"le", "1"}}), 4.0);
  EXPECT_EQ(parsed.value("h_seconds_bucket", {{"route", "/x"}, {"le", "10"}}), 5.0);
  EXPECT_EQ(parsed.value("h_seconds_bucket", {{"route", "/x"}, {"le", "+Inf"}}), 6.0);
  EXPECT_EQ(parsed.value("h_seconds_count", {{"route", "/x"}}), 6.0);
  EXPECT_DOUBLE_EQ(*parsed.value("h_seconds_sum", {{"route", "/x"}}), 104.65);
}

TEST(MetricsRegistry, HistogramStaysConsistentWhileObservedConcurrently) {
  Registry registry;
  HistogramFamily& h = registry.histogram("h", "h", {}, latency_buckets());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) h.with({}).observe((i % 100) / 50.0);
  });
  for (int i = 0; i < 200; ++i) ASSERT_EQ(parse_prometheus_text(registry.render()).error, "");
  stop = true;
  writer.join();
}

TEST(DaemonMetrics, EveryFamilyRendersWithHelpAndTypeAndParsesStrictly) {
  Registry registry;
  DaemonMetrics metrics(registry);
  metrics.http_request("/scim/v2/Users/{id}", "GET", 200, 0.002);
  metrics.http_request("/scim/v2/Users", "BREW", 418, 0.002);
  metrics.scim_request("POST", "/scim/v2/Users", 201);
  metrics.sync_run("corp", false, 0.5);
  metrics.plan_operations("create", "planned", 3);
  const std::string text = registry.render();
  const auto parsed = parse_prometheus_text(text);
  ASSERT_EQ(parsed.error, "") << text;
  for (const auto& [name, family] : parsed.families) {
    EXPECT_FALSE(family.help.empty()) << name;
    EXPECT_NE(family.type, "untyped") << name;
  }
  EXPECT_EQ(parsed.value("rosterd_http_requests_total", {{"route", "/scim/v2/Users"}, {"method", "other"}, {"status", "418"}}), 1.0);
  EXPECT_EQ(parsed.value("rosterd_scim_operations_total", {{"resource", "User"}, {"operation", "create"}, {"status", "201"}}), 1.0);
  EXPECT_EQ(parsed.value("rosterd_sync_failures_total", {{"source", "corp"}}), 1.0);
  EXPECT_EQ(parsed.value("rosterd_sync_duration_seconds_count", {{"source", "corp"}}), 1.0);
  EXPECT_EQ(parsed.value("rosterd_plan_operations_total", {{"operation", "create"}, {"state", "planned"}}), 3.0);
}

TEST(RouteTemplate, NeverCarriesAnIdOrAQuery) {
  EXPECT_EQ(route_template("/scim/v2/Users"), "/scim/v2/Users");
  EXPECT_EQ(route_template("/scim/v2/Users?filter=userName%20eq%20%22ann%40acme.test%22"), "/scim/v2/Users");
  EXPECT_EQ(route_template("/scim/v2/Users/2819c223-7f76"), "/scim/v2/Users/{id}");
  EXPECT_EQ(route_template("/scim/v2/Groups/abc"), "/scim/v2/Groups/{id}");
  EXPECT_EQ(route_template("/scim/v2/Users/.search"), "/scim/v2/Users/.search");
  EXPECT_EQ(route_template("/scim/v2/ServiceProviderConfig"), "/scim/v2/ServiceProviderConfig");
  EXPECT_EQ(route_template("/scim/v2/ann@acme.test"), "other");
  EXPECT_EQ(route_template("/ann@acme.test"), "other");
  EXPECT_EQ(route_template("/metrics?x=1"), "/metrics");
  EXPECT_EQ(route_template("/scim/v2/Users/a/b"), "other");
}

TEST(ScimOperationOf, NamesTheResourceAndTheOperation) {
  const auto op = [](std::string_view m, std::string_view t) {
    const ScimOperation o = scim_operation(m, t);
    return o.resource + ":" + o.operation;
  };
  EXPECT_EQ(op("POST", "/scim/v2/Users"), "User:create");
  EXPECT_EQ(op("GET", "/scim/v2/Users?filter=x"), "User:list");
  EXPECT_EQ(op("GET", "/scim/v2/Users/1"), "User:get");
  EXPECT_EQ(op("PUT", "/scim/v2/Groups/1"), "Group:replace");
  EXPECT_EQ(op("PATCH", "/scim/v2/Groups/1"), "Group:patch");
  EXPECT_EQ(op("DELETE", "/scim/v2/Users/1"), "User:delete");
  EXPECT_EQ(op("POST", "/scim/v2/Users/.search"), "User:search");
  EXPECT_EQ(op("POST", "/scim/v2/Bulk"), "Bulk:bulk");
  EXPECT_EQ(op("GET", "/scim/v2/Schemas"), ":");
  EXPECT_EQ(op("GET", "/healthz"), ":");
}

}  // namespace
}  // namespace rosterd::metrics
