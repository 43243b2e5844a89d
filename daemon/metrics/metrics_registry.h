// The metrics of `rosterd serve`: counters, gauges and histograms in labelled families,
// updated with atomics from any thread and rendered on a scrape (exposition.h). The
// registry is an object that serve creates and passes to what records (no global state).
//
// Labels carry only bounded, non-personal values: route templates, methods, status codes,
// source ids, space ids, licence types, operation types. Never a name, email or userName.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "daemon/metrics/exposition.h"

namespace rosterd::metrics {

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }
  // Mirrors a count kept elsewhere (the webhook sender's), which only grows.
  void mirror(std::uint64_t total) noexcept { value_.store(total, std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending and finite; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void observe(double value) noexcept;

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  // The count is the sum of the buckets read, so +Inf always equals it even while other
  // threads observe.
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 1 ms to 10 s.
std::vector<double> latency_buckets();

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  virtual MetricFamily collect() const = 0;

 protected:
  Labels labels_of(const std::vector<std::string>& values) const;
  std::string name_, help_;
  std::vector<std::string> label_names_;
};

// The metrics of one name, one per combination of label values, created on first use.
template <class Metric>
class Family : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {})
      : FamilyBase(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {}

  // `values` in the order of the label names (as many). The reference stays valid until
  // clear().
  Metric& with(const std::vector<std::string>& values) {
    const std::lock_guard lock(mutex_);
    auto it = metrics_.find(values);
    if (it == metrics_.end()) it = metrics_.emplace(values, make()).first;
    return *it->second;
  }
  // Forgets every label combination (gauges rebuilt at each scrape).
  void clear() {
    const std::lock_guard lock(mutex_);
    metrics_.clear();
  }
  MetricFamily collect() const override;

 private:
  std::unique_ptr<Metric> make() const {
    if constexpr (std::is_same_v<Metric, Histogram>)
      return std::make_unique<Histogram>(bounds_);
    else
      return std::make_unique<Metric>();
  }
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> metrics_;  // ordered: stable output
};

template <>
MetricFamily Family<Counter>::collect() const;
template <>
MetricFamily Family<Gauge>::collect() const;
template <>
MetricFamily Family<Histogram>::collect() const;

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  // Names follow Prometheus conventions (counters end in _total); a family is registered
  // once, at start, and lives as long as the registry.
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names,
                             std::vector<double> bounds);

  std::vector<MetricFamily> collect() const;  // in registration order
  std::string render() const;                  // the exposition text

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
};

}  // namespace rosterd::metrics
