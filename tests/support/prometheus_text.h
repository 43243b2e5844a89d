// A strict parser of the Prometheus text exposition format 0.0.4, for tests: whatever a
// real scraper would reject (or silently misread) is an error here, with the line number.
// Checks: line syntax (metric and label names, quoted and escaped label values, values
// including +Inf/-Inf/NaN, optional integer timestamp); HELP and TYPE at most once per
// family, before its samples; a family's samples contiguous; no series twice; counters
// non-negative; histograms with _bucket (le on every bucket), _sum and _count per label
// set, buckets in increasing le order, cumulative counts non-decreasing, an le="+Inf"
// bucket equal to _count; the text ends with a newline.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::testing {

struct PromSample {
  std::string name;  // with its suffix (_bucket, _sum, _count)
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromFamily {
  std::string help;
  std::string type = "untyped";
  std::vector<PromSample> samples;
};

struct PromText {
  std::map<std::string, PromFamily> families;
  std::string error;  // empty: valid

  // The value of the series `name` with exactly these labels; nullopt if absent.
  std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& [family_name, family] : families)
      for (const PromSample& s : family.samples)
        if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
  }
  // The sum of every series `name` whose labels include `subset`.
  double sum(const std::string& name, const std::map<std::string, std::string>& subset = {}) const {
    double total = 0;
    for (const auto& [family_name, family] : families)
      for (const PromSample& s : family.samples) {
        if (s.name != name) continue;
        bool match = true;
        for (const auto& [k, v] : subset) match = match && s.labels.count(k) && s.labels.at(k) == v;
        if (match) total += s.value;
      }
    return total;
  }
};

namespace prom_detail {

inline bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
inline bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }
inline bool label_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool label_char(char c) { return label_start(c) || (c >= '0' && c <= '9'); }

inline bool valid_metric_name(std::string_view s) {
  if (s.empty() || !name_start(s[0])) return false;
  for (char c : s)
    if (!name_char(c)) return false;
  return true;
}

inline std::optional<double> parse_value(std::string_view s) {
  if (s == "+Inf" || s == "Inf") return HUGE_VAL;
  if (s == "-Inf") return -HUGE_VAL;
  if (s == "NaN") return std::nan("");
  if (s.empty()) return std::nullopt;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
  const std::string text(s);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// The family a sample belongs to: its name, or for a histogram's series the name without
// the suffix when that family was declared a histogram.
inline std::string family_of(const std::string& name, const std::map<std::string, PromFamily>& families) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string_view sv(suffix);
    if (name.size() > sv.size() && name.compare(name.size() - sv.size(), sv.size(), sv) == 0) {
      const std::string base = name.substr(0, name.size() - sv.size());
      auto it = families.find(base);
      if (it != families.end() && it->second.type == "histogram") return base;
    }
  }
  return name;
}

}  // namespace prom_detail

