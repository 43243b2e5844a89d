// The Prometheus text exposition format, version 0.0.4: what a scrape of /metrics returns.
// A value type (MetricFamily) in, text out, so the format is tested without a registry.
//
//   # HELP name text            (backslash and newline escaped)
//   # TYPE name counter|gauge|histogram
//   name{label="value",...} 1   (label values: backslash, double quote, newline escaped)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rosterd::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { Counter, Gauge, Histogram };

struct Sample {
  std::string suffix;  // "", "_bucket", "_sum", "_count"
  Labels labels;       // in order; a histogram bucket's "le" last
  double value = 0;
};

struct MetricFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::Counter;
  std::vector<Sample> samples;
};

// "The Content-Type" of a scrape.
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view text);
// Integers without exponent or fraction, others with enough digits to round-trip;
// "+Inf", "-Inf", "NaN".
std::string format_value(double value);
// Families in the order given; a family without samples still gets its HELP and TYPE.
std::string render_exposition(const std::vector<MetricFamily>& families);

}  // namespace rosterd::metrics
