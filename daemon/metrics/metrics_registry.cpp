#include "daemon/metrics/metrics_registry.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace rosterd::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  assert(std::is_sorted(bounds_.begin(), bounds_.end()));
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) noexcept {
  // The first bucket whose bound is >= value ("le" is inclusive); past the last: +Inf.
  const auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[static_cast<std::size_t>(at)].fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Labels FamilyBase::labels_of(const std::vector<std::string>& values) const {
  assert(values.size() == label_names_.size());
  Labels labels;
  for (std::size_t i = 0; i < label_names_.size() && i < values.size(); ++i)
    labels.emplace_back(label_names_[i], values[i]);
  return labels;
}

template <>
MetricFamily Family<Counter>::collect() const {
  MetricFamily out{name_, help_, MetricType::Counter, {}};
  const std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : metrics_)
    out.samples.push_back(Sample{"", labels_of(values), static_cast<double>(metric->value())});
  return out;
}

template <>
MetricFamily Family<Gauge>::collect() const {
  MetricFamily out{name_, help_, MetricType::Gauge, {}};
  const std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : metrics_) out.samples.push_back(Sample{"", labels_of(values), metric->value()});
  return out;
}

template <>
MetricFamily Family<Histogram>::collect() const {
  MetricFamily out{name_, help_, MetricType::Histogram, {}};
  const std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : metrics_) {
    const Histogram::Snapshot s = metric->snapshot();
    const Labels labels = labels_of(values);
    for (std::size_t i = 0; i <= s.bounds.size(); ++i) {
      Labels with_le = labels;
      with_le.emplace_back("le", i < s.bounds.size() ? format_value(s.bounds[i]) : "+Inf");
      out.samples.push_back(Sample{"_bucket", std::move(with_le), static_cast<double>(s.cumulative[i])});
    }
    out.samples.push_back(Sample{"_sum", labels, s.sum});
    out.samples.push_back(Sample{"_count", labels, static_cast<double>(s.count)});
  }
  return out;
}

CounterFamily& Registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  auto family = std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names));
  CounterFamily& ref = *family;
  const std::lock_guard lock(mutex_);
  families_.push_back(std::move(family));
  return ref;
}

GaugeFamily& Registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  auto family = std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names));
  GaugeFamily& ref = *family;
  const std::lock_guard lock(mutex_);
  families_.push_back(std::move(family));
  return ref;
}

HistogramFamily& Registry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  auto family = std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(label_names),
                                                  std::move(bounds));
  HistogramFamily& ref = *family;
  const std::lock_guard lock(mutex_);
  families_.push_back(std::move(family));
  return ref;
}

std::vector<MetricFamily> Registry::collect() const {
  const std::lock_guard lock(mutex_);
  std::vector<MetricFamily> out;
  out.reserve(families_.size());
  for (const auto& family : families_) out.push_back(family->collect());
  return out;
}

std::string Registry::render() const { return render_exposition(collect()); }

}  // namespace rosterd::metrics