inline PromText parse_prometheus_text(std::string_view text) {
  using namespace prom_detail;
  PromText out;
  int line_no = 0;
  auto failed = [&](const std::string& why) {
    out.error = "line " + std::to_string(line_no) + ": " + why;
    return out;
  };
  if (!text.empty() && text.back() != '\n') {
    line_no = 0;
    return failed("the text does not end with a newline");
  }
  std::set<std::string> closed;  // families whose samples ended (another family's came)
  std::set<std::string> typed, helped;
  std::set<std::string> series;
  std::string current;  // the family of the previous sample
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    const std::size_t eol = text.find('\n', pos);
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) return failed("empty line");
    if (line[0] == '#') {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        const bool help = line[2] == 'H';
        const std::string_view rest = line.substr(7);
        const auto space = rest.find(' ');
        if (space == std::string_view::npos) return failed("HELP/TYPE without text");
        const std::string name(rest.substr(0, space));
        if (!valid_metric_name(name)) return failed("bad metric name '" + name + "'");
        const std::string_view value = rest.substr(space + 1);
        auto& family = out.families[name];
        if (!family.samples.empty() || closed.count(name)) return failed("HELP/TYPE of " + name + " after its samples");
        if (help) {
          if (!helped.insert(name).second) return failed("second HELP for " + name);
          std::string unescaped;
          for (std::size_t i = 0; i < value.size(); ++i) {
            if (value[i] != '\\') {
              unescaped += value[i];
              continue;
            }
            if (++i >= value.size()) return failed("HELP ends with a backslash");
            if (value[i] == 'n')
              unescaped += '\n';
            else if (value[i] == '\\')
              unescaped += '\\';
            else
              return failed("bad escape in HELP");
          }
          family.help = unescaped;
        } else {
          if (!typed.insert(name).second) return failed("second TYPE for " + name);
          if (value != "counter" && value != "gauge" && value != "histogram" && value != "summary" &&
              value != "untyped")
            return failed("unknown TYPE '" + std::string(value) + "'");
          family.type = std::string(value);
        }
      }
      continue;  // other comments are allowed
    }
    // name{labels} value [timestamp]
    std::size_t i = 0;
    while (i < line.size() && name_char(line[i])) ++i;
    const std::string name(line.substr(0, i));
    if (!valid_metric_name(name)) return failed("bad metric name in '" + std::string(line) + "'");
    PromSample sample;
    sample.name = name;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const std::size_t start = i;
        if (!label_start(line[i])) return failed("bad label name");
        while (i < line.size() && label_char(line[i])) ++i;
        const std::string label(line.substr(start, i - start));
        if (label.rfind("__", 0) == 0) return failed("reserved label name " + label);
        if (i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') return failed("expected =\" after " + label);
        i += 2;
        std::string value;
        for (;;) {
          if (i >= line.size()) return failed("unterminated label value");
          const char c = line[i++];
          if (c == '"') break;
          if (c != '\\') {
            value += c;
            continue;
          }
          if (i >= line.size()) return failed("label value ends with a backslash");
          const char e = line[i++];
          if (e == 'n')
            value += '\n';
          else if (e == '\\')
            value += '\\';
          else if (e == '"')
            value += '"';
          else
            return failed("bad escape \\" + std::string(1, e) + " in a label value");
        }
        if (!sample.labels.emplace(label, value).second) return failed("label " + label + " twice");
        if (i < line.size() && line[i] == ',') {
          ++i;
          if (i < line.size() && line[i] == '}') return failed("trailing comma in labels");
        } else if (i < line.size() && line[i] != '}') {
          return failed("expected , or } after a label");
        }
      }
      if (i >= line.size()) return failed("unterminated labels");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return failed("expected one space before the value");
    ++i;
    const std::string_view rest = line.substr(i);
    const auto space = rest.find(' ');
    const auto value = parse_value(rest.substr(0, space));
    if (!value) return failed("bad value '" + std::string(rest.substr(0, space)) + "'");
    if (space != std::string_view::npos) {
      const std::string_view ts = rest.substr(space + 1);
      if (ts.empty()) return failed("trailing space");
      for (std::size_t k = 0; k < ts.size(); ++k)
        if (!((ts[k] >= '0' && ts[k] <= '9') || (k == 0 && ts[k] == '-'))) return failed("bad timestamp");
    }
    sample.value = *value;
    const std::string family_name = family_of(name, out.families);
    if (family_name != current) {
      if (!current.empty()) closed.insert(current);
      if (closed.count(family_name)) return failed("samples of " + family_name + " are not together");
      current = family_name;
    }
    PromFamily& family = out.families[family_name];
    if (family.type == "histogram") {
      if (name == family_name) return failed("histogram " + name + " has a sample without suffix");
      if (name == family_name + "_bucket" && !sample.labels.count("le")) return failed("bucket without le");
      if (name != family_name + "_bucket" && sample.labels.count("le")) return failed("le outside a bucket");
    }
    if (family.type == "counter" && !(sample.value >= 0)) return failed("negative or NaN counter " + name);
    std::string key = name;
    for (const auto& [k, v] : sample.labels) key += "\x1f" + k + "=" + v;
    if (!series.insert(key).second) return failed("series repeated: " + std::string(line));
    family.samples.push_back(std::move(sample));
  }
  // Histogram invariants, per label set without le.
  for (const auto& [name, family] : out.families) {
    if (family.type != "histogram") continue;
    struct Group {
      std::vector<std::pair<double, double>> buckets;  // (le, cumulative) in text order
      std::optional<double> sum, count;
    };
    std::map<std::map<std::string, std::string>, Group> groups;
    for (const PromSample& s : family.samples) {
      auto labels = s.labels;
      labels.erase("le");
      Group& g = groups[labels];
      if (s.name == name + "_bucket") {
        const auto le = parse_value(s.labels.at("le"));
        if (!le) {
          out.error = name + ": bad le '" + s.labels.at("le") + "'";
          return out;
        }
        g.buckets.emplace_back(*le, s.value);
      } else if (s.name == name + "_sum") {
        g.sum = s.value;
      } else if (s.name == name + "_count") {
        g.count = s.value;
      }
    }
    for (const auto& [labels, g] : groups) {
      if (!g.sum || !g.count || g.buckets.empty()) {
        out.error = name + ": a label set lacks _bucket, _sum or _count";
        return out;
      }
      for (std::size_t k = 1; k < g.buckets.size(); ++k) {
        if (!(g.buckets[k].first > g.buckets[k - 1].first)) {
          out.error = name + ": buckets not in increasing le order";
          return out;
        }
        if (g.buckets[k].second < g.buckets[k - 1].second) {
          out.error = name + ": bucket counts are not cumulative";
          return out;
        }
      }
      if (!std::isinf(g.buckets.back().first)) {
        out.error = name + ": no le=\"+Inf\" bucket";
        return out;
      }
      if (g.buckets.back().second != *g.count) {
        out.error = name + ": the +Inf bucket differs from _count";
        return out;
      }
    }
  }
  return out;
}

}  // namespace rosterd::testing
